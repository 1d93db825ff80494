#!/usr/bin/env bash
# Peak RSS of one `fgs invoke` against huge answers, beside the 16 MiB cap on an answer and
# beside curl fetching the same answer to /dev/null. A small Python server answers:
#   /small    the documented example answer (the baseline)
#   /under    a 12 MiB v1 answer, read whole and printed
#   /cl       a 64 MiB answer with a Content-Length: refused before a byte is read
#   /chunked  a 64 MiB chunked answer: read up to the cap, then the connection is closed
# Goal: for a huge answer, fgs's peak RSS at most its baseline plus the cap plus 2 MiB. The
# 12 MiB line shows what an answer that is printed costs (the body, the result taken out of
# the v1 envelope, and its output).
source "$(dirname "$0")/common.sh"

need_tools curl time python3
build_fgs

WORK=$(mktemp -d)
cat >"$WORK/server.py" <<'PY'
import http.server, json, socketserver, sys

MIB = 1024 * 1024
PIECE = b"x" * (64 * 1024)
SMALL = json.dumps({"result": '{"statusCode": 200, "body": "{\\"key\\": \\"value\\"}"}',
                    "log": "", "status": 200, "request_id": "bench"}).encode()
UNDER = json.dumps({"result": "y" * (12 * MIB), "log": "", "status": 200,
                    "request_id": "bench"}).encode()

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        route = self.path.split("/")[1]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Cff-Request-Id", "bench")
        try:
            if route in ("small", "under"):
                body = SMALL if route == "small" else UNDER
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif route == "cl":
                self.send_header("Content-Length", str(64 * MIB))
                self.end_headers()
                for _ in range(64 * MIB // len(PIECE)):
                    self.wfile.write(PIECE)
            else:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"%x\r\n%s\r\n" % (len(PIECE), PIECE)
                for _ in range(64 * MIB // len(PIECE)):
                    self.wfile.write(chunk)
                self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
PY
"${ON_SERVER[@]}" python3 "$WORK/server.py" "$PORT" &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do
  curl -s -o /dev/null -X POST "$ENDPOINT/small/" -d '{}' && break
  sleep 0.1
done

export FGS_TOKEN=bench-token
# Peak RSS in KiB of a command; its exit status is ignored (over the cap, fgs exits 5).
rss() { "${ON_CLIENT[@]}" /usr/bin/time -f %M "$@" >/dev/null 2>"$WORK/rss" || true; tail -n 1 "$WORK/rss"; }
fgs_rss() { rss "$FGS" invoke "$URN" --endpoint "$ENDPOINT/$1" -d '{}' -q -o raw; }
curl_rss() { rss curl -s -o /dev/null -X POST "$ENDPOINT/$1/v2/$PROJECT/fgs/functions/$URN/invocations" -d '{}'; }

base=$(fgs_rss small)
under=$(fgs_rss under)
cl=$(fgs_rss cl)
chunked=$(fgs_rss chunked)
curl_chunked=$(curl_rss chunked)
cap=$((16 * 1024))
echo "answer cap 16 MiB (${cap} KiB); fgs peak RSS in KiB:"
echo "  example answer    ${base}"
echo "  12 MiB answer     ${under} (baseline + $((under - base)), $(python3 -c "print(f'{($under - $base) / (12 * 1024):.1f}')") x the answer)"
echo "  64 MiB, length    ${cl} (baseline + $((cl - base)); refused before reading)"
echo "  64 MiB, chunked   ${chunked} (baseline + $((chunked - base)); goal <= baseline + $((cap + 2048))); curl ${curl_chunked}"
