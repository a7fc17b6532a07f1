#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ and runs each for a while (docs/reliability.md, "Fuzzing").
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]        (or --time SECONDS)
#
# Default: every target, $FUZZ_SECONDS (60) seconds each, $FUZZ_JOBS (1) at a time. The targets are built
# with `-sanitize=fuzzer,address` in .build-fuzz (never .build, so `swift build` and `swift test`
# are not touched); seeds are derived from fixtures/ by scripts/fuzz-seeds.py into
# .build-fuzz/seeds, the inputs of fixtures/fuzz-regressions/TARGET are replayed first, and what
# each run learns is kept in .build-fuzz/corpus/TARGET for the next. Prints libFuzzer's final
# stats and a line per target (executions, coverage); fails when a target crashes or a property
# does not hold, the input that did it saved under fuzz-crashes/.
# FUZZ_NICE=19 runs the fuzzers at the lowest priority (a shared machine); FUZZ_JOBS=2 runs two
# targets at a time (one core each).
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(fuzz-json fuzz-webhook fuzz-signature fuzz-troubleshooting fuzz-url fuzz-rules fuzz-template fuzz-aql
    fuzz-config)
seconds=${FUZZ_SECONDS:-60}
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --time) seconds="$2"; shift 2 ;;
        --time=*) seconds="${1#--time=}"; shift ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        fuzz-*) targets+=("$1"); shift ;;
        [0-9]*) seconds="$1"; shift ;;
        *) echo "unknown argument: $1 (targets: ${all_targets[*]})" >&2; exit 2 ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
case "$seconds" in ''|*[!0-9]*|0) echo "the time is whole seconds above 0, not $seconds" >&2; exit 2 ;; esac

scratch=.build-fuzz
dictionary() {
    case "$1" in
        fuzz-rules|fuzz-config|fuzz-template) echo Fuzz/dictionaries/yaml.dict ;;
        fuzz-url) echo "" ;;
        *) echo Fuzz/dictionaries/json.dict ;;
    esac
}

echo "== building ${targets[*]} (-sanitize=fuzzer,address, in $scratch)"
started=$SECONDS
mkdir -p "$scratch"
for target in "${targets[@]}"; do
    status=0
    ARTIFACTORY_HOOKS_FUZZ=1 swift build --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address \
        --product "$target" >"$scratch/build-$target.log" 2>&1 || status=$?
    # ld.gold's "Cannot export local symbol" lines are the sanitizer runtime's, not ours.
    grep -v -e "Cannot export local symbol" -e "swift-distributed-tracing" "$scratch/build-$target.log" \
        | grep -E "error|warning: |Build of product" || true
    [ "$status" -eq 0 ] || { echo "$target did not build: $scratch/build-$target.log" >&2; exit 1; }
done
echo "build: $((SECONDS - started)) s (${#targets[@]} targets)"

rm -rf "$scratch/seeds"
python3 scripts/fuzz-seeds.py "$scratch/seeds" "${targets[@]}"
mkdir -p fuzz-crashes

# No leak check, in libFuzzer or at exit: Swift keeps enum tags in a pointer's spare bits, so
# LeakSanitizer takes what a `static let` holds through such an enum for leaks. The RSS limit
# catches growth instead.
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
# A violated property stops the target with a fatal error; Swift's own backtracer would then read
# the stack from another thread and draw a false AddressSanitizer report over the message.
export SWIFT_BACKTRACE=enable=no
# Runs one target for $seconds; its report goes to $scratch/$target.out, its summary line to
# $scratch/$target.summary (a line starting "FAILED" when it crashed or a property did not hold).
run_target() {
    local target=$1
    local corpus="$scratch/corpus/$target" log="$scratch/$target.log" out="$scratch/$target.out"
    mkdir -p "$corpus"
    local options=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 -detect_leaks=0
        -artifact_prefix="fuzz-crashes/$target-")
    local dict
    dict=$(dictionary "$target")
    [ -z "$dict" ] || options+=(-dict="$dict")
    local status=0
    local regressions=fixtures/fuzz-regressions/$target
    local seeds=("$scratch/seeds/$target")
    [ ! -d "$regressions" ] || seeds+=("$regressions")
    # libFuzzer writes what it learns into the first folder only; the others are read.
    nice -n "${FUZZ_NICE:-0}" "$scratch/debug/$target" "${options[@]}" "$corpus" "${seeds[@]}" \
        >"$log" 2>&1 || status=$?
    {
        echo "== $target, $seconds s"
        grep -E "^stat::|^(INFO|==[0-9]+==|SUMMARY|Fatal error|.*property violated|artifact_prefix|Test unit written)" "$log" \
            | grep -v -e "^INFO: Loaded" -e "^INFO: Running with" -e "^INFO: Seed" || true
    } >"$out"
    local last execs rate cov ft corp
    last=$(grep -E "^#[0-9]+" "$log" | tail -1)
    execs=$(grep -Eo "^stat::number_of_executed_units: *[0-9]+" "$log" | tail -1 | grep -Eo "[0-9]+$" || echo "?")
    rate=$(grep -Eo "^stat::average_exec_per_sec: *[0-9]+" "$log" | tail -1 | grep -Eo "[0-9]+$" || echo "?")
    cov=$(echo "$last" | grep -Eo "cov: [0-9]+" | grep -Eo "[0-9]+" || echo "?")
    ft=$(echo "$last" | grep -Eo "ft: [0-9]+" | grep -Eo "[0-9]+" || echo "?")
    corp=$(echo "$last" | grep -Eo "corp: [0-9]+" | grep -Eo "[0-9]+" || echo "?")
    if [ "$status" -ne 0 ]; then
        {
            echo "$target FAILED (exit $status); the log: $log; the input:"
            grep -E "Test unit written to|artifact_prefix" "$log" || true
        } >>"$out"
        printf 'FAILED %-22s %6s s  execs %10s  cov %6s\n' "$target" "$seconds" "$execs" "$cov" >"$scratch/$target.summary"
    else
        printf '%-22s ok      %6s s  execs %10s (%s/s)  cov %6s  ft %6s  corpus %5s\n' \
            "$target" "$seconds" "$execs" "$rate" "$cov" "$ft" "$corp" >"$scratch/$target.summary"
    fi
}

# FUZZ_JOBS targets at a time (default 1): each fuzzer uses one core.
jobs=${FUZZ_JOBS:-1}
running=0
for target in "${targets[@]}"; do
    rm -f "$scratch/$target.summary" "$scratch/$target.out"
    run_target "$target" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait
summary=()
failed=()
for target in "${targets[@]}"; do
    cat "$scratch/$target.out" 2>/dev/null || true
    line=$(cat "$scratch/$target.summary" 2>/dev/null || echo "FAILED $target (no result)")
    summary+=("$line")
    case "$line" in FAILED*) failed+=("$target") ;; esac
done

echo "== fuzzing summary (cov: code edges reached; ft: features; corpus: inputs kept)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "crashed: ${failed[*]}; inputs in fuzz-crashes/ (make each a regression test: docs/reliability.md, Fuzzing)"
    exit 1
fi
