#!/usr/bin/env bash
# Build the example's jar with the JDK's javac and jar (no Maven): OUT/hello.jar, OUT being
# this directory unless given. The handler compiles against the runtime's Context interface
# as fgs's Java launcher provides it (the function's jar does not carry it: the runtime does).
#
#   examples/hello-java/build.sh [OUT]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$here}
bin=${JAVA_HOME:+$JAVA_HOME/bin/}

classes=$(mktemp -d)
trap 'rm -rf "$classes"' EXIT
mkdir -p "$out"
"${bin}javac" -encoding UTF-8 --release 8 -nowarn -Xlint:-options \
  -sourcepath "$root/src/local/runtime/java" -implicit:none \
  -d "$classes" $(find "$here/src" -name '*.java')
"${bin}jar" cf "$out/hello.jar" -C "$classes" .
