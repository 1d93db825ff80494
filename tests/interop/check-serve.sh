#!/usr/bin/env bash
# Huawei's official Python SDK against `fgs serve --verify-aksk`: start the server on a free
# loopback port with a fake key pair, run run.sh (signed sync and async calls, the async
# records, an unknown function, a wrong secret key), then stop the server with SIGTERM and
# check that it exited 0. With Go installed, examples/go-hello is built and served too, and
# called once more through the SDK.
#
#   tests/interop/check-serve.sh          # uses cargo's debug build (FGS=... for another)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
fgs=${FGS:-$("$root/scripts/fgs-binary.sh")}

export HUAWEICLOUD_SDK_AK=INTEROPAKINTEROPAK00
export HUAWEICLOUD_SDK_SK=INTEROPSKINTEROPSKINTEROPSKINTEROPSK0000
export HUAWEICLOUD_SDK_PROJECT_ID=0123456789abcdef0123456789abcdef

dirs=("$root/examples/hello-python")
if command -v go >/dev/null 2>&1; then
  "$root/examples/go-hello/build.sh"
  dirs+=("$root/examples/go-hello")
  export GO_FUNCTION=go-hello
fi

log=$(mktemp)
"$fgs" serve "${dirs[@]}" --listen 127.0.0.1:0 --verify-aksk 2>"$log" &
server=$!
stop() {
  if kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server"
    wait "$server" || true
  fi
  rm -f "$log"
}
trap stop EXIT

endpoint=
for _ in $(seq 200); do
  endpoint=$(sed -n 's/^fgs serve: listening on //p' "$log" | head -n 1)
  [ -n "$endpoint" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.05
done
[ -n "$endpoint" ] || { echo "fgs serve did not start" >&2; cat "$log" >&2; exit 1; }

EXPECT_VERIFY=1 "$here/run.sh" "$endpoint"

kill -TERM "$server"
status=0
wait "$server" || status=$?
if [ "$status" -ne 0 ]; then
  echo "fgs serve exited $status after SIGTERM" >&2
  cat "$log" >&2
  exit 1
fi
if grep -q "$HUAWEICLOUD_SDK_SK" "$log"; then
  echo "the secret key appeared in the server's log" >&2
  exit 1
fi
