#!/usr/bin/env bash
# README command 1: builds what is missing, starts the HubShare service on its embedded default
# (SQLite and repositories under .hubshare-data/) and JupyterLab with the extension, signed in
# as you, and prints the URL to open. Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICE_PORT="${HUBSHARE_PORT:-8765}"
JUPYTER_PORT="${JUPYTER_PORT:-8888}"
DATA_DIR="${HUBSHARE_DATA_DIR:-$PWD/.hubshare-data}"
WORKSPACE="${HUBSHARE_WORKSPACE:-$PWD/workspace}"
USER_NAME="${HUBSHARE_USER:-$(id -un | tr '[:upper:]' '[:lower:]')}"

[ -d node_modules ] || npm ci
bash scripts/ensure-venv.sh
bash scripts/build-if-needed.sh
mkdir -p "$WORKSPACE"

service=(node bin/hubshare-service.cjs)
http_ok() { node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"; }
service_pid=""
jupyter_pid=""
token_id=""
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$jupyter_pid" ]; then
    kill "$jupyter_pid" 2>/dev/null || true
    wait "$jupyter_pid" 2>/dev/null || true
  fi
  if [ -n "$token_id" ]; then
    "${service[@]}" token revoke "$USER_NAME" "$token_id" --data-dir "$DATA_DIR" 2>/dev/null || true
  fi
  if [ -n "$service_pid" ]; then
    kill "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT INT TERM

"${service[@]}" serve --data-dir "$DATA_DIR" --host 127.0.0.1 --port "$SERVICE_PORT" &
service_pid=$!
for _ in $(seq 1 100); do
  http_ok "http://127.0.0.1:$SERVICE_PORT/health" && break
  kill -0 "$service_pid" 2>/dev/null || { echo "The HubShare service did not start (port $SERVICE_PORT busy? set HUBSHARE_PORT)." >&2; exit 1; }
  sleep 0.1
done

# A token for this session only: it lives in this shell and JupyterLab's environment (never on
# disk), and is revoked when you stop.
"${service[@]}" user add "$USER_NAME" --admin --exist-ok --data-dir "$DATA_DIR"
created="$("${service[@]}" token create "$USER_NAME" --note "npm start session" --json --data-dir "$DATA_DIR" 2>/dev/null)"
token_id="$(node -e 'process.stdout.write(JSON.parse(process.argv[1]).id)' "$created")"
HUBSHARE_TOKEN="$(node -e 'process.stdout.write(JSON.parse(process.argv[1]).token)' "$created")"
unset created

JUPYTER_TOKEN_VALUE="$(node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("hex"))')"
# .venv/bin first on PATH, so JupyterLab's terminals have the `hubshare` command, signed in too.
PATH="$PWD/.venv/bin:$PATH" HUBSHARE_URL="http://127.0.0.1:$SERVICE_PORT" HUBSHARE_TOKEN="$HUBSHARE_TOKEN" \
  .venv/bin/jupyter lab --no-browser --ip=127.0.0.1 --port="$JUPYTER_PORT" --port-retries=0 \
  --IdentityProvider.token="$JUPYTER_TOKEN_VALUE" --ServerApp.root_dir="$WORKSPACE" \
  $( [ "$(id -u)" = 0 ] && echo --allow-root ) &
jupyter_pid=$!
until http_ok "http://127.0.0.1:$JUPYTER_PORT/api"; do
  kill -0 "$jupyter_pid" 2>/dev/null || { echo "JupyterLab did not start (port $JUPYTER_PORT busy? set JUPYTER_PORT)." >&2; exit 1; }
  sleep 0.2
done
cat <<MESSAGE

  HubShare service: http://127.0.0.1:$SERVICE_PORT  (data in $DATA_DIR)
  Signed in as:     $USER_NAME
  Workspace:        $WORKSPACE

  Open JupyterLab:  http://127.0.0.1:$JUPYTER_PORT/lab?token=$JUPYTER_TOKEN_VALUE

  Press Ctrl+C to stop.

MESSAGE
wait "$jupyter_pid"
