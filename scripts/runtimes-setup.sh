#!/usr/bin/env bash
# Installs the language toolchains the local-runtime tests run functions with: a JDK and
# Gson (Java), Go, and the PHP command line, from Debian's packages when one is missing.
# Python 3 and Node.js are looked for by the tests as they are.
#
# Usage: bash scripts/runtimes-setup.sh
set -euo pipefail

log() { echo "runtimes-setup: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

packages=()
{ command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1; } || packages+=(default-jdk-headless)
[ -e /usr/share/java/gson.jar ] || packages+=(libgoogle-gson-java)
command -v go >/dev/null 2>&1 || packages+=(golang-go)
command -v php >/dev/null 2>&1 || packages+=(php-cli)
if [ ${#packages[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    log "missing ${packages[*]} and no apt-get here: install them with this system's package manager"
    exit 1
  fi
  log "installing ${packages[*]} from Debian's packages"
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >&2
fi
log "java: $(java -version 2>&1 | head -n1); go: $(go version); php: $(php -r 'echo PHP_VERSION;')"
