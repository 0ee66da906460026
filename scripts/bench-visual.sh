#!/usr/bin/env bash
# Benchmark `signin-pages test --visual` on examples/acme (4 targets × every widget state
# × 3 locales): screenshots per second, and whether two runs give the same bytes. Runs
# on a copy of the example in a temporary folder: accepts once, then runs the test
# BENCH_RUNS times (default 2) and prints each run's summary line. Never fails on the
# numbers. Needs Chromium (`apt-get install chromium`); the real Sign-In Widget is used
# when SIGNIN_WIDGET_DIR (or tests/browser/node_modules, see tests/browser/run.sh) has it.
#
# The time is Chromium's (the binary only serves and compares): SIGNIN_PAGES_BIN may
# name a debug build instead of the release build this script makes.
#
#   scripts/bench-visual.sh
#   BENCH_RUNS=3 SIGNIN_WIDGET_DIR=/path/to/@okta/okta-signin-widget scripts/bench-visual.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${SIGNIN_PAGES_BIN:-}" ]; then
  cargo build --release --quiet --bin signin-pages
fi
bin="${SIGNIN_PAGES_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/release/signin-pages}"
widget="${SIGNIN_WIDGET_DIR:-$PWD/tests/browser/node_modules/@okta/okta-signin-widget}"
args=(test --visual --color never)
[ -d "$widget" ] && args+=(--widget-dir "$widget")

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r examples/acme "$work/acme"
rm -rf "$work/acme/snapshots/visual"

echo "-- accept (first run, writes every screenshot)"
"$bin" "${args[@]}" --accept --project "$work/acme" 2>&1 >/dev/null | grep screenshot
for i in $(seq "${BENCH_RUNS:-2}"); do
  echo "-- run $i"
  # The summary: N screenshots ... in T s (R/s), and how many matched byte for byte.
  "$bin" "${args[@]}" --project "$work/acme" 2>&1 >/dev/null | grep screenshot || true
done
