#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL server and removes the server afterwards.
#
#   scripts/with-postgres.sh swift test
#
# initdb builds a cluster in a temporary folder (trust authentication, loopback only, its Unix
# socket in the same folder), pg_ctl starts it on a free port, and the command runs with
# ARTIFACTORY_HOOKS_TEST_POSTGRES=postgres://postgres@127.0.0.1:PORT/postgres. The server stops
# and the folder goes on exit, whatever happens. initdb refuses to run as root: as root, the
# cluster belongs to the `postgres` user (created by Debian's postgresql package).
set -euo pipefail

bin=${POSTGRES_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "with-postgres: no PostgreSQL server binaries (apt-get install -y postgresql)" >&2
    exit 1
fi

dir=$(mktemp -d /tmp/artifactory-hooks-pg.XXXXXX)
as_owner=()
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "with-postgres: running as root needs a postgres user" >&2; exit 1; }
    chown postgres "$dir"
    as_owner=(runuser -u postgres --)
fi

stop() {
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=400" start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }

export ARTIFACTORY_HOOKS_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (ARTIFACTORY_HOOKS_TEST_POSTGRES)"
"$@"
