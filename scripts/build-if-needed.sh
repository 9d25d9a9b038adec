#!/usr/bin/env bash
# Builds the frontend, the labextension and the Node bundles when an output is missing or a
# source is newer than it, then (re)installs the Python package into .venv if the build changed.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=.venv/.hubshare-installed
outputs=(lib/index.js jupyterlab_hubshare/labextension/package.json jupyterlab_hubshare/node/agent.cjs jupyterlab_hubshare/node/service.cjs)
sources=(src server schema style jupyterlab_hubshare/*.py package.json pyproject.toml install.json jupyter-config)

needs_build=false
for output in "${outputs[@]}"; do
  if [ ! -e "$output" ] || [ -n "$(find "${sources[@]}" -newer "$output" -type f -print -quit)" ]; then
    needs_build=true
    break
  fi
done
if $needs_build; then
  echo "Building HubShare…" >&2
  npm run --silent build
fi
if [ ! -e "$stamp" ] || [ -n "$(find "${outputs[@]}" "${sources[@]}" -newer "$stamp" -type f -print -quit)" ]; then
  echo "Installing the jupyterlab_hubshare Python package into .venv…" >&2
  .venv/bin/pip install --quiet --no-build-isolation --no-deps --force-reinstall . 2>&1 \
    | grep -v 'is ignored: it is neither a file nor a directory' >&2 || true
  .venv/bin/python -c 'import jupyterlab_hubshare' # fails loudly if the install did not work
  touch "$stamp"
fi
