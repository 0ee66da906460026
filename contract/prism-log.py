#!/usr/bin/env python3
"""Read a Prism 5 mock log and report every request that the spec does not allow.

usage: prism-log.py LOG [--from-line=N] [--min-requests=N] [--quiet]

Prism (5.14.2, `prism mock`, text log) writes one block per request:

    [5:11:01 AM] › [HTTP SERVER] put /api/v1/brands/x/pages/sign-in/preview ℹ  info      Request received
    [5:11:01 AM] ›     [VALIDATOR] ⚠  warning   Request did not pass the validation rules
    [5:11:01 AM] ›     [VALIDATOR] ✖  error     Request body property widgetVersion must be string
    [5:11:01 AM] ›     [VALIDATOR] ✖  error     Violation: request.body.widgetVersion Request body property ...
    [5:11:01 AM] › [HTTP SERVER] get /api/v1/nosuchthing ✖  error     Request terminated with error: https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR: ...

A request is a VIOLATION when its block holds any of
  * `Request did not pass the validation rules`  (body, query, path, header, content type, security)
  * `Violation: request`                          (one line per failing request field)
  * `Request terminated with error:`              (no such path or method, 401, 422, ...)
`Violation: response...` lines are about Prism's own generated answers (the spec's
examples and schemas disagree in places); they are counted and shown, never fatal.

Exit status: 0 when no request violated the spec (and at least --min-requests requests
were seen), 1 otherwise, 2 on usage errors.
"""

import re
import sys

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
RECEIVED = re.compile(r"\[HTTP SERVER\] (?P<method>[a-z]+) (?P<path>\S+) .*Request received")
TERMINATED = re.compile(r"\[HTTP SERVER\] (?P<method>[a-z]+) (?P<path>\S+) .*Request terminated with error: (?P<why>.*)")
DID_NOT_PASS = "Request did not pass the validation rules"
REQ_VIOLATION = re.compile(r"Violation: (?P<what>request\S*) (?P<msg>.*)")
RESP_VIOLATION = re.compile(r"Violation: (?P<what>response\S*) (?P<msg>.*)")
VALIDATOR_ERROR = re.compile(r"\[VALIDATOR\] \S+\s+error\s+(?P<msg>.*)")


def analyse(lines):
    requests = []  # dicts: method, path, problems[], response_violations
    current = None
    for raw in lines:
        line = ANSI.sub("", raw.rstrip("\n"))
        m = RECEIVED.search(line)
        if m:
            current = {"method": m.group("method").upper(), "path": m.group("path"),
                       "problems": [], "invalid": False, "response_violations": 0}
            requests.append(current)
            continue
        m = TERMINATED.search(line)
        if m:
            # Belongs to the latest request with that method and path.
            for r in reversed(requests):
                if r["method"] == m.group("method").upper() and r["path"] == m.group("path"):
                    r["invalid"] = True
                    r["problems"].append("terminated: " + m.group("why").strip())
                    break
            continue
        if current is None:
            continue
        if DID_NOT_PASS in line:
            current["invalid"] = True
            continue
        m = REQ_VIOLATION.search(line)
        if m:
            current["invalid"] = True
            current["problems"].append("%s: %s" % (m.group("what"), m.group("msg")))
            continue
        if RESP_VIOLATION.search(line):
            current["response_violations"] += 1
            continue
        m = VALIDATOR_ERROR.search(line)
        if m and not m.group("msg").startswith("Violation:"):
            # Detail lines like "Invalid security scheme used" (no "Violation:" twin).
            current.setdefault("details", []).append(m.group("msg"))
    # The policy-rule oneOf is pinned by prepare-spec.py: a body of type ACCESS_POLICY also
    # fails the 11 other branches with "type must be equal to one of the allowed values: X".
    # That is noise when the request has a real problem too.
    branch_noise = re.compile(r"^request\.body\.type: .*must be equal to one of the allowed values: [A-Z_]+$")
    for r in requests:
        if r["invalid"] and not any(p.startswith("request") for p in r["problems"]):
            r["problems"].extend(r.get("details", []))
        kept = [p for p in r["problems"] if not branch_noise.match(p)]
        if kept:
            r["problems"] = kept
    return requests


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    quiet = "--quiet" in argv
    start = 0
    min_requests = 0
    for a in argv:
        if a.startswith("--from-line="):
            start = int(a.split("=", 1)[1])
        elif a.startswith("--min-requests="):
            min_requests = int(a.split("=", 1)[1])
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8", errors="replace") as f:
        lines = f.readlines()[start:]
    requests = analyse(lines)
    bad = [r for r in requests if r["invalid"]]
    resp = sum(r["response_violations"] for r in requests)
    if not quiet:
        for r in requests:
            mark = "VIOLATION" if r["invalid"] else "ok       "
            print("  %s %-6s %s" % (mark, r["method"], r["path"]))
            if r["invalid"]:
                seen = set()
                for p in r["problems"]:
                    if p not in seen:
                        seen.add(p)
                        print("              - " + p)
        print("contract: %d request(s) seen by Prism, %d request violation(s)"
              " (and %d response-schema complaint(s) about Prism's own mock answers, ignored)"
              % (len(requests), len(bad), resp))
    if len(requests) < min_requests:
        print("contract: only %d request(s) reached Prism, expected at least %d: are the commands "
              "pointed at $CONTRACT_BASE_URL?" % (len(requests), min_requests))
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
