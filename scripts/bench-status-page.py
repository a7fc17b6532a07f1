#!/usr/bin/env python3
"""How long the status page takes to answer with a store of a million events (issue 22).

Creates an SQLite store with the daemon's own schema (`artifactory-hooks store migrate`), fills it
directly with N events (default 1,000,000) spread evenly over the last DAYS days (default 10, so
the overview's 24 hours hold a tenth of them), one job per event (done, every 50th dead) with one
attempt each, then starts `artifactory-hooks serve` on it and GETs each page REPEAT times (default
21) one after another, printing the median and the slowest per page. A benchmark, not a test:
docs/benchmarks.md says what it measured.

Usage: scripts/bench-status-page.py [--bin DIR] [--events N] [--days D] [--repeat R] [--keep DIR]
"""
import argparse
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fill(path, events, days):
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    now_us = int(time.time() * 1_000_000)
    span = days * 86400 * 1_000_000
    request = json.dumps({"method": "PUT", "pathAndQuery": "api/storage/libs-release-local/x?properties=a=b"})
    batch = 20_000
    for start in range(0, events, batch):
        rows, jobs, attempts = [], [], []
        for i in range(start, min(events, start + batch)):
            received = now_us - span + (span * i) // events
            path = f"com/acme/app/{i % 5000}/app-{i}.jar"
            body = json.dumps({"domain": "artifact", "event_type": "deployed", "data": {
                "repo_key": "libs-release-local", "path": path, "name": f"app-{i}.jar", "size": 1000 + i}}).encode()
            event_id = i + 1
            rows.append((event_id, received, "main", "artifact", "deployed", f"artifact:libs-release-local/{path}",
                         "libs-release-local", path, None, None, body, hashlib.sha256(body).digest(),
                         "10.0.0.5"))
            state = "dead" if i % 50 == 0 else "done"
            jobs.append((event_id, event_id, "tag-on-deploy" if i % 3 else "promote-builds", 0, "set_properties",
                         f"artifact:libs-release-local/{path}", request, "ingest", state, 1, received, received,
                         received + 20_000, "HTTP 404" if state == "dead" else None))
            attempts.append((event_id, received + 1000, 19_000, 404 if state == "dead" else 204,
                             "dead" if state == "dead" else "success"))
        db.executemany(
            "INSERT INTO events (id, received_at, endpoint, domain, event_type, subject, repo, path, build_name,"
            " build_number, body, fingerprint, source_address) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        db.executemany(
            "INSERT INTO jobs (id, event_id, rule, action_index, kind, subject, request, origin, state,"
            " attempt_count, created_at, due_at, finished_at, last_error) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", jobs)
        db.executemany(
            "INSERT INTO attempts (job_id, started_at, duration_us, http_status, outcome) VALUES (?,?,?,?,?)",
            attempts)
        db.commit()
    db.execute("DELETE FROM job_counts")
    db.execute("INSERT INTO job_counts (state, n) SELECT state, count(*) FROM jobs GROUP BY state")
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--keep", help="a folder to build the store in and keep (reused when it has one)")
    args = parser.parse_args()
    bin_dir = args.bin or subprocess.check_output(
        ["swift", "build", "-c", "release", "--show-bin-path"], text=True).strip()
    folder = args.keep or tempfile.mkdtemp(prefix="status-bench-")
    os.makedirs(f"{folder}/rules", exist_ok=True)
    with open(f"{folder}/rules/rules.yml", "w") as f:
        f.write("rules:\n  - name: tag-on-deploy\n    on: artifact.deployed\n    do:\n"
                "      - set_properties: { qa.status: pending }\n"
                "  - name: promote-builds\n    on: build.uploaded\n    do:\n      - set_properties: { seen: \"1\" }\n"
                "        repo: libs-release-local\n        path: builds/app\n")
    admin = free_port()
    with open(f"{folder}/config.yml", "w") as f:
        f.write(f"listen: 127.0.0.1:{free_port()}\nadmin_listen: 127.0.0.1:{admin}\n"
                f"store:\n  sqlite: {folder}/events.sqlite\n  retention: off\nrules: {folder}/rules\n"
                "endpoints:\n  - name: main\n    auth: none\n")
    database = f"{folder}/events.sqlite"
    if not os.path.exists(database):
        subprocess.run([f"{bin_dir}/artifactory-hooks", "store", "migrate", "--config", f"{folder}/config.yml"],
                       check=True, stdout=subprocess.DEVNULL)
        started = time.monotonic()
        fill(database, args.events, args.days)
        print(f"filled {args.events} events in {time.monotonic() - started:.0f} s "
              f"({os.path.getsize(database) >> 20} MiB)")
    daemon = subprocess.Popen([f"{bin_dir}/artifactory-hooks", "serve", "--config", f"{folder}/config.yml"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{admin}"
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        middle = args.events // 2
        pages = ["/ui", "/ui/events", "/ui/events?kind=artifact.deployed&repo=libs-release-local&since=2h",
                 f"/ui/events?before={middle}", f"/ui/events/{middle}", "/ui/jobs?state=dead",
                 "/ui/jobs?rule=promote-builds", f"/ui/jobs/{middle}", "/ui/rules"]
        print(f"{'page':<70} {'median':>9} {'slowest':>9} {'bytes':>9}")
        for page in pages:
            times, size = [], 0
            for _ in range(args.repeat):
                started = time.perf_counter()
                with urllib.request.urlopen(base + page, timeout=60) as response:
                    size = len(response.read())
                times.append((time.perf_counter() - started) * 1000)
            print(f"{page:<70} {statistics.median(times):>7.1f}ms {max(times):>7.1f}ms {size:>9}")
    finally:
        daemon.terminate()
        daemon.wait(10)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
