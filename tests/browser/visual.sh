#!/usr/bin/env bash
# examples/acme's visual snapshots: `signin-pages test --visual` with the real Sign-In
# Widget (tests/browser/node_modules, see setup.sh) against the screenshots committed
# under examples/acme/snapshots/visual/ (4 targets × every widget state × en, fr, ja).
#
# The screenshots were accepted with the Chromium that snapshots/visual/browser.txt
# names. On a machine with that Chromium any difference fails (exit 1). With another
# one the comparison still runs and prints what differs, but does not fail: a browser
# update moves anti-aliasing and text, and the answer is to accept again with it
# (`signin-pages test --visual --accept --project examples/acme --widget-dir …`), not a
# red build that says nothing about the pages.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash tests/browser/setup.sh
cargo build --quiet --bin signin-pages
bin="${SIGNIN_PAGES_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/debug/signin-pages}"
widget="${SIGNIN_WIDGET_DIR:-$PWD/tests/browser/node_modules/@okta/okta-signin-widget}"
args=(test --visual --color never --project examples/acme --widget-dir "$widget")

accepted="$(cat examples/acme/snapshots/visual/browser.txt 2>/dev/null || true)"
now="Chromium $(chromium --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+)+' | head -1)"
if [ "$accepted" = "$now" ]; then
  "$bin" "${args[@]}"
else
  echo "note: the screenshots were accepted with ${accepted:-an unnamed browser}; this machine has $now."
  echo "      Comparing anyway; differences are printed, not failed. Accept again with $now."
  "$bin" "${args[@]}" || echo "(not failed: another browser than the one that accepted)"
fi
