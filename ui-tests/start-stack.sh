#!/usr/bin/env bash
# The stack the UI tests drive: a HubShare service with a fresh data dir, the user "alice" with a
# token, and JupyterLab (the installed extension) signed in as her, in a fresh workspace.
# HUBSHARE_UI_RUN_DIR and HUBSHARE_UI_USER start another such stack beside it (other ports, its own
# folder, another user): the spec of a hub with 20,000 projects has one of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

run="${HUBSHARE_UI_RUN_DIR:-$PWD/ui-tests/.run}"
user="${HUBSHARE_UI_USER:-alice}"
export HUBSHARE_UI_RUN_DIR="$run"  # where jupyter_server_test_config.py puts JupyterLab's folders
rm -rf "$run"
mkdir -p "$run/workspace" "$run/lab-workspaces"
# Tests change settings (the theme); they change this copy, never the committed defaults.
cp -r ui-tests/user-settings "$run/user-settings"
service=(node bin/hubshare-service.cjs)

"${service[@]}" serve --data-dir "$run/service-data" --port "$HUBSHARE_UI_SERVICE_PORT" &
service_pid=$!
trap 'kill $service_pid 2>/dev/null || true' EXIT
until node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
  "http://127.0.0.1:$HUBSHARE_UI_SERVICE_PORT/health"; do
  kill -0 "$service_pid" 2>/dev/null || { echo "the HubShare service did not start" >&2; exit 1; }
  sleep 0.1
done
"${service[@]}" user add "$user" --data-dir "$run/service-data"
token="$("${service[@]}" token create "$user" --note ui-tests --data-dir "$run/service-data")"

HUBSHARE_URL="http://127.0.0.1:$HUBSHARE_UI_SERVICE_PORT" HUBSHARE_TOKEN="$token" \
  .venv/bin/jupyter lab --config ui-tests/jupyter_server_test_config.py &
jupyter_pid=$!
trap 'kill $jupyter_pid $service_pid 2>/dev/null || true; wait' EXIT
wait "$jupyter_pid"
