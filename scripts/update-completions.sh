#!/usr/bin/env bash
# Regenerate the committed shell completions and manual pages from the command definition.
# The test suite fails when completions/ or man/ differs from what this writes.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q
fgs=$(scripts/fgs-binary.sh)
for pair in bash:fgs.bash zsh:_fgs fish:fgs.fish powershell:_fgs.ps1 elvish:fgs.elv; do
  "$fgs" completions "${pair%%:*}" > "completions/${pair#*:}"
done
rm -f man/fgs*.1
"$fgs" man --out-dir man
echo "completions/ and man/ updated"
