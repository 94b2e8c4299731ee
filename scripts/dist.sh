#!/usr/bin/env bash
# `make dist`: packages the release build (made by `make release`, Swift runtime linked statically) as
#   dist/scimctl-VERSION-linux-ARCH.tar.gz  and  dist/scimctl-VERSION-linux-ARCH.tar.gz.sha256
# holding bin/scimctl, bin/graph-emulator, the man page, shell completions, the bundled profiles and their schema,
# the README and the license (LICENSE, NOTICE).
# Before packaging it checks that the binaries need nothing a stock Ubuntu runner lacks: no Swift runtime library,
# only libc and friends, libcurl, and the C/C++ runtime libraries every Ubuntu image ships.
set -euo pipefail
cd "$(dirname "$0")/.."
swift=${SWIFT:-swift}
bin=$($swift build -c release --static-swift-stdlib --show-bin-path)
version=$("$bin/scimctl" --version)
arch=$(uname -m)
name="scimctl-$version-linux-$arch"

# What a binary may link dynamically. ldd lists the whole closure (libcurl's own TLS, HTTP/2 and compression
# libraries included), so the check is on each binary's direct NEEDED entries, plus "nothing unresolved".
allowed='^(linux-vdso\.so|ld-linux[-a-z0-9_.]*\.so|libc\.so|libm\.so|libdl\.so|libpthread\.so|librt\.so|libutil\.so|libcurl\.so|libz\.so|libstdc\+\+\.so|libgcc_s\.so)'
for binary in scimctl graph-emulator; do
  file="$bin/$binary"
  [ -x "$file" ] || { echo "dist: $file is missing; run make release" >&2; exit 1; }
  if ldd "$file" | grep -q 'not found'; then
    echo "dist: $binary has unresolved libraries:" >&2; ldd "$file" >&2; exit 1
  fi
  if ldd "$file" | grep -Eq 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime'; then
    echo "dist: $binary links the Swift runtime dynamically (build with --static-swift-stdlib):" >&2; ldd "$file" >&2; exit 1
  fi
  needed=$(objdump -p "$file" | awk '/NEEDED/ { print $2 }')
  for library in $needed; do
    if ! printf '%s\n' "$library" | grep -Eq "$allowed"; then
      echo "dist: $binary needs $library, which a stock Ubuntu runner may lack" >&2; exit 1
    fi
  done
  echo "dist: $binary needs only: $(echo $needed)"
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
install -d "$root/bin" "$root/share/man/man1" "$root/share/scimctl/profiles" \
  "$root/share/bash-completion/completions" "$root/share/zsh/site-functions" "$root/share/fish/vendor_completions.d"
install -m 755 "$bin/scimctl" "$bin/graph-emulator" "$root/bin/"
# Debug symbols are most of a release binary's size; the archive ships without them.
if command -v strip > /dev/null; then strip --strip-debug "$root/bin/scimctl" "$root/bin/graph-emulator"; fi
"$root/bin/scimctl" validate mapping flosum --param region=us --format json > /dev/null
"$bin/scimctl" manual > "$root/share/man/man1/scimctl.1"
"$bin/scimctl" --generate-completion-script bash > "$root/share/bash-completion/completions/scimctl"
"$bin/scimctl" --generate-completion-script zsh > "$root/share/zsh/site-functions/_scimctl"
"$bin/scimctl" --generate-completion-script fish > "$root/share/fish/vendor_completions.d/scimctl.fish"
install -m 644 Profiles/*.yaml Schema/profile.schema.json "$root/share/scimctl/profiles/"
install -m 644 README.md LICENSE NOTICE "$root/"

# Reproducible archives: sorted names, no owner, and the commit time as every file's time when there is one.
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
mkdir -p dist
archive="dist/$name.tar.gz"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$stage" -cf - "$name" | gzip -9n > "$archive"
(cd dist && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "dist: wrote $archive ($(du -h "$archive" | cut -f1)) and $archive.sha256"
