#!/usr/bin/env bash
# The preview's browser test: `signin-pages serve` in headless Chromium (Debian's
# package), driven by playwright-core, with the stand-in widget and with the real Okta
# Sign-In Widget (@okta/okta-signin-widget; both pinned in package-lock.json, installed
# into the git-ignored tests/browser/node_modules without running install scripts; the
# widget's code is Okta's and is never committed). Installs what is missing, builds the
# binary, runs tests/browser/*.test.mjs; screenshots go to target/preview-artifacts/.
# SIGNIN_WIDGET_DIR may point at another installed widget.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "-- installing chromium (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -f tests/browser/node_modules/playwright-core/package.json ] ||
   [ ! -f tests/browser/node_modules/@okta/okta-signin-widget/dist/js/okta-sign-in.min.js ]; then
  echo "-- installing playwright-core and @okta/okta-signin-widget (npm ci)"
  (cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
cargo build --quiet --bin signin-pages

export SIGNIN_PAGES_BIN="${SIGNIN_PAGES_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/debug/signin-pages}"
export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"
export SIGNIN_WIDGET_DIR="${SIGNIN_WIDGET_DIR:-$PWD/tests/browser/node_modules/@okta/okta-signin-widget}"
export PREVIEW_ARTIFACTS="${PREVIEW_ARTIFACTS:-$PWD/target/preview-artifacts}"
mkdir -p "$PREVIEW_ARTIFACTS"
node --test --test-reporter=spec tests/browser/preview.test.mjs tests/browser/states.test.mjs tests/browser/stand-in.test.mjs tests/browser/i18n-fallback.test.mjs
echo "screenshots: $PREVIEW_ARTIFACTS"
