//! The org's address, validated once, and the one origin check every request of the
//! client goes through: the admin token is only ever sent to the org's own origin.
//!
//! URLs are compared parsed (scheme, host, port), never as strings: `https://acme.okta.com`
//! is a prefix of `https://acme.okta.com.evil.example`, and `http://127.0.0.1:1808` of
//! `http://127.0.0.1:18082`.

use std::fmt;

use url::{Host, Position, Url};

/// An Okta org's address: `https://host[:port]` (`http` only on a loopback address, for
/// local fakes), without user info, path, query or fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgUrl {
    url: Url,
    /// `scheme://host[:port]`, the port only when not the scheme's default.
    origin: String,
}

/// Why a string is not an org URL (the text is the diagnostic `signin-pages.toml` shows).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgUrlError {
    #[error("an org_url must start with https://")]
    NotHttps,
    #[error("an org_url must use https:// (http:// is allowed only for loopback addresses)")]
    PlainHttp,
    #[error("an org_url must not carry credentials")]
    Credentials,
    #[error("an org_url needs a host name")]
    NoHost,
    #[error("an org_url is the org's address alone, without a path or query")]
    Path,
    #[error("an org_url must be a URL like https://acme.okta.com ({0})")]
    Invalid(url::ParseError),
}

/// A URL the client refuses: another origin than the org's, or the org's with user info.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Foreign {
    /// The origin it points at (`scheme://host[:port]`, no user info).
    pub origin: String,
    pub userinfo: bool,
}

impl fmt::Display for Foreign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin)?;
        if self.userinfo {
            f.write_str(" (with user info)")?;
        }
        Ok(())
    }
}

impl std::error::Error for Foreign {}

fn has_userinfo(url: &Url) -> bool {
    !url.username().is_empty() || url.password().is_some()
}

/// `scheme://host[:port]` of a URL; for a scheme without an origin (`file:`, `data:`),
/// the scheme alone.
fn origin_text(url: &Url) -> String {
    match url.origin() {
        o @ url::Origin::Tuple(..) => o.ascii_serialization(),
        url::Origin::Opaque(_) => format!("{}:", url.scheme()),
    }
}

fn is_loopback(host: Host<&str>) -> bool {
    match host {
        Host::Domain(d) => d == "localhost",
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
    }
}

impl OrgUrl {
    pub fn parse(text: &str) -> Result<OrgUrl, OrgUrlError> {
        let url = match Url::parse(text) {
            Ok(u) => u,
            Err(url::ParseError::RelativeUrlWithoutBase) => return Err(OrgUrlError::NotHttps),
            Err(url::ParseError::EmptyHost) => {
                // `https://user@` is refused for its credentials first, as below.
                return Err(if text.contains('@') {
                    OrgUrlError::Credentials
                } else {
                    OrgUrlError::NoHost
                });
            }
            Err(e) => return Err(OrgUrlError::Invalid(e)),
        };
        if has_userinfo(&url) {
            return Err(OrgUrlError::Credentials);
        }
        if !matches!(url.scheme(), "https" | "http") {
            return Err(OrgUrlError::NotHttps);
        }
        let host = url.host().ok_or(OrgUrlError::NoHost)?;
        if url.scheme() == "http" && !is_loopback(host) {
            return Err(OrgUrlError::PlainHttp);
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(OrgUrlError::Path);
        }
        let origin = origin_text(&url);
        Ok(OrgUrl { url, origin })
    }

    /// `scheme://host[:port]`, no trailing slash.
    pub fn as_str(&self) -> &str {
        &self.origin
    }

    pub fn is_https(&self) -> bool {
        self.url.scheme() == "https"
    }

    /// The one origin check: `url` is on the org's origin (same scheme, host and port)
    /// and carries no user info. Every request the client makes, and every redirect it
    /// would follow, passes here first.
    pub fn admit(&self, url: &Url) -> Result<(), Foreign> {
        if url.origin() == self.url.origin() && !has_userinfo(url) {
            Ok(())
        } else {
            Err(Foreign {
                origin: origin_text(url),
                userinfo: has_userinfo(url),
            })
        }
    }

    /// `reference` (a path such as `/api/v1/brands`, or a URL from an answer) resolved
    /// against `base` (the org, or the URL the answer came from). Not yet admitted.
    pub fn resolve(base: &Url, reference: &str) -> Result<Url, url::ParseError> {
        base.join(reference)
    }

    /// The org's URL for a path (`/api/v1/brands?limit=20`). Not yet admitted: a path
    /// such as `//elsewhere/x` leaves the origin, and the request check refuses it.
    pub fn endpoint(&self, path: &str) -> Result<Url, url::ParseError> {
        Self::resolve(&self.url, path)
    }
}

impl fmt::Display for OrgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin)
    }
}

/// Path and query of a URL, for messages (`/api/v1/brands?after=x`).
pub fn path_of(url: &Url) -> &str {
    &url[Position::BeforePath..Position::AfterQuery]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(s: &str) -> OrgUrl {
        OrgUrl::parse(s).unwrap()
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn org_urls() {
        assert_eq!(
            org("https://acme.okta.com").as_str(),
            "https://acme.okta.com"
        );
        assert_eq!(
            org("https://acme.okta.com/").as_str(),
            "https://acme.okta.com"
        );
        assert_eq!(
            org("https://ACME.okta.com:443").as_str(),
            "https://acme.okta.com"
        );
        assert_eq!(
            org("http://127.0.0.1:8080").as_str(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(org("http://[::1]:80").as_str(), "http://[::1]");
        assert_eq!(org("http://localhost:9").as_str(), "http://localhost:9");
        let bad = |s: &str| OrgUrl::parse(s).unwrap_err();
        assert_eq!(bad("http://acme.okta.com"), OrgUrlError::PlainHttp);
        assert_eq!(bad("http://127.0.0.1.evil.example"), OrgUrlError::PlainHttp);
        assert_eq!(
            bad("https://user:pw@acme.okta.com"),
            OrgUrlError::Credentials
        );
        assert_eq!(
            bad("https://00TOKEN@acme.okta.com"),
            OrgUrlError::Credentials
        );
        assert_eq!(bad("https://u@"), OrgUrlError::Credentials);
        assert_eq!(bad("ftp://acme"), OrgUrlError::NotHttps);
        assert_eq!(bad("acme.okta.com"), OrgUrlError::NotHttps);
        assert_eq!(bad("acme.okta.com:443"), OrgUrlError::NotHttps);
        assert_eq!(bad("https://"), OrgUrlError::NoHost);
        assert_eq!(bad("https://acme.okta.com/admin?x=1"), OrgUrlError::Path);
        assert_eq!(bad("https://acme.okta.com/?x=1"), OrgUrlError::Path);
        assert_eq!(bad("https://acme.okta.com#x"), OrgUrlError::Path);
        assert!(matches!(
            bad("https://acme:okta.com"),
            OrgUrlError::Invalid(_)
        ));
    }

    #[test]
    fn only_the_org_origin_is_admitted() {
        let o = org("https://acme.okta.com");
        assert!(
            o.admit(&url("https://acme.okta.com/api/v1/brands?after=x"))
                .is_ok()
        );
        assert!(o.admit(&url("https://ACME.okta.com:443/x")).is_ok());
        let refused = |s: &str| o.admit(&url(s)).unwrap_err().to_string();
        // Look-alikes that a string-prefix check lets through.
        assert_eq!(
            refused("https://acme.okta.com.evil.example/api/v1/brands"),
            "https://acme.okta.com.evil.example"
        );
        assert_eq!(
            refused("https://acme.okta.com@evil.example/api/v1/brands"),
            "https://evil.example (with user info)"
        );
        assert_eq!(
            refused("https://acme.okta.com:8443/x"),
            "https://acme.okta.com:8443"
        );
        assert_eq!(refused("http://acme.okta.com/x"), "http://acme.okta.com");
        assert_eq!(
            refused("https://u:p@acme.okta.com/x"),
            "https://acme.okta.com (with user info)"
        );
        assert_eq!(refused("file:///etc/passwd"), "file:");

        let local = org("http://127.0.0.1:1808");
        assert!(
            local
                .admit(&url("http://127.0.0.1:18082/api/v1/brands"))
                .is_err()
        );
        assert!(
            local
                .admit(&url("http://127.0.0.1:1808@127.0.0.1:1809/"))
                .is_err()
        );
        assert!(local.admit(&url("http://localhost:1808/")).is_err());
        // A path that is really a network-path reference leaves the origin.
        let u = local.endpoint("//127.0.0.1:18082/x").unwrap();
        assert_eq!(
            local.admit(&u).unwrap_err().origin,
            "http://127.0.0.1:18082"
        );
        assert_eq!(
            path_of(&local.endpoint("/api/v1/brands?limit=2").unwrap()),
            "/api/v1/brands?limit=2"
        );
    }
}
