#!/usr/bin/env bash
# Ingest and job throughput, SQLite beside PostgreSQL (one daemon, then two sharing it), on one
# release build in one run. Needs wrk, sqlite3, psql and PostgreSQL's server binaries
# (apt-get install -y wrk sqlite3 postgresql); starts its own throwaway PostgreSQL.
#
#   scripts/bench-stores.sh DURATION=10s CONNECTIONS=32 JOBS=2000 CONFIGURATION=release to change
#
# Ingest: wrk POSTs distinct signed events (HMAC check + durable commit) for DURATION; with two
# daemons, one wrk per daemon at the same time, and the rates add up.
# Jobs: JOBS events are stored while no Artifactory is configured (their jobs wait), then the
# daemon(s) restart with the simulator as Artifactory; the rate is JOBS over the time from the
# first attempt's start to the last attempt's end, read from the store.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ARTIFACTORY_HOOKS_TEST_POSTGRES:-}" ]; then exec scripts/with-postgres.sh "$0" "$@"; fi

duration=${DURATION:-10s}
connections=${CONNECTIONS:-32}
jobs=${JOBS:-2000}
admin=$ARTIFACTORY_HOOKS_TEST_POSTGRES
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
# Three distinct free loopback ports (the sockets are held together while the kernel picks them).
read -r port_a port_b port_sim < <(python3 -c '
import socket
held = [socket.socket() for _ in range(3)]
for s in held: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in held))')

# CONFIGURATION=debug measures the debug build (quicker to get, slower to run).
configuration=${CONFIGURATION:-release}
swift build -c "$configuration" --product artifactory-hooks 2>&1 | grep -E "error|Build" | tail -2
swift build -c "$configuration" --product artifactory-sim 2>&1 | grep -E "error|Build" | tail -2
bin=.build/$configuration

# Signed distinct events: events-A.tsv and events-B.tsv never share a body.
python3 scripts/make-signed-events.py 200000 bench-secret "$work/events-A.tsv" ingest-a
python3 scripts/make-signed-events.py 200000 bench-secret "$work/events-B.tsv" ingest-b
python3 scripts/make-signed-events.py "$jobs" bench-secret "$work/jobs.tsv" jobs
for ((i = 0; i < jobs; i++)); do printf -- '--file\nlibs-release-local/jobs/%d.jar\n' "$i"; done > "$work/files.txt"
printf 'bench-secret\n' > "$work/secret"
printf 'bench-token\n' > "$work/token"
mkdir -p "$work/rules"
cat > "$work/rules/stamp.yml" <<'YAML'
rules:
  - name: stamp
    on: artifact.deployed
    when: { path: "jobs/**" }
    do:
      - set_properties: { stamp: "{{ event.id }}" }
YAML

# config NAME PORT STORE_YAML [artifactory]
config() {
    local artifactory=""
    if [ "${4:-}" = artifactory ]; then
        artifactory="artifactory:"$'\n'"  url: http://127.0.0.1:$port_sim/artifactory"$'\n'"  token_file: token"
    fi
    cat > "$work/$1.yml" <<YAML
listen: 127.0.0.1:$2
# Two daemons run on this host: /metrics on the main listener, not on the shared default port 9465.
admin_listen: off
store:
$3
rules: rules
rules_poll_interval: 0
ingest:
  dedup_window: 5m
endpoints:
  - name: main
    auth: hmac-sha256
    secret_file: secret
worker:
  concurrency: 8
$artifactory
YAML
}

start() { # CONFIG → pid in $started
    "$bin/artifactory-hooks" serve --config "$work/$1.yml" --log-level error >>"$work/daemon.log" 2>&1 &
    started=$!
    pids+=("$started")
    for _ in $(seq 1 300); do
        curl -fs "http://127.0.0.1:$2/readyz" >/dev/null 2>&1 && return
        sleep 0.1
    done
    echo "daemon $1 did not start:"; tail -20 "$work/daemon.log"; exit 1
}

stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

ingest() { # PORT EVENTS → requests/s
    EVENTS_FILE="$work/$2" wrk -t2 -c"$connections" -d"$duration" -s scripts/ingest.lua \
        "http://127.0.0.1:$1/webhooks/main" | awk '/Requests\/sec/ {print $2} /Non-2xx/ {print "NON-2XX " $0 > "/dev/stderr"}'
}

send_jobs() { # PORT
    EVENTS_FILE="$work/jobs.tsv" python3 - "$1" <<'PY'
import concurrent.futures, http.client, os, sys
port = int(sys.argv[1])
lines = [l.rstrip("\n").split("\t", 1) for l in open(os.environ["EVENTS_FILE"])]
def post(chunk):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    for sig, body in chunk:
        conn.request("POST", "/webhooks/main", body, {"Content-Type": "application/json", "X-JFrog-Event-Auth": sig})
        response = conn.getresponse(); response.read()
        assert response.status == 202, response.status
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    list(pool.map(post, [lines[i::8] for i in range(8)]))
PY
}

sim() {
    mapfile -t files < "$work/files.txt"
    "$bin/artifactory-sim" --port "$port_sim" --token bench-token --repo libs-release-local "${files[@]}" \
        --log-level error >"$work/sim.log" 2>&1 &
    sim_pid=$!
    pids+=("$sim_pid")
    sleep 1
}

# SQL over the store → one number.
sqlite_value() { sqlite3 "$work/events.sqlite" "$1"; }
pg_value() { psql -qtA "$pg_url" -c "$1"; }
rate_sql="SELECT round($jobs * 1000000.0 / (max(started_at + duration_us) - min(started_at)), 0) FROM attempts"
done_sql="SELECT count(*) FROM jobs WHERE state IN ('done', 'dead')"

wait_jobs() { # VALUE_FUNCTION
    for _ in $(seq 1 600); do
        [ "$($1 "$done_sql")" -ge "$jobs" ] && return
        sleep 0.2
    done
    echo "jobs did not finish"; exit 1
}

fresh_pg() {
    local name="bench_$1"
    psql -qtA "$admin" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
    pg_url="${admin%/*}/$name"
    pg_store="  postgres: $pg_url"$'\n  tls: disable\n  pool_size: 12'
}

declare -A result

# one_daemon NAME STORE_YAML VALUE_FUNCTION: ingest, then the jobs, with one daemon.
one_daemon() {
    config "$1" "$port_a" "$2"
    start "$1" "$port_a"; pid=$started
    result[ingest_$1]=$(ingest "$port_a" events-A.tsv)
    send_jobs "$port_a"
    stop "$pid"
    config "$1-run" "$port_a" "$2" artifactory
    sim
    start "$1-run" "$port_a"; pid=$started
    wait_jobs "$3"
    result[jobs_$1]=$("$3" "$rate_sql")
    stop "$pid"; stop "$sim_pid"
}

echo "== SQLite, one daemon"
one_daemon sqlite "  sqlite: events.sqlite" sqlite_value

echo "== PostgreSQL, one daemon"
fresh_pg one
one_daemon pg1 "$pg_store" pg_value

echo "== PostgreSQL, two daemons"
fresh_pg two
config pg-a "$port_a" "$pg_store"
config pg-b "$port_b" "$pg_store"
start pg-a "$port_a"; a=$started
start pg-b "$port_b"; b=$started
ingest "$port_a" events-A.tsv >"$work/rate-a" &
wrk_a=$!
ingest "$port_b" events-B.tsv >"$work/rate-b"
wait "$wrk_a"
result[ingest_pg2]="$(cat "$work/rate-a") + $(cat "$work/rate-b")"
send_jobs "$port_a"
stop "$a"; stop "$b"
config pg-a-run "$port_a" "$pg_store" artifactory
config pg-b-run "$port_b" "$pg_store" artifactory
sim
start pg-a-run "$port_a"; a=$started
start pg-b-run "$port_b"; b=$started
wait_jobs pg_value
result[jobs_pg2]=$(pg_value "$rate_sql")
stop "$a"; stop "$b"; stop "$sim_pid"

echo
echo "| store | ingest (events/s, $connections connections, $duration) | jobs (calls/s, $jobs jobs, concurrency 8 per daemon) |"
echo "|---|---|---|"
echo "| SQLite, 1 daemon | ${result[ingest_sqlite]} | ${result[jobs_sqlite]} |"
echo "| PostgreSQL, 1 daemon | ${result[ingest_pg1]} | ${result[jobs_pg1]} |"
echo "| PostgreSQL, 2 daemons | ${result[ingest_pg2]} | ${result[jobs_pg2]} |"
