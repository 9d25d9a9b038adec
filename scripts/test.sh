#!/usr/bin/env bash
# README command 2 (and CI's): installs what the tests need on a new machine, then runs every
# check: lint, typecheck, vitest, pytest and the Playwright UI tests in Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "System packages"
if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
command -v git >/dev/null || { echo "git is required" >&2; exit 1; }
/usr/bin/chromium --version 2>/dev/null

step "npm ci"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund

step "Python environment (.venv, from the local package index)"
bash scripts/ensure-venv.sh

step "Build and install"
npm run --silent clean
bash scripts/build-if-needed.sh

step "Lint"
npx eslint .
.venv/bin/ruff check jupyterlab_hubshare scripts ui-tests deploy
.venv/bin/ruff format --check jupyterlab_hubshare scripts ui-tests deploy

step "Typecheck"
npm run --silent typecheck

step "PostgreSQL (a throw-away cluster for the service suites)"
# shellcheck source=scripts/test-postgres.sh
source scripts/test-postgres.sh

step "vitest (service suites on SQLite and PostgreSQL)"
npx vitest run

step "pytest"
.venv/bin/pytest -q -p no:cacheprovider

step "Playwright (Debian chromium)"
npx playwright test --config ui-tests/playwright.config.ts

step "Playwright on a real JupyterHub (Debian's jupyterhub, installed if missing)"
npx playwright test --config ui-tests/hub/playwright.hub.config.ts

# Last, so that nothing the benchmarks start can weigh on the UI tests' timing.
step "Benchmarks, small size (a smoke test: figures printed, no timing asserted)"
node scripts/bench.mjs --smoke

step "All checks passed"
