"""An HTTP function: a plain web server on 127.0.0.1:8000, the port FunctionGraph calls.

GET  /hello  greets the "name" query parameter (default "world")
POST /echo   answers with the request body and its content type

The greeting word comes from the GREETING variable of function.toml: HTTP functions read
their variables from the process environment.
"""

import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HOST, PORT = "127.0.0.1", 8000


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path != "/hello":
            return self.reply(404, {"error": f"no route GET {url.path}"})
        name = parse_qs(url.query).get("name", ["world"])[-1]
        greeting = os.environ.get("GREETING", "Hello")
        self.reply(200, {"message": f"{greeting}, {name}!"})

    def do_POST(self):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if url.path != "/echo":
            return self.reply(404, {"error": f"no route POST {url.path}"})
        content_type = self.headers.get("Content-Type", "application/octet-stream")
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def reply(self, status, document):
        data = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        # To stdout, which is the function's log, rather than stderr.
        print(format % args, flush=True)


if __name__ == "__main__":
    server = ThreadingHTTPServer((HOST, PORT), Handler)
    print(f"listening on http://{HOST}:{PORT}", flush=True)
    server.serve_forever()
