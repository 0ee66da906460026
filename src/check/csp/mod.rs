//! Content Security Policy: C001 (inline `<script>`/`<style>` without Okta's nonce),
//! C004 (inline event handlers, `javascript:` URLs), C006 (a policy in a `<meta>`), and
//! through [`resources`] C002 and C005 (C003 is checked with the project file).
//!
//! Elements come from html5ever's parse; where a finding needs the exact place of an
//! attribute, or the raw text Okta will see (the nonce), it reads the element's start
//! tag as written ([`super::page::Element`]); what a script is, the page scanner says.

mod resources;

use super::page::Element;
use super::scan::ScriptKind;
use super::{Ctx, Page};
use crate::config::CspMode;
use crate::diag::{Diagnostic, Rule};

pub(super) fn check(page: &Page, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let mut metas = Vec::new();
    for e in page.elements() {
        match e.name() {
            "script" | "style" => nonce(page, &e, ctx, out),
            "meta" => metas.push(e),
            _ => {}
        }
        inline_handlers(page, &e, ctx, out);
    }
    for e in metas {
        meta_policy(page, &e, out);
    }
    resources::check(page, ctx, out);
}

/// What the policy does with something it does not allow, by `[csp] mode`.
fn blocks(ctx: &Ctx<'_>) -> &'static str {
    match ctx.project.config.csp.as_ref().map(|c| c.mode) {
        Some(CspMode::ReportOnly) => {
            "the Content Security Policy reports it (and blocks it once the policy is enforced)"
        }
        _ => "the Content Security Policy blocks it",
    }
}

/// A finding whose severity follows `[csp] mode`.
fn csp_finding(ctx: &Ctx<'_>, rule: Rule, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(rule, message).with_severity(ctx.csp_severity())
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

// ---------------------------------------------------------------------------------
// C001: inline <script> and <style> without Okta's nonce

/// What a `<script>` element is: the scanner's reading of its start tag, or (for an
/// element whose tag was not found) the same rules on html5ever's attributes.
fn script_kind(page: &Page, e: &Element<'_>) -> ScriptKind {
    match page.script(e) {
        Some(s) => s.kind,
        None => ScriptKind::of(e.attr("type"), e.attr("language")),
    }
}

/// Whether the raw text of a nonce attribute is Okta's `{{nonceValue}}`.
fn is_okta_nonce(raw: &str) -> bool {
    let t = raw.trim();
    let inner = t.trim_start_matches('{').trim_end_matches('}');
    t.starts_with("{{") && t.ends_with("}}") && inner.trim() == "nonceValue"
}

fn nonce(page: &Page, e: &Element<'_>, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let name = e.name();
    if name == "script" && (e.attr("src").is_some() || !script_kind(page, e).is_policed()) {
        return;
    }
    // An empty (or blank) element does nothing: blocking it changes nothing.
    if e.el.text().all(|t| t.trim().is_empty()) {
        return;
    }
    let what = if name == "script" {
        "inline <script>"
    } else {
        "<style>"
    };
    let Some(value) = e.attr("nonce") else {
        out.push(
            csp_finding(ctx, Rule::C001, format!("{what} without `nonce=\"{{{{nonceValue}}}}\"`: {}", blocks(ctx)))
                .at(page.locate(e.range()))
                .label("no nonce")
                .help(format!("write `<{name} nonce=\"{{{{nonceValue}}}}\">`: Okta puts the nonce of each response there")),
        );
        return;
    };
    // The stub turned Okta's tag into `~`s; the rendered text says which tag it was.
    let written = e.written("nonce").and_then(|a| a.value.clone());
    let raw = written.clone().map(|r| &page.rendered.text[r]);
    let ok = match raw {
        Some(raw) => is_okta_nonce(raw),
        None => !value.is_empty() && value.chars().all(|c| c == '~'),
    };
    if ok {
        return;
    }
    let shown = raw.unwrap_or(value).trim();
    let message = if shown.is_empty() {
        format!("{what} with an empty nonce: {}", blocks(ctx))
    } else if shown.starts_with("{{") {
        format!(
            "{what} with the nonce `{}`, not Okta's `{{{{nonceValue}}}}`: {}",
            shorten(shown, 40),
            blocks(ctx)
        )
    } else {
        format!(
            "{what} with a hard-coded nonce (`{}`): it never matches the nonce Okta sends with each response",
            shorten(shown, 16)
        )
    };
    let range = written
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| e.range());
    out.push(
        csp_finding(ctx, Rule::C001, message)
            .at(page.locate(range))
            .label("not Okta's nonce")
            .help("write `nonce=\"{{nonceValue}}\"`: Okta replaces it with a fresh nonce in every response"),
    );
}

// ---------------------------------------------------------------------------------
// C004: inline event handlers and javascript: URLs

/// Attributes whose value the browser follows as a URL.
const URL_ATTRS: &[&str] = &["href", "src", "action", "formaction", "xlink:href"];

fn is_javascript_url(value: &str) -> bool {
    // Browsers strip leading controls and spaces, and tabs and newlines anywhere.
    let v: String = value
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(11)
        .collect();
    v.eq_ignore_ascii_case("javascript:")
}

fn is_event_handler(name: &str) -> bool {
    name.len() > 2 && name.starts_with("on") && name[2..].bytes().all(|b| b.is_ascii_lowercase())
}

fn inline_handlers(page: &Page, e: &Element<'_>, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let mut found: Vec<(&str, bool)> =
        e.el.value()
            .attrs()
            .filter_map(|(name, value)| {
                if is_event_handler(name) {
                    Some((name, true))
                } else if URL_ATTRS.contains(&name) && is_javascript_url(value) {
                    Some((name, false))
                } else {
                    None
                }
            })
            .collect();
    if found.is_empty() {
        return;
    }
    // In the order they are written, when the start tag was found.
    if let Some(t) = e.tag {
        found.sort_by_key(|(n, _)| {
            t.attrs
                .iter()
                .position(|a| a.name == *n)
                .unwrap_or(usize::MAX)
        });
    }
    let tag = e.name();
    for (name, handler) in found {
        if handler {
            let range = e
                .written(name)
                .map_or_else(|| e.range(), |a| a.name_range.clone());
            out.push(
                csp_finding(ctx, Rule::C004, format!("inline event handler `{name}` on <{tag}>: a nonce cannot cover it, so {}", blocks(ctx)))
                    .at(page.locate(range))
                    .label("inline handler")
                    .help(format!("remove the attribute and attach the listener from a nonce'd script: `element.addEventListener(\"{}\", …)`", &name[2..])),
            );
        } else {
            out.push(
                csp_finding(ctx, Rule::C004, format!("`javascript:` URL in `{name}` of <{tag}>: {}", blocks(ctx)))
                    .at(page.locate(e.value_range(name)))
                    .label("javascript: URL")
                    .help("use a real URL (or a <button>) and attach the behaviour from a nonce'd script with `addEventListener`"),
            );
        }
    }
}

// ---------------------------------------------------------------------------------
// C006: a CSP <meta> tag

fn meta_policy(page: &Page, e: &Element<'_>, out: &mut Vec<Diagnostic>) {
    let v = e.attr("http-equiv").unwrap_or("").trim();
    if v.eq_ignore_ascii_case("content-security-policy") {
        out.push(
            Diagnostic::new(Rule::C006, "the page declares its own Content-Security-Policy in a <meta> tag")
                .at(page.locate(e.range()))
                .label("second policy")
                .help("remove the tag and list what the page needs in `[csp] src_list`: Okta sends the policy as a header, and the two are combined"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_urls_and_handlers() {
        assert!(is_okta_nonce("{{nonceValue}}"));
        assert!(is_okta_nonce("{{ nonceValue }}"));
        assert!(!is_okta_nonce("abc123"));
        assert!(!is_okta_nonce("{{nonce}}"));
        assert!(is_javascript_url(" JavaScript:void(0)"));
        assert!(is_javascript_url("java\tscript:x"));
        assert!(!is_javascript_url("#"));
        assert!(is_event_handler("onclick"));
        assert!(!is_event_handler("on"));
    }
}
