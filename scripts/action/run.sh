#!/usr/bin/env bash
# The action's run step. Inputs arrive only as environment variables (never pasted into this script):
#   SCIMCTL_ARGS               the scimctl arguments, split like a shell command line but never executed
#   SCIMCTL_WORKING_DIRECTORY  where to run (optional)
#   SCIMCTL_ALLOW_EXIT_2       "true": exit 2 (plan --detailed-exitcode: changes pending) does not fail the step
# Writes exit-code to $GITHUB_OUTPUT. `scimctl` must be on PATH (install.sh or build.sh put it there).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=split-args.sh
. "$here/split-args.sh"

if ! split_args "${SCIMCTL_ARGS-}"; then
  echo "::error title=scimctl action::$SPLIT_ERROR"
  echo "exit-code=64" >> "${GITHUB_OUTPUT:-/dev/null}"
  exit 64
fi
if [ "${#SPLIT_WORDS[@]}" -eq 0 ]; then
  echo "::error title=scimctl action::the args input is empty; give the scimctl command, e.g. 'validate mapping Profiles/'"
  echo "exit-code=64" >> "${GITHUB_OUTPUT:-/dev/null}"
  exit 64
fi
if [ -n "${SCIMCTL_WORKING_DIRECTORY-}" ]; then cd -- "$SCIMCTL_WORKING_DIRECTORY"; fi

set +e
scimctl "${SPLIT_WORDS[@]}"
code=$?
set -e
echo "exit-code=$code" >> "${GITHUB_OUTPUT:-/dev/null}"
if [ "$code" -eq 2 ] && [ "${SCIMCTL_ALLOW_EXIT_2:-true}" = "true" ]; then exit 0; fi
exit "$code"
