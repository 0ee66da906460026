#!/usr/bin/env bash
# Start-up time of a signin-pages binary: the median wall time of N runs of
# `--version` (process start, clap) and of `check` on examples/acme (start-up plus a
# small real run: 4 targets), after one warm-up run each, and with `perf` installed the
# CPU time (task-clock) and page faults per run, which a busy machine disturbs far less
# than wall time. Prints milliseconds; never fails on the numbers.
#
#   scripts/startup.sh                         # target/release/signin-pages, 21 runs
#   scripts/startup.sh path/to/signin-pages 51
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-${CARGO_TARGET_DIR:-target}/release/signin-pages}
runs=${2:-21}
[ -x "$bin" ] || { echo "startup: no binary at $bin (cargo build --release first)" >&2; exit 1; }

median_ms() { # command...
    "$@" >/dev/null 2>&1 || true
    local times=() i start end
    for ((i = 0; i < runs; i++)); do
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        times+=($(((end - start) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n |
        awk '{a[NR] = $1} END {m = a[int((NR + 1) / 2)]; printf "%.1f ms (min %.1f, max %.1f)\n", m / 1000, a[1] / 1000, a[NR] / 1000}'
}

cpu() { # command...: "<task-clock> ms CPU, <faults> page faults" (means of $runs runs)
    command -v perf >/dev/null || return 0
    perf stat -r "$runs" -x, -e task-clock,page-faults "$@" 2>&1 >/dev/null |
        awk -F, '$3 == "task-clock" {t = $1} $3 == "page-faults" {f = $1}
                 END {if (t != "") printf "; CPU %.2f ms, %d page faults", t, f}'
}

acme=(check --project examples/acme --color never)
echo "binary: $bin ($(stat -c %s "$bin") bytes), $runs runs each"
echo "--version:   wall $(median_ms "$bin" --version)$(cpu "$bin" --version)"
echo "check acme:  wall $(median_ms "$bin" "${acme[@]}")$(cpu "$bin" "${acme[@]}")"
