#!/usr/bin/env bash
# `make run`: the main job on this machine, no tenant needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(swift build --show-bin-path)/scimctl
echo "== scimctl validate mapping (every bundled profile)"
"$bin" validate mapping
echo
echo "== scimctl render profile flosum --param region=us (what apply sends for a fresh tenant)"
"$bin" render profile flosum --param region=us
