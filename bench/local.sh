#!/usr/bin/env bash
# Local functions, each figure beside its goal:
#  1. `fgs invoke --local` of a trivial Python function, process start to exit, beside the
#     bare interpreter importing the same handler and calling it (hyperfine). Goal <= 1.5x.
#     Then one cold `invoke --local` of a trivial Java function beside a bare JVM running an
#     empty main, and where the time goes (JVM start, launcher load, handler). No goal: the
#     JVM's start dominates; warm calls must not pay it.
#     The same for a trivial Go function (when `go` is installed), beside a bare run of its
#     binary: bench/go-bare starts it, waits until it serves net/rpc, makes one
#     Function.Invoke call with Go's own client and stops it. Goal <= 1.5x.
#  2. Warm calls through `fgs serve`: `fgs invoke --batch` of 20,000 lines, --concurrency 4,
#     against a trivial Python handler, then the same for Node.js, PHP, Java and Go. Goal >= 3,000
#     calls/s, p99 < 5 ms.
#  3. Peak RSS of the `fgs serve` process itself (its instances are other processes) after
#     100,000 calls, and its RSS after the 10^4th and the 10^5th call. Goal < 30 MB, no
#     growth.
source "$(dirname "$0")/common.sh"

need_tools hyperfine
build_fgs

WORK=$(mktemp -d)
SERVER=
cleanup() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
    kill -TERM "$SERVER"
    wait "$SERVER" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The interpreter itself, not a version manager's shim in front of it, for both sides.
PYTHON=$(python3 -c 'import sys; print(sys.executable)')
export FGS_PYTHON=$PYTHON

mkdir -p "$WORK/py" "$WORK/node" "$WORK/php" "$WORK/java/src" "$WORK/noop"
printf 'def handler(event, context):\n    return {"ok": True}\n' >"$WORK/py/index.py"
printf 'exports.handler = async (event, context) => ({ ok: true });\n' >"$WORK/node/index.js"
printf '<?php\nfunction handler($event, $context) { return ["ok" => true]; }\n' >"$WORK/php/index.php"
# Java: a handler that reads a Map and returns one (Gson both ways), as a directory of
# classes; and an empty main, for the bare JVM's start.
cat >"$WORK/java/src/Bench.java" <<'JAVA'
package bench;
import java.util.Collections;
import java.util.Map;
import com.huawei.services.runtime.Context;
public class Bench {
    public Map<String, Object> handler(Map<String, Object> event, Context context) {
        return Collections.<String, Object>singletonMap("ok", true);
    }
}
JAVA
printf 'public class Noop { public static void main(String[] a) {} }\n' >"$WORK/noop/Noop.java"
javac -nowarn -sourcepath "$ROOT/src/local/runtime/java" -implicit:none -d "$WORK/java" "$WORK/java/src/Bench.java"
javac -d "$WORK/noop" "$WORK/noop/Noop.java"
printf 'runtime = "Java17"\nhandler = "bench.Bench.handler"\n' >"$WORK/java/function.toml"

# Go: the function and the bare client, built against the runtime library's stand-in.
GO_BUILT=
if command -v go >/dev/null 2>&1; then
  GO_RT=github.com/opentelekomcloud-community/otc-functiongraph-go-runtime
  mkdir -p "$WORK/go"
  cat >"$WORK/go/main.go" <<GO
package main

import (
	"$GO_RT/go-runtime/go-api/context"
	"$GO_RT/go-runtime/pkg/runtime"
)

func handler(payload []byte, ctx context.RuntimeContext) (interface{}, error) {
	return map[string]bool{"ok": true}, nil
}

func main() { runtime.Register(handler) }
GO
  printf 'module bench.local/gofn\n\ngo 1.19\n\nrequire %s v0.0.0-00010101000000-000000000000\n\nreplace %s => %s\n' \
    "$GO_RT" "$GO_RT" "$ROOT/tests/fixtures/go-runtime" >"$WORK/go/go.mod"
  printf 'runtime = "Go1.x"\nhandler = "handler"\n' >"$WORK/go/function.toml"
  (cd "$WORK/go" && GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0 go build -o handler .)
  (cd "$ROOT/bench/go-bare" && GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0 go build -o "$WORK/go-bare" .)
  GO_BUILT=1
else
  echo "no go on PATH: the Go figures are left out" >&2
fi

echo "== 1. one local invocation, process start to exit" >&2
out="$WORK/hyperfine.json"
(cd "$WORK/py" && "${ON_CLIENT[@]}" hyperfine -N --warmup 5 --runs "${RUNS:-40}" --export-json "$out" \
  -n python "$PYTHON -c 'import index; print(index.handler({}, None))'" \
  -n fgs "$FGS invoke --local $WORK/py -d {} -q -o raw" >&2)
python3 - "$out" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
p, f = r["python"]["median"], r["fgs"]["median"]
print(f"invoke --local: median python {p*1000:.1f} ms, fgs {f*1000:.1f} ms, ratio {f/p:.2f} (goal <= 1.50, {'met' if f/p <= 1.5 else 'NOT met'})")
PY

# The bare JVM with the flags fgs gives it; then fgs, whose launcher is compiled (and
# cached) by the warm-up runs.
out="$WORK/hyperfine-java.json"
JVM_FLAGS="-XX:+UseSerialGC -Xshare:auto -XX:-UsePerfData"
"${ON_CLIENT[@]}" hyperfine -N --warmup 3 --runs "${JAVA_RUNS:-15}" --export-json "$out" \
  -n jvm "java $JVM_FLAGS -cp $WORK/noop Noop" \
  -n fgs "$FGS invoke --local $WORK/java -d {} -q -o raw" >&2
handler_ms=$("$FGS" invoke --local "$WORK/java" -d {} -o json 2>/dev/null |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["summary"]["duration_ms"])')
python3 - "$out" "$handler_ms" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
jvm, f = r["jvm"]["median"] * 1000, r["fgs"]["median"] * 1000
handler = float(sys.argv[2])
rest = f - jvm - handler
print(f"invoke --local, Java: median {f:.0f} ms = bare JVM start {jvm:.0f} ms + handler (first call) {handler:.1f} ms + launcher load and fgs {rest:.0f} ms")
PY
if [ -n "$GO_BUILT" ]; then
  out="$WORK/hyperfine-go.json"
  "${ON_CLIENT[@]}" hyperfine -N --warmup 5 --runs "${RUNS:-40}" --export-json "$out" \
    -n bare "$WORK/go-bare $WORK/go/handler {}" \
    -n fgs "$FGS invoke --local $WORK/go -d {} -q -o raw" >&2
  python3 - "$out" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
b, f = r["bare"]["median"], r["fgs"]["median"]
print(f"invoke --local, Go: median bare run {b*1000:.1f} ms, fgs {f*1000:.1f} ms, ratio {f/b:.2f} (goal <= 1.50, {'met' if f/b <= 1.5 else 'NOT met'})")
PY
fi

# The server logs every call to its stderr (a file here), as it does for a user.
start_server() {
  local log="$WORK/serve.log"
  local dirs=("$WORK/py" "$WORK/node" "$WORK/php" "$WORK/java")
  [ -n "$GO_BUILT" ] && dirs+=("$WORK/go")
  "${ON_SERVER[@]}" "$FGS" serve "${dirs[@]}" --listen 127.0.0.1:0 --instances 4 --queue 1000 2>"$log" &
  SERVER=$!
  for _ in $(seq 200); do
    ENDPOINT=$(sed -n 's/^fgs serve: listening on //p' "$log" | head -n 1)
    [ -n "$ENDPOINT" ] && return 0
    sleep 0.05
  done
  echo "fgs serve did not start" >&2
  cat "$log" >&2
  exit 1
}

start_server
export FGS_TOKEN=bench-token
lines() { python3 -c "import sys; sys.stdout.write('{\"n\": 1}\n' * int(sys.argv[1]))" "$1"; }
lines 20000 >"$WORK/20k.ndjson"

echo "== 2. warm calls through fgs serve (20,000 calls, --concurrency 4)" >&2
names=(py node php java)
[ -n "$GO_BUILT" ] && names+=(go)
for name in "${names[@]}"; do
  urn="urn:fss:local:local:function:default:$name:latest"
  "${ON_CLIENT[@]}" "$FGS" invoke "$urn" --endpoint "$ENDPOINT" --batch "$WORK/20k.ndjson" \
    --concurrency 4 -q -o raw --summary "$WORK/$name.json" >/dev/null
  python3 - "$WORK/$name.json" "$name" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
label = {"py": "Python", "node": "Node.js", "php": "PHP", "java": "Java", "go": "Go"}[sys.argv[2]]
rate, p99 = s["calls_per_s"], s["latency_ms"]["p99"]
ok = s["outcomes"]["ok"] == s["calls"]
met = rate >= 3000 and p99 < 5 and ok
print(f"serve, {label}: {rate:.0f} calls/s, p99 {p99:.3f} ms, {s['outcomes']['ok']}/{s['calls']} ok (goal >= 3000 calls/s and p99 < 5 ms, {'met' if met else 'NOT met'})")
PY
done

echo "== 3. fgs serve's own memory over 100,000 calls" >&2
kill -TERM "$SERVER"; wait "$SERVER" 2>/dev/null || true
start_server
urn="urn:fss:local:local:function:default:py:latest"
lines 10000 >"$WORK/10k.ndjson"
lines 90000 >"$WORK/90k.ndjson"
rss() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
# The server logs each call to stderr; its log file grows, its memory must not.
"$FGS" invoke "$urn" --endpoint "$ENDPOINT" --batch "$WORK/10k.ndjson" --concurrency 4 -q -o raw >/dev/null
at_1e4=$(rss "$SERVER" VmRSS)
"$FGS" invoke "$urn" --endpoint "$ENDPOINT" --batch "$WORK/90k.ndjson" --concurrency 4 -q -o raw >/dev/null
at_1e5=$(rss "$SERVER" VmRSS)
peak=$(rss "$SERVER" VmHWM)
python3 - "$at_1e4" "$at_1e5" "$peak" <<'PY'
import sys
a, b, peak = (int(x) for x in sys.argv[1:])
growth = (b - a) / a * 100
met = peak < 30 * 1024 and growth < 5
print(f"serve RSS: {a} KiB after 10^4 calls, {b} KiB after 10^5 ({growth:+.1f}%), peak {peak} KiB (goal < 30 MB and no growth, {'met' if met else 'NOT met'})")
PY
