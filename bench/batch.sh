#!/usr/bin/env bash
# Many calls in one run, against a local nginx that answers at once, beside wrk sending the
# same request in the same run:
#   fgs --batch of 100,000 lines with --concurrency 1 vs wrk -t1 -c1  (goal >= 70% of wrk)
#   the same with --concurrency 8           vs wrk -t1 -c8  (goal >= 30% of wrk)
#   peak RSS of fgs for 10^4 and 10^6 lines             (goal: differ by < 10%)
source "$(dirname "$0")/common.sh"

need_tools nginx wrk curl time
build_fgs
start_nginx

export FGS_TOKEN=bench-token
LINES=${LINES_BATCH:-100000}
WRK_SECONDS=${WRK_SECONDS:-5}
data=$(mktemp -d)
trap 'kill "$NGINX_PID" 2>/dev/null || true; rm -rf "$WORK" "$data"' EXIT

python3 - "$data" "$LINES" <<'PY'
import sys
folder, lines = sys.argv[1], int(sys.argv[2])
for name, count in (("batch", lines), ("small", 10_000), ("large", 1_000_000)):
    with open(f"{folder}/{name}.ndjson", "w") as f:
        for i in range(count):
            f.write('{"k":"v","i":%d}\n' % i)
PY

cat >"$data/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"k":"v","i":1}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Auth-Token"] = "bench-token"
wrk.headers["X-CFF-Request-Version"] = "v1"
wrk.headers["X-Cff-Log-Type"] = "tail"
LUA

wrk_rate() {
  "${ON_CLIENT[@]}" wrk -t1 -c"$1" -d"${WRK_SECONDS}s" -s "$data/post.lua" "$URL" | awk '/Requests\/sec/ {print $2}'
}

fgs_rate() {
  local start end
  start=$(date +%s.%N)
  "${ON_CLIENT[@]}" "$FGS" invoke "$URN" --endpoint "$ENDPOINT" --batch "$data/batch.ndjson" --concurrency "$1" -q -o raw >/dev/null
  end=$(date +%s.%N)
  python3 -c "print(f'{$LINES / ($end - $start):.0f}')"
}

report() {
  python3 -c "
f, w, goal = $2, $3, $4
print(f'concurrency $1: fgs {f:.0f} req/s, wrk {w:.0f} req/s, ratio {f / w:.2f} (goal >= {goal:.2f}, {\"met\" if f / w >= goal else \"not met\"})')"
}

w1=$(wrk_rate 1); f1=$(fgs_rate 1)
w8=$(wrk_rate 8); f8=$(fgs_rate 8)
report 1 "$f1" "$w1" 0.70
report 8 "$f8" "$w8" 0.30

peak_rss() {
  /usr/bin/time -f %M "${ON_CLIENT[@]}" "$FGS" invoke "$URN" --endpoint "$ENDPOINT" --batch "$data/$1.ndjson" \
    --concurrency 8 -q -o raw 2>&1 >/dev/null | tail -n 1
}
small=$(peak_rss small)
large=$(peak_rss large)
python3 -c "
s, l = $small, $large
print(f'peak RSS: 10^4 lines {s} KiB, 10^6 lines {l} KiB, difference {abs(l - s) / s * 100:.1f}% (goal < 10%)')"
