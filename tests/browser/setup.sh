#!/usr/bin/env bash
# What the browser tests and the visual snapshots need, installed only when missing:
# Debian's chromium (apt-get, with the fonts it recommends), a Japanese font
# (fonts-ipafont-gothic: examples/acme has a `ja` locale, and without one every
# character is a box), and playwright-core with the real @okta/okta-signin-widget (both
# pinned in package-lock.json; `npm ci --ignore-scripts` into the git-ignored
# tests/browser/node_modules; the widget's code is Okta's and is never committed).
set -euo pipefail
cd "$(dirname "$0")/../.."

packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
[ -n "$(fc-list :lang=ja family 2>/dev/null)" ] || packages+=(fonts-ipafont-gothic)
if [ "${#packages[@]}" -gt 0 ]; then
  echo "-- installing ${packages[*]} (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi
if [ ! -f tests/browser/node_modules/playwright-core/package.json ] ||
   [ ! -f tests/browser/node_modules/@okta/okta-signin-widget/dist/js/okta-sign-in.min.js ]; then
  echo "-- installing playwright-core and @okta/okta-signin-widget (npm ci)"
  (cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
