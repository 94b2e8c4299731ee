#!/usr/bin/env bash
# `make run`: the main job on this machine, no tenant needed. Validates every bundled profile, shows the requests
# apply would send, then applies a profile for real — through libcurl — to graph-emulator (a local Microsoft Graph
# synchronization API), and applies it again to show that a second run writes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(swift build --show-bin-path)
scimctl="$bin/scimctl"

echo "== scimctl validate mapping   (every bundled profile, every parameter variant)"
"$scimctl" validate mapping
echo
echo "== scimctl render profile flosum --param region=us --app flosum   (the requests of a fresh apply; first lines)"
# head stops reading after 40 lines; the document is larger than a pipe buffer, so render may get SIGPIPE.
{ "$scimctl" render profile flosum --param region=us || true; } | head -40
echo "   … (the whole document: scimctl render profile flosum --param region=us)"
echo

work=$(mktemp -d)
log="$work/emulator.log"
"$bin/graph-emulator" --port 0 --replication-delay-ms 1500 --users 10000 > "$log" 2>&1 &
emulator=$!
trap 'kill "$emulator" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$log" && break
  sleep 0.1
done
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$log" | head -n 1)
if [ -z "$url" ]; then echo "graph-emulator did not start:"; cat "$log"; exit 1; fi

# Client-credentials login against the emulator's token endpoint; the vendor token comes from the environment.
export AZURE_TENANT_ID=00000000-0000-4000-8000-000000000001
export AZURE_CLIENT_ID=00000000-0000-4000-8000-000000000002
export AZURE_CLIENT_SECRET=demo-client-secret
export FLOSUM_SCIM_TOKEN=demo-flosum-token
common=(--param region=us --graph-url "$url" --authority-host "$url" --backup-dir "$work/backups")

# Flosum's guide configures the enterprise app already made for single sign-on (the profile says create: false),
# so the demo tenant gets one first, as the admin would have it, through the emulator's Graph.
token=$(curl -sS --fail -X POST "$url/$AZURE_TENANT_ID/oauth2/v2.0/token" \
  --data-urlencode grant_type=client_credentials --data-urlencode client_id="$AZURE_CLIENT_ID" \
  --data-urlencode client_secret="$AZURE_CLIENT_SECRET" --data-urlencode scope=https://graph.microsoft.com/.default \
  | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
curl -sS --fail -o /dev/null -X POST -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
  --data '{"displayName":"Flosum"}' "$url/v1.0/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate"
sleep 2  # the emulator's replication delay (1.5 s) passes, as it long has for a real admin's app
echo "== (the admin's existing Flosum app: created in graph-emulator for the demo)"
echo "== scimctl apply profile flosum --param region=us --yes   (against graph-emulator at $url)"
"$scimctl" apply profile flosum "${common[@]}" --yes --verbose 2>&1 | grep -v '^  · ' || true
echo
echo "== scimctl apply profile flosum again   (the tenant already matches: reads only, zero writes)"
"$scimctl" apply profile flosum "${common[@]}" --yes --verbose 2>&1 | grep -v '^  · '
echo
echo "== scimctl status flosum --param region=us"
"$scimctl" status flosum --param region=us --graph-url "$url" --authority-host "$url"
echo
echo "== scimctl simulate telemessage --scope all   (every one of 10,000 generated users, before provisioning starts)"
"$scimctl" simulate telemessage --param manager="Jane Doe" --scope all --graph-url "$url" --authority-host "$url" \
  | head -24 || true
echo "   … (exit 1: some users would fail; --format json or markdown for the whole report)"
