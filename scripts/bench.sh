#!/usr/bin/env bash
# All benchmarks of docs/benchmarks.md in one run, printed as one table (absolute figures and
# ratios measured side by side, so a noisy machine moves them together).
#
#   scripts/bench.sh           # a few minutes: ingest, fixed rate, end to end, planning, memory
#   scripts/bench.sh --big     # also: 1 million stored events, `events list` and a job lease
#   scripts/bench.sh --stores  # ingest and job throughput, SQLite beside PostgreSQL with one and two
#                              # daemons (scripts/bench-stores.sh; docs/ha.md)
#
# Needs wrk and python3; installs Debian's `webhook` (adnanh/webhook) for the comparison when apt-get
# can (skipped otherwise). DURATION (seconds per load step, default 10) and RATE (the fixed rate,
# default 2000 events/s) may be set in the environment. Everything binds 127.0.0.1 on free ports and
# stops at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
duration=${DURATION:-10}
rate=${RATE:-2000}
connections=32
big=false
for argument in "$@"; do
    case $argument in
    --big) big=true ;;
    --stores) exec scripts/bench-stores.sh ;;
    *) echo "usage: scripts/bench.sh [--big | --stores]" >&2; exit 2 ;;
    esac
done

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
results=$work/results
: > "$results"
note() { printf '%s\n' "$*" >> "$results"; }
step() { printf '== %s\n' "$*" >&2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ok() {
    for _ in $(seq 1 200); do
        curl -fsS -o /dev/null "http://127.0.0.1:$1$2" 2>/dev/null && return 0
        sleep 0.05
    done
    echo "nothing answered on port $1" >&2
    return 1
}
# wrk at $connections connections; writes PREFIX_rps, PREFIX_p50, PREFIX_p99 (ms), PREFIX_errors.
run_wrk() {
    local prefix=$1 url=$2
    shift 2
    local out
    out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" "$url")
    printf '== %s\n%s\n' "$prefix" "$out" >> "$work/raw.log"
    echo "$out" | python3 -c '
import re, sys
text, prefix = sys.stdin.read(), sys.argv[1]
def ms(value, unit): return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
print(f"{prefix}_rps=" + re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
for pct in ("50", "99"):
    m = re.search(rf"\s{pct}(?:\.000)?%\s+([\d.]+)(us|ms|s)", text)
    print(f"{prefix}_p{pct}={ms(*m.groups()):.3f}")
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
socket = re.search(r"Socket errors: (.*)", text)
print(f"{prefix}_errors=" + (errors.group(1) if errors else "0") + (" (" + socket.group(1) + ")" if socket else ""))
' "$prefix" >> "$results"
}
rss_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

step "building (release)"
for product in artifactory-hooks load-bench e2e-bench store-bench; do
    swift build -c release --product "$product" 2>&1 | grep -E "error|Build" | tail -1 >&2
done
swift build -c release --package-path Benchmarks --product rules-bench 2>&1 | grep -E "error|Build" | tail -1 >&2
bin=$(swift build -c release --show-bin-path)
daemon_bin=$bin/artifactory-hooks
rules_bench=$(swift build -c release --package-path Benchmarks --show-bin-path)/rules-bench

command -v wrk > /dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if ! command -v webhook > /dev/null; then
    step "installing Debian's webhook for the comparison"
    apt-get install -y webhook > /dev/null 2>&1 || echo "webhook not installed; its column stays empty" >&2
fi

python3 scripts/make-signed-events.py 200000 bench-secret "$work/events.tsv"
printf 'bench-secret\n' > "$work/secret"

# --- 1. Ingest at 32 connections: /healthz, /webhooks/main, Debian's webhook --------------------
port=$(free_port)
cat > "$work/ingest.yml" <<YAML
listen: 127.0.0.1:$port
store:
  sqlite: ingest.sqlite
endpoints:
  - name: main
    auth: hmac-sha256
    secret_file: secret
YAML
"$daemon_bin" serve --config "$work/ingest.yml" --log-level warning &
daemon=$!
pids+=("$daemon")
wait_ok "$port" /readyz
sleep 1
note "rss_idle_kb=$(rss_kb "$daemon" VmRSS)"

step "/healthz, $connections connections, ${duration}s"
run_wrk healthz "http://127.0.0.1:$port/healthz"

step "/webhooks/main, $connections connections, ${duration}s"
( peak=0; while kill -0 "$daemon" 2>/dev/null; do
    now=$(rss_kb "$daemon" VmRSS || echo 0); [ "${now:-0}" -gt "$peak" ] && peak=$now && echo "$peak" > "$work/rss_peak"
    sleep 0.25; done ) &
sampler=$!
pids+=("$sampler")
EVENTS_FILE="$work/events.tsv" run_wrk ingest "http://127.0.0.1:$port/webhooks/main" -s scripts/ingest.lua

step "fixed rate: $rate events/s for ${duration}s"
"$bin/load-bench" --port "$port" --events "$work/events.tsv" --rate "$rate" --duration "$duration" \
    --connections "$connections" --offset 150000 | tr ' ' '\n' | sed 's/^/fixed_/' >> "$results"
step "fixed rate floor: $rate requests/s for ${duration}s to an unknown endpoint (404, nothing stored)"
"$bin/load-bench" --port "$port" --events "$work/events.tsv" --rate "$rate" --duration "$duration" \
    --connections "$connections" --endpoint not-configured | tr ' ' '\n' | sed 's/^/floor_/' >> "$results"
kill "$sampler" 2>/dev/null || true
note "rss_load_kb=$(cat "$work/rss_peak" 2>/dev/null || echo 0)"
note "rss_hwm_kb=$(rss_kb "$daemon" VmHWM)"
kill -TERM "$daemon"
wait "$daemon" 2>/dev/null || true
events=$(sqlite3 "$work/ingest.sqlite" 'SELECT count(*) FROM events')
sqlite3 "$work/ingest.sqlite" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
note "store_events=$events"
note "store_bytes=$(stat -c %s "$work/ingest.sqlite")"

if command -v webhook > /dev/null; then
    step "Debian's webhook (payload-hmac-sha256, /bin/true), $connections connections, ${duration}s"
    webhook_port=$(free_port)
    cat > "$work/hooks.json" <<JSON
[{"id": "main", "execute-command": "/bin/true",
  "trigger-rule": {"match": {"type": "payload-hmac-sha256", "secret": "bench-secret",
                             "parameter": {"source": "header", "name": "X-JFrog-Event-Auth"}}}}]
JSON
    webhook -hooks "$work/hooks.json" -ip 127.0.0.1 -port "$webhook_port" > "$work/webhook.log" 2>&1 &
    pids+=("$!")
    for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$webhook_port/" && break; sleep 0.05; done
    EVENTS_FILE="$work/events.tsv" run_wrk webhook "http://127.0.0.1:$webhook_port/hooks/main" -s scripts/ingest.lua
    kill "${pids[-1]}" 2>/dev/null || true
fi

# --- 2. End to end and action throughput against the simulator ---------------------------------
step "end to end: $rate events/s for ${duration}s with a set_properties rule, then a burst of 5000"
mkdir -p "$work/e2e"
"$bin/e2e-bench" --daemon "$daemon_bin" --work "$work/e2e" --events "$work/events.tsv" --rate "$rate" \
    --duration "$duration" --burst 5000 | tr ' ' '\n' >> "$results"

# --- 3. Planning --------------------------------------------------------------------------------
step "rule planning"
"$rules_bench" | awk 'NR > 1 { printf "plan_%s_ns=%s\n", $1, $4 }' >> "$results"

# --- 4. One million stored events ---------------------------------------------------------------
if $big; then
    step "generating 1,000,000 stored events"
    "$bin/store-bench" --db "$work/big.sqlite" --generate 1000000 | tr ' ' '\n' | sed 's/^/big_/' >> "$results"
    "$bin/store-bench" --db "$work/big.sqlite" --measure | tr ' ' '\n' | sed 's/^/big_/' >> "$results"
    printf 'store:\n  sqlite: big.sqlite\nendpoints:\n  - name: main\n    auth: hmac-sha256\n    secret_file: secret\n' \
        > "$work/big.yml"
    times=()
    for _ in 1 2 3 4 5; do
        start=$(date +%s%N)
        "$daemon_bin" events list --config "$work/big.yml" --since 1h > /dev/null
        times+=($(( ($(date +%s%N) - start) / 1000 )))
    done
    note "big_cli_events_list_ms=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p | awk '{ printf "%.1f", $1 / 1000 }')"
fi

cat "$results" "$work/raw.log" > "${BENCH_RESULTS:-/tmp/artifactory-hooks-bench.results}" 2>/dev/null || true
python3 - "$results" "$duration" "$rate" <<'PY'
import sys
values = {}
for line in open(sys.argv[1]):
    if "=" in line:
        key, value = line.strip().split("=", 1)
        values[key] = value
duration, rate = sys.argv[2], sys.argv[3]
def num(key):
    try: return float(values[key])
    except (KeyError, ValueError): return None
def fmt(value, digits=0, unit=""):
    return "—" if value is None else f"{value:,.{digits}f}{unit}"
rows = []
def row(name, value, ratio="", target="", met=None):
    rows.append((name, value, ratio, target, "" if met is None else ("met" if met else "missed")))
h, i, w = num("healthz_rps"), num("ingest_rps"), num("webhook_rps")
row("HTTP ceiling: GET /healthz, 32 conn", f"{fmt(h)} req/s  p50 {fmt(num('healthz_p50'), 2)} ms  p99 {fmt(num('healthz_p99'), 2)} ms", "1.00")
row("durable ingest: POST /webhooks/main, 32 conn", f"{fmt(i)} ev/s  p50 {fmt(num('ingest_p50'), 2)} ms  p99 {fmt(num('ingest_p99'), 2)} ms",
    (f"{i / h:.2f} of /healthz" if i and h else "") + f", errors {values.get('ingest_errors', '?')}", "≥ 0.50 of /healthz", (i / h >= 0.5) if i and h else None)
if w:
    row("Debian webhook 2.8 (HMAC rule, /bin/true), 32 conn", f"{fmt(w)} req/s  p50 {fmt(num('webhook_p50'), 2)} ms  p99 {fmt(num('webhook_p99'), 2)} ms",
        f"ours {i / w:.2f}×" if i else "", "ours ≥ 3×", (i / w >= 3) if i else None)
row(f"ingest latency at {rate} ev/s (open loop)", f"p50 {fmt(num('fixed_p50'), 2)}  p99 {fmt(num('fixed_p99'), 2)}  p99.9 {fmt(num('fixed_p999'), 2)} ms",
    f"{fmt(num('fixed_rate'))} ev/s sent, {values.get('fixed_errors', '?')} errors", "p99 < 5 ms", (num("fixed_p99") or 99) < 5)
row(f"floor: {rate} req/s to an unknown endpoint (404, nothing stored)", f"p50 {fmt(num('floor_any_p50'), 2)}  p99 {fmt(num('floor_any_p99'), 2)} ms",
    "the same generator and HTTP path, no store")
row(f"end to end 202 → API call at {rate} ev/s", f"p50 {fmt(num('e2e_p50'), 2)} ms  p99 {fmt(num('e2e_p99'), 2)} ms",
    f"{values.get('e2e_called', '?')}/{values.get('e2e_events', '?')} calls; ingest p50 {fmt(num('e2e_ingest_p50'), 1)} ms", "p50 < 5 ms", (num("e2e_p50") or 99) < 5)
row("action throughput (set_properties, burst of 5000)", f"{fmt(num('actions_per_s'))} jobs/s",
    f"{values.get('actions_ok', '?')}/{values.get('actions_burst', '?')} answered 2xx")
for size in ("10", "100", "1000"):
    ns = num(f"plan_{size}_ns")
    row(f"planning, {size} rules", f"{fmt(ns / 1000 if ns else None, 1)} µs/event", "",
        "< 50 µs" if size == "1000" else "", (ns < 50_000) if size == "1000" and ns else None)
for key, name in (("rss_idle_kb", "RSS idle"), ("rss_load_kb", "RSS under ingest load (peak VmRSS)"), ("rss_hwm_kb", "VmHWM after the load")):
    kb = num(key)
    row(name, f"{fmt(kb / 1024 if kb else None, 1)} MB", "", "< 60 MB" if key != "rss_idle_kb" else "",
        (kb / 1024 < 60) if kb and key != "rss_idle_kb" else None)
e, b = num("store_events"), num("store_bytes")
row("store bytes per event (600-byte bodies, no jobs)", f"{fmt(b / e if e and b else None)} B", f"{fmt(e)} events")
if "big_generated" in values:
    row("1M events: generated through Storage", f"{fmt(num('big_seconds'), 1)} s", f"{fmt(num('big_bytes_per_event'))} B/event with 1 job")
    row("1M events: events list --since 1h (store call)", f"{fmt(num('big_events_list_since_1h_ms'), 2)} ms", "", "< 50 ms", (num("big_events_list_since_1h_ms") or 999) < 50)
    row("1M events: events list --since 1h (whole CLI)", f"{fmt(num('big_cli_events_list_ms'), 1)} ms", "", "< 50 ms", (num("big_cli_events_list_ms") or 999) < 50)
    row("1M events: lease next jobs", f"{fmt(num('big_lease_ms'), 2)} ms", f"{values.get('big_leased', '?')} leased", "< 50 ms", (num("big_lease_ms") or 999) < 50)
widths = [max(len(r[c]) for r in rows + [("figure", "value", "ratio / detail", "target", "")]) for c in range(5)]
header = ("figure", "value", "ratio / detail", "target", "")
print(f"\n{duration} s per load step, {rate} ev/s fixed rate, on {open('/proc/cpuinfo').read().count('processor')} cores\n")
print("| " + " | ".join(h.ljust(widths[c]) for c, h in enumerate(header)) + " |")
print("|" + "|".join("-" * (widths[c] + 2) for c in range(5)) + "|")
for r in rows:
    print("| " + " | ".join(r[c].ljust(widths[c]) for c in range(5)) + " |")
PY
