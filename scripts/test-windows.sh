#!/usr/bin/env bash
# The test suite for x86_64-pc-windows-gnu, run under Wine: installs what it needs
# (scripts/cross-setup.sh, scripts/wine-setup.sh), then runs
#
#   cargo test --locked --target x86_64-pc-windows-gnu [ARGS...]
#
# with the runner in .cargo/config.toml. Node.js 20's node.exe is on the Windows PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

eval "$(scripts/cross-setup.sh)"
eval "$(scripts/wine-setup.sh)"

# Every Windows process of the run lives in this prefix's wineserver: when the run ends,
# give them a moment to exit, then end whatever is left.
stop_wine() {
  timeout 10 wineserver --wait 2>/dev/null || wineserver --kill 2>/dev/null || true
}
trap stop_wine EXIT

# Wine 8 now and then fails to start a process ("Internal error. (os error 1359)"), which
# has nothing to do with fgs. So a test that fails is run once more, alone; the run passes
# only when every such test passes the second time, and the retried ones are named.
log=$(mktemp)
trap 'rm -f "$log"; stop_wine' EXIT
set +e
cargo test --locked --no-fail-fast --target x86_64-pc-windows-gnu "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] && exit 0
# The failed tests of each test binary: "Running unittests src/main.rs" is --bin fgs,
# "Running tests/cli/main.rs" is --test cli; each binary's summary lists its failures.
failed=$(awk '
  /^ *Running unittests src\/main.rs/ { target = "--bin fgs" }
  /^ *Running tests\/cli\/main.rs/ { target = "--test cli" }
  /^failures:$/ { listing = 1; next }
  listing && /^---- / { listing = 0 }
  listing && /^    [^ ]/ { sub(/^ +/, ""); print target "\t" $0; next }
  listing && /^test result:/ { listing = 0 }
' "$log" | sort -u)
if [ -z "$failed" ]; then
  echo "test-windows: the run failed before any test failed; not retrying" >&2
  exit "$status"
fi
count=$(wc -l <<<"$failed")
if [ "$count" -gt 5 ]; then
  echo "test-windows: $count tests failed; retrying is for Wine's rare start failures, not this" >&2
  exit "$status"
fi
while IFS=$'\t' read -r target name; do
  echo "test-windows: running $name ($target) once more" >&2
  # shellcheck disable=SC2086
  cargo test --locked --target x86_64-pc-windows-gnu $target -- --exact "$name"
done <<<"$failed"
echo "test-windows: $count test(s) failed once under Wine and passed when run again" >&2
