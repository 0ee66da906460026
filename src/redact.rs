//! Secrets in text: finding them (for `S001`) and hiding them in everything signin-pages
//! prints.
//!
//! [`find`] knows the shapes: an Okta API token (`SSWS …`, or a bare 42-character
//! `00…` token of mixed case), a private key (`-----BEGIN … PRIVATE KEY-----` and its
//! body) and an app's client secret (the quoted value after `client_secret` /
//! `clientSecret`, or a `client_secret=` query parameter). [`mask`] hides every one of
//! them in a text — keeping its first four characters, its length in bytes and its line
//! breaks, so offsets, lines and columns computed on the original still fit. Every
//! renderer of diagnostics masks the source lines and messages it prints: whatever a
//! finding points at, a secret beside it is never shown.

use std::borrow::Cow;
use std::ops::Range;

/// What kind of secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    ApiToken,
    PrivateKey,
    ClientSecret,
}

/// One secret in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    /// What a finding points at: the token or client secret; for a private key, its
    /// `-----BEGIN … PRIVATE KEY-----` marker.
    pub at: Range<usize>,
    /// The bytes to hide: the token or client secret; for a private key, its body.
    pub hidden: Range<usize>,
}

/// Every secret in `text`, in order, none overlapping another.
pub fn find(text: &str) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    for r in ssws_tokens(text).into_iter().chain(bare_tokens(text)) {
        if !found
            .iter()
            .any(|f| f.at.start < r.end && r.start < f.at.end)
        {
            found.push(Found {
                kind: Kind::ApiToken,
                at: r.clone(),
                hidden: r,
            });
        }
    }
    for (marker, body) in private_keys(text) {
        found.push(Found {
            kind: Kind::PrivateKey,
            at: marker,
            hidden: body,
        });
    }
    for r in client_secrets(text) {
        if !found
            .iter()
            .any(|f| f.hidden.start < r.end && r.start < f.hidden.end)
        {
            found.push(Found {
                kind: Kind::ClientSecret,
                at: r.clone(),
                hidden: r,
            });
        }
    }
    found.sort_by_key(|f| f.at.start);
    found
}

/// `text` with every secret hidden: the first four characters of a token or client
/// secret stay (as messages show them), the rest and every character of a key's body
/// become `*` — a character of the same UTF-8 length, so that every byte offset
/// still falls where it did — and line breaks stay.
pub fn mask(text: &str) -> Cow<'_, str> {
    let found = find(text);
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for f in found {
        let r = f.hidden;
        if r.start < last {
            continue;
        }
        out.push_str(&text[last..r.start]);
        let keep = if f.kind == Kind::PrivateKey { 0 } else { 4 };
        for (i, c) in text[r.clone()].chars().enumerate() {
            if i < keep || matches!(c, '\n' | '\r') {
                out.push(c);
            } else {
                // Same UTF-8 length as `c`.
                out.push_str(["*", "\u{b7}", "\u{2022}", "\u{1d54a}"][c.len_utf8() - 1]);
            }
        }
        last = r.end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// `00ab…, 42 characters`: at most the first four characters.
pub fn preview(secret: &str) -> String {
    let head: String = secret.chars().take(4).collect();
    format!("{head}…, {} characters", secret.chars().count())
}

/// Characters of an Okta API token.
fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The token after `SSWS ` (as in an `Authorization` header).
fn ssws_tokens(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = memchr::memmem::find(&b[from..], b"SSWS").map(|p| from + p) {
        from = p + 4;
        if p > 0 && b[p - 1].is_ascii_alphanumeric() {
            continue;
        }
        let mut i = p + 4;
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        if i == p + 4 {
            continue;
        }
        let start = i;
        while i < b.len() && is_token_char(b[i]) {
            i += 1;
        }
        if i - start >= 20 {
            out.push(start..i);
        }
    }
    out
}

/// A bare 42-character token starting with `00`, of mixed case, on its own: a 42-character
/// stretch of a longer base64 run (a `data:` URI, say) is not one.
fn bare_tokens(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let base64ish = |c: u8| is_token_char(c) || c == b'+' || c == b'/';
    let mut out = Vec::new();
    // Only a run of token characters that starts with `00` can be one: look for `00`.
    let mut from = 0;
    while let Some(start) = memchr::memmem::find(&b[from..], b"00").map(|p| from + p) {
        from = start + 1;
        if start > 0 && is_token_char(b[start - 1]) {
            continue;
        }
        let mut i = start;
        while i < b.len() && is_token_char(b[i]) {
            i += 1;
        }
        from = i;
        let run = &b[start..i];
        let before_ok = start == 0 || !base64ish(b[start - 1]);
        let after_ok = i == b.len() || !(base64ish(b[i]) || b[i] == b'=');
        if run.len() == 42
            && before_ok
            && after_ok
            && run.iter().any(u8::is_ascii_uppercase)
            && run.iter().any(u8::is_ascii_lowercase)
        {
            out.push(start..i);
        }
    }
    out
}

/// `-----BEGIN … PRIVATE KEY-----` markers, each with its body: up to the matching
/// `-----END` marker, or else to the end of the run of base64 (and `\n` escapes, as in a
/// JavaScript string) after it.
fn private_keys(text: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = text[from..].find("-----BEGIN ").map(|p| from + p) {
        from = p + 11;
        let line_end = text[from..].find('\n').map_or(text.len(), |e| from + e);
        if let Some(e) = text[from..line_end].find("-----") {
            let label = &text[from..from + e];
            if label.trim_end().ends_with("PRIVATE KEY") {
                let marker = p..from + e + 5;
                let body_end = match text[marker.end..].find("-----END") {
                    Some(end) => marker.end + end,
                    None => {
                        let b = text.as_bytes();
                        let mut i = marker.end;
                        while i < b.len()
                            && (b[i].is_ascii_alphanumeric()
                                || matches!(
                                    b[i],
                                    b'+' | b'/' | b'=' | b'\\' | b' ' | b'\t' | b'\n' | b'\r'
                                ))
                        {
                            i += 1;
                        }
                        i
                    }
                };
                out.push((marker.clone(), marker.end..body_end));
                from = body_end.max(marker.end);
            }
        }
    }
    out
}

/// The quoted value after `client_secret` / `clientSecret` and `:` or `=` (16 characters
/// or more), or the value of a `client_secret=` query parameter.
fn client_secrets(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    for key in ["client_secret", "clientsecret", "client-secret"] {
        let mut from = 0;
        while let Some(p) =
            memchr::memmem::find(&lower.as_bytes()[from..], key.as_bytes()).map(|p| from + p)
        {
            from = p + key.len();
            let in_query = p > 0 && matches!(b[p - 1], b'?' | b'&' | b';');
            let mut i = p + key.len();
            if i < b.len() && matches!(b[i], b'"' | b'\'') {
                i += 1;
            }
            while i < b.len() && matches!(b[i], b' ' | b'\t') {
                i += 1;
            }
            if i >= b.len() || !matches!(b[i], b':' | b'=') {
                continue;
            }
            let eq = b[i] == b'=';
            i += 1;
            if in_query && eq {
                let start = i;
                while i < b.len() && (is_token_char(b[i]) || matches!(b[i], b'.' | b'~' | b'%')) {
                    i += 1;
                }
                if i - start >= 16 {
                    out.push(start..i);
                }
                continue;
            }
            while i < b.len() && matches!(b[i], b' ' | b'\t') {
                i += 1;
            }
            let Some(&q) = b.get(i) else { continue };
            if !matches!(q, b'"' | b'\'' | b'`') {
                continue;
            }
            let start = i + 1;
            let Some(len) = b[start..]
                .iter()
                .position(|&c| c == q || c == b'\n' || c.is_ascii_whitespace())
            else {
                continue;
            };
            let value = &text[start..start + len];
            if b[start + len] == q
                && value.chars().count() >= 16
                && !value.contains(['{', '$', '<'])
                && value
                    .chars()
                    .any(|c| c != value.chars().next().unwrap_or(' '))
            {
                out.push(start..start + len);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789_-ab";

    #[test]
    fn tokens() {
        assert_eq!(TOKEN.len(), 42);
        let t = format!("headers: {{ Authorization: 'SSWS {TOKEN}' }}");
        let r = ssws_tokens(&t);
        assert_eq!(&t[r[0].clone()], TOKEN);
        let t = format!("var token = \"{TOKEN}\";");
        assert_eq!(&t[bare_tokens(&t)[0].clone()], TOKEN);
        // Inside a longer base64 run, or lower case only (a hash): not a token.
        let t = format!("data:image/png;base64,AAAA+{TOKEN}/AAAA==");
        assert!(bare_tokens(&t).is_empty());
        let t = format!("x{TOKEN}");
        assert!(bare_tokens(&t).is_empty());
        let t = format!("\"{}\"", TOKEN.to_ascii_lowercase());
        assert!(bare_tokens(&t).is_empty());
        assert!(ssws_tokens("'SSWS ' + token").is_empty());
        assert!(ssws_tokens("`SSWS ${token}`").is_empty());
    }

    #[test]
    fn keys_and_client_secrets() {
        let t = "const k = `-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----`; const c = '-----BEGIN CERTIFICATE-----';";
        let r = private_keys(t);
        assert_eq!(r.len(), 1);
        assert_eq!(&t[r[0].0.clone()], "-----BEGIN RSA PRIVATE KEY-----");
        assert_eq!(&t[r[0].1.clone()], "\nMIIE...\n");
        let t = "config.clientSecret = 'Xy7_abcdefgh12345678';";
        assert_eq!(&t[client_secrets(t)[0].clone()], "Xy7_abcdefgh12345678");
        let t = "{\"client_secret\": \"Xy7_abcdefgh12345678\"}";
        assert_eq!(client_secrets(t).len(), 1);
        let t = "https://x/token?grant_type=a&client_secret=Xy7_abcdefgh12345678";
        assert_eq!(client_secrets(t).len(), 1);
        assert!(client_secrets("clientSecret: 'short'").is_empty());
        assert!(client_secrets("clientSecret: process.env.CLIENT_SECRET_VALUE_HERE").is_empty());
        assert!(client_secrets("client_secret: '****************'").is_empty());
    }

    #[test]
    fn masks_keep_offsets_lines_and_four_characters() {
        let t = format!(
            "a = \"SSWS {TOKEN}\";\nk = `-----BEGIN PRIVATE KEY-----\nMIIEvQ\\nIBAD\n-----END PRIVATE KEY-----`;\nclientSecret: \"kX9_b2Lq7Rz0VtY4wHsé\"\n"
        );
        let m = mask(&t);
        assert_eq!(m.len(), t.len());
        assert_eq!(m.lines().count(), t.lines().count());
        assert!(
            m.contains("SSWS 00aB**************************************\""),
            "{m}"
        );
        assert!(
            m.contains("-----BEGIN PRIVATE KEY-----\n************\n-----END"),
            "{m}"
        );
        assert!(m.contains("\"kX9_"), "{m}");
        assert!(
            !m.contains("b2Lq") && !m.contains("MIIE") && !m.contains("cDeF"),
            "{m}"
        );
        assert_eq!(mask("nothing here"), Cow::Borrowed("nothing here"));
    }
}
