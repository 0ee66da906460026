#!/usr/bin/env bash
# Benchmark `build` (and `check`) on a generated project of 200 brands × 5 environments
# (1,000 targets), against the floor: the same templates rendered with Tera and parsed
# with html5ever in one bare loop. Prints every time and the ratios; never fails on the
# numbers (the goal is build < 1000 ms and build/floor <= 1.5 on a 2-core machine).
#
#   scripts/bench.sh                 # 5 measured runs per figure, plus a breakdown
#   BENCH_RUNS=9 scripts/bench.sh    # more runs
#   BENCH_NO_BREAKDOWN=1 scripts/bench.sh
#   BENCH_DIR=/dev/shm scripts/bench.sh   # generate the project on tmpfs (no disk)
set -euo pipefail

cd "$(dirname "$0")/.."

# `cargo bench` uses the bench profile (it inherits release) and builds the
# signin-pages binary as well, which the bench runs end to end.
exec cargo bench --bench build "$@"
