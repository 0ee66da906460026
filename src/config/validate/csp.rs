//! `[csp]`: the page's Content-Security-Policy setting as Okta stores it — at most
//! [`MAX_SRC_LIST`] sources, each an origin Okta accepts, and an https report address.

use toml::Spanned;

use super::Findings;
use crate::config::model::Csp;
use crate::config::raw::RawCsp;
use crate::diag::{Diagnostic, Rule};

/// Okta's limit on `contentSecurityPolicySetting.srcList`.
pub const MAX_SRC_LIST: usize = 20;

pub(super) fn validate(f: &mut Findings<'_>, raw: &RawCsp) -> Csp {
    let src_list: Vec<Spanned<String>> = raw
        .src_list
        .as_ref()
        .map(|s| s.get_ref().clone())
        .unwrap_or_default();
    if src_list.len() > MAX_SRC_LIST {
        let span = raw.src_list.as_ref().map_or(0..0, |s| s.span());
        let d = Diagnostic::new(
            Rule::C003,
            format!(
                "`src_list` has {} entries; Okta accepts at most {MAX_SRC_LIST}",
                src_list.len()
            ),
        )
        .at(f.at(span))
        .help(
            "merge origins (a scheme and host cover every path under them) or drop the ones the page no longer loads from",
        );
        f.push(d);
    }
    for s in &src_list {
        if !valid_source(s.get_ref()) {
            f.p002(
                s.span(),
                format!("`{}` is not a CSP source Okta accepts", s.get_ref()),
                "write an origin such as `https://cdn.example.com` (a path and a leading `*.` are allowed)",
            );
        }
    }
    if let Some(uri) = &raw.report_uri
        && !uri.get_ref().starts_with("https://")
    {
        f.p002(
            uri.span(),
            "`report_uri` must be an https:// URL",
            "write the full https:// address of your CSP report collector",
        );
    }
    Csp {
        mode: raw.mode.unwrap_or_default(),
        report_uri: raw.report_uri.as_ref().map(|u| u.get_ref().clone()),
        src_list: src_list.into_iter().map(Spanned::into_inner).collect(),
    }
}

/// A CSP source expression as Okta's `srcList` takes it: `https://host[:port][/path]`,
/// with an optional leading `*.` on the host.
fn valid_source(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    if !matches!(scheme, "https" | "http" | "wss" | "ws") {
        return false;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.strip_prefix("*.").unwrap_or(host);
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            ""
        }
    });
    !host.is_empty()
        && !s.contains(char::is_whitespace)
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}
