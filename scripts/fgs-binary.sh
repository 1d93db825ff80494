#!/usr/bin/env bash
# Print the path of the debug fgs binary, building it first if it is missing. Cargo is asked
# where its target directory is, so CARGO_TARGET_DIR (or build.target-dir) is honoured.
#
#   fgs=$(scripts/fgs-binary.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo=${CARGO:-cargo}
target=$("$cargo" metadata --no-deps --format-version 1 |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
if [ -z "$target" ]; then
  echo "fgs-binary.sh: cargo metadata named no target directory" >&2
  exit 1
fi
fgs=$target/debug/fgs
[ -x "$fgs" ] || "$cargo" build --locked -q >&2
printf '%s\n' "$fgs"
