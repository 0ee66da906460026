//! S001: secrets in a page (Okta API tokens, private keys, client secrets).
//!
//! The page is public, so a finding never repeats the secret: messages show at most its
//! first four characters and its length; the caret points at it.

use std::ops::Range;

use super::{Page, finding};
use crate::diag::Diagnostic;

pub(super) fn check(page: &Page, out: &mut Vec<Diagnostic>) {
    let text = page.rendered.text.as_str();
    let mut found: Vec<(Range<usize>, String, &'static str)> = Vec::new();
    for r in ssws_tokens(text).into_iter().chain(bare_tokens(text)) {
        if !found
            .iter()
            .any(|(f, _, _)| f.start < r.end && r.start < f.end)
        {
            let what = format!("an Okta API token ({})", preview(&text[r.clone()]));
            found.push((r, what, API_TOKEN_HELP));
        }
    }
    for r in private_keys(text) {
        let what = format!("a private key (`{}`)", &text[r.clone()]);
        found.push((r, what, PRIVATE_KEY_HELP));
    }
    for r in client_secrets(text) {
        let what = format!("a client secret ({})", preview(&text[r.clone()]));
        found.push((r, what, CLIENT_SECRET_HELP));
    }
    found.sort_by_key(|(r, _, _)| r.start);
    for (range, what, help) in found {
        out.push(
            finding(
                "S001",
                format!("the page holds {what}: anyone who opens the sign-in page can read it"),
            )
            .at(page.locate(range))
            .label("secret")
            .help(help),
        );
    }
}

const API_TOKEN_HELP: &str = "remove it and revoke the token in Okta (Security › API › Tokens): a sign-in page never needs an API token";
const PRIVATE_KEY_HELP: &str = "remove it and replace the key pair wherever it is registered: a sign-in page never needs a private key";
const CLIENT_SECRET_HELP: &str = "remove it and rotate the app's client secret in Okta: code in a browser cannot keep a secret (use PKCE)";

/// `00ab…, 42 characters`: at most the first four characters.
fn preview(secret: &str) -> String {
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
    while let Some(p) = text[from..].find("SSWS").map(|p| from + p) {
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
    let mut i = 0;
    while i < b.len() {
        if !is_token_char(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && is_token_char(b[i]) {
            i += 1;
        }
        let run = &b[start..i];
        let before_ok = start == 0 || !base64ish(b[start - 1]);
        let after_ok = i == b.len() || !(base64ish(b[i]) || b[i] == b'=');
        if run.len() == 42
            && run.starts_with(b"00")
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

/// `-----BEGIN … PRIVATE KEY-----` markers.
fn private_keys(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = text[from..].find("-----BEGIN ").map(|p| from + p) {
        from = p + 11;
        let line_end = text[from..].find('\n').map_or(text.len(), |e| from + e);
        if let Some(e) = text[from..line_end].find("-----") {
            let label = &text[from..from + e];
            if label.trim_end().ends_with("PRIVATE KEY") {
                out.push(p..from + e + 5);
                from += e + 5;
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
        while let Some(p) = lower[from..].find(key).map(|p| from + p) {
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
        assert_eq!(&t[r[0].clone()], "-----BEGIN RSA PRIVATE KEY-----");
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
}
