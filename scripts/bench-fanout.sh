#!/usr/bin/env bash
# Fan-out throughput: a build of ITEMS artifacts (default 5000) in artifactory-sim, a daemon whose
# rule sets a property on every artifact of a promoted build, and one signed build.promoted event.
# Prints the child calls per second, the time from the event's 202 to the last child's call, and
# the daemon's peak RSS. Binaries from BIN (default: the release build; `swift build -c release`
# first). Everything binds 127.0.0.1 on free ports and stops at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
items=${ITEMS:-5000}
bin=${BIN:-$(swift build -c release --show-bin-path)}
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

sim_port=$(free_port)
# Short paths: one --build argument holds them all, and an argument is at most 128 KiB.
files=$(python3 -c "print(','.join('r/b/%d.jar' % i for i in range($items)))")
"$bin/artifactory-sim" --port "$sim_port" --token bench-token --build "big:1:$files" --log-level error &
sim=$!
pids+=("$sim")
port=$(free_port)
printf 'bench-secret\n' > "$work/secret"
printf 'bench-token\n' > "$work/token"
mkdir -p "$work/rules"
cat > "$work/rules/fan-out.yml" <<YAML
rules:
  - name: release
    on: build.promoted
    do:
      - set_properties: { release: "{{ data.build_number }}" }
        for_each: build_artifacts
YAML
cat > "$work/config.yml" <<YAML
listen: 127.0.0.1:$port
admin_listen: off
rules: rules
store:
  sqlite: events.sqlite
endpoints:
  - name: main
    auth: hmac-sha256
    secret_file: secret
artifactory:
  url: http://127.0.0.1:$sim_port/artifactory
  token_file: token
YAML
for _ in $(seq 1 200); do curl -fsS -o /dev/null "http://127.0.0.1:$sim_port/artifactory/api/system/ping" \
    -H 'Authorization: Bearer bench-token' 2>/dev/null && break; sleep 0.05; done
kill -0 "$sim" 2>/dev/null || { echo "artifactory-sim did not start" >&2; exit 1; }
"$bin/artifactory-hooks" serve --config "$work/config.yml" --log-level warning &
daemon=$!
pids+=("$daemon")
for _ in $(seq 1 200); do curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null && break; sleep 0.05; done
idle_kb=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$daemon/status")

python3 - "$port" <<'PY'
import hashlib, hmac, sys, urllib.request
body = b'{"domain":"build","event_type":"promoted","data":{"build_name":"big","build_number":"1"}}'
request = urllib.request.Request(
    f"http://127.0.0.1:{sys.argv[1]}/webhooks/main", data=body, method="POST",
    headers={"Content-Type": "application/json",
             "X-JFrog-Event-Auth": hmac.new(b"bench-secret", body, hashlib.sha256).hexdigest()})
with urllib.request.urlopen(request) as response:
    assert response.status == 202, response.status
PY
done_query="SELECT count(*) FROM jobs WHERE kind = 'set_properties' AND state = 'done'"
for _ in $(seq 1 1200); do
    kill -0 "$daemon" 2>/dev/null || { echo "the daemon stopped" >&2; exit 1; }
    [ "$(sqlite3 "$work/events.sqlite" "$done_query" 2>/dev/null || echo 0)" -ge "$items" ] && break
    sleep 0.1
done
peak_kb=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$daemon/status")
sqlite3 "$work/events.sqlite" "
    SELECT 'children=' || count(DISTINCT j.id),
           'first_call_s=' || printf('%.2f', (min(a.started_at) - e.received_at) / 1e6),
           'last_call_s=' || printf('%.2f', (max(a.started_at) - e.received_at) / 1e6),
           'calls_per_s=' || printf('%.0f', count(DISTINCT j.id) * 1e6 / (max(a.started_at) - min(a.started_at)))
    FROM jobs j JOIN attempts a ON a.job_id = j.id JOIN events e ON e.id = j.event_id
    WHERE j.kind = 'set_properties' AND j.state = 'done'" | tr '|' ' '
echo "rss_idle_kb=$idle_kb rss_peak_kb=$peak_kb"
