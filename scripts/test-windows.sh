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

cargo test --locked --target x86_64-pc-windows-gnu "$@"
