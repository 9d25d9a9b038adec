#!/usr/bin/env bash
# The hub the end-to-end story runs against: `npm run demo:hub`'s hub in a fresh directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
export HUB_DEMO_DIR="$PWD/ui-tests/.hub-run"
rm -rf "$HUB_DEMO_DIR"
exec bash scripts/demo-hub.sh
