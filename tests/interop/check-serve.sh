#!/usr/bin/env bash
# Huawei's official Python SDK against `fgs serve --verify-aksk`: start the server on a free
# loopback port with a fake key pair, run run.sh (signed sync and async calls, the async
# records, an unknown function, a wrong secret key; a signed call to each other example
# whose runtime this machine has: hello-php, hello-java built by its build.sh, hello-go
# built by its build.sh), then stop the server with SIGTERM and check that it exited 0.
#
#   tests/interop/check-serve.sh          # uses cargo's debug build (FGS=... for another)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
fgs=${FGS:-$("$root/scripts/fgs-binary.sh")}

export HUAWEICLOUD_SDK_AK=INTEROPAKINTEROPAK00
export HUAWEICLOUD_SDK_SK=INTEROPSKINTEROPSKINTEROPSKINTEROPSK0000
export HUAWEICLOUD_SDK_PROJECT_ID=0123456789abcdef0123456789abcdef

# The other runtimes' examples, when their toolchain is here.
examples=("$root/examples/hello-python")
extra=()
if command -v php >/dev/null 2>&1; then
  examples+=("$root/examples/hello-php")
  extra+=(hello-php)
else
  echo "no php here: hello-php is not checked" >&2
fi
java_dir=$(mktemp -d)
if command -v javac >/dev/null 2>&1; then
  "$root/examples/hello-java/build.sh" "$java_dir/hello-java"
  cp "$root/examples/hello-java/function.toml" "$java_dir/hello-java/"
  examples+=("$java_dir/hello-java")
  extra+=(hello-java)
else
  echo "no javac here: hello-java is not checked" >&2
fi
if command -v go >/dev/null 2>&1; then
  "$root/examples/hello-go/build.sh"
  examples+=("$root/examples/hello-go")
  extra+=(hello-go)
else
  echo "no go here: hello-go is not checked" >&2
fi
export EXTRA_FUNCTIONS
EXTRA_FUNCTIONS=$(IFS=,; echo "${extra[*]}")

log=$(mktemp)
"$fgs" serve "${examples[@]}" --listen 127.0.0.1:0 --verify-aksk 2>"$log" &
server=$!
stop() {
  if kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server"
    wait "$server" || true
  fi
  rm -f "$log"
  rm -rf "$java_dir"
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
