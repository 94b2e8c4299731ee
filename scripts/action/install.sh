#!/usr/bin/env bash
# The action's install step: puts the release archive of the action's own version on PATH, after checking its
# SHA-256. Only when that version has no archive (a branch or commit, not a release tag) does it prepare a source
# build instead (build.sh). Inputs arrive only as environment variables:
#   SCIMCTL_VERSION        the version to install ("" = the action's own, from ACTION_REF when that is a vX.Y.Z tag)
#   ACTION_REF             github.action_ref (the tag, branch or commit the workflow pinned)
#   ACTION_REPOSITORY      github.action_repository (owner/name, where the releases live)
#   ACTION_PATH            github.action_path (the action's source, for the fallback build)
#   SCIMCTL_DOWNLOAD_BASE  optional, for tests: replaces https://github.com/OWNER/NAME/releases/download
# Writes to $GITHUB_OUTPUT: installed=archive|source, version=..., and for a source build source-dir=...
set -euo pipefail

output=${GITHUB_OUTPUT:-/dev/null}
version=${SCIMCTL_VERSION-}
version=${version#v}
ref=${ACTION_REF-}
repository=${ACTION_REPOSITORY-}
# github.action_ref and github.action_repository can be empty inside composite actions (actions/runner#2473); the
# runner checks an action out to .../_actions/OWNER/NAME/REF, so the path says the same.
if [ -z "$ref" ] && [ -n "${ACTION_PATH-}" ]; then ref=$(basename "$ACTION_PATH"); fi
if [ -z "$repository" ] && [ -n "${ACTION_PATH-}" ]; then
  repository="$(basename "$(dirname "$(dirname "$ACTION_PATH")")")/$(basename "$(dirname "$ACTION_PATH")")"
fi
if [ -z "$version" ] && [[ "$ref" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
  version=${ref#v}
fi
if [ -n "$version" ] && ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
  echo "::error title=scimctl action::version '$version' is not a release version such as 0.1.0"
  exit 64
fi

case "$(uname -m)" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) arch=$(uname -m) ;;
esac
os=$(uname -s)

prepare_source_build() {
  # hashFiles() only sees the workspace, so the sources are copied there: the cache key then changes exactly when
  # they do. The copy ignores itself for git.
  local source_dir="${GITHUB_WORKSPACE:-$PWD}/.scimctl-action/src"
  rm -rf "$source_dir"
  mkdir -p "$source_dir"
  printf '*\n' > "${GITHUB_WORKSPACE:-$PWD}/.scimctl-action/.gitignore"
  local item
  for item in Package.swift Package.resolved Sources Profiles Schema scripts Makefile; do
    if [ -e "${ACTION_PATH:?}/$item" ]; then cp -R "$ACTION_PATH/$item" "$source_dir/"; fi
  done
  {
    echo "installed=source"
    echo "version=${version:-source}"
    echo "source-dir=$source_dir"
  } >> "$output"
  echo "scimctl: building from source ($1)"
}

if [ -z "$version" ]; then
  prepare_source_build "ref '${ref:-unknown}' is not a release tag"
  exit 0
fi
if [ "$os" != Linux ]; then
  prepare_source_build "release archives are built for Linux; this runner is $os"
  exit 0
fi

name="scimctl-$version-linux-$arch"
base=${SCIMCTL_DOWNLOAD_BASE:-https://github.com/$repository/releases/download}
url="$base/v$version/$name.tar.gz"
work="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/scimctl-$version-$$"
rm -rf "$work"
mkdir -p "$work"

# https only (file: for the action's own tests). Prints "found", "missing" (HTTP 404, or no such file) or "failed".
fetch() {
  local code status=0
  code=$(curl --silent --show-error --location --proto '=https,file' --tlsv1.2 --retry 3 --retry-delay 2 \
    --output "$2" --write-out '%{http_code}' "$1" 2> "$work/curl.err") || status=$?
  if [ "$status" = 0 ] && { [ "$code" = 200 ] || { [ "$code" = 000 ] && [ "${1#file:}" != "$1" ]; }; }; then
    echo found
  elif [ "$code" = 404 ] || [ "$status" = 37 ]; then
    rm -f "$2"
    echo missing
  else
    rm -f "$2"
    echo failed
  fi
}

case $(fetch "$url" "$work/$name.tar.gz") in
  found) ;;
  missing)
    prepare_source_build "no release archive at $url"
    exit 0
    ;;
  *)
    echo "::error title=scimctl action::downloading $url failed: $(cat "$work/curl.err")"
    exit 1
    ;;
esac

# An archive without a checksum, or one that does not match, is never used.
if [ "$(fetch "$url.sha256" "$work/$name.tar.gz.sha256")" != found ]; then
  echo "::error title=scimctl action::no checksum at $url.sha256; refusing an unverified archive"
  exit 1
fi
expected=$(awk 'NR == 1 { print $1 }' "$work/$name.tar.gz.sha256")
actual=$(sha256sum "$work/$name.tar.gz" | awk '{ print $1 }')
if ! [[ "$expected" =~ ^[0-9a-f]{64}$ ]] || [ "$expected" != "$actual" ]; then
  echo "::error title=scimctl action::checksum mismatch for $name.tar.gz (expected ${expected:-nothing}, got $actual); refusing it"
  exit 1
fi

tar -xzf "$work/$name.tar.gz" -C "$work" --no-same-owner
bin="$work/$name/bin"
if [ ! -x "$bin/scimctl" ]; then
  echo "::error title=scimctl action::$name.tar.gz holds no bin/scimctl"
  exit 1
fi
reported=$("$bin/scimctl" --version 2>/dev/null || true)
if [ "$reported" != "$version" ]; then
  echo "::error title=scimctl action::$name.tar.gz holds scimctl '${reported:-?}', not $version; refusing it"
  exit 1
fi
echo "$bin" >> "${GITHUB_PATH:-/dev/null}"
{
  echo "installed=archive"
  echo "version=$version"
} >> "$output"
echo "scimctl: installed $name (sha256 $actual)"
