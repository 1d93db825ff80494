// A Go 1.x event function: greets the event's "name".
package main

import (
	"encoding/json"
	"fmt"

	"github.com/opentelekomcloud-community/otc-functiongraph-go-runtime/go-runtime/go-api/context"
	"github.com/opentelekomcloud-community/otc-functiongraph-go-runtime/go-runtime/pkg/runtime"
)

type Event struct {
	Name string `json:"name"`
}

type Answer struct {
	StatusCode int    `json:"statusCode"`
	Body       string `json:"body"`
}

func Handler(payload []byte, ctx context.RuntimeContext) (interface{}, error) {
	var event Event
	if err := json.Unmarshal(payload, &event); err != nil {
		return nil, err
	}
	greeting := ctx.GetUserData("GREETING")
	ctx.GetLogger().Logf("greeting %s", event.Name)
	return Answer{StatusCode: 200, Body: fmt.Sprintf("%s, %s!", greeting, event.Name)}, nil
}

func main() {
	runtime.Register(Handler)
}
