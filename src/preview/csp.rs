//! The Content Security Policy the preview sends with every page, built the way Okta
//! builds it for a custom domain from `[csp]` (`src_list`, `mode`) by the one policy
//! model the checks use too ([`Policy`]: what the header holds is written there), with a
//! fresh nonce per response and `report-uri` pointing back at the preview; and the
//! violation reports the browser sends there.
//!
//! The header is sent as `Content-Security-Policy`, or
//! `Content-Security-Policy-Report-Only` with `[csp] mode = "report_only"`. A nonce in
//! `style-src` makes browsers ignore `'unsafe-inline'` there, so inline `<style>` needs
//! the nonce as much as `<script>` does (what the `C001` check says); `'unsafe-eval'` is
//! there because the Sign-In Widget needs it.

use base64::Engine as _;
use ring::rand::{SecureRandom, SystemRandom};
use serde::Serialize;
use serde_json::Value;

use super::guard::terminal;
use crate::check::policy::Policy;
use crate::config::Csp;

/// Where browsers send violation reports.
pub(crate) const REPORT_PATH: &str = "/__preview/csp-report";

/// A fresh nonce: 128 random bits, base64url.
/// The nonce of every page served for screenshots (`Options::visual`): a page's bytes
/// then depend on the project alone.
pub(crate) const FIXED_NONCE: &str = "c2lnbmluLXBhZ2VzLXZpc3VhbA";

pub(crate) fn nonce() -> String {
    let mut bytes = [0u8; 16];
    SystemRandom::new()
        .fill(&mut bytes)
        .expect("the system random source works");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The header's name and value.
pub(crate) fn header(
    csp: Option<&Csp>,
    org_url: Option<&str>,
    nonce: &str,
    report_uri: &str,
) -> (&'static str, String) {
    let policy = Policy::okta(csp, org_url)
        .with_nonce(nonce)
        .with_report_uri(report_uri);
    (policy.header_name(), policy.to_string())
}

/// One violation the browser reported, with where it came from once known.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Report {
    pub(crate) document_uri: String,
    pub(crate) effective_directive: String,
    /// `inline`, `eval`, or the URL that was blocked.
    pub(crate) blocked_uri: String,
    /// `enforce` (blocked) or `report` (report-only: allowed, reported).
    pub(crate) disposition: String,
    pub(crate) line: Option<usize>,
    pub(crate) column: Option<usize>,
    pub(crate) sample: String,
    /// `<env>/<brand folder>` and `sign-in`/`error`, when the page is one of ours.
    pub(crate) target: Option<String>,
    pub(crate) page: Option<String>,
    /// `templates/<file>:line:col` (or `dist/…` when the line is not in a template).
    pub(crate) location: Option<String>,
    pub(crate) source_line: Option<String>,
}

fn text(v: &Value, keys: &[&str]) -> String {
    keys.iter()
        .find_map(|k| v.get(*k))
        .map(|v| match v {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        })
        .unwrap_or_default()
}

fn number(v: &Value, keys: &[&str]) -> Option<usize> {
    keys.iter()
        .find_map(|k| v.get(*k))
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
}

/// Reports from a `report-uri` body (`{"csp-report": {…}}`) or a Reporting API body
/// (`[{"type": "csp-violation", "body": {…}}]`). Anything else yields none.
pub(crate) fn parse_reports(body: &[u8]) -> Vec<Report> {
    let Ok(json) = serde_json::from_slice::<Value>(body) else {
        return Vec::new();
    };
    let one = |r: &Value| {
        let effective = text(r, &["effective-directive", "effectiveDirective"]);
        let violated = text(r, &["violated-directive"]);
        Report {
            document_uri: text(r, &["document-uri", "documentURL"]),
            effective_directive: if effective.is_empty() {
                violated.split(' ').next().unwrap_or("").to_string()
            } else {
                effective
            },
            blocked_uri: text(r, &["blocked-uri", "blockedURL"]),
            disposition: text(r, &["disposition"]),
            line: number(r, &["line-number", "lineNumber"]),
            column: number(r, &["column-number", "columnNumber"]),
            sample: text(r, &["script-sample", "sample"]),
            ..Report::default()
        }
    };
    match &json {
        Value::Object(o) => o.get("csp-report").map(one).into_iter().collect(),
        Value::Array(items) => items
            .iter()
            .filter(|i| i.get("type").and_then(Value::as_str) == Some("csp-violation"))
            .filter_map(|i| i.get("body"))
            .map(one)
            .collect(),
        _ => Vec::new(),
    }
}

impl Report {
    /// What was refused, in words.
    pub(crate) fn what(&self) -> String {
        let d = self.effective_directive.as_str();
        match self.blocked_uri.as_str() {
            "inline" if d.starts_with("script-src-attr") => "an inline event handler".into(),
            "inline" if d.starts_with("style-src-attr") => "a style attribute".into(),
            "inline" if d.starts_with("style") => "an inline <style>".into(),
            "inline" => "an inline <script>".into(),
            "eval" => "eval() (or new Function)".into(),
            "" => "a resource".into(),
            url => format!("`{url}`"),
        }
    }

    fn help(&self) -> &'static str {
        let d = self.effective_directive.as_str();
        match self.blocked_uri.as_str() {
            "inline" if d.ends_with("-attr") => {
                "move it into a <script nonce=\"{{nonceValue}}\"> (addEventListener) or a stylesheet class"
            }
            "inline" => {
                "add nonce=\"{{nonceValue}}\" to the element: Okta puts each response's nonce there"
            }
            "eval" => {
                "avoid eval() and new Function(): only the Sign-In Widget's own use is expected"
            }
            _ => {
                "add the resource's origin to [csp] src_list, or load it from an origin the list has"
            }
        }
    }

    /// The terminal's account of the report. Every part of it came from the request (or
    /// names a file of the project): control characters are escaped ([`terminal`]).
    pub(crate) fn describe(&self) -> String {
        let outcome = if self.disposition == "report" {
            "reported (report_only: not blocked)"
        } else {
            "blocked"
        };
        let page = match (&self.target, &self.page) {
            (Some(t), Some(p)) => format!("{t} {p}"),
            _ => self.document_uri.clone(),
        };
        let mut out = format!(
            "CSP violation: {} {outcome} by {} on {}\n",
            terminal(&self.what()),
            terminal(&self.effective_directive),
            terminal(&page)
        );
        if let Some(loc) = &self.location {
            out.push_str(&format!("  --> {}\n", terminal(loc)));
        }
        if let Some(line) = &self.source_line {
            out.push_str(&format!("   | {}\n", terminal(line.trim())));
        } else if !self.sample.is_empty() {
            out.push_str(&format!("   | {}\n", terminal(&self.sample)));
        }
        out.push_str(&format!("   = help: {}\n", self.help()));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::CspMode;

    fn csp(mode: CspMode, src: &[&str]) -> Csp {
        Csp {
            mode,
            report_uri: Some("https://csp.example/report".into()),
            src_list: src.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn header_carries_nonce_sources_and_report_uri() {
        let c = csp(
            CspMode::Enforced,
            &["https://cdn.example.com", "https://*.okta.com"],
        );
        let (name, value) = header(
            Some(&c),
            Some("https://acme.okta.com/"),
            "abc",
            "http://127.0.0.1:9/__preview/csp-report",
        );
        assert_eq!(name, "Content-Security-Policy");
        assert!(value.contains(
            "script-src 'self' 'unsafe-eval' 'report-sample' 'nonce-abc' https://*.oktacdn.com"
        ));
        assert!(value.contains("style-src 'self' 'report-sample' 'nonce-abc'"));
        assert!(value.contains("https://acme.okta.com https://cdn.example.com;"));
        assert_eq!(
            value.matches("https://*.okta.com").count(),
            7,
            "no repeats: {value}"
        );
        assert!(value.ends_with("report-uri http://127.0.0.1:9/__preview/csp-report"));
        assert!(!value.contains("unsafe-inline"));
    }

    #[test]
    fn report_only_mode_changes_the_header_name() {
        let c = csp(CspMode::ReportOnly, &[]);
        assert_eq!(
            header(Some(&c), None, "n", "/r").0,
            "Content-Security-Policy-Report-Only"
        );
        assert_eq!(header(None, None, "n", "/r").0, "Content-Security-Policy");
    }

    #[test]
    fn nonces_are_fresh_and_header_safe() {
        let (a, b) = (nonce(), nonce());
        assert_ne!(a, b);
        assert_eq!(a.len(), 22);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
    }

    #[test]
    fn parses_both_report_formats() {
        let legacy = br#"{"csp-report":{"document-uri":"http://127.0.0.1:1/prod/B/sign-in","violated-directive":"script-src-elem","effective-directive":"script-src-elem","blocked-uri":"inline","line-number":12,"column-number":5,"script-sample":"window.x = 1","disposition":"enforce"}}"#;
        let r = parse_reports(legacy);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].line, Some(12));
        assert_eq!(r[0].what(), "an inline <script>");
        let api = br#"[{"type":"csp-violation","body":{"documentURL":"http://x/","effectiveDirective":"style-src-elem","blockedURL":"inline","disposition":"report","lineNumber":3}},{"type":"deprecation","body":{}}]"#;
        let r = parse_reports(api);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].what(), "an inline <style>");
        assert!(r[0].describe().contains("report_only"));
        assert!(parse_reports(b"not json").is_empty());
    }
}
