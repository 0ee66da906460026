//! What a page loads, and from where: C002 (an origin the policy does not allow) and
//! C005 (plain http). The URLs come from the elements' attributes, from the CSS the page
//! scanner read ([`crate::check::scan::css`]) and from the connections inline scripts
//! open to literal URLs; [`Policy`] answers whether the policy allows each.

use std::ops::Range;

use super::{Ctx, Page, csp_finding, shorten};
use crate::check::page::Element;
use crate::check::policy::{self, Directive, Policy};
use crate::check::scan::js::{is_ident_byte, skip_ws, string_literal};
use crate::config::CspMode;
use crate::diag::{Diagnostic, Rule};

pub(super) fn check(page: &Page, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let refs = resources(page);
    insecure(page, &refs, out);
    origins(page, ctx, &refs, out);
}

/// Something the page loads, and where its URL is written.
struct Ref {
    range: Range<usize>,
    url: String,
    what: &'static str,
    /// The directive that governs it, for the ones `[csp] src_list` is about (C002).
    directive: Option<Directive>,
}

fn resources(page: &Page) -> Vec<Ref> {
    let mut refs = Vec::new();
    for e in page.elements() {
        element_refs(&e, &mut refs);
    }
    // url(…), @font-face and @import in <style> and style attributes.
    refs.extend(page.css.iter().map(|r| Ref {
        range: r.range.clone(),
        url: r.url.clone(),
        what: r.what,
        directive: Some(match r.what {
            "stylesheet" => Directive::Style,
            "font" => Directive::Font,
            _ => Directive::Img,
        }),
    }));
    // Connections in inline scripts.
    for s in page.scan.inline_js() {
        js_refs(&s.code, s.body.start, &mut refs);
    }
    refs.sort_by_key(|r| r.range.start);
    refs
}

fn element_refs(e: &Element<'_>, refs: &mut Vec<Ref>) {
    let mut add = |attr: &str, what: &'static str, directive: Option<Directive>| {
        if let Some(v) = e.attr(attr) {
            refs.push(Ref {
                range: e.value_range(attr),
                url: v.to_string(),
                what,
                directive,
            });
        }
    };
    match e.name() {
        "script" => add("src", "script", Some(Directive::Script)),
        "link" => {
            let rel = e.attr("rel").unwrap_or("").to_ascii_lowercase();
            let rel: Vec<&str> = rel.split_ascii_whitespace().collect();
            let icon = |r: &&str| {
                matches!(
                    *r,
                    "icon" | "apple-touch-icon" | "apple-touch-icon-precomposed" | "mask-icon"
                )
            };
            if rel.contains(&"stylesheet") {
                add("href", "stylesheet", Some(Directive::Style));
            } else if rel.iter().any(icon) {
                add("href", "icon", Some(Directive::Img));
            } else if rel
                .iter()
                .any(|r| matches!(*r, "preload" | "modulepreload"))
            {
                add("href", "preloaded file", Some(Directive::Default));
            }
        }
        "img" => add("src", "image", Some(Directive::Img)),
        "input" => {
            if e.attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("image"))
            {
                add("src", "image", Some(Directive::Img));
            }
            add("formaction", "form target", None);
        }
        "button" => add("formaction", "form target", None),
        "iframe" | "frame" => add("src", "frame", None),
        "form" => add("action", "form target", None),
        "video" => {
            add("src", "media file", None);
            add("poster", "image", Some(Directive::Img));
        }
        "audio" | "source" | "track" | "embed" => add("src", "media file", None),
        "object" => add("data", "object", None),
        _ => {}
    }
}

/// Connections an inline script opens to literal URLs: `fetch("…")` (or
/// `window.fetch`), `new WebSocket("…")`, `new EventSource("…")`,
/// `navigator.sendBeacon("…")` and `XMLHttpRequest`'s `.open("GET", "…")`. `code` is
/// the script's text with its comments blanked, starting at `base` in the page.
fn js_refs(code: &str, base: usize, out: &mut Vec<Ref>) {
    let b = code.as_bytes();
    let xhr = code.contains("XMLHttpRequest");
    // The calls, found by their `(` and the name just before it.
    let mut args: Vec<usize> = Vec::new();
    for open in memchr::memchr_iter(b'(', b) {
        let start = b[..open]
            .iter()
            .rposition(|&c| !is_ident_byte(c))
            .map_or(0, |p| p + 1);
        let after_dot = start > 0 && b[start - 1] == b'.';
        match &code[start..open] {
            // `x.fetch(…)` is some other object's method; `window.fetch(…)` is fetch.
            "fetch" if after_dot && !code[..start].ends_with("window.") => {}
            "fetch" | "WebSocket" | "EventSource" | "sendBeacon" => args.push(open + 1),
            "open" if xhr && after_dot => {
                // The first argument is the method, the second the URL.
                let Some(m) = string_literal(code, skip_ws(b, open + 1)) else {
                    continue;
                };
                let method = &b[m.start + 1..m.end - 1];
                let comma = skip_ws(b, m.end);
                if !method.is_empty()
                    && method.len() <= 10
                    && method.iter().all(u8::is_ascii_alphabetic)
                    && b.get(comma) == Some(&b',')
                {
                    args.push(comma + 1);
                }
            }
            _ => {}
        }
    }
    for at in args {
        let Some(lit) = string_literal(code, skip_ws(b, at)) else {
            continue;
        };
        let mut r = lit.start + 1..lit.end - 1;
        let template = b[lit.start] == b'`';
        let cut = template && code[r.clone()].contains("${");
        if cut {
            // Only the literal part before the first `${…}`.
            r.end = r.start + code[r.clone()].find("${").unwrap_or(0);
        }
        let url = &code[r.clone()];
        // The origin must be written out in full.
        let literal_origin = if cut {
            url.find("://")
                .is_some_and(|p| url[p + 3..].contains(['/', '?', '#']))
        } else {
            // The whole argument, not the start of `"https://" + host`.
            matches!(b.get(skip_ws(b, lit.end)), Some(b')' | b','))
        };
        if literal_origin {
            out.push(Ref {
                url: url.to_string(),
                range: base + r.start..base + r.end,
                what: "connection",
                directive: Some(Directive::Connect),
            });
        }
    }
}

fn article(what: &str) -> String {
    let a = if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{a} {what}")
}

/// C005: resources over plain http (and ws).
fn insecure(page: &Page, refs: &[Ref], out: &mut Vec<Diagnostic>) {
    for r in refs {
        let Some(url) = policy::network_url(&r.url) else {
            continue;
        };
        if !policy::is_insecure(&url) {
            continue;
        }
        let scheme = url.scheme();
        let secure = if scheme == "ws" { "wss" } else { "https" };
        let verb = if r.what == "form target" {
            "posts to"
        } else {
            "is loaded from"
        };
        let authority = match url.port() {
            Some(p) => format!("{}:{p}", url.host_str().unwrap_or("")),
            None => url.host_str().unwrap_or("").to_string(),
        };
        out.push(
            Diagnostic::new(Rule::C005,
                format!(
                    "{} {verb} `{}` over plain {scheme}: the sign-in page is https, so browsers block it as mixed content",
                    article(r.what),
                    shorten(r.url.trim(), 60),
                ),
            )
            .at(page.locate(r.range.clone()))
            .label(format!("{scheme}://"))
            .help(format!("use `{secure}://{authority}`: the server must answer on {secure}")),
        );
    }
}

fn blocks_origin(ctx: &Ctx<'_>) -> &'static str {
    match ctx.project.config.csp.as_ref().map(|c| c.mode) {
        Some(CspMode::ReportOnly) => {
            "the Content Security Policy does not allow that origin (report_only: reported, not yet blocked)"
        }
        _ => "the Content Security Policy does not allow that origin, so the browser blocks it",
    }
}

/// C002: origins `[csp] src_list`, the org and Okta's CDNs do not cover. Only with a
/// `[csp]` section: without one Okta applies its default policy, which we do not know.
fn origins(page: &Page, ctx: &Ctx<'_>, refs: &[Ref], out: &mut Vec<Diagnostic>) {
    let Some(csp) = ctx.project.config.csp.as_ref() else {
        return;
    };
    let org = ctx.env.org_url.as_ref().map(|u| u.get_ref().as_str());
    let policy = Policy::okta(Some(csp), org);
    // origin → (first reference, number of references)
    let mut seen: Vec<(String, &Ref, usize)> = Vec::new();
    for r in refs {
        let Some(directive) = r.directive else {
            continue;
        };
        let Some(url) = policy::network_url(&r.url) else {
            continue;
        };
        // Plain http is C005's finding; its fix changes the origin anyway.
        if policy::is_insecure(&url) || policy.allows(directive, &url) {
            continue;
        }
        let origin = policy::origin(&url);
        match seen.iter_mut().find(|(o, _, _)| *o == origin) {
            Some((_, _, n)) => *n += 1,
            None => seen.push((origin, r, 1)),
        }
    }
    for (origin, r, n) in seen {
        let label = if n > 1 {
            let more = n - 1;
            let uses = if more == 1 { "use" } else { "uses" };
            format!("not in [csp] src_list (and {more} more {uses} on this page)")
        } else {
            "not in [csp] src_list".to_string()
        };
        out.push(
            csp_finding(ctx, Rule::C002,
                format!(
                    "{} {} `{origin}`: {}",
                    article(r.what),
                    if r.what == "connection" { "to" } else { "from" },
                    blocks_origin(ctx)
                ),
            )
            .at(page.locate(r.range.clone()))
            .label(label)
            .help(format!(
                "add `{origin}` to [csp] src_list (or load it from an origin the list already covers)"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_in_scripts() {
        let js = "fetch(\"https://a.test/x\"); var s = new WebSocket('wss://b.test/s'); x.fetch('https://no2.test'); window.fetch('https://w.test/'); var r = new XMLHttpRequest(); r.open('GET', `https://c.test/${id}`); window.open('https://nav.test'); fetch('https://' + host); navigator.sendBeacon('https://d.test/b', data);";
        let mut refs = Vec::new();
        js_refs(js, 0, &mut refs);
        refs.sort_by_key(|r| r.range.start);
        let got: Vec<&str> = refs.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(
            got,
            [
                "https://a.test/x",
                "wss://b.test/s",
                "https://w.test/",
                "https://c.test/",
                "https://d.test/b"
            ]
        );
        for r in &refs {
            assert_eq!(&js[r.range.clone()], r.url);
        }
    }
}
