#!/usr/bin/env bash
# Rough ingest rate: wrk against /healthz (the HTTP ceiling) and /webhooks/main (HMAC + durable
# SQLite commit) on the same release build, same run. Needs `wrk` (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-10s}
connections=${CONNECTIONS:-32}
work=$(mktemp -d)
trap 'kill "${daemon:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

swift build -c release --product artifactory-hooks 2>&1 | grep -E "error|Compiling|Build" | tail -3
printf 'bench-secret\n' > "$work/secret"
cat > "$work/config.yml" <<YAML
listen: 127.0.0.1:18470
store:
  sqlite: events.sqlite
ingest:
  dedup_window: 5m
endpoints:
  - name: main
    auth: hmac-sha256
    secret_file: secret
YAML
python3 scripts/make-signed-events.py 200000 bench-secret "$work/events.tsv"
.build/release/artifactory-hooks serve --config "$work/config.yml" --log-level warning &
daemon=$!
sleep 2

echo "== /healthz (HTTP ceiling), $connections connections, $duration"
wrk -t2 -c"$connections" -d"$duration" --latency http://127.0.0.1:18470/healthz | grep -E 'Requests/sec|50%|99%|Non-2xx'
echo "== /webhooks/main (HMAC-SHA256 + SQLite synchronous=FULL), $connections connections, $duration"
EVENTS_FILE="$work/events.tsv" wrk -t2 -c"$connections" -d"$duration" --latency -s scripts/ingest.lua \
    http://127.0.0.1:18470/webhooks/main | grep -E 'Requests/sec|50%|99%|Non-2xx'
echo "stored events: $(sqlite3 "$work/events.sqlite" 'SELECT count(*) FROM events') (duplicates: $(sqlite3 "$work/events.sqlite" 'SELECT count(*) FROM events WHERE duplicate_of IS NOT NULL'))"
