#!/usr/bin/env bash
# The hub the end-to-end story runs against: `npm run demo:hub`'s hub in a fresh directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
export HUB_DEMO_DIR="$PWD/ui-tests/.hub-run"
rm -rf "$HUB_DEMO_DIR"
# The people of the story start with the UI tests' JupyterLab settings (no "Jupyter news" prompt
# over the screenshots; this machine has no network).
for user in alice bob admin; do
  mkdir -p "$HUB_DEMO_DIR/homes/$user/.jupyter/lab"
  cp -r ui-tests/user-settings "$HUB_DEMO_DIR/homes/$user/.jupyter/lab/user-settings"
done
exec bash scripts/demo-hub.sh
