#!/usr/bin/env bash
# Runs every test: the whole suite beside a throwaway PostgreSQL server (scripts/with-postgres.sh),
# then the fault tests (Tests/HooksDaemonTests/Faults, docs/reliability.md) on their own.
#
#   scripts/test.sh
#
# The fault tests load the machine on purpose: steady delivery loads, 10,000 stalled connections,
# a PostgreSQL cluster stopped and started, a disk filled. Run beside the other 700 tests on a
# 2-core machine they made unrelated tests miss their time limits, so they run after the rest,
# alone, against the same build.
set -euo pipefail
cd "$(dirname "$0")/.."

faults='HooksDaemonTests\.Faults/'
scripts/with-postgres.sh swift test --skip "$faults"
echo "== the fault tests, alone"
scripts/with-postgres.sh swift test --skip-build --filter "$faults"
