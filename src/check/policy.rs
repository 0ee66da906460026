//! The Content Security Policy Okta sends with a customized page on a custom domain,
//! as one model: the preview writes its header from it (`preview::csp::header`), and
//! `C002` asks it whether the policy allows a URL the page loads.
//!
//! Built from `[csp]`: `S` = Okta's origins, the environment's `org_url` and
//! `[csp] src_list`, in that order, without repeats:
//!
//! ```text
//! default-src 'self' S; script-src 'self' 'unsafe-eval' 'report-sample' 'nonce-N' S;
//! style-src 'self' 'report-sample' 'nonce-N' S; img-src 'self' data: S;
//! font-src 'self' data: S; connect-src 'self' S; frame-src 'self' S; report-uri R
//! ```
//!
//! Whether a source allows a URL follows CSP Level 3's source matching ("does url match
//! expression in origin"): `*`, schemes (`https:`), hosts with an optional scheme, a
//! leading `*.` for subdomains, a port (or `:*`) and a path (a path ending in `/` allows
//! what is below it, any other path that file alone), and `'self'` (the org). A scheme
//! allows its secure upgrade (`http` → `https`, `ws` → `wss`), and, as browsers do, an
//! `http(s)` source allows WebSockets to the same place. Keywords and nonces allow no URL.
//! URLs are read with the `url` crate (the WHATWG URL standard, as browsers read them).
//!
//! The `content-security-policy` crate (Servo's) was considered: it answers "would a
//! browser block this request" for a serialized policy, with a `Request` of a dozen
//! fields, keeps its source matching private and cannot write a header; it would add
//! `sha2` and its five crates and `regex` to the build, for one comparison a page.

use std::borrow::Cow;
use std::fmt;
use std::sync::LazyLock;

use url::Url;

use crate::config::{Csp, CspMode};

/// Okta's own origins, which every policy Okta sends allows.
pub const OKTA_SOURCES: &[&str] = &[
    "https://*.oktacdn.com",
    "https://*.okta.com",
    "https://*.oktapreview.com",
    "https://*.okta-emea.com",
];

/// The directives the policy sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directive {
    Default,
    Script,
    Style,
    Img,
    Font,
    Connect,
    Frame,
}

impl Directive {
    pub fn name(self) -> &'static str {
        match self {
            Directive::Default => "default-src",
            Directive::Script => "script-src",
            Directive::Style => "style-src",
            Directive::Img => "img-src",
            Directive::Font => "font-src",
            Directive::Connect => "connect-src",
            Directive::Frame => "frame-src",
        }
    }
}

/// A source expression as written, and what it allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    text: Cow<'static, str>,
    expr: Expr,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Expr {
    /// `*`
    Any,
    /// `https:`
    Scheme(String),
    Host {
        scheme: Option<String>,
        /// Lower case; `*` for any host, `*.example.com` for its subdomains.
        host: String,
        port: Port,
        /// Empty for none.
        path: String,
    },
    /// `'self'`
    SelfOrigin,
    /// `'nonce-…'`, `'unsafe-eval'` and the other quoted keywords: they allow no URL.
    Keyword,
    /// Not a source expression: written out, allows nothing.
    Invalid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Port {
    /// None written: the scheme's default.
    Default,
    /// `:*`
    Any,
    Number(u16),
}

impl Source {
    pub fn parse(text: &str) -> Source {
        Source {
            text: Cow::Owned(text.to_string()),
            expr: Expr::parse(text.trim()),
        }
    }

    /// One of the keywords and schemes the policy itself writes.
    fn fixed(text: &'static str) -> Source {
        Source {
            text: Cow::Borrowed(text),
            expr: Expr::parse(text),
        }
    }

    /// Whether this source allows `url` on a page whose origin is `self_origin`.
    pub fn allows(&self, url: &Url, self_origin: Option<&Url>) -> bool {
        match &self.expr {
            Expr::Any => true,
            Expr::Scheme(s) => scheme_part_match(s, url.scheme()),
            Expr::Host {
                scheme,
                host,
                port,
                path,
            } => {
                // Without a scheme, the page's own: https.
                scheme_part_match(scheme.as_deref().unwrap_or("https"), url.scheme())
                    && url.host_str().is_some_and(|h| host_part_match(host, h))
                    && port_part_match(*port, url)
                    && path_part_match(path, url.path())
            }
            Expr::SelfOrigin => self_origin.is_some_and(|o| {
                o.host_str() == url.host_str()
                    && o.port_or_known_default() == url.port_or_known_default()
                    && scheme_part_match(o.scheme(), url.scheme())
            }),
            Expr::Keyword | Expr::Invalid => false,
        }
    }
}

impl Expr {
    fn parse(e: &str) -> Expr {
        if e == "*" {
            return Expr::Any;
        }
        if e.eq_ignore_ascii_case("'self'") {
            return Expr::SelfOrigin;
        }
        if e.starts_with('\'') {
            return Expr::Keyword;
        }
        if let Some(s) = e.strip_suffix(':')
            && is_scheme(s)
        {
            return Expr::Scheme(s.to_ascii_lowercase());
        }
        let (scheme, rest) = match e.split_once("://") {
            Some((s, r)) if is_scheme(s) => (Some(s.to_ascii_lowercase()), r),
            Some(_) => return Expr::Invalid,
            None => (None, e),
        };
        let host_end = rest.find([':', '/']).unwrap_or(rest.len());
        let host = rest[..host_end].to_ascii_lowercase();
        if !is_host_part(&host) {
            return Expr::Invalid;
        }
        let mut rest = &rest[host_end..];
        let mut port = Port::Default;
        if let Some(p) = rest.strip_prefix(':') {
            let end = p.find('/').unwrap_or(p.len());
            port = match &p[..end] {
                "*" => Port::Any,
                digits => match digits.parse::<u16>() {
                    Ok(n) if digits.bytes().all(|b| b.is_ascii_digit()) => Port::Number(n),
                    _ => return Expr::Invalid,
                },
            };
            rest = &p[end..];
        }
        if rest.contains(['?', '#']) {
            return Expr::Invalid;
        }
        Expr::Host {
            scheme,
            host,
            port,
            path: rest.to_string(),
        }
    }
}

fn is_scheme(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `*`, or an optional `*.` and dot-separated labels of letters, digits and `-`.
fn is_host_part(h: &str) -> bool {
    if h == "*" {
        return true;
    }
    let labels = h.strip_prefix("*.").unwrap_or(h);
    let labels = labels.strip_suffix('.').unwrap_or(labels);
    !labels.is_empty()
        && labels
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// CSP3 scheme-part matching, with the WebSocket schemes browsers let `http(s)` sources
/// cover.
fn scheme_part_match(expr: &str, url: &str) -> bool {
    expr == url
        || matches!(
            (expr, url),
            ("http", "https" | "ws" | "wss")
                | ("https", "wss")
                | ("ws", "wss" | "http" | "https")
                | ("wss", "https")
        )
}

fn host_part_match(pattern: &str, host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    if pattern == "*" {
        return true;
    }
    if let Some(suffix) = pattern.strip_prefix("*.") {
        return host.len() > suffix.len() + 1
            && host.ends_with(suffix)
            && host.as_bytes()[host.len() - suffix.len() - 1] == b'.';
    }
    pattern.strip_suffix('.').unwrap_or(pattern) == host
}

fn port_part_match(port: Port, url: &Url) -> bool {
    match port {
        Port::Any => true,
        // `url.port()` is `None` for the scheme's default port.
        Port::Default => url.port().is_none(),
        Port::Number(n) => url.port_or_known_default() == Some(n),
    }
}

/// CSP3 path-part matching: segments compared percent-decoded; a pattern ending in `/`
/// allows what is below it.
fn path_part_match(pattern: &str, path: &str) -> bool {
    if pattern.is_empty() || (pattern == "/" && path.is_empty()) {
        return true;
    }
    let exact = !pattern.ends_with('/');
    let mut a: Vec<&str> = pattern.split('/').collect();
    let b: Vec<&str> = path.split('/').collect();
    if a.len() > b.len() || (exact && a.len() != b.len()) {
        return false;
    }
    if !exact {
        a.pop();
    }
    a.iter().zip(&b).all(|(x, y)| {
        percent_encoding::percent_decode_str(x).eq(percent_encoding::percent_decode_str(y))
    })
}

/// An absolute `http(s)`/`ws(s)` URL a page loads, or a protocol-relative one (the page
/// is https); `None` for relative URLs, `data:`, `blob:`, and URLs whose host is a
/// placeholder (Okta's stubs, `${…}`, `{{…}}`).
pub fn network_url(raw: &str) -> Option<Url> {
    /// What relative URLs resolve against: a page of no real origin.
    static PAGE: LazyLock<Url> =
        LazyLock::new(|| Url::parse("https://page.invalid/").expect("a valid URL"));
    let url = Url::options().base_url(Some(&PAGE)).parse(raw).ok()?;
    if url.host_str() == PAGE.host_str() {
        // Relative: the page's own origin.
        return None;
    }
    if !matches!(url.scheme(), "http" | "https" | "ws" | "wss") {
        return None;
    }
    let plausible = match url.host()? {
        url::Host::Domain(d) => {
            !d.is_empty()
                && d.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        }
        url::Host::Ipv4(_) | url::Host::Ipv6(_) => true,
    };
    plausible.then_some(url)
}

/// `scheme://host[:port]` of a URL (the port only when it is not the default).
pub fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// Whether a URL goes over plain http (or ws).
pub fn is_insecure(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "ws")
}

/// The policy Okta sends for a page of one environment.
#[derive(Debug, Clone)]
pub struct Policy {
    mode: Option<CspMode>,
    /// Each directive and its own sources (`'self'`, keywords, `data:`, the nonce).
    directives: Vec<(Directive, Vec<Source>)>,
    /// `S`, after each directive's own: Okta's origins, the org's, `src_list`.
    shared: Vec<Source>,
    report_uri: Option<String>,
    /// The page's own origin, for `'self'`: the org's.
    self_origin: Option<Url>,
}

impl Policy {
    /// The policy for `[csp]` (none: Okta's origins and the org only) and the
    /// environment's `org_url`, without a nonce.
    pub fn okta(csp: Option<&Csp>, org_url: Option<&str>) -> Policy {
        let org = org_url.and_then(|u| Url::parse(u).ok());
        let mut shared: Vec<Source> = OKTA_SOURCES.iter().map(|s| Source::fixed(s)).collect();
        let listed = org.as_ref().map(origin).into_iter();
        let listed = listed.chain(csp.into_iter().flat_map(|c| c.src_list.iter().cloned()));
        for text in listed {
            if !shared.iter().any(|s| s.text == text) {
                shared.push(Source::parse(&text));
            }
        }
        let own = |d: Directive, list: &[&'static str]| {
            (d, list.iter().map(|s| Source::fixed(s)).collect())
        };
        Policy {
            mode: csp.map(|c| c.mode),
            directives: vec![
                own(Directive::Default, &["'self'"]),
                own(
                    Directive::Script,
                    &["'self'", "'unsafe-eval'", "'report-sample'"],
                ),
                own(Directive::Style, &["'self'", "'report-sample'"]),
                own(Directive::Img, &["'self'", "data:"]),
                own(Directive::Font, &["'self'", "data:"]),
                own(Directive::Connect, &["'self'"]),
                own(Directive::Frame, &["'self'"]),
            ],
            shared,
            report_uri: None,
            self_origin: org,
        }
    }

    /// With the nonce of one response: `'nonce-N'` in script-src and style-src, after
    /// their keywords.
    pub fn with_nonce(mut self, nonce: &str) -> Policy {
        for (d, sources) in &mut self.directives {
            if matches!(d, Directive::Script | Directive::Style) {
                sources.push(Source {
                    text: Cow::Owned(format!("'nonce-{nonce}'")),
                    expr: Expr::Keyword,
                });
            }
        }
        self
    }

    pub fn with_report_uri(mut self, uri: &str) -> Policy {
        self.report_uri = Some(uri.to_string());
        self
    }

    /// `Content-Security-Policy`, or `Content-Security-Policy-Report-Only` in
    /// `report_only` mode.
    pub fn header_name(&self) -> &'static str {
        match self.mode {
            Some(CspMode::ReportOnly) => "Content-Security-Policy-Report-Only",
            _ => "Content-Security-Policy",
        }
    }

    /// Whether the policy allows loading `url` under `directive` (a directive the
    /// policy does not set falls back to default-src).
    pub fn allows(&self, directive: Directive, url: &Url) -> bool {
        let own = self
            .directives
            .iter()
            .find(|(d, _)| *d == directive)
            .or_else(|| {
                self.directives
                    .iter()
                    .find(|(d, _)| *d == Directive::Default)
            });
        let Some((_, own)) = own else {
            return false;
        };
        own.iter()
            .chain(&self.shared)
            .any(|s| s.allows(url, self.self_origin.as_ref()))
    }
}

/// The header's value.
impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (d, sources)) in self.directives.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            f.write_str(d.name())?;
            for s in sources.iter().chain(&self.shared) {
                write!(f, " {}", s.text)?;
            }
        }
        if let Some(uri) = &self.report_uri {
            write!(f, "; report-uri {uri}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        network_url(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    fn allowed(entry: &str, u: &str) -> bool {
        Source::parse(entry).allows(&url(u), None)
    }

    #[test]
    fn urls() {
        for not in [
            "/img/a.png",
            "img/a.png",
            "data:image/png;base64,AAAA",
            "blob:https://x/1",
            "~~~~~~~~~~~~~~~~~~~",
            "https://~~~~~~/x",
            "https://${host}/x",
            "https://{{host}}/x",
            "javascript:void(0)",
        ] {
            assert!(network_url(not).is_none(), "{not}");
        }
        assert_eq!(
            origin(&url("//cdn.example.com/a.js")),
            "https://cdn.example.com"
        );
        assert_eq!(
            origin(&url(" HTTPS://CDN.Example.com:443/a.js ")),
            "https://cdn.example.com"
        );
        assert_eq!(
            origin(&url("https://cdn.example.com:8443/a.js")),
            "https://cdn.example.com:8443"
        );
        assert_eq!(origin(&url("http://user:pw@x.com/")), "http://x.com");
        assert_eq!(origin(&url("\\\\x.com/a")), "https://x.com");
        assert!(is_insecure(&url("ws://x.com/")));
    }

    #[test]
    fn sources() {
        assert!(allowed(
            "https://cdn.example.com",
            "https://cdn.example.com/a/b.js"
        ));
        assert!(!allowed(
            "https://cdn.example.com",
            "https://evil.example.com/a.js"
        ));
        assert!(!allowed(
            "https://cdn.example.com",
            "https://cdn.example.com:8443/a.js"
        ));
        assert!(allowed(
            "https://cdn.example.com:443",
            "https://cdn.example.com/a.js"
        ));
        assert!(allowed(
            "https://*.example.com",
            "https://a.b.example.com/x"
        ));
        assert!(!allowed("https://*.example.com", "https://example.com/x"));
        assert!(!allowed(
            "https://*.example.com",
            "https://badexample.com/x"
        ));
        assert!(allowed(
            "https://cdn.example.com/libs/",
            "https://cdn.example.com/libs/a.js"
        ));
        assert!(!allowed(
            "https://cdn.example.com/libs/",
            "https://cdn.example.com/other.js"
        ));
        assert!(!allowed(
            "https://cdn.example.com/libs/",
            "https://cdn.example.com/libs/../x.js"
        ));
        assert!(allowed(
            "https://cdn.example.com/a.js",
            "https://cdn.example.com/a.js"
        ));
        assert!(allowed(
            "https://cdn.example.com/a%20b.js",
            "https://cdn.example.com/a b.js"
        ));
        assert!(!allowed(
            "https://cdn.example.com/a.js",
            "https://cdn.example.com/a.jsx"
        ));
        assert!(allowed("cdn.example.com", "https://cdn.example.com/a.js"));
        assert!(!allowed("cdn.example.com", "http://cdn.example.com/a.js"));
        assert!(allowed(
            "http://cdn.example.com",
            "https://cdn.example.com/a.js"
        ));
        assert!(allowed("https:", "https://anything.test/"));
        assert!(!allowed("https:", "http://anything.test/"));
        assert!(allowed(
            "https://api.example.com",
            "wss://api.example.com/socket"
        ));
        assert!(allowed("*", "https://anything.test/"));
        assert!(allowed("https://x.com:*", "https://x.com:9/"));
        assert!(!allowed("'unsafe-inline'", "https://x.com/"));
        assert!(!allowed("'nonce-abc'", "https://x.com/"));
        assert!(!allowed("https://x.com?a", "https://x.com/"));
        let org = url("https://login.acme.test/");
        assert!(Source::parse("'self'").allows(&url("https://login.acme.test/x"), Some(&org)));
        assert!(!Source::parse("'self'").allows(&url("https://other.test/x"), Some(&org)));
    }

    #[test]
    fn directives_fall_back_and_list_the_org() {
        let csp = Csp {
            mode: CspMode::Enforced,
            report_uri: None,
            src_list: vec!["https://cdn.example.com".into()],
        };
        let p = Policy::okta(Some(&csp), Some("https://Login.Acme.test/x"));
        for d in [
            Directive::Script,
            Directive::Img,
            Directive::Connect,
            Directive::Default,
        ] {
            assert!(p.allows(d, &url("https://cdn.example.com/a")));
            assert!(p.allows(d, &url("https://login.acme.test/a")));
            assert!(p.allows(d, &url("https://ok12static.oktacdn.com/a")));
            assert!(!p.allows(d, &url("https://evil.test/a")));
        }
        let header = p.with_nonce("N").with_report_uri("/r").to_string();
        assert!(
            header.starts_with("default-src 'self' https://*.oktacdn.com"),
            "{header}"
        );
        assert!(
            header.contains(
                "script-src 'self' 'unsafe-eval' 'report-sample' 'nonce-N' https://*.oktacdn.com"
            ),
            "{header}"
        );
        assert!(
            header.contains("https://login.acme.test https://cdn.example.com;"),
            "{header}"
        );
        assert!(header.ends_with("; report-uri /r"), "{header}");
    }
}
