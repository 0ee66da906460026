#!/usr/bin/env bash
# What `cargo publish` would ship, checked: the file list of each crate of the workspace
# (signin-pages and the vendored Tera, published as signin-pages-tera) against an
# allow-list, then both packaged and signin-pages built from its .crate against the
# packaged Tera (`cargo package --workspace` verifies through a local registry overlay,
# so signin-pages-tera need not be on crates.io yet).
#
#   scripts/package-check.sh              # list, package and verify (a dev build of both)
#   PACKAGE_NO_VERIFY=1 scripts/package-check.sh   # list and package only (seconds)
#
# Fails on a file outside the allow-list (tests, snapshots, screenshots, node_modules,
# target, fuzz, contract…) and on any cargo warning other than the declared test, bench
# and example targets whose files stay in the repository on purpose.
set -euo pipefail
cd "$(dirname "$0")/.."

# Every file a crate may ship: anchored extended regexps, one per line.
allowed_signin_pages='^(Cargo\.toml|Cargo\.toml\.orig|Cargo\.lock|\.cargo_vcs_info\.json|README\.md|LICENSE)$
^src/.+\.(rs|js|css|svg|html|json)$
^data/widget/[0-9]+\.[0-9]+\.[0-9]+\.json$
^data/widget/stand-in/strings\.json$
^templates/(gitignore|signin-pages\.toml|locales/[a-z-]+\.toml|templates/.+\.html|ci/[a-z]+\.yml)$'
allowed_tera='^(Cargo\.toml|Cargo\.lock|Cargo\.toml\.orig|\.cargo_vcs_info\.json|README\.md|LICENSE|PATCH\.md|rustfmt\.toml)$
^src/.+\.rs$'

status=0
check_list() { # name, manifest, allow-list
    local name=$1 manifest=$2 allowed=$3 list
    list=$(cargo package --list --allow-dirty --manifest-path "$manifest" 2>/dev/null)
    local bad
    bad=$(grep -Ev -f <(printf '%s\n' "$allowed") <<<"$list" || true)
    if [ -n "$bad" ]; then
        echo "package-check: $name would ship files outside its allow-list:" >&2
        sed 's/^/  /' <<<"$bad" >&2
        status=1
    fi
    # Files a build needs: if one of them is missing, the list is wrong the other way.
    local need
    for need in "${@:4}"; do
        grep -qx "$need" <<<"$list" || {
            echo "package-check: $name does not ship $need" >&2
            status=1
        }
    done
    local bytes=0 f dir
    dir=$(dirname "$manifest")
    while IFS= read -r f; do
        [ -f "$dir/$f" ] && bytes=$((bytes + $(stat -c %s "$dir/$f")))
    done <<<"$list"
    echo "$name: $(wc -l <<<"$list") files, $((bytes / 1024)) KiB unpacked"
}

check_list signin-pages Cargo.toml "$allowed_signin_pages" \
    src/main.rs LICENSE README.md Cargo.lock data/widget/stand-in/strings.json \
    templates/signin-pages.toml
check_list signin-pages-tera vendor/tera/Cargo.toml "$allowed_tera" \
    src/lib.rs LICENSE PATCH.md

verify=()
[ -n "${PACKAGE_NO_VERIFY:-}" ] && verify=(--no-verify)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! cargo package --workspace --allow-dirty "${verify[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    echo "package-check: cargo package failed" >&2
    exit 1
fi
# Declared targets whose files are not shipped: the integration tests, the benchmarks and
# the contract harness need the repository (tests/support, fixtures, Prism).
unexpected=$(grep '^warning:' "$log" |
    grep -Ev '^warning: ignoring (test|benchmark|example) `[a-z_-]+` as `(tests|benches|contract)/[a-z_]+\.rs` is not included in the published package$' || true)
if [ -n "$unexpected" ]; then
    cat "$log" >&2
    echo "package-check: cargo package warns:" >&2
    echo "$unexpected" >&2
    status=1
fi
grep -E '^ *Packaged ' "$log" || true
exit $status
