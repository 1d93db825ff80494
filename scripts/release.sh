#!/usr/bin/env bash
# Build the release archives and their checksums into dist/:
#
#   scripts/release.sh VERSION [TARGET...]
#
# For each target (all five when none is named) the `dist` profile builds the binary, and
# fgs-VERSION-TARGET.tar.gz (.zip for Windows) holds it with README.md, the licences,
# completions/ and man/, in one top-level folder of the same name. Each archive's binary is
# checked with `file` for its format and architecture. dist/SHA256SUMS lists every archive.
# VERSION must be Cargo.toml's version, so that `fgs --version` says the same as the name.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

all_targets=(
  x86_64-unknown-linux-gnu
  x86_64-unknown-linux-musl
  x86_64-apple-darwin
  aarch64-apple-darwin
  x86_64-pc-windows-gnu
)

die() { echo "release: $*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: scripts/release.sh VERSION [TARGET...]"
version=$1
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $target "* ]] || die "unknown target $target (one of: ${all_targets[*]})"
done
package_version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[ "$version" = "$package_version" ] || die "VERSION $version is not Cargo.toml's version $package_version"

eval "$(scripts/cross-setup.sh)"

# The build date in `fgs --version` and the archives' timestamps come from the commit, so the
# same commit gives the same archives.
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)
export SOURCE_DATE_EPOCH

# What `file` says about each target's binary.
expected_format() {
  case "$1" in
    x86_64-unknown-linux-gnu) echo 'ELF 64-bit LSB .*x86-64.*dynamically linked' ;;
    x86_64-unknown-linux-musl) echo 'ELF 64-bit LSB .*x86-64.*static(-pie)? linked' ;;
    x86_64-apple-darwin) echo 'Mach-O 64-bit x86_64 executable' ;;
    aarch64-apple-darwin) echo 'Mach-O 64-bit arm64 executable' ;;
    x86_64-pc-windows-gnu) echo 'PE32\+ executable \(console\) x86-64.*MS Windows' ;;
  esac
}

build() {
  local target=$1
  echo "== cargo build --profile dist --target $target" >&2
  case "$target" in
    # zig links for macOS; cargo-zigbuild puts its own compiler wrappers in place.
    *-apple-darwin) cargo zigbuild --locked --profile dist --target "$target" ;;
    *) cargo build --locked --profile dist --target "$target" ;;
  esac
}

# Cargo's target directory, wherever CARGO_TARGET_DIR or build.target-dir puts it.
target_dir=$(cargo metadata --no-deps --format-version 1 | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
[ -n "$target_dir" ] || die "cargo metadata named no target directory"

dist="$root/dist"
rm -rf "$dist"
mkdir -p "$dist"
check=$(mktemp -d)
trap 'rm -rf "$check"' EXIT

for target in "${targets[@]}"; do
  build "$target"
  exe=fgs
  [[ "$target" != *windows* ]] || exe=fgs.exe
  name="fgs-$version-$target"
  stage="$dist/$name"
  mkdir -p "$stage"
  cp "$target_dir/$target/dist/$exe" README.md LICENSE-MIT LICENSE-APACHE "$stage/"
  cp -R completions man "$stage/"
  find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  if [[ "$target" == *windows* ]]; then
    archive="$name.zip"
    (cd "$dist" && find "$name" | LC_ALL=C sort | zip -q -X "$archive" -@)
    (cd "$check" && rm -rf ./* && unzip -q "$dist/$archive")
  else
    archive="$name.tar.gz"
    tar -C "$dist" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
      -cf - "$name" | gzip -n -9 >"$dist/$archive"
    (cd "$check" && rm -rf ./* && tar -xzf "$dist/$archive")
  fi
  rm -rf "$stage"

  for item in "$exe" README.md LICENSE-MIT LICENSE-APACHE completions/fgs.bash man/fgs.1; do
    [ -s "$check/$name/$item" ] || die "$archive lacks $item"
  done
  description=$(file -b "$check/$name/$exe")
  echo "$archive: $exe: $description" >&2
  grep -Eq "$(expected_format "$target")" <<<"$description" ||
    die "$archive: $exe is not a $target binary: $description"
done

(cd "$dist" && sha256sum fgs-"$version"-* >SHA256SUMS)
echo "== dist/" >&2
(cd "$dist" && ls -l && cat SHA256SUMS) >&2
