//! Content Security Policy: C001, C002, C004, C005, C006 (C003 is checked with the
//! project file).
//!
//! The element tree comes from html5ever (on the stubbed copy of the page); where a
//! finding needs the exact place of an attribute, or the raw text Okta will see (the
//! nonce), this module scans the start tags of the page itself and pairs each element
//! with its start tag (same name, same line, same attributes, in document order).

use std::collections::HashMap;
use std::ops::Range;

use ego_tree::NodeId;
use scraper::ElementRef;

use super::{Ctx, Page};
use crate::config::CspMode;
use crate::diag::{Diagnostic, Rule};

pub(super) fn check(page: &Page, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let scan = Scan::new(page);
    nonces(&scan, ctx, out);
    inline_handlers(&scan, ctx, out);
    meta_policy(&scan, out);
    let refs = resources(&scan);
    insecure(&scan, &refs, out);
    origins(&scan, ctx, &refs, out);
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

fn blocks_origin(ctx: &Ctx<'_>) -> &'static str {
    match ctx.project.config.csp.as_ref().map(|c| c.mode) {
        Some(CspMode::ReportOnly) => {
            "the Content Security Policy does not allow that origin (report_only: reported, not yet blocked)"
        }
        _ => "the Content Security Policy does not allow that origin, so the browser blocks it",
    }
}

/// A finding whose severity follows `[csp] mode`.
fn csp_finding(ctx: &Ctx<'_>, rule: Rule, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(rule, message).with_severity(ctx.csp_severity())
}

// ---------------------------------------------------------------------------------
// C001: inline <script> and <style> without Okta's nonce

/// Script types the browser runs (and the CSP checks): none, the JavaScript MIME types,
/// modules, import maps and speculation rules. Anything else (JSON, templates) is data.
fn is_script_type(ty: Option<&str>) -> bool {
    let Some(ty) = ty else { return true };
    let ty = ty.trim().to_ascii_lowercase();
    let essence = ty.split(';').next().unwrap_or("").trim();
    matches!(
        essence,
        "" | "module"
            | "importmap"
            | "speculationrules"
            | "text/javascript"
            | "application/javascript"
            | "application/ecmascript"
            | "application/x-ecmascript"
            | "application/x-javascript"
            | "text/ecmascript"
            | "text/javascript1.0"
            | "text/javascript1.1"
            | "text/javascript1.2"
            | "text/javascript1.3"
            | "text/javascript1.4"
            | "text/javascript1.5"
            | "text/jscript"
            | "text/livescript"
            | "text/x-ecmascript"
            | "text/x-javascript"
    )
}

/// `el` is a `<script>` whose text the browser runs as script.
fn is_inline_script(el: &ElementRef<'_>) -> bool {
    el.value().name() == "script"
        && el.value().attr("src").is_none()
        && is_script_type(el.value().attr("type"))
}

/// Whether the raw text of a nonce attribute is Okta's `{{nonceValue}}`.
fn is_okta_nonce(raw: &str) -> bool {
    let t = raw.trim();
    let inner = t.trim_start_matches('{').trim_end_matches('}');
    t.starts_with("{{") && t.ends_with("}}") && inner.trim() == "nonceValue"
}

fn nonces(scan: &Scan<'_>, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let page = scan.page;
    for el in page.select("script, style") {
        let name = el.value().name();
        if name == "script" && !is_inline_script(&el) {
            continue;
        }
        // An empty (or blank) element does nothing: blocking it changes nothing.
        if el.text().all(|t| t.trim().is_empty()) {
            continue;
        }
        let what = if name == "script" {
            "inline <script>"
        } else {
            "<style>"
        };
        let at = page.locate(scan.element_range(&el));
        let Some(value) = el.value().attr("nonce") else {
            out.push(
                csp_finding(ctx, Rule::C001, format!("{what} without `nonce=\"{{{{nonceValue}}}}\"`: {}", blocks(ctx)))
                    .at(at)
                    .label("no nonce")
                    .help(format!("write `<{name} nonce=\"{{{{nonceValue}}}}\">`: Okta puts the nonce of each response there")),
            );
            continue;
        };
        // The stub turned Okta's tag into `~`s; the rendered text says which tag it was.
        let raw = scan
            .attr(&el, "nonce")
            .and_then(|a| a.value.clone())
            .map(|r| page.rendered.text[r].to_string());
        let ok = match &raw {
            Some(raw) => is_okta_nonce(raw),
            None => !value.is_empty() && value.chars().all(|c| c == '~'),
        };
        if ok {
            continue;
        }
        let shown = raw.unwrap_or_else(|| value.to_string());
        let message = if shown.trim().is_empty() {
            format!("{what} with an empty nonce: {}", blocks(ctx))
        } else if shown.trim_start().starts_with("{{") {
            format!(
                "{what} with the nonce `{}`, not Okta's `{{{{nonceValue}}}}`: {}",
                shorten(shown.trim(), 40),
                blocks(ctx)
            )
        } else {
            format!(
                "{what} with a hard-coded nonce (`{}`): it never matches the nonce Okta sends with each response",
                shorten(shown.trim(), 16)
            )
        };
        let range = scan
            .attr(&el, "nonce")
            .and_then(|a| a.value.clone().filter(|v| !v.is_empty()))
            .unwrap_or_else(|| scan.element_range(&el));
        out.push(
            csp_finding(ctx, Rule::C001, message)
                .at(page.locate(range))
                .label("not Okta's nonce")
                .help("write `nonce=\"{{nonceValue}}\"`: Okta replaces it with a fresh nonce in every response"),
        );
    }
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

fn inline_handlers(scan: &Scan<'_>, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let page = scan.page;
    for el in page.select("*") {
        let tag = el.value().name();
        let mut names: Vec<&str> = el.value().attrs().map(|(n, _)| n).collect();
        // In the order they are written, when the start tag was found.
        if let Some(t) = scan.tag(&el) {
            names.sort_by_key(|n| {
                t.attrs
                    .iter()
                    .position(|a| a.name == *n)
                    .unwrap_or(usize::MAX)
            });
        }
        for name in names {
            let value = el.value().attr(name).unwrap_or("");
            if is_event_handler(name) {
                let range = scan
                    .attr(&el, name)
                    .map(|a| a.name_range.clone())
                    .unwrap_or_else(|| scan.element_range(&el));
                out.push(
                    csp_finding(ctx, Rule::C004, format!("inline event handler `{name}` on <{tag}>: a nonce cannot cover it, so {}", blocks(ctx)))
                        .at(page.locate(range))
                        .label("inline handler")
                        .help(format!("remove the attribute and attach the listener from a nonce'd script: `element.addEventListener(\"{}\", …)`", &name[2..])),
                );
            } else if URL_ATTRS.contains(&name) && is_javascript_url(value) {
                out.push(
                    csp_finding(ctx, Rule::C004, format!("`javascript:` URL in `{name}` of <{tag}>: {}", blocks(ctx)))
                        .at(page.locate(scan.value_range(&el, name)))
                        .label("javascript: URL")
                        .help("use a real URL (or a <button>) and attach the behaviour from a nonce'd script with `addEventListener`"),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// C006: a CSP <meta> tag

fn meta_policy(scan: &Scan<'_>, out: &mut Vec<Diagnostic>) {
    for el in scan.page.select("meta[http-equiv]") {
        let v = el.value().attr("http-equiv").unwrap_or("").trim();
        if v.eq_ignore_ascii_case("content-security-policy") {
            out.push(
                Diagnostic::new(Rule::C006, "the page declares its own Content-Security-Policy in a <meta> tag")
                    .at(scan.page.locate(scan.element_range(&el)))
                    .label("second policy")
                    .help("remove the tag and list what the page needs in `[csp] src_list`: Okta sends the policy as a header, and the two are combined"),
            );
        }
    }
}

// ---------------------------------------------------------------------------------
// Resources the page loads: C002 (origin not allowed) and C005 (plain http)

/// Something the page loads, and where its URL is written.
struct Ref {
    range: Range<usize>,
    url: String,
    what: &'static str,
    /// Governed by `[csp] src_list` (C002).
    csp: bool,
}

fn resources(scan: &Scan<'_>) -> Vec<Ref> {
    let page = scan.page;
    let mut refs = Vec::new();
    let mut add = |el: &ElementRef<'_>, attr: &str, what: &'static str, csp: bool| {
        if let Some(v) = el.value().attr(attr) {
            refs.push(Ref {
                range: scan.value_range(el, attr),
                url: v.to_string(),
                what,
                csp,
            });
        }
    };
    for el in page.select("*") {
        let e = el.value();
        match e.name() {
            "script" => add(&el, "src", "script", true),
            "link" => {
                let rel = e.attr("rel").unwrap_or("").to_ascii_lowercase();
                let rel: Vec<&str> = rel.split_ascii_whitespace().collect();
                let what = if rel.contains(&"stylesheet") {
                    Some("stylesheet")
                } else if rel.iter().any(|r| {
                    matches!(
                        *r,
                        "icon" | "apple-touch-icon" | "apple-touch-icon-precomposed" | "mask-icon"
                    )
                }) {
                    Some("icon")
                } else if rel
                    .iter()
                    .any(|r| matches!(*r, "preload" | "modulepreload"))
                {
                    Some("preloaded file")
                } else {
                    None
                };
                if let Some(what) = what {
                    add(&el, "href", what, true);
                }
            }
            "img" => add(&el, "src", "image", true),
            "input" => {
                if e.attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("image"))
                {
                    add(&el, "src", "image", true);
                }
                add(&el, "formaction", "form target", false);
            }
            "button" => add(&el, "formaction", "form target", false),
            "iframe" | "frame" => add(&el, "src", "frame", false),
            "form" => add(&el, "action", "form target", false),
            "video" => {
                add(&el, "src", "media file", false);
                add(&el, "poster", "image", true);
            }
            "audio" | "source" | "track" | "embed" => add(&el, "src", "media file", false),
            "object" => add(&el, "data", "object", false),
            _ => {}
        }
    }
    // url(…) in style attributes.
    for el in page.select("[style]") {
        if let Some(v) = scan.attr(&el, "style").and_then(|a| a.value.clone()) {
            css_refs(scan.stub, v, &mut refs);
        }
    }
    // url(…), @font-face and @import in <style>; connections in inline scripts.
    for el in page.select("style") {
        if let Some(r) = scan.content(&el) {
            css_refs(scan.stub, r, &mut refs);
        }
    }
    for el in page.select("script") {
        if is_inline_script(&el)
            && let Some(r) = scan.content(&el)
        {
            js_refs(scan.stub, r, &mut refs);
        }
    }
    refs.sort_by_key(|r| r.range.start);
    refs
}

/// C005: resources over plain http (and ws).
fn insecure(scan: &Scan<'_>, refs: &[Ref], out: &mut Vec<Diagnostic>) {
    for r in refs {
        let Some(url) = Url::parse(&r.url) else {
            continue;
        };
        if !url.is_insecure() {
            continue;
        }
        let secure = if url.scheme == "ws" { "wss" } else { "https" };
        let verb = if r.what == "form target" {
            "posts to"
        } else {
            "is loaded from"
        };
        out.push(
            Diagnostic::new(Rule::C005,
                format!(
                    "{} {verb} `{}` over plain {}: the sign-in page is https, so browsers block it as mixed content",
                    article(r.what),
                    shorten(r.url.trim(), 60),
                    url.scheme
                ),
            )
            .at(scan.page.locate(r.range.clone()))
            .label(format!("{}://", url.scheme))
            .help(format!(
                "use `{secure}://{}`: the server must answer on {secure}",
                url.authority()
            )),
        );
    }
}

/// Okta's own origins, which every policy Okta sends allows (the preview's CSP header
/// allows the same ones).
pub(crate) const OKTA_SOURCES: &[&str] = &[
    "https://*.oktacdn.com",
    "https://*.okta.com",
    "https://*.oktapreview.com",
    "https://*.okta-emea.com",
];

/// C002: origins `[csp] src_list`, the org and Okta's CDNs do not cover. Only with a
/// `[csp]` section: without one Okta applies its default policy, which we do not know.
fn origins(scan: &Scan<'_>, ctx: &Ctx<'_>, refs: &[Ref], out: &mut Vec<Diagnostic>) {
    let Some(csp) = ctx.project.config.csp.as_ref() else {
        return;
    };
    let org = ctx.env.org_url.as_ref().map(|u| u.get_ref().as_str());
    let mut sources: Vec<Source> = csp
        .src_list
        .iter()
        .filter_map(|s| Source::parse(s, org))
        .collect();
    sources.extend(OKTA_SOURCES.iter().filter_map(|s| Source::parse(s, None)));
    if let Some(org) = org.and_then(|o| Source::parse(o, None)) {
        sources.push(org);
    }
    // origin → (first reference, number of references)
    let mut seen: Vec<(String, &Ref, usize)> = Vec::new();
    for r in refs.iter().filter(|r| r.csp) {
        let Some(url) = Url::parse(&r.url) else {
            continue;
        };
        // Plain http is C005's finding; its fix changes the origin anyway.
        if url.is_insecure() || sources.iter().any(|s| s.matches(&url)) {
            continue;
        }
        let origin = url.origin();
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
            .at(scan.page.locate(r.range.clone()))
            .label(label)
            .help(format!(
                "add `{origin}` to [csp] src_list (or load it from an origin the list already covers)"
            )),
        );
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
// CSS and JavaScript scanners

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

fn starts_with_ci(hay: &[u8], at: usize, needle: &str) -> bool {
    hay.get(at..at + needle.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(needle.as_bytes()))
}

/// `url(…)` and `@import "…"` in the CSS at `range` of `text`.
fn css_refs(text: &str, range: Range<usize>, out: &mut Vec<Ref>) {
    let base = range.start;
    let css = &text[range];
    // Comments blanked (byte for byte), so `/* url(x) */` is not a resource.
    let mut b = css.as_bytes().to_vec();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == b'/' && b[i + 1] == b'*' {
            let end = css[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            b[i..end].fill(b' ');
            i = end;
        } else {
            i += 1;
        }
    }
    let mut i = 0;
    while i < b.len() {
        if starts_with_ci(&b, i, "url(") && (i == 0 || !is_ident(b[i - 1]) && b[i - 1] != b'-') {
            let Some((r, _)) = literal(&b, i + 4, true) else {
                i += 4;
                continue;
            };
            let before = String::from_utf8_lossy(&b[i.saturating_sub(32)..i]);
            let before = before.trim_end();
            let what = if before.to_ascii_lowercase().ends_with("@import") {
                if import_ignored(&b[..i]) {
                    i += 4;
                    continue;
                }
                "stylesheet"
            } else if in_font_face(&b[..i]) {
                "font"
            } else {
                "image"
            };
            out.push(Ref {
                url: css[r.clone()].to_string(),
                range: base + r.start..base + r.end,
                what,
                csp: true,
            });
            i += 4;
        } else if starts_with_ci(&b, i, "@import") {
            let mut j = i + 7;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < b.len()
                && matches!(b[j], b'"' | b'\'')
                && !import_ignored(&b[..i])
                && let Some((r, _)) = literal(&b, j, false)
            {
                out.push(Ref {
                    url: css[r.clone()].to_string(),
                    range: base + r.start..base + r.end,
                    what: "stylesheet",
                    csp: true,
                });
            }
            i += 7;
        } else {
            i += 1;
        }
    }
}

/// Browsers ignore an `@import` that follows a rule: only `@charset`, `@layer` and
/// other `@import`s may come before it.
fn import_ignored(before: &[u8]) -> bool {
    before.iter().any(|&c| c == b'{' || c == b'}')
}

/// Whether position `at` (the end of `before`) is inside an `@font-face { … }` block.
fn in_font_face(before: &[u8]) -> bool {
    let Some(open) = before.iter().rposition(|&c| c == b'{') else {
        return false;
    };
    if before[open..].contains(&b'}') {
        return false;
    }
    let start = before[..open]
        .iter()
        .rposition(|&c| c == b'}' || c == b';')
        .map_or(0, |p| p + 1);
    String::from_utf8_lossy(&before[start..open])
        .to_ascii_lowercase()
        .contains("@font-face")
}

/// A string literal (or, in CSS `url(`, a bare value) starting at `at` after blanks:
/// the range of its content, and the quote used (0 for bare).
fn literal(b: &[u8], at: usize, bare: bool) -> Option<(Range<usize>, u8)> {
    let mut i = at;
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    let q = *b.get(i)?;
    if matches!(q, b'"' | b'\'' | b'`') {
        let start = i + 1;
        let mut j = start;
        while j < b.len() && b[j] != q {
            if b[j] == b'\\' {
                j += 1;
            } else if b[j] == b'\n' && q != b'`' {
                return None;
            }
            j += 1;
        }
        (j < b.len()).then_some((start..j, q))
    } else if bare {
        let start = i;
        let mut j = start;
        while j < b.len() && b[j] != b')' && !b[j].is_ascii_whitespace() {
            j += 1;
        }
        (j < b.len() && j > start).then_some((start..j, 0))
    } else {
        None
    }
}

/// Connections an inline script opens to literal URLs: `fetch("…")`, `new
/// WebSocket("…")`, `new EventSource("…")`, `navigator.sendBeacon("…")` and
/// `XMLHttpRequest`'s `.open("GET", "…")`.
fn js_refs(text: &str, range: Range<usize>, out: &mut Vec<Ref>) {
    let base = range.start;
    let js = &text[range];
    let b = blank_js_comments(js.as_bytes());
    let xhr = js.contains("XMLHttpRequest");
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        let prev = if i == 0 { b' ' } else { b[i - 1] };
        let mut url_at = None;
        for call in ["fetch(", "WebSocket(", "EventSource(", "sendBeacon("] {
            if rest.starts_with(call.as_bytes())
                && (!is_ident(prev)
                    && (prev != b'.' || call != "fetch(" || b[..i].ends_with(b"window.")))
            {
                url_at = Some(i + call.len());
            }
        }
        if xhr && prev == b'.' && rest.starts_with(b"open(") {
            // The first argument is the method, the second the URL.
            if let Some((m, _)) = literal(&b, i + 5, false) {
                let method = &b[m.clone()];
                if !method.is_empty()
                    && method.len() <= 10
                    && method.iter().all(|c| c.is_ascii_alphabetic())
                {
                    let mut j = m.end + 1;
                    while j < b.len() && b[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    if b.get(j) == Some(&b',') {
                        url_at = Some(j + 1);
                    }
                }
            }
        }
        if let Some(at) = url_at
            && let Some((r, q)) = literal(&b, at, false)
        {
            let mut r = r;
            let cut = q == b'`' && js[r.clone()].contains("${");
            if cut {
                // Only the literal part before the first `${…}`.
                r.end = r.start + js[r.clone()].find("${").unwrap_or(0);
            }
            let url = &js[r.clone()];
            // The origin must be written out in full.
            let literal_origin = if cut {
                url.find("://")
                    .is_some_and(|p| url[p + 3..].contains(['/', '?', '#']))
            } else {
                // The whole argument, not the start of `"https://" + host`.
                b[r.end + 1..]
                    .iter()
                    .find(|c| !c.is_ascii_whitespace())
                    .is_some_and(|c| matches!(c, b')' | b','))
            };
            if literal_origin {
                out.push(Ref {
                    url: url.to_string(),
                    range: base + r.start..base + r.end,
                    what: "connection",
                    csp: true,
                });
            }
        }
        i += 1;
    }
}

/// JavaScript with its comments blanked, byte for byte (strings kept).
fn blank_js_comments(src: &[u8]) -> Vec<u8> {
    let mut b = src.to_vec();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != q && (q == b'`' || b[i] != b'\n') {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |p| i + p);
                b[i..end].fill(b' ');
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = src[i + 2..]
                    .windows(2)
                    .position(|w| w == b"*/")
                    .map_or(b.len(), |p| i + 2 + p + 2);
                for c in &mut b[i..end] {
                    if *c != b'\n' {
                        *c = b' ';
                    }
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    b
}

// ---------------------------------------------------------------------------------
// URLs and CSP source expressions

/// A network URL: scheme, host, port and path.
#[derive(Debug)]
struct Url {
    scheme: String,
    host: String,
    port: Option<u16>,
    path: String,
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        _ => None,
    }
}

impl Url {
    /// An absolute http(s)/ws(s) URL, or a protocol-relative one (the page is https).
    /// `None` for relative URLs, `data:`, `blob:` and Okta's stubs.
    fn parse(raw: &str) -> Option<Url> {
        let s: String = raw
            .trim_matches(|c: char| c.is_ascii_whitespace())
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        let (scheme, rest) = if let Some(rest) = s.strip_prefix("//") {
            ("https".to_string(), rest)
        } else {
            let colon = s.find(':')?;
            let scheme = &s[..colon];
            if scheme.is_empty()
                || !scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                || !scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            {
                return None;
            }
            let scheme = scheme.to_ascii_lowercase();
            if !matches!(scheme.as_str(), "http" | "https" | "ws" | "wss") {
                return None;
            }
            let rest = s[colon + 1..].trim_start_matches(['/', '\\']);
            (scheme, rest)
        };
        let auth_end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..auth_end];
        let after = &rest[auth_end..];
        let path = after.split(['?', '#']).next().unwrap_or("").to_string();
        let hostport = authority.rsplit('@').next().unwrap_or("");
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let end = v6.find(']')?;
            let port = v6[end + 1..].strip_prefix(':');
            (format!("[{}]", &v6[..end]), port)
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (hostport.to_string(), None),
            }
        };
        let port = match port {
            None | Some("") => None,
            Some(p) => Some(p.parse::<u16>().ok()?),
        };
        let host = host.to_ascii_lowercase();
        if host.is_empty()
            || !host
                .chars()
                .all(|c| c.is_alphanumeric() || ".-_[]:".contains(c))
        {
            // Stubs (`~`), template placeholders (`${…}`, `{{…}}`), garbage.
            return None;
        }
        let port = port.filter(|p| Some(*p) != default_port(&scheme));
        Some(Url {
            scheme,
            host,
            port,
            path,
        })
    }

    fn is_insecure(&self) -> bool {
        matches!(self.scheme.as_str(), "http" | "ws")
    }

    fn authority(&self) -> String {
        match self.port {
            Some(p) => format!("{}:{p}", self.host),
            None => self.host.clone(),
        }
    }

    fn origin(&self) -> String {
        format!("{}://{}", self.scheme, self.authority())
    }
}

/// A CSP source expression from `[csp] src_list` (or the org, or Okta's CDNs).
#[derive(Debug)]
enum Source {
    Any,
    Scheme(String),
    Host {
        scheme: Option<String>,
        /// Lower case; `*` for any host, `*.example.com` for its subdomains.
        host: String,
        /// `None`: the scheme's default port; `Some(None)`: `*`.
        port: Option<Option<u16>>,
        path: String,
    },
}

/// CSP3 scheme-part matching: `http` also allows `https`, `ws` and `wss`; `https` also
/// `wss`; `ws` also `wss`.
fn scheme_matches(expr: &str, url: &str) -> bool {
    expr == url
        || (expr == "http" && matches!(url, "https" | "ws" | "wss"))
        || (expr == "https" && url == "wss")
        || (expr == "ws" && url == "wss")
}

impl Source {
    fn parse(entry: &str, org: Option<&str>) -> Option<Source> {
        let e = entry.trim();
        if e == "*" {
            return Some(Source::Any);
        }
        if e.eq_ignore_ascii_case("'self'") {
            return org.and_then(|o| Source::parse(o, None));
        }
        if e.starts_with('\'') {
            return None;
        }
        if let Some(s) = e.strip_suffix(':')
            && !s.contains(['/', '.'])
        {
            return Some(Source::Scheme(s.to_ascii_lowercase()));
        }
        let (scheme, rest) = match e.split_once("://") {
            Some((s, r)) => (Some(s.to_ascii_lowercase()), r),
            None => (None, e),
        };
        let auth_end = rest.find('/').unwrap_or(rest.len());
        let (hostport, path) = rest.split_at(auth_end);
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, "*")) => (h, Some(None)),
            Some((h, p)) => (h, Some(Some(p.parse::<u16>().ok()?))),
            None => (hostport, None),
        };
        if host.is_empty() {
            return None;
        }
        Some(Source::Host {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
            path: path.split(['?', '#']).next().unwrap_or("").to_string(),
        })
    }

    fn matches(&self, url: &Url) -> bool {
        match self {
            Source::Any => true,
            Source::Scheme(s) => scheme_matches(s, &url.scheme),
            Source::Host {
                scheme,
                host,
                port,
                path,
            } => {
                // Without a scheme, the page's own (https).
                let scheme_ok = scheme_matches(scheme.as_deref().unwrap_or("https"), &url.scheme);
                let host_ok = if host == "*" {
                    true
                } else if let Some(suffix) = host.strip_prefix("*.") {
                    url.host.ends_with(&format!(".{suffix}"))
                } else {
                    *host == url.host
                };
                let url_port = url.port.or_else(|| default_port(&url.scheme));
                let port_ok = match port {
                    None => url.port.is_none(),
                    Some(None) => true,
                    Some(Some(p)) => Some(*p) == url_port,
                };
                // A path ending in `/` allows everything below it; any other path
                // allows that file alone (CSP's path matching).
                let path_ok = if path.is_empty() || path == "/" {
                    true
                } else if path.ends_with('/') {
                    url.path.starts_with(path.as_str())
                } else {
                    url.path == *path
                };
                scheme_ok && host_ok && port_ok && path_ok
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Start tags of the page, paired with html5ever's elements

/// One attribute as written: its name (lower case), where the name is and where the
/// value is (inside the quotes).
struct Attr {
    name: String,
    name_range: Range<usize>,
    value: Option<Range<usize>>,
}

struct StartTag {
    /// `<` up to after `>`.
    range: Range<usize>,
    name: String,
    attrs: Vec<Attr>,
}

/// Elements whose content is text, not markup.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// The page's stubbed text, its start tags and which element each belongs to.
struct Scan<'p> {
    page: &'p Page,
    stub: &'p str,
    lower: String,
    tags: Vec<StartTag>,
    of: HashMap<NodeId, usize>,
}

impl<'p> Scan<'p> {
    fn new(page: &'p Page) -> Scan<'p> {
        // The page was parsed on this stub: reuse it rather than stubbing again.
        let stub = page.stubbed.as_str();
        let lower = stub.to_ascii_lowercase();
        let tags = start_tags(stub, &lower);
        // (line of `>`, name) → tags, in text order.
        let mut by_line: HashMap<(usize, &str), Vec<usize>> = HashMap::new();
        for (i, t) in tags.iter().enumerate() {
            let line = page.rendered.position(t.range.end - 1).line;
            by_line.entry((line, t.name.as_str())).or_default().push(i);
        }
        let mut claimed = vec![false; tags.len()];
        let mut of = HashMap::new();
        for el in page.select("*") {
            let name = el.value().name().to_ascii_lowercase();
            let Some(cands) = by_line.get(&(page.line_of(&el), name.as_str())) else {
                continue;
            };
            let mut names: Vec<&str> = el.value().attrs().map(|(n, _)| n).collect();
            names.sort_unstable();
            let same_attrs = |t: &StartTag| {
                let mut tn: Vec<&str> = t.attrs.iter().map(|a| a.name.as_str()).collect();
                tn.sort_unstable();
                tn == names
            };
            let pick = cands
                .iter()
                .copied()
                .find(|&i| !claimed[i] && same_attrs(&tags[i]))
                .or_else(|| cands.iter().copied().find(|&i| !claimed[i]));
            if let Some(i) = pick {
                claimed[i] = true;
                of.insert(el.id(), i);
            }
        }
        Scan {
            page,
            stub,
            lower,
            tags,
            of,
        }
    }

    fn tag(&self, el: &ElementRef<'_>) -> Option<&StartTag> {
        self.of.get(&el.id()).map(|&i| &self.tags[i])
    }

    fn attr(&self, el: &ElementRef<'_>, name: &str) -> Option<&Attr> {
        self.tag(el)?.attrs.iter().find(|a| a.name == name)
    }

    /// `<name` of the element's start tag.
    fn element_range(&self, el: &ElementRef<'_>) -> Range<usize> {
        match self.tag(el) {
            Some(t) => t.range.start..t.range.start + 1 + t.name.len(),
            None => self.page.element_range(el),
        }
    }

    /// The value of an attribute (its name when the value is empty, the element when
    /// the attribute cannot be found).
    fn value_range(&self, el: &ElementRef<'_>, name: &str) -> Range<usize> {
        match self.attr(el, name) {
            Some(Attr { value: Some(v), .. }) if !v.is_empty() => v.clone(),
            Some(a) => a.name_range.clone(),
            None => self.element_range(el),
        }
    }

    /// The text of a raw-text element (`<script>`, `<style>`) between its tags.
    fn content(&self, el: &ElementRef<'_>) -> Option<Range<usize>> {
        let t = self.tag(el)?;
        let close = format!("</{}", t.name);
        let start = t.range.end;
        let end = self.lower[start..]
            .find(&close)
            .map_or(self.lower.len(), |e| start + e);
        Some(start..end)
    }
}

/// Every start tag outside comments and raw text, with its attributes.
fn start_tags(text: &str, lower: &str) -> Vec<StartTag> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = text[i..].find('<').map(|p| i + p) {
        let next = b.get(p + 1).copied().unwrap_or(0);
        if text[p..].starts_with("<!--") {
            i = text[p + 4..].find("-->").map_or(b.len(), |e| p + 4 + e + 3);
        } else if matches!(next, b'!' | b'?' | b'/') {
            i = text[p..].find('>').map_or(b.len(), |e| p + e + 1);
        } else if next.is_ascii_alphabetic() {
            let Some(tag) = start_tag(text, p) else { break };
            i = tag.range.end;
            if RAW_TEXT.contains(&tag.name.as_str()) {
                let close = format!("</{}", tag.name);
                i = lower[i..].find(&close).map_or(b.len(), |e| i + e);
            }
            out.push(tag);
        } else {
            i = p + 1;
        }
    }
    out
}

/// The start tag at `at` (a `<` followed by a letter), as the HTML tokenizer reads it.
fn start_tag(text: &str, at: usize) -> Option<StartTag> {
    let b = text.as_bytes();
    let n = b.len();
    let ws = |c: u8| c.is_ascii_whitespace();
    let mut i = at + 1;
    while i < n && !(ws(b[i]) || b[i] == b'/' || b[i] == b'>') {
        i += 1;
    }
    let name = text[at + 1..i].to_ascii_lowercase();
    let mut attrs: Vec<Attr> = Vec::new();
    loop {
        while i < n && (ws(b[i]) || b[i] == b'/') {
            i += 1;
        }
        if i >= n {
            return None;
        }
        if b[i] == b'>' {
            i += 1;
            break;
        }
        let ns = i;
        i += 1;
        while i < n && !(ws(b[i]) || b[i] == b'/' || b[i] == b'>' || b[i] == b'=') {
            i += 1;
        }
        let ne = i;
        let mut k = i;
        while k < n && ws(b[k]) {
            k += 1;
        }
        let mut value = None;
        if k < n && b[k] == b'=' {
            k += 1;
            while k < n && ws(b[k]) {
                k += 1;
            }
            if k < n && (b[k] == b'"' || b[k] == b'\'') {
                let q = b[k];
                let vs = k + 1;
                let ve = vs + b[vs..].iter().position(|&c| c == q)?;
                value = Some(vs..ve);
                i = ve + 1;
            } else {
                let vs = k;
                while k < n && !ws(b[k]) && b[k] != b'>' {
                    k += 1;
                }
                value = Some(vs..k);
                i = k;
            }
        }
        let attr_name = text[ns..ne].to_ascii_lowercase();
        // The first of duplicate attributes wins, as in html5ever.
        if !attrs.iter().any(|a| a.name == attr_name) {
            attrs.push(Attr {
                name: attr_name,
                name_range: ns..ne,
                value,
            });
        }
    }
    Some(StartTag {
        range: at..i,
        name,
        attrs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    fn allowed(entry: &str, u: &str) -> bool {
        Source::parse(entry, None).unwrap().matches(&url(u))
    }

    #[test]
    fn urls() {
        assert!(Url::parse("/img/a.png").is_none());
        assert!(Url::parse("img/a.png").is_none());
        assert!(Url::parse("data:image/png;base64,AAAA").is_none());
        assert!(Url::parse("blob:https://x/1").is_none());
        assert!(Url::parse("~~~~~~~~~~~~~~~~~~~").is_none());
        assert!(Url::parse("https://~~~~~~/x").is_none());
        assert!(Url::parse("https://${host}/x").is_none());
        assert_eq!(
            url("//cdn.example.com/a.js").origin(),
            "https://cdn.example.com"
        );
        assert_eq!(
            url(" HTTPS://CDN.Example.com:443/a.js ").origin(),
            "https://cdn.example.com"
        );
        assert_eq!(
            url("https://cdn.example.com:8443/a.js").origin(),
            "https://cdn.example.com:8443"
        );
        assert_eq!(url("http://user:pw@x.com/").origin(), "http://x.com");
        assert!(url("ws://x.com/").is_insecure());
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
            "https://*.example.com",
            "https://a.b.example.com/x"
        ));
        assert!(!allowed("https://*.example.com", "https://example.com/x"));
        assert!(allowed(
            "https://cdn.example.com/libs/",
            "https://cdn.example.com/libs/a.js"
        ));
        assert!(!allowed(
            "https://cdn.example.com/libs/",
            "https://cdn.example.com/other.js"
        ));
        assert!(allowed(
            "https://cdn.example.com/a.js",
            "https://cdn.example.com/a.js"
        ));
        assert!(!allowed(
            "https://cdn.example.com/a.js",
            "https://cdn.example.com/a.jsx"
        ));
        assert!(allowed("cdn.example.com", "https://cdn.example.com/a.js"));
        assert!(allowed("https:", "https://anything.test/"));
        assert!(allowed(
            "https://api.example.com",
            "wss://api.example.com/socket"
        ));
        assert!(allowed("*", "https://anything.test/"));
        assert!(allowed("https://x.com:*", "https://x.com:9/"));
        assert!(Source::parse("'unsafe-inline'", None).is_none());
    }

    #[test]
    fn start_tags_and_attributes() {
        let t = "<!-- <img src=x> --><a href='h' onclick=go()>x</a><script>if (a<b) '<img>'</script><IMG SRC=\"y\" alt>";
        let tags = start_tags(t, &t.to_ascii_lowercase());
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["a", "script", "img"]);
        let a = &tags[0];
        assert_eq!(&t[a.attrs[1].name_range.clone()], "onclick");
        assert_eq!(&t[a.attrs[1].value.clone().unwrap()], "go()");
        assert_eq!(&t[tags[2].attrs[0].value.clone().unwrap()], "y");
        assert!(tags[2].attrs[1].value.is_none());
    }

    #[test]
    fn css_and_js() {
        let late = "a { color: red } @import url(https://late.test/x.css); @import 'https://late.test/y.css';";
        let mut refs = Vec::new();
        css_refs(late, 0..late.len(), &mut refs);
        assert!(refs.is_empty());
        let css = "/* url(http://no) */ @import 'https://a.test/x.css'; @font-face { src: url(\"https://f.test/f.woff2\") } .x{background:url( https://i.test/i.png )}";
        let mut refs = Vec::new();
        css_refs(css, 0..css.len(), &mut refs);
        let got: Vec<(&str, &str)> = refs.iter().map(|r| (r.url.as_str(), r.what)).collect();
        assert_eq!(
            got,
            [
                ("https://a.test/x.css", "stylesheet"),
                ("https://f.test/f.woff2", "font"),
                ("https://i.test/i.png", "image")
            ]
        );
        let js = "// fetch('https://no.test')\nfetch(\"https://a.test/x\"); var s = new WebSocket('wss://b.test/s'); x.fetch('https://no2.test'); var r = new XMLHttpRequest(); r.open('GET', `https://c.test/${id}`); window.open('https://nav.test');";
        let mut refs = Vec::new();
        js_refs(js, 0..js.len(), &mut refs);
        let got: Vec<&str> = refs.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(
            got,
            ["https://a.test/x", "wss://b.test/s", "https://c.test/"]
        );
    }

    #[test]
    fn nonce_and_types() {
        assert!(is_okta_nonce("{{nonceValue}}"));
        assert!(is_okta_nonce("{{ nonceValue }}"));
        assert!(!is_okta_nonce("abc123"));
        assert!(!is_okta_nonce("{{nonce}}"));
        assert!(is_script_type(None));
        assert!(is_script_type(Some("text/javascript")));
        assert!(is_script_type(Some("module")));
        assert!(!is_script_type(Some("application/json")));
        assert!(!is_script_type(Some("text/x-template")));
        assert!(is_javascript_url(" JavaScript:void(0)"));
        assert!(is_javascript_url("java\tscript:x"));
        assert!(!is_javascript_url("#"));
        assert!(is_event_handler("onclick"));
        assert!(!is_event_handler("on"));
    }
}
