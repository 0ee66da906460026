#!/usr/bin/env bash
# Build the user guide (book/) into book/build with mdbook, and fail on anything mdbook
# only logs (a missing {{#include}}, HTML it could not close) and on a broken link.
#
#   scripts/book.sh              # build; open book/build/index.html
#   MDBOOK=/path/to/mdbook scripts/book.sh
#
# mdbook is pinned (MDBOOK_VERSION) and installed with cargo, only when missing, into a
# cache folder outside the repository ($XDG_CACHE_HOME or ~/.cache, signin-pages/mdbook/
# <version>); cache that folder in CI. The install compiles mdbook without its `serve` and
# `watch` features (no tokio, no file watcher): about 9 minutes on 2 busy cores, once.
set -euo pipefail
cd "$(dirname "$0")/.."

MDBOOK_VERSION=0.5.4
cache="${XDG_CACHE_HOME:-$HOME/.cache}/signin-pages/mdbook/$MDBOOK_VERSION"
mdbook="${MDBOOK:-$cache/bin/mdbook}"

if ! "$mdbook" --version 2>/dev/null | grep -qx "mdbook v$MDBOOK_VERSION"; then
    if [ -n "${MDBOOK:-}" ]; then
        echo "MDBOOK=$MDBOOK is not mdbook v$MDBOOK_VERSION" >&2
        exit 1
    fi
    echo "installing mdbook $MDBOOK_VERSION into $cache"
    start=$(date +%s)
    # Its own target folder, so that the project's target/ keeps only the project.
    CARGO_TARGET_DIR="$cache/build" cargo install mdbook --version "$MDBOOK_VERSION" \
        --locked --no-default-features --features search --root "$cache" --quiet
    rm -rf "$cache/build"
    echo "installed mdbook $MDBOOK_VERSION in $(( $(date +%s) - start )) s"
fi

# mdbook logs a missing include as an ERROR and still exits 0: read its log.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
"$mdbook" build book >"$log" 2>&1 || status=$?
cat "$log"
if [ "$status" -ne 0 ] || grep -Eq '^ *(ERROR|WARN)' "$log"; then
    echo "mdbook build book: failed or warned (above)" >&2
    exit 1
fi
node scripts/book-links.mjs book/build
