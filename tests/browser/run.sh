#!/usr/bin/env bash
# The preview's browser test: `signin-pages serve` in headless Chromium (Debian's
# package), driven by playwright-core, with the stand-in widget and with the real Okta
# Sign-In Widget (@okta/okta-signin-widget). setup.sh installs what is missing; this builds
# the binary and runs tests/browser/*.test.mjs; screenshots go to target/preview-artifacts/.
# SIGNIN_WIDGET_DIR may point at another installed widget.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash tests/browser/setup.sh
cargo build --quiet --bin signin-pages

export SIGNIN_PAGES_BIN="${SIGNIN_PAGES_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/debug/signin-pages}"
export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"
export SIGNIN_WIDGET_DIR="${SIGNIN_WIDGET_DIR:-$PWD/tests/browser/node_modules/@okta/okta-signin-widget}"
export PREVIEW_ARTIFACTS="${PREVIEW_ARTIFACTS:-$PWD/target/preview-artifacts}"
mkdir -p "$PREVIEW_ARTIFACTS"
node --test --test-reporter=spec tests/browser/preview.test.mjs tests/browser/states.test.mjs tests/browser/stand-in.test.mjs tests/browser/i18n-fallback.test.mjs
echo "screenshots: $PREVIEW_ARTIFACTS"
