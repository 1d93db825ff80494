# Shared set-up for the benchmark scripts: tools, a local nginx that answers the
# invocation path at once with the documented example response, and clean-up.
# Sourced, not run.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROJECT=0123456789abcdef0123456789abcdef
URN="urn:fss:cn-north-4:$PROJECT:function:default:hello:latest"
PORT=${BENCH_PORT:-18931}
ENDPOINT="http://127.0.0.1:$PORT"
URL="$ENDPOINT/v2/$PROJECT/fgs/functions/$URN/invocations"

# With two or more CPUs, the server runs on CPU 0 and the clients (curl, wrk, fgs) on CPU 1,
# so that every run compares the same placement: a request/answer ping-pong across two CPUs
# of a virtual machine costs far more than one on a shared CPU, and the scheduler otherwise
# picks either at random.
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null 2>&1; then
  ON_SERVER=(taskset -c 0)
  ON_CLIENT=(taskset -c 1)
else
  ON_SERVER=()
  ON_CLIENT=()
fi

need_tools() {
  local missing=()
  for tool in "$@"; do
    case "$tool" in
      time) [ -x /usr/bin/time ] || missing+=(time) ;;
      *) command -v "$tool" >/dev/null 2>&1 || missing+=("$tool") ;;
    esac
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} from Debian's packages" >&2
    local packages=()
    for tool in "${missing[@]}"; do
      case "$tool" in
        nginx) packages+=(nginx-light) ;;
        *) packages+=("$tool") ;;
      esac
    done
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  fi
}

start_nginx() {
  WORK=$(mktemp -d)
  mkdir -p "$WORK/logs"
  # The documented example response (reference section 1.3) and its headers.
  local body='{"result":"{\"statusCode\": 200, \"isBase64Encoded\": false, \"body\": \"{\\\"key\\\": \\\"value\\\"}\", \"headers\": {\"Content-Type\": \"application/json\"}}","log":"2022-09-20T11:43:57Z Start invoke request, version: v1\nHello, World!\n","status":200,"request_id":"1cbe80f3-3c65-475e-ad88-76ac518d386x"}'
  body=${body//\\/\\\\}
  cat >"$WORK/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
error_log $WORK/logs/error.log crit;
pid $WORK/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$PORT;
    location ~ /invocations\$ {
      default_type application/json;
      add_header X-Cff-Request-Id 1cbe80f3-3c65-475e-ad88-76ac518d386x;
      add_header X-Cff-Invoke-Summary '{"duration":1.913,"billingDuration":100,"memorySize":128,"memoryUsed":41.51171875}';
      add_header X-Func-Err-Code 0;
      add_header X-Is-Func-Err false;
      return 200 '$body';
    }
  }
}
CONF
  "${ON_SERVER[@]}" nginx -c "$WORK/nginx.conf" -p "$WORK" &
  NGINX_PID=$!
  trap 'kill "$NGINX_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
  for _ in $(seq 50); do
    curl -s -o /dev/null -X POST "$URL" -d '{}' && return 0
    sleep 0.1
  done
  echo "nginx did not start" >&2
  exit 1
}

build_fgs() {
  (cd "$ROOT" && cargo build --release --locked -q)
  FGS="$ROOT/target/release/fgs"
}
