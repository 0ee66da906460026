#!/usr/bin/env bash
# Contract test: every request signin-pages sends must be valid per Okta's official
# Management API spec, as judged by Prism (mock mode) on a scrubbed copy of the spec.
#
# usage: contract/run.sh [-f FILE] [COMMAND ...]
#   COMMAND  one shell line per argument (run with bash, `set -euo pipefail`, in the repo root)
#   -f FILE  read the commands from FILE, one per line (# comments and blank lines skipped)
#   neither  read contract/commands.default
# A command may start with `exit=N: ` (or `exit=0,2: `) when it must exit with N, e.g. `diff`.
#
# Commands see: $SIGNIN_PAGES (the binary), $CONTRACT_CALLS (contract/calls.rs, built), $PROJECT (a scratch copy of contract/project,
# or of $PROJECT if set), $CONTRACT_BASE_URL (http://127.0.0.1:4010), $CONTRACT_TOKEN and
# OKTA_API_TOKEN (a dummy token), $CONTRACT_AUTH (the Authorization header value),
# $CONTRACT_BRAND (the brand name Prism's example returns), $CONTRACT_WORK (scratch dir) and
# the shell functions `okta METHOD PATH [BODY_FILE]` and `json_get FILE EXPR`.
#
# Exit 1 when Prism logged a request violation or a command exited with an unexpected code.
# Environment knobs: CONTRACT_PORT (4010), CONTRACT_SPEC (the spec file), SIGNIN_PAGES,
# PROJECT, CONTRACT_STARTUP_TIMEOUT (90 s), CONTRACT_CMD_TIMEOUT (120 s),
# CONTRACT_MIN_REQUESTS (1: fewer requests than that means the commands missed Prism),
# CONTRACT_KEEP=1 (keep the scratch dir with the scrubbed spec).
set -euo pipefail

PRISM_VERSION=5.14.2
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
HOST=127.0.0.1
PORT=${CONTRACT_PORT:-4010}
PRISM_DIR=$ROOT/contract/.prism
PRISM=$PRISM_DIR/node_modules/.bin/prism
LOG_DIR=$PRISM_DIR/logs
LOG=$LOG_DIR/prism.log
STARTUP_TIMEOUT=${CONTRACT_STARTUP_TIMEOUT:-90}
CMD_TIMEOUT=${CONTRACT_CMD_TIMEOUT:-120}
T0=$SECONDS

say() { printf 'contract: %s\n' "$*"; }
die() { printf 'contract: FAIL: %s\n' "$*" >&2; exit 1; }

# ---- commands -----------------------------------------------------------------------------
COMMANDS=()
if [ $# -ge 2 ] && [ "$1" = "-f" ]; then
    CMD_FILE=$2
    shift 2
elif [ $# -eq 0 ]; then
    CMD_FILE=$ROOT/contract/commands.default
else
    CMD_FILE=
fi
if [ -n "$CMD_FILE" ]; then
    [ -f "$CMD_FILE" ] || die "no command file $CMD_FILE"
    while IFS= read -r line || [ -n "$line" ]; do
        trimmed="${line#"${line%%[![:space:]]*}"}"
        [ -z "$trimmed" ] && continue
        [ "${trimmed:0:1}" = "#" ] && continue
        COMMANDS+=("$trimmed")
    done <"$CMD_FILE"
fi
COMMANDS+=("$@")
[ ${#COMMANDS[@]} -gt 0 ] || die "no commands to run"

# ---- tools --------------------------------------------------------------------------------
command -v node >/dev/null || die "node is not installed (Prism $PRISM_VERSION needs Node >= 18.20.1)"
command -v curl >/dev/null || die "curl is not installed"
command -v python3 >/dev/null || die "python3 is not installed"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 18 ] || die "Node $(node --version) is too old for Prism $PRISM_VERSION (needs >= 18.20.1)"

installed=$(node -p "try{require('$PRISM_DIR/node_modules/@stoplight/prism-cli/package.json').version}catch(e){''}" 2>/dev/null || true)
if [ ! -x "$PRISM" ] || [ "$installed" != "$PRISM_VERSION" ]; then
    command -v npm >/dev/null || die "npm is not installed"
    say "installing @stoplight/prism-cli@$PRISM_VERSION into contract/.prism (had: ${installed:-none})"
    mkdir -p "$PRISM_DIR"
    timeout 600 npm install --prefix "$PRISM_DIR" --no-audit --no-fund --loglevel=error \
        "@stoplight/prism-cli@$PRISM_VERSION" || die "npm install of Prism failed"
    [ -x "$PRISM" ] || die "npm install did not produce $PRISM"
fi

# ---- scratch dir, cleanup ------------------------------------------------------------------
CONTRACT_WORK=$(mktemp -d "${TMPDIR:-/tmp}/signin-pages-contract.XXXXXX")
PRISM_PID=
CMD_PID=
stop_prism() {
    if [ -n "$PRISM_PID" ] && kill -0 "$PRISM_PID" 2>/dev/null; then
        kill -TERM "$PRISM_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$PRISM_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$PRISM_PID" 2>/dev/null || true
        wait "$PRISM_PID" 2>/dev/null || true
    fi
    PRISM_PID=
}
cleanup() {
    if [ -n "$CMD_PID" ] && kill -0 "$CMD_PID" 2>/dev/null; then
        kill -TERM "$CMD_PID" 2>/dev/null || true   # `timeout` passes it on to the command
        wait "$CMD_PID" 2>/dev/null || true
    fi
    stop_prism
    if [ "${CONTRACT_KEEP:-}" = 1 ]; then
        say "kept scratch dir $CONTRACT_WORK"
    else
        rm -rf "$CONTRACT_WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- spec ---------------------------------------------------------------------------------
spec_args=()
[ -n "${CONTRACT_SPEC:-}" ] && spec_args=(--spec "$CONTRACT_SPEC")
SPEC=$(python3 "$ROOT/contract/prepare-spec.py" "${spec_args[@]}" --out-dir "$CONTRACT_WORK/spec") \
    || die "could not prepare the spec (see above)"

# ---- the binary and the project the commands use -------------------------------------------
if [ -z "${SIGNIN_PAGES:-}" ]; then
    SIGNIN_PAGES=$ROOT/target/debug/signin-pages
    if printf '%s\n' "${COMMANDS[@]}" | grep -q 'SIGNIN_PAGES'; then
        say "building signin-pages (cargo build)"
        cargo build --quiet --bin signin-pages || die "cargo build failed"
        target_dir=$(cargo metadata --format-version 1 --no-deps |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])') ||
            die "cargo metadata failed"
        SIGNIN_PAGES=$target_dir/debug/signin-pages
        [ -x "$SIGNIN_PAGES" ] || die "no binary at $SIGNIN_PAGES after cargo build"
    fi
fi
export SIGNIN_PAGES
# The driver for the Okta calls no command makes yet (contract/calls.rs), built the same way.
if [ -z "${CONTRACT_CALLS:-}" ]; then
    CONTRACT_CALLS=$ROOT/target/debug/examples/contract-calls
    if printf '%s\n' "${COMMANDS[@]}" | grep -q 'CONTRACT_CALLS'; then
        say "building the contract-calls driver (cargo build --example contract-calls)"
        cargo build --quiet --example contract-calls || die "cargo build of contract-calls failed"
        target_dir=$(cargo metadata --format-version 1 --no-deps |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])') ||
            die "cargo metadata failed"
        CONTRACT_CALLS=$target_dir/debug/examples/contract-calls
        [ -x "$CONTRACT_CALLS" ] || die "no driver at $CONTRACT_CALLS after cargo build"
    fi
fi
export CONTRACT_CALLS
# The commands work on a scratch copy: deploy writes backups and state, pull rewrites it.
PROJECT_SRC=${PROJECT:-$ROOT/contract/project}
[ -f "$PROJECT_SRC/signin-pages.toml" ] || die "no signin-pages.toml in $PROJECT_SRC"
mkdir -p "$CONTRACT_WORK/project"
cp -R "$PROJECT_SRC/." "$CONTRACT_WORK/project/"
rm -rf "$CONTRACT_WORK/project/dist" "$CONTRACT_WORK/project/.signin-pages"
export PROJECT=$CONTRACT_WORK/project
export CONTRACT_BASE_URL="http://$HOST:$PORT"
export CONTRACT_TOKEN=00contract-test-token
# The tool's token variables point at the dummy token only: a real one must never reach
# Prism, and no OAuth or SDK setting may send the commands elsewhere.
export OKTA_API_TOKEN=$CONTRACT_TOKEN
unset OKTA_CLIENT_TOKEN OKTA_CLIENT_ORGURL OKTA_CLIENT_AUTHORIZATIONMODE OKTA_CLIENT_CLIENTID \
    OKTA_CLIENT_PRIVATEKEY OKTA_CLIENT_SCOPES 2>/dev/null || true
export CONTRACT_AUTH="SSWS $CONTRACT_TOKEN"
export CONTRACT_BRAND="Okta Default"
export CONTRACT_WORK

# okta METHOD PATH [BODY_FILE]: one request, like the tool will send it. Body in
# $CONTRACT_WORK/last.json; fails unless the status is 2xx.
okta() {
    local method=$1 path=$2 body=${3:-} code
    local args=(-sS --max-time 30 -o "$CONTRACT_WORK/last.json" -w '%{http_code}' -X "$method"
        -H "Authorization: $CONTRACT_AUTH" -H 'Accept: application/json'
        -H 'User-Agent: signin-pages-contract-test')
    if [ -n "$body" ]; then
        args+=(-H 'Content-Type: application/json' --data-binary "@$body")
    fi
    code=$(curl "${args[@]}" "$CONTRACT_BASE_URL$path") || return 1
    printf '    %s %s -> %s\n' "$method" "$path" "$code"
    case $code in
        2??) return 0 ;;
        *) printf '    body: %s\n' "$(head -c 400 "$CONTRACT_WORK/last.json")"; return 1 ;;
    esac
}
# json_get FILE EXPR: print a value of a JSON file; EXPR is Python over `d`, e.g.
#   json_get "$CONTRACT_WORK/last.json" '[b["id"] for b in d if b["name"] == "Okta Default"][0]'
json_get() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=eval(sys.argv[2]); print(v if isinstance(v,str) else json.dumps(v))' "$1" "$2"
}
export -f okta json_get

# ---- start Prism ---------------------------------------------------------------------------
if curl -s -o /dev/null --max-time 2 "$CONTRACT_BASE_URL/"; then
    die "something already listens on $HOST:$PORT; stop it or set CONTRACT_PORT"
fi
mkdir -p "$LOG_DIR"
: >"$LOG"
say "starting Prism $PRISM_VERSION on $CONTRACT_BASE_URL (static examples, --errors=false), log: ${LOG#"$ROOT"/}"
t_start=$SECONDS
"$PRISM" mock -h "$HOST" -p "$PORT" --errors=false "$SPEC" >"$LOG" 2>&1 </dev/null &
PRISM_PID=$!
ready=
while [ $((SECONDS - t_start)) -lt "$STARTUP_TIMEOUT" ]; do
    if ! kill -0 "$PRISM_PID" 2>/dev/null; then
        tail -n 40 "$LOG" >&2
        die "Prism exited during startup (log above)"
    fi
    # Any HTTP answer (Prism says 404 for /) means it is serving.
    if curl -s -o /dev/null --max-time 2 "$CONTRACT_BASE_URL/__contract_ready"; then
        ready=1
        break
    fi
    sleep 0.5
done
if [ -z "$ready" ]; then
    tail -n 40 "$LOG" >&2
    die "Prism did not answer within ${STARTUP_TIMEOUT}s"
fi
sleep 0.3
FROM_LINE=$(wc -l <"$LOG")   # the readiness probes are above this line
say "Prism ready after $((SECONDS - t_start))s"

# ---- run the commands ----------------------------------------------------------------------
failed_cmds=0
n=0
for cmd in "${COMMANDS[@]}"; do
    n=$((n + 1))
    expect=0
    if [[ $cmd =~ ^exit=([0-9]+(,[0-9]+)*):[[:space:]]*(.*)$ ]]; then
        expect=${BASH_REMATCH[1]}
        cmd=${BASH_REMATCH[3]}
    fi
    say "[$n/${#COMMANDS[@]}] $cmd"
    before=$(grep -c 'Request received' "$LOG" || true)
    # In the background + `wait`, so that a TERM/INT to this script runs the trap at once.
    timeout --kill-after=5 "$CMD_TIMEOUT" bash -c "set -euo pipefail; $cmd" </dev/null &
    CMD_PID=$!
    rc=0
    wait "$CMD_PID" || rc=$?
    CMD_PID=
    sleep 0.2
    after=$(grep -c 'Request received' "$LOG" || true)
    say "    exit $rc, $((after - before)) request(s) to Prism"
    if [[ ",$expect," != *",$rc,"* ]]; then
        [ $rc -eq 124 ] && say "    timed out after ${CMD_TIMEOUT}s"
        say "    UNEXPECTED: expected exit $expect"
        failed_cmds=$((failed_cmds + 1))
    fi
done

# ---- stop Prism (flushes its log), then judge ------------------------------------------------
sleep 0.5
stop_prism
set +e
python3 "$ROOT/contract/prism-log.py" "$LOG" --from-line="$FROM_LINE" --min-requests="${CONTRACT_MIN_REQUESTS:-1}"
violations_rc=$?
set -e
say "${#COMMANDS[@]} command(s), $failed_cmds failed unexpectedly; total $((SECONDS - T0))s"
if [ $violations_rc -ne 0 ] || [ $failed_cmds -ne 0 ]; then
    say "full Prism log: ${LOG#"$ROOT"/}"
    die "the contract with Okta's spec is broken (see above)"
fi
say "OK: no request violated Okta's spec"
