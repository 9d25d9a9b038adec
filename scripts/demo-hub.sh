#!/usr/bin/env bash
# `npm run demo:hub`: a real JupyterHub on this machine with HubShare as a managed service, to try
# the multi-user story in a minute. Users alice, bob and carol (any password; "admin" is a hub
# admin), one home folder each under .hub-demo/, group "analysts" with alice in it.
# Installs Debian's jupyterhub when it is missing. Open http://127.0.0.1:${HUB_PORT:-8000}/.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

if ! command -v jupyterhub >/dev/null || ! command -v configurable-http-proxy >/dev/null; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends jupyterhub >/dev/null
fi
[ -x .venv/bin/jupyter-lab ] || npm ci --no-audit --no-fund
bash scripts/ensure-venv.sh
bash scripts/build-if-needed.sh

run="${HUB_DEMO_DIR:-$repo/.hub-demo}"
mkdir -p "$run/homes" "$run/pythonpath"
# Single-user servers run on the venv (JupyterLab + the extension); they need the hub's own
# `jupyterhub` package, which Debian installed for the system Python: link it in.
dist=/usr/lib/python3/dist-packages
for package in jupyterhub sqlalchemy alembic mako async_generator; do
  [ -e "$dist/$package" ] && ln -sfn "$dist/$package" "$run/pythonpath/$package"
done

export HUB_DEMO_DIR="$run" HUB_DEMO_VENV="$repo/.venv" HUB_PORT="${HUB_PORT:-8000}"
export HUBSHARE_SERVICE_PORT="${HUBSHARE_SERVICE_PORT:-8765}" HUBSHARE_DATA_DIR="$run/hubshare-data"
export HUBSHARE_SERVICE_COMMAND="node $repo/bin/hubshare-service.cjs serve"
# configurable-http-proxy (Debian's) finds its modules only through NODE_PATH.
export NODE_PATH=/usr/share/nodejs:/usr/lib/nodejs
echo "JupyterHub with HubShare: http://127.0.0.1:$HUB_PORT/  (users alice, bob, carol, admin; any password)" >&2
cd "$run"
exec jupyterhub -f "$repo/deploy/jupyterhub/demo_config.py"
