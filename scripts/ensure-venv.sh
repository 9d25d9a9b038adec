#!/usr/bin/env bash
# Creates .venv with JupyterLab and the Python test tools from the machine's local package index
# (there is no public Python index here), once; later runs only check it is there.
set -euo pipefail
cd "$(dirname "$0")/.."

export PIP_INDEX_URL="${PIP_INDEX_URL:-file:///opt/pypi/simple}"
export PIP_EXTRA_INDEX_URL="${PIP_EXTRA_INDEX_URL:-file:///opt/pypi-more/simple}"
export PIP_RETRIES=0 PIP_DISABLE_PIP_VERSION_CHECK=1

requirements='jupyterlab>=4.6,<4.7 hatchling>=1.5 pytest pytest-timeout ruff'
stamp=.venv/.hubshare-requirements
if [ -x .venv/bin/python ] && [ "$(cat "$stamp" 2>/dev/null)" = "$requirements" ]; then
  exit 0
fi
echo "Setting up the Python environment in .venv (JupyterLab from the local package index)…" >&2
python3 -m venv .venv
# shellcheck disable=SC2086 # the requirement list is split on purpose
.venv/bin/pip install --quiet $requirements 2>&1 | grep -v 'is ignored: it is neither a file nor a directory' >&2 || true
.venv/bin/python -c 'import jupyterlab, hatchling, pytest' # fails loudly if the install did not work
echo "$requirements" > "$stamp"
