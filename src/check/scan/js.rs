//! Just enough JavaScript lexing for the checks: comments blanked, string and template
//! literals and regular expressions skipped, identifiers, member assignments and object
//! literal keys found. Every function takes the script's text (or its blanked copy) and
//! returns offsets into it.

use std::ops::Range;

/// `js` with its comments replaced by spaces (line breaks kept, so offsets and lines do
/// not move): `//…`, `/*…*/`, and the HTML-like comments browsers accept in classic
/// scripts, `<!--…` anywhere and `-->…` at the start of a line (after white space and
/// `/*…*/` comments only). String and template literals and regular expression literals
/// are skipped, not blanked, so `'//'` and `/\/*/` stay code. Comments inside a template
/// literal's `${…}` are left as they are.
pub fn blank_comments(js: &str) -> String {
    let b = js.as_bytes();
    let mut out = b.to_vec();
    let line_end = |i: usize| memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |e| i + e);
    let mut i = 0;
    while i < b.len() {
        // Only these bytes can start a comment or a literal.
        while i < b.len() && !STARTS[b[i] as usize] {
            i += 1;
        }
        let Some(&c) = b.get(i) else { break };
        let rest = &b[i..];
        let end = if rest.starts_with(b"//")
            || rest.starts_with(b"<!--")
            || (rest.starts_with(b"-->") && at_line_start(&out, i))
        {
            line_end(i)
        } else if rest.starts_with(b"/*") {
            memchr::memmem::find(&b[i + 2..], b"*/").map_or(b.len(), |e| i + 2 + e + 2)
        } else {
            i = match c {
                b'"' | b'\'' | b'`' => skip_string(b, i),
                b'/' if regex_may_start(&out, i) => skip_regex(b, i),
                _ => i + 1,
            };
            continue;
        };
        for c in &mut out[i..end] {
            if !matches!(*c, b'\n' | b'\r') {
                *c = b' ';
            }
        }
        i = end;
    }
    String::from_utf8(out).unwrap_or_else(|_| js.to_string())
}

/// The bytes that can start a comment or a literal: `/`, `<`, `-` and the quotes.
static STARTS: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 6 {
        t[b"/<-\"'`"[i] as usize] = true;
        i += 1;
    }
    t
};

/// Whether only white space (and blanked comments) stands before `at` on its line.
fn at_line_start(done: &[u8], at: usize) -> bool {
    done[..at]
        .iter()
        .rev()
        .take_while(|&&c| c != b'\n')
        .all(|c| c.is_ascii_whitespace())
}

/// Whether a `/` at `at` starts a regular expression rather than a division, from the
/// code before it (`done`, its comments already blanked): after an operator, an opening
/// bracket, `}` or one of the keywords after which an expression starts (`return /x/`);
/// not after a name, a number, `)`, `]` or the end of a literal.
fn regex_may_start(done: &[u8], at: usize) -> bool {
    let Some(last) = done[..at].iter().rposition(|c| !c.is_ascii_whitespace()) else {
        return true;
    };
    match done[last] {
        b')' | b']' | b'"' | b'\'' | b'`' | b'/' => false,
        c if is_ident_byte(c) => {
            let start = done[..last]
                .iter()
                .rposition(|&c| !is_ident_byte(c))
                .map_or(0, |p| p + 1);
            matches!(
                &done[start..=last],
                b"return"
                    | b"typeof"
                    | b"instanceof"
                    | b"in"
                    | b"of"
                    | b"new"
                    | b"delete"
                    | b"void"
                    | b"throw"
                    | b"case"
                    | b"do"
                    | b"else"
                    | b"yield"
                    | b"await"
            )
        }
        _ => true,
    }
}

/// The offset after a regular expression literal at `at`, or `at + 1` when the line
/// ends first (then it was a division).
fn skip_regex(b: &[u8], at: usize) -> usize {
    let mut j = at + 1;
    let mut class = false;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'\n' => return at + 1,
            b'[' => {
                class = true;
                j += 1;
            }
            b']' => {
                class = false;
                j += 1;
            }
            b'/' if !class => {
                j += 1;
                while j < b.len() && b[j].is_ascii_alphabetic() {
                    j += 1;
                }
                return j;
            }
            _ => j += 1,
        }
    }
    at + 1
}

/// The offset after the string or template literal starting at `at`: an unterminated
/// `'`/`"` string ends at the line break; a template literal's `${…}` substitutions are
/// skipped as code (with the strings and templates inside them).
pub fn skip_string(b: &[u8], at: usize) -> usize {
    let q = b[at];
    let mut j = at + 1;
    loop {
        let next = if q == b'`' {
            memchr::memchr3(q, b'\\', b'$', &b[j..])
        } else {
            memchr::memchr3(q, b'\\', b'\n', &b[j..])
        };
        let Some(p) = next.map(|p| j + p) else {
            return b.len();
        };
        match b[p] {
            b'\\' => j = p + 2,
            b'\n' => return p,
            b'$' if b.get(p + 1) == Some(&b'{') => j = skip_substitution(b, p + 2),
            b'$' => j = p + 1,
            _ => return p + 1,
        }
        if j >= b.len() {
            return b.len();
        }
    }
}

/// The offset after the `}` that closes a template substitution whose code starts at `from`.
fn skip_substitution(b: &[u8], from: usize) -> usize {
    brace_close(b, from).unwrap_or(b.len())
}

/// The offset after the `}` that closes the braces open at `from` (literals skipped), if
/// any does.
fn brace_close(b: &[u8], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = from;
    while j < b.len() {
        match b[j] {
            b'"' | b'\'' | b'`' => {
                j = skip_string(b, j);
                continue;
            }
            b'{' => depth += 1,
            b'}' if depth == 0 => return Some(j + 1),
            b'}' => depth -= 1,
            _ => {}
        }
        j += 1;
    }
    None
}

pub fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// A byte of an identifier (any byte of a non-ASCII character counts).
pub fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// Offsets of `word` in `code` as a whole identifier.
pub fn idents<'a>(code: &'a str, word: &'a str) -> impl Iterator<Item = usize> + 'a {
    let b = code.as_bytes();
    memchr::memmem::find_iter(b, word.as_bytes()).filter(move |&i| {
        (i == 0 || !is_ident_byte(b[i - 1]))
            && b.get(i + word.len()).is_none_or(|c| !is_ident_byte(*c))
    })
}

/// The range of a string literal (`'…'`, `"…"` or a template literal) starting at `at`,
/// quotes included; `None` when there is none or it is not closed.
pub fn string_literal(code: &str, at: usize) -> Option<Range<usize>> {
    let b = code.as_bytes();
    let q = *b.get(at)?;
    if !matches!(q, b'"' | b'\'' | b'`') {
        return None;
    }
    let end = skip_string(b, at);
    if end <= at + 1 || b.get(end - 1) != Some(&q) {
        return None;
    }
    Some(at..end)
}

/// After an object name at `at`: `.key =`, `["key"] =` or `['key'] =` (not `==`).
/// Returns the end of the member expression and the offset after `=`.
pub fn member_assignment(code: &str, at: usize, key: &str) -> Option<(usize, usize)> {
    let b = code.as_bytes();
    let p = skip_ws(b, at);
    let lhs_end = if b.get(p) == Some(&b'.') {
        let k = skip_ws(b, p + 1);
        let end = k + key.len();
        (code.get(k..end) == Some(key) && b.get(end).is_none_or(|c| !is_ident_byte(*c)))
            .then_some(end)?
    } else if b.get(p) == Some(&b'[') {
        let k = skip_ws(b, p + 1);
        let q = *b.get(k)?;
        if !matches!(q, b'"' | b'\'') {
            return None;
        }
        let end = k + 1 + key.len();
        if code.get(k + 1..end) != Some(key) || b.get(end) != Some(&q) {
            return None;
        }
        let close = skip_ws(b, end + 1);
        (b.get(close) == Some(&b']')).then_some(close + 1)?
    } else {
        return None;
    };
    let eq = skip_ws(b, lhs_end);
    (b.get(eq) == Some(&b'=') && !matches!(b.get(eq + 1), Some(b'=' | b'>')))
        .then_some((lhs_end, eq + 1))
}

/// In the object literal opening at `open`, the string value of the top-level `key`.
pub fn object_key_string(code: &str, open: usize, key: &str) -> Option<Range<usize>> {
    let b = code.as_bytes();
    let mut depth = 0usize;
    let mut expect_key = true;
    let mut i = open + 1;
    while i < b.len() {
        let c = b[i];
        match c {
            b'{' | b'(' | b'[' => {
                depth += 1;
                expect_key = false;
            }
            b'}' | b')' | b']' => {
                if depth == 0 {
                    return None;
                }
                depth -= 1;
            }
            b',' if depth == 0 => expect_key = true,
            b'"' | b'\'' | b'`' if !(expect_key && depth == 0) => {
                i = skip_string(b, i);
                continue;
            }
            c if c.is_ascii_whitespace() => {}
            _ if expect_key && depth == 0 => {
                expect_key = false;
                let (name, end) = if matches!(c, b'"' | b'\'') {
                    let end = skip_string(b, i);
                    (code.get(i + 1..end.saturating_sub(1)).unwrap_or(""), end)
                } else {
                    let mut e = i;
                    while e < b.len() && is_ident_byte(b[e]) {
                        e += 1;
                    }
                    (code.get(i..e).unwrap_or(""), e.max(i + 1))
                };
                let colon = skip_ws(b, end);
                if name == key && b.get(colon) == Some(&b':') {
                    return string_literal(code, skip_ws(b, colon + 1));
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// One `key: value` of an object literal: the key as the object has it (quotes dropped,
/// escapes not resolved), the ranges of the key as written (quotes included) and of the
/// value expression, and the value when it is a literal that needs no running: a string
/// without escapes or `${…}`, or a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub key_range: Range<usize>,
    pub value_range: Range<usize>,
    pub literal: Option<String>,
}

/// The top-level `key: value` entries of the object literal opening at `open`, in order.
/// Computed keys (`[k]: v`), spreads (`...x`), shorthands (`a,`) and methods are left out.
pub fn object_entries(code: &str, open: usize) -> Vec<Entry> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = skip_ws(b, open + 1);
    while i < b.len() && b[i] != b'}' {
        // The key.
        let (key, key_range) = match b[i] {
            b'"' | b'\'' => {
                let end = skip_string(b, i);
                (code.get(i + 1..end.saturating_sub(1)), i..end)
            }
            c if is_ident_byte(c) => {
                let mut e = i;
                while e < b.len() && is_ident_byte(b[e]) {
                    e += 1;
                }
                (code.get(i..e), i..e)
            }
            _ => (None, i..i),
        };
        let colon = skip_ws(b, key_range.end);
        // The value (or whatever stands here) runs to the next top-level `,` or the `}`.
        let from = if key.is_some() && b.get(colon) == Some(&b':') {
            skip_ws(b, colon + 1)
        } else {
            key_range.end.max(i)
        };
        let end = entry_end(b, from);
        if let Some(key) = key.filter(|_| b.get(colon) == Some(&b':')) {
            let value = code.get(from..end).unwrap_or("").trim_end();
            out.push(Entry {
                key: key.to_string(),
                key_range,
                value_range: from..from + value.len(),
                literal: literal(value),
            });
        }
        if end >= b.len() || b[end] != b',' {
            break;
        }
        i = skip_ws(b, end + 1);
    }
    out
}

/// A string literal's text (no escapes, no substitutions) or a number's.
fn literal(value: &str) -> Option<String> {
    let b = value.as_bytes();
    match b.first()? {
        q @ (b'"' | b'\'' | b'`') => {
            let inner = value.strip_prefix(*q as char)?.strip_suffix(*q as char)?;
            let computed = inner.contains('\\')
                || inner.contains(*q as char)
                || (*q == b'`' && inner.contains("${"));
            (!computed).then(|| inner.to_string())
        }
        c if c.is_ascii_digit() || *c == b'.' || *c == b'-' => value
            .parse::<f64>()
            .is_ok_and(f64::is_finite)
            .then(|| value.to_string()),
        _ => None,
    }
}

/// The offset of the `,` or closing bracket that ends an entry (or an argument) starting
/// at `from`, skipping nested brackets and literals.
fn entry_end(b: &[u8], from: usize) -> usize {
    let mut depth = 0usize;
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'"' | b'\'' | b'`' => {
                i = skip_string(b, i);
                continue;
            }
            b'{' | b'(' | b'[' => depth += 1,
            b'}' | b')' | b']' if depth == 0 => return i,
            b'}' | b')' | b']' => depth -= 1,
            b',' if depth == 0 => return i,
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// The offset just after the `)` matching the `(` at `open`.
pub fn matching_paren(code: &str, open: usize) -> Option<usize> {
    let b = code.as_bytes();
    let end = entry_end(b, open + 1);
    // Arguments are separated by top-level commas: step over them.
    let mut at = end;
    while at < b.len() && b[at] == b',' {
        at = entry_end(b, at + 1);
    }
    (b.get(at) == Some(&b')')).then_some(at + 1)
}

/// The offset just after the `}` matching the `{` at `open`.
pub fn matching_brace(code: &str, open: usize) -> Option<usize> {
    brace_close(code.as_bytes(), open + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_entries_with_their_ranges() {
        let code = "{ a: 'x', \"b-c\": 1.5, d: f(1, 2), e: { f: 1 }, g: `t${x}`, 'h': \"q\\\"\" }";
        let entries = object_entries(code, 0);
        let got: Vec<(&str, &str, Option<&str>)> = entries
            .iter()
            .map(|e| {
                (
                    e.key.as_str(),
                    &code[e.value_range.clone()],
                    e.literal.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("a", "'x'", Some("x")),
                ("b-c", "1.5", Some("1.5")),
                ("d", "f(1, 2)", None),
                ("e", "{ f: 1 }", None),
                ("g", "`t${x}`", None),
                ("h", "\"q\\\"\"", None),
            ]
        );
        assert_eq!(&code[entries[1].key_range.clone()], "\"b-c\"");
        // Spreads and shorthands are skipped, the entries after them kept.
        let code = "{ ...base, x, y: '1px' }";
        let keys: Vec<String> = object_entries(code, 0).into_iter().map(|e| e.key).collect();
        assert_eq!(keys, ["y"]);
    }

    #[test]
    fn comments_are_blanked() {
        let js = "a = 'x // y'; // OktaUtil\n/* OktaUtil */ b = /\\/*/; <!-- c\n --> d\ne";
        let out = blank_comments(js);
        assert_eq!(out.len(), js.len());
        assert!(!out.contains("OktaUtil"), "{out}");
        assert!(out.contains("'x // y'"), "{out}");
        assert!(out.contains("/\\/*/"), "{out}");
        assert!(out.ends_with("\ne"), "{out}");
        assert!(!out.contains(" c") && !out.contains(" d"), "{out}");
    }

    #[test]
    fn regular_expressions_and_templates_stay_code() {
        // A regex holding `//` or `/*`, after `(`, `=` and a keyword.
        let js =
            "x.replace(/https?:\\/\\//, ''); var r = /a\\/*b/; function f() { return /[/*]/g; }";
        assert_eq!(blank_comments(js), js);
        // Division is not a regex: what follows `//` is a comment.
        assert_eq!(blank_comments("a = b / c; // d"), "a = b / c;     ");
        assert_eq!(blank_comments("f(x) / 2 // y"), "f(x) / 2     ");
        // A template literal with a substitution holding a backtick string.
        let js = "t = `a ${ `//` } b // c`; // d";
        assert_eq!(blank_comments(js), "t = `a ${ `//` } b // c`;     ");
        // `-->` counts only at the start of a line.
        assert_eq!(blank_comments("a --> b"), "a --> b");
        assert_eq!(blank_comments("/* x */ --> b"), " ".repeat(13));
    }

    #[test]
    fn finds_el_in_object_literals() {
        let code = "x.renderEl({ i18n: { el: 'no' }, 'el': \"#a\" }, f)";
        let open = code.find('{').unwrap();
        let r = object_key_string(code, open, "el").unwrap();
        assert_eq!(&code[r], "\"#a\"");
        assert_eq!(object_key_string("{ el: mount }", 0, "el"), None);
    }

    #[test]
    fn object_literal_entries() {
        let code = "{ fr: { 'a.b': 'x', \"c\": f(1, 2) }, ...o, [k]: 1, d, e: [1, {z: 2}] }";
        let got: Vec<(String, &str)> = object_entries(code, 0)
            .into_iter()
            .map(|e| (e.key, &code[e.value_range]))
            .collect();
        assert_eq!(
            got,
            [
                ("fr".to_string(), "{ 'a.b': 'x', \"c\": f(1, 2) }"),
                ("e".to_string(), "[1, {z: 2}]"),
            ]
        );
        let inner = code.find("{ 'a").unwrap();
        let keys: Vec<String> = object_entries(code, inner)
            .into_iter()
            .map(|e| e.key)
            .collect();
        assert_eq!(keys, ["a.b", "c"]);
        assert_eq!(matching_paren("f(a, (b), {c: ')'}) x", 1), Some(19));
    }

    #[test]
    fn member_assignments() {
        let code = "config [ \"features\" ] = {}";
        assert!(member_assignment(code, 6, "features").is_some());
        assert!(member_assignment("config.features == {}", 6, "features").is_none());
        assert!(member_assignment("config.featuresX = {}", 6, "features").is_none());
        assert!(member_assignment("config.features.x = {}", 6, "features").is_none());
    }

    #[test]
    fn identifiers_and_strings() {
        let code = "OktaUtil; xOktaUtil; OktaUtil2; $OktaUtil; (OktaUtil)";
        assert_eq!(idents(code, "OktaUtil").collect::<Vec<_>>(), [0, 44]);
        assert_eq!(string_literal("'a' b", 0), Some(0..3));
        assert_eq!(string_literal("'a\n'", 0), None);
        assert_eq!(matching_brace("{ '}' { } }", 0), Some(11));
    }
}
