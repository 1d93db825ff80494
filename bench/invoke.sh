#!/usr/bin/env bash
# One invocation, process start to exit, against a local nginx that answers at once:
# fgs beside curl sending the same request, timed with hyperfine in one run; then peak RSS.
# Goal: median no more than 1.1x curl's, peak RSS no more than curl's.
source "$(dirname "$0")/common.sh"

need_tools nginx hyperfine curl time
build_fgs
start_nginx

export FGS_TOKEN=bench-token
RUNS=${RUNS:-300}
out=$(mktemp)
"${ON_CLIENT[@]}" hyperfine -N --warmup 30 --runs "$RUNS" --export-json "$out" \
  -n curl "curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -H 'X-Auth-Token: bench-token' -H 'X-CFF-Request-Version: v1' -H 'X-Cff-Log-Type: tail' --data-raw '{\"k\":\"v\"}' $URL" \
  -n fgs "$FGS invoke $URN --endpoint $ENDPOINT -d '{\"k\":\"v\"}' -q -o raw" >&2

python3 - "$out" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
c, f = r["curl"]["median"], r["fgs"]["median"]
print(f"median curl {c*1000:.2f} ms, fgs {f*1000:.2f} ms, ratio fgs/curl {f/c:.2f} (goal <= 1.10)")
PY

rss() { /usr/bin/time -f %M "$@" >/dev/null 2>"$out.rss" || true; tail -n 1 "$out.rss"; }
curl_rss=$(rss curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -H 'X-Auth-Token: bench-token' --data-raw '{"k":"v"}' "$URL")
fgs_rss=$(rss "$FGS" invoke "$URN" --endpoint "$ENDPOINT" -d '{"k":"v"}' -q -o raw)
echo "peak RSS curl ${curl_rss} KiB, fgs ${fgs_rss} KiB, ratio $(python3 -c "print(f'{$fgs_rss/$curl_rss:.2f}')") (goal <= 1.00)"
rm -f "$out" "$out.rss"
