#!/usr/bin/env bash
# The action's fallback: builds scimctl from the sources install.sh copied into the workspace.
#   SCIMCTL_SOURCE_DIR  where they are
set -euo pipefail
cd "${SCIMCTL_SOURCE_DIR:?}"
if ! pkg-config --exists libcurl 2>/dev/null; then
  sudo apt-get update -qq && sudo apt-get install -y -qq libcurl4-openssl-dev pkg-config
fi
swift build -c release --product scimctl
swift build -c release --show-bin-path >> "${GITHUB_PATH:-/dev/null}"
