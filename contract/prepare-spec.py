#!/usr/bin/env python3
"""Copy Okta's management spec and scrub what stops Prism from judging our requests.

The original is never touched: the scrubbed copy goes to --out-dir (default: a new temp
dir) and its path is printed on stdout. Three edits, each asserted so that a new spec
version makes the contract test fail loudly instead of silently testing something else:

1. `$ref` keys inside EXAMPLE VALUES -> `x-ref` (exactly EXPECTED_COUNT = 13 in v2026.06.3).
   Examples that show a JSON Schema (`allOf: [{$ref: '#/definitions/base'}]`) or an
   `example:` pointing at `#/components/examples/...` are data, but Prism's dereferencer
   follows every `$ref` key and dies at startup: `MissingPointerError: ... token
   "definitions" in "#/definitions/base" does not exist`. The YAML is read textually
   (stdlib only, no PyYAML): the chain of mapping keys is tracked by indentation, and a
   `$ref:` key is renamed only below `.../examples/<name>/value/...` or `.../example/...`
   (neither counts when it is a property name under `properties:`).
2. The policy-rule `oneOf` (12 branches + `discriminator` on `type`, the body of
   create/replace policy rule) is pinned to its discriminator: see pin_discriminator().
   Without it Prism rejects EVERY policy-rule body ("must match exactly one schema in oneOf").
3. PATCHES: verbatim fixes of broken patterns (TimeDuration), each matched exactly once.

usage: prepare-spec.py [--spec SPEC] [--out-dir DIR] [--expect N] [--verbose]
"""

import argparse
import hashlib
import os
import re
import sys
import tempfile

EXPECTED_COUNT = 13

# Verbatim fixes of schema bugs that make Prism reject requests a real org accepts.
# Each old text must occur exactly once. (label, old text, new text)
#
# TimeDuration.pattern (KeepMeSignedIn.postAuthPromptFrequency): `P(?:$)` demands the end
# of the string right after `P`, and `T(?:\d)` eats the first digit of the time part, so
# the pattern rejects every real duration: P30D, PT168H, even the spec's own examples
# (`P30D`, `PT720H`). A real org accepted PT168H (okta/observed-api-interactions.json).
# The intended lookaheads are `(?!$)` and `(?=\d)`.
PATCHES = [
    (
        "TimeDuration.pattern: (?:$) -> (?!$) and T(?:\\d) -> T(?=\\d)",
        "      pattern: ^P(?:$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?:\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$\n",
        "      pattern: ^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$\n",
    ),
]
SPEC_NAME = "management-oneOfInheritance.yaml"
KNOWN_SHA256 = "efcb1b558c88ee5188001fc417c1585264ccb81d19ff5a1c0cdbb282b37bf1b0"

# A mapping key at the start of a line (after optional "- " sequence markers).
# Keys are plain (no ": " inside), single- or double-quoted.
KEY_RE = re.compile(
    r"""^(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)"""
    r"""(?P<key>'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|(?:[^\s#'"\-?:,\[\]{}&*!|>%@`]|-(?=\S))(?:[^:\s]|:(?=\S)|[ ]+(?=[^#\s]))*)"""
    r"""[ ]*:(?:[ ]+(?P<rest>.*))?$"""
)
# A sequence entry whose content is not a mapping key ("- foo", "- |", "- ").
DASH_RE = re.compile(r"^(?P<indent>[ ]*)(?P<dashes>(?:-(?:[ ]+|$))+)(?P<rest>.*)$")
BLOCK_SCALAR_RE = re.compile(r"^[|>][-+0-9]*\s*(?:#.*)?$")


def shared_candidates(repo):
    """Where the shared folder may be, as the tests look for it (tests/support/mod.rs):
    $SIGNIN_PAGES_SHARED when set; else ../shared beside the repository, and beside its
    main checkout when this is a linked `git worktree`."""
    env = os.environ.get("SIGNIN_PAGES_SHARED")
    if env:
        return [env]
    roots = [repo]
    try:
        with open(os.path.join(repo, ".git")) as f:
            gitdir = f.read().strip()
        if gitdir.startswith("gitdir:"):
            gitdir = os.path.join(repo, gitdir[len("gitdir:"):].strip())
            with open(os.path.join(gitdir, "commondir")) as f:
                common = os.path.realpath(os.path.join(gitdir, f.read().strip()))
            roots.append(os.path.dirname(common))
    except OSError:
        pass  # .git is a folder (a main checkout) or absent: only ../shared
    return [os.path.join(r, "..", "shared") for r in roots]


def default_spec():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    tried = [os.path.normpath(os.path.join(d, "okta", SPEC_NAME)) for d in shared_candidates(repo)]
    for cand in tried:
        if os.path.isfile(cand):
            return cand
    sys.exit(
        "prepare-spec: cannot find Okta's spec at %s: put the shared folder beside the "
        "repository as ../shared, set SIGNIN_PAGES_SHARED to where it is, or pass --spec "
        "(CONTRACT_SPEC for contract/run.sh)" % " or ".join(tried)
    )


def unquote(key):
    if len(key) >= 2 and key[0] == key[-1] and key[0] in "'\"":
        return key[1:-1]
    return key


def opens_children(rest):
    """True when the value after `key:` is empty, i.e. children follow on later lines."""
    if rest is None:
        return True
    rest = rest.strip()
    if rest == "" or rest.startswith("#"):
        return True
    # An anchor alone (`key: &ref_3`) is followed by the anchored node's children.
    return re.fullmatch(r"&\S+(\s+#.*)?", rest) is not None


def in_example_value(keys):
    """keys: the chain of mapping keys from the document root to the current key."""
    for i, k in enumerate(keys):
        parent = keys[i - 1] if i >= 1 else None
        if k == "example" and parent != "properties":
            return True
        if (
            k == "value"
            and i >= 2
            and keys[i - 2] == "examples"
            and (i < 3 or keys[i - 3] != "properties")
        ):
            return True
    return False


def scrub(lines):
    """Returns (new_lines, hits) where hits = [(lineno, '/'-joined key path, target)]."""
    out = []
    hits = []
    stack = []  # entries: (column, key or None for a sequence item)
    scalar_owner = None  # column: lines indented deeper than this continue a scalar
    for lineno, line in enumerate(lines, 1):
        body = line.rstrip("\n").rstrip("\r")
        stripped = body.strip()
        indent = len(body) - len(body.lstrip(" "))
        if scalar_owner is not None:
            if stripped == "" or indent > scalar_owner:
                out.append(line)
                continue
            scalar_owner = None
        if stripped == "" or stripped.startswith("#") or stripped in ("---", "..."):
            out.append(line)
            continue
        if "\t" in body[:indent + 1]:
            raise SystemExit("prepare-spec: line %d: tab indentation is not supported" % lineno)

        m = KEY_RE.match(body)
        dm = None if m else DASH_RE.match(body)
        dashes = (m or dm).group("dashes") if (m or dm) else ""
        col = indent
        # Sequence markers: "- " at column col opens an item.
        for d in re.finditer(r"-[ ]*", dashes or ""):
            while stack and (stack[-1][0] > col or (stack[-1][0] == col and stack[-1][1] is None)):
                stack.pop()
            stack.append((col, None))
            col += len(d.group(0))
        if m:
            key = unquote(m.group("key").strip())
            while stack and stack[-1][0] >= col:
                stack.pop()
            keys = [k for _, k in stack if k is not None]
            rest = m.group("rest")
            if key == "$ref" and in_example_value(keys):
                path = "/".join(keys + [key])
                hits.append((lineno, path, (rest or "").strip()))
                start = m.start("key")
                body_new = body[:start] + "x-ref" + body[m.end("key"):]
                line = body_new + line[len(body):]
            if opens_children(rest):
                stack.append((col, key))
            else:
                # Inline scalar (possibly multi-line, quoted, folded or literal block).
                scalar_owner = col
        elif dm:
            # "- scalar" (or "- |"): its continuation lines are deeper than the dash.
            if dm.group("rest").strip() not in ("",):
                scalar_owner = indent
        else:
            # A continuation we did not expect (e.g. a multi-line flow collection at the
            # same indentation). Refuse rather than guess.
            raise SystemExit("prepare-spec: line %d: cannot parse: %r" % (lineno, body[:120]))
        out.append(line)
    return out, hits


def pin_discriminator(lines, marker_type="ACCESS_POLICY", marker_schema="AccessPolicyRule"):
    """Make the policy-rule `oneOf` + `discriminator` mean what the discriminator says.

    The spec types every policy-rule request body (create/replace rule) as
    `oneOf: [AccessPolicyRule, PasswordPolicyRule, ..., 12 branches]` with a `discriminator`
    on `type`. Prism validates with Ajv, which ignores `discriminator`; the branches are all
    `allOf: [PolicyRule, {...}]` without `additionalProperties: false`, so any sane body
    matches 9 or 10 of them and fails "must match exactly one schema in oneOf" -- even the
    rule a real org accepted in okta/observed-api-interactions.json. This rewrites each
    branch `- $ref: X` of that one anchored list into
    `- allOf: [{$ref: X}, {required: [type], properties: {type: {enum: [<its mapping key>]}}}]`,
    which is exactly the discriminator's meaning, so a body is checked against the branch
    its `type` names. Every alias of the anchored list (5 operations) gets the fix.

    Returns (new_lines, number_of_branches). Fails unless exactly one such block exists
    and its branches and mapping agree one to one.
    """
    one_of_re = re.compile(r"^(?P<i>[ ]*)oneOf: &ref_\d+\s*$")
    blocks = []
    for idx, line in enumerate(lines):
        m = one_of_re.match(line)
        if not m:
            continue
        ind = m.group("i")
        item_re = re.compile(r"^" + ind + r"  - \$ref: '#/components/schemas/(\w+)'\s*$")
        items = []
        j = idx + 1
        while j < len(lines) and item_re.match(lines[j]):
            items.append((j, item_re.match(lines[j]).group(1)))
            j += 1
        if not items or not re.match(r"^" + ind + r"discriminator: &ref_\d+\s*$", lines[j]):
            continue
        if lines[j + 1].strip() != "propertyName: type" or lines[j + 2].strip() != "mapping:":
            continue
        map_re = re.compile(r"^" + ind + r"    (\w+): '#/components/schemas/(\w+)'\s*$")
        mapping = {}
        k = j + 3
        while k < len(lines) and map_re.match(lines[k]):
            key, schema = map_re.match(lines[k]).groups()
            mapping[schema] = key
            k += 1
        if mapping.get(marker_schema) == marker_type:
            blocks.append((ind, items, mapping))
    if len(blocks) != 1:
        raise SystemExit("prepare-spec: FAIL: expected exactly one `oneOf: &ref_N` list with a discriminator "
                         "mapping %s -> %s, found %d" % (marker_type, marker_schema, len(blocks)))
    ind, items, mapping = blocks[0]
    if sorted(s for _, s in items) != sorted(mapping) or len(set(mapping.values())) != len(mapping):
        raise SystemExit("prepare-spec: FAIL: the policy-rule oneOf branches %s and the discriminator "
                         "mapping %s do not correspond one to one" % ([s for _, s in items], mapping))
    out = list(lines)
    for j, schema in reversed(items):
        nl = "\r\n" if lines[j].endswith("\r\n") else "\n"
        block = [
            ind + "  - allOf:",
            ind + "      - $ref: '#/components/schemas/%s'" % schema,
            ind + "      - type: object",
            ind + "        required:",
            ind + "          - type",
            ind + "        properties:",
            ind + "          type:",
            ind + "            enum:",
            ind + "              - %s" % mapping[schema],
        ]
        out[j:j + 1] = [b + nl for b in block]
    return out, len(items)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spec", default=None, help="spec to read (default: ../shared/okta/%s)" % SPEC_NAME)
    ap.add_argument("--out-dir", default=None, help="directory for the scrubbed copy (default: a new temp dir)")
    ap.add_argument("--expect", type=int, default=EXPECTED_COUNT, help="number of $ref keys that must be found")
    ap.add_argument("--verbose", action="store_true", help="list every renamed key")
    args = ap.parse_args()

    spec = args.spec or default_spec()
    with open(spec, "rb") as f:
        raw = f.read()
    digest = hashlib.sha256(raw).hexdigest()
    print("prepare-spec: spec %s" % spec, file=sys.stderr)
    if digest != KNOWN_SHA256:
        print("prepare-spec: note: %s has sha256 %s, not the known v2026.06.3 copy %s"
              % (spec, digest, KNOWN_SHA256), file=sys.stderr)
    text = raw.decode("utf-8")
    lines = text.splitlines(keepends=True)
    new_lines, hits = scrub(lines)

    if len(hits) != args.expect or args.verbose:
        for lineno, path, target in hits:
            print("prepare-spec: line %6d  %s -> %s" % (lineno, path, target), file=sys.stderr)
    if len(hits) != args.expect:
        print("prepare-spec: FAIL: expected exactly %d `$ref` keys inside example values, found %d. "
              "The spec changed: review the list above, then update EXPECTED_COUNT in %s."
              % (args.expect, len(hits), os.path.basename(__file__)), file=sys.stderr)
        return 1

    new_lines, pinned = pin_discriminator(new_lines)
    print("prepare-spec: pinned the policy-rule oneOf to its discriminator (%d branches, by `type`)"
          % pinned, file=sys.stderr)
    text_out = "".join(new_lines)
    for desc, old, new in PATCHES:
        n = text_out.count(old)
        if n != 1:
            print("prepare-spec: FAIL: patch %r: expected its text exactly once, found it %d times. "
                  "The spec changed: review PATCHES in %s." % (desc, n, os.path.basename(__file__)),
                  file=sys.stderr)
            return 1
        text_out = text_out.replace(old, new)
        print("prepare-spec: patched %s" % desc, file=sys.stderr)

    out_dir = args.out_dir or tempfile.mkdtemp(prefix="signin-pages-contract-")
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, SPEC_NAME)
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text_out)
    os.replace(tmp, out)
    print("prepare-spec: renamed %d `$ref` keys in example values to `x-ref` -> %s"
          % (len(hits), out), file=sys.stderr)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
