// The floor of one call to a Go function: start its binary with RUNTIME_API_ADDR, wait
// until it serves net/rpc, make one Function.Invoke call with Go's own client, print the
// result and stop the binary. bench/local.sh times this beside `fgs invoke --local`.
//
//	go-bare ./handler '{"n":1}'
package main

import (
	"fmt"
	"net"
	"net/http"
	"net/rpc"
	"os"
	"os/exec"
	"time"
)

// The runtime library's types: gob matches them by field name.
type InvokeRequest struct {
	Payload []byte
	Header  http.Header
}

type InvokeResponse struct {
	StatusCode int
	Payload    []byte
}

func main() {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	addr := listener.Addr().String()
	listener.Close()
	binary := exec.Command(os.Args[1])
	binary.Env = append(os.Environ(), "RUNTIME_API_ADDR="+addr)
	binary.Stdout = os.Stderr
	binary.Stderr = os.Stderr
	if err := binary.Start(); err != nil {
		panic(err)
	}
	defer binary.Process.Kill()
	var client *rpc.Client
	for {
		if client, err = rpc.DialHTTP("tcp", addr); err == nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	var resp InvokeResponse
	req := InvokeRequest{
		Payload: []byte(os.Args[2]),
		Header:  http.Header{"X-Cff-Request-Id": {"bench"}, "X-Cff-Invoke-Type": {"sync"}},
	}
	if err := client.Call("Function.Invoke", &req, &resp); err != nil {
		panic(err)
	}
	fmt.Println(string(resp.Payload))
}
