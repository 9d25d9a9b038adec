#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on a loopback port for the test suites, installing
# Debian's server first if it is missing. Source it: it exports HUBSHARE_TEST_POSTGRES_URL and
# registers a trap that stops and removes the cluster when the sourcing shell exits.
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
pg_dir="$(mktemp -d /tmp/hubshare-pg.XXXXXX)"

# PostgreSQL refuses to run as root: run it as the `postgres` user the package created.
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$pg_dir"
  as_pg=(runuser -u postgres --)
fi
"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U hubshare -A trust --no-sync >/dev/null

# A port nobody listens on now (another run on this machine may have its own cluster), unless
# HUBSHARE_TEST_POSTGRES_PORT names one. Another process could take it before PostgreSQL binds
# it: then the start fails and the next free port is tried.
free_port() {
  node -e 'const s = require("node:net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}
for attempt in 1 2 3 4 5; do
  pg_port="${HUBSHARE_TEST_POSTGRES_PORT:-$(free_port)}"
  if "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w start \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" >/dev/null; then
    break
  fi
  if [ -n "${HUBSHARE_TEST_POSTGRES_PORT:-}" ] || [ "$attempt" = 5 ]; then
    echo "PostgreSQL for the tests did not start on 127.0.0.1:$pg_port; its log:" >&2
    cat "$pg_dir/server.log" >&2
    exit 1
  fi
done

stop_test_postgres() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_test_postgres EXIT
export HUBSHARE_TEST_POSTGRES_URL="postgres://hubshare@127.0.0.1:$pg_port/postgres"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') for the tests at 127.0.0.1:$pg_port" >&2
