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

# CONFIGURATION=debug measures the debug build (quicker to get, slower to run).
configuration=${CONFIGURATION:-release}
swift build -c "$configuration" --product artifactory-hooks 2>&1 | grep -E "error|Build" | tail -2
swift build -c "$configuration" --product artifactory-sim 2>&1 | grep -E "error|Build" | tail -2
bin=.build/$configuration

# Signed distinct events: events-A.tsv and events-B.tsv never share a body.
python3 - "$work" "$jobs" <<'PY'
import hashlib, hmac, json, sys
work, jobs = sys.argv[1], int(sys.argv[2])
def write(name, prefix, count):
    with open(f"{work}/{name}", "w") as out:
        for i in range(count):
            body = json.dumps({"domain": "artifact", "event_type": "deployed",
                               "data": {"repo_key": "libs-release-local", "path": f"{prefix}/{i}.jar",
                                        "name": f"{i}.jar", "size": 1843307 + i},
                               "subscription_key": "sub-main", "padding": "x" * 300}, separators=(",", ":"))
            sig = hmac.new(b"bench-secret", body.encode(), hashlib.sha256).hexdigest()
            out.write(f"{sig}\t{body}\n")
write("events-A.tsv", "ingest-a", 200000)
write("events-B.tsv", "ingest-b", 200000)
write("jobs.tsv", "jobs", jobs)
with open(f"{work}/files.txt", "w") as out:
    for i in range(jobs):
        out.write(f"--file\nlibs-release-local/jobs/{i}.jar\n")
PY
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
        artifactory=$'artifactory:\n  url: http://127.0.0.1:18081/artifactory\n  token_file: token'
    fi
    cat > "$work/$1.yml" <<YAML
listen: 127.0.0.1:$2
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
    for _ in $(seq 1 100); do
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
    "$bin/artifactory-sim" --port 18081 --token bench-token --repo libs-release-local "${files[@]}" \
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

echo "== SQLite, one daemon"
config sqlite 18470 "  sqlite: events.sqlite"
start sqlite 18470; pid=$started
result[ingest_sqlite]=$(ingest 18470 events-A.tsv)
send_jobs 18470
stop "$pid"
config sqlite-run 18470 "  sqlite: events.sqlite" artifactory
sim
start sqlite-run 18470; pid=$started
wait_jobs sqlite_value
result[jobs_sqlite]=$(sqlite_value "$rate_sql")
stop "$pid"; stop "$sim_pid"

echo "== PostgreSQL, one daemon"
fresh_pg one
config pg 18470 "$pg_store"
start pg 18470; pid=$started
result[ingest_pg1]=$(ingest 18470 events-A.tsv)
send_jobs 18470
stop "$pid"
config pg-run 18470 "$pg_store" artifactory
sim
start pg-run 18470; pid=$started
wait_jobs pg_value
result[jobs_pg1]=$(pg_value "$rate_sql")
stop "$pid"; stop "$sim_pid"

echo "== PostgreSQL, two daemons"
fresh_pg two
config pg-a 18470 "$pg_store"
config pg-b 18471 "$pg_store"
start pg-a 18470; a=$started
start pg-b 18471; b=$started
ingest 18470 events-A.tsv >"$work/rate-a" &
wrk_a=$!
ingest 18471 events-B.tsv >"$work/rate-b"
wait "$wrk_a"
result[ingest_pg2]="$(cat "$work/rate-a") + $(cat "$work/rate-b")"
send_jobs 18470
stop "$a"; stop "$b"
config pg-a-run 18470 "$pg_store" artifactory
config pg-b-run 18471 "$pg_store" artifactory
sim
start pg-a-run 18470; a=$started
start pg-b-run 18471; b=$started
wait_jobs pg_value
result[jobs_pg2]=$(pg_value "$rate_sql")
stop "$a"; stop "$b"; stop "$sim_pid"

echo
echo "| store | ingest (events/s, $connections connections, $duration) | jobs (calls/s, $jobs jobs, concurrency 8 per daemon) |"
echo "|---|---|---|"
echo "| SQLite, 1 daemon | ${result[ingest_sqlite]} | ${result[jobs_sqlite]} |"
echo "| PostgreSQL, 1 daemon | ${result[ingest_pg1]} | ${result[jobs_pg1]} |"
echo "| PostgreSQL, 2 daemons | ${result[ingest_pg2]} | ${result[jobs_pg2]} |"
