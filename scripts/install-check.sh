#!/usr/bin/env bash
# Install signin-pages as a user does (`cargo install --locked --path .`) into a temporary
# root, then use it from a folder outside the repository with an empty HOME and a bare
# environment: init a starter, build, check, test --accept, test, explain, completions and
# man must work and leave what they should. With strace installed, every file the binary
# opens is recorded and any path into the repository fails the check: nothing may be read
# from the checkout at run time (templates, widget data and preview assets are compiled in).
#
#   scripts/install-check.sh                   # dev profile (--debug): reuses the test build
#   INSTALL_PROFILE=release scripts/install-check.sh   # what users get, a full release build
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
profile=(--debug)
[ "${INSTALL_PROFILE:-debug}" = release ] && profile=()

start=$(date +%s)
cargo install --quiet --locked --path "$repo" --root "$tmp/root" "${profile[@]}"
echo "installed in $(($(date +%s) - start)) s (${INSTALL_PROFILE:-debug} profile)"
bin="$tmp/root/bin/signin-pages"

fail() {
    echo "install-check: $*" >&2
    exit 1
}

mkdir -p "$tmp/home" "$tmp/work"
cd "$tmp/work"
trace=()
command -v strace >/dev/null && trace=(strace -f -qq -e trace=%file -o "$tmp/files.trace")
# A user's shell, not this repository's: no cargo variables, no test switches.
sp() { # expected-exit args...
    local want=$1 got=0
    shift
    env -i PATH=/usr/bin:/bin HOME="$tmp/home" LANG=C.UTF-8 \
        "${trace[@]}" "$bin" "$@" >"$tmp/out" 2>"$tmp/err" || got=$?
    if [ "$got" != "$want" ]; then
        cat "$tmp/out" "$tmp/err" >&2
        fail "signin-pages $* exited $got, not $want"
    fi
    if [ ${#trace[@]} -gt 0 ] && grep -F "$repo" "$tmp/files.trace" >&2; then
        fail "signin-pages $* opened files of the repository ($repo)"
    fi
    echo "ok: signin-pages $*"
}

sp 0 --version
sp 0 init pages
[ -f pages/signin-pages.toml ] && [ -f pages/templates/sign-in.html ] || fail "init wrote no starter"
cd pages
sp 0 build
# The trace sees the project the binary read (else it would prove nothing).
[ ${#trace[@]} -eq 0 ] || grep -q 'signin-pages\.toml' "$tmp/files.trace" || fail "strace recorded no file"
[ -s dist/prod/Example/sign-in.html ] && [ -s dist/prod/Example/sign-in.json ] || fail "build wrote no page"
grep -Eq 'warning|error' "$tmp/err" && fail "the starter does not build clean: $(cat "$tmp/err")"
sp 0 check --deny-warnings
sp 1 test
sp 0 test --accept
[ -d snapshots ] || fail "test --accept wrote no snapshots"
sp 0 test
sp 0 explain C001
grep -q C001 "$tmp/out" || fail "explain C001 printed no explanation"
sp 0 completions bash
bash -n "$tmp/out" || fail "the bash completions do not parse"
for shell in zsh fish powershell; do
    sp 0 completions "$shell"
    [ -s "$tmp/out" ] || fail "no $shell completions"
done
sp 0 man
head -c 4096 "$tmp/out" | grep -q '^\.TH ' || fail "man printed no page"
sp 0 man --out-dir "$tmp/man/man1"
[ -f "$tmp/man/man1/signin-pages.1" ] && [ -f "$tmp/man/man1/signin-pages-kmsi-plan.1" ] ||
    fail "man --out-dir wrote no pages"
echo "install-check: the installed binary works outside the repository$([ ${#trace[@]} -gt 0 ] && echo ", and opened nothing in it")"
