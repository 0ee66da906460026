//! Okta's page contract: O001–O004, O006, O007.
//!
//! The rules read the rendered page as text, with a small scanner that knows where HTML
//! comments and inline scripts are, and blanks JavaScript comments inside scripts (so
//! commented-out code does not count). Okta's tags inside HTML comments do not count
//! either: what Okta puts there stays commented out.

use std::ops::Range;

use scraper::Selector;
use toml::Spanned;

use super::{Ctx, Page, PageKind};
use crate::config::spanned_at;
use crate::diag::{Diagnostic, Location, Rule, Severity};
use crate::okta_tags::{self, Tag};
use crate::project::Project;

pub(super) fn check(page: &Page, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let text = page.rendered.text.as_str();
    let scan = Scan::new(text);
    let tags: Vec<Tag> = okta_tags::find_tags(text, false)
        .into_iter()
        .filter(|t| !scan.in_comment(t.range.start))
        .collect();
    match ctx.kind {
        PageKind::SignIn => {
            widget_resources(page, &scan, &tags, out);
            okta_util(page, &scan, &tags, out);
            mount_elements(page, &scan, out);
        }
        PageKind::Error => error_text(page, &scan, &tags, out),
    }
    features_replaced(page, &scan, out);
}

pub(super) fn project_wide(project: &Project) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    kmsi_needs_7_13(project, &mut out);
    out
}

// ---------------------------------------------------------------------------------------
// O001

fn widget_resources(page: &Page, scan: &Scan, tags: &[Tag], out: &mut Vec<Diagnostic>) {
    let found: Vec<&Tag> = tags
        .iter()
        .filter(|t| t.name == "SignInWidgetResources")
        .collect();
    let Some(first) = found.first() else {
        let d = if let Some(src) = &scan.widget_src {
            // A page that loads the widget itself (as a rendered page does) has it.
            let mut d = Diagnostic::new(Rule::O001, "the sign-in page loads the Sign-In Widget itself instead of through `{{{SignInWidgetResources}}}`: the widget version set for the page (`[widget] version`) has no effect")
                .at(page.locate(src.clone()))
                .label("the widget, hard-coded")
                .help("replace the widget's <script> and <link> with `{{{SignInWidgetResources}}}` in <head>: Okta then serves the version `[widget] version` asks for");
            d.severity = Severity::Warning;
            d
        } else if !uses_widget(scan) {
            // Nothing here renders the widget (a page that only redirects, say).
            let mut d = Diagnostic::new(Rule::O001, "the sign-in page has no `{{{SignInWidgetResources}}}`: the Sign-In Widget is not loaded (no script on the page uses it; an external one that does would fail)")
                .at(scan.start_tag(page, "head"))
                .label("`{{{SignInWidgetResources}}}` belongs in <head>")
                .help("if the page shows the widget, put `{{{SignInWidgetResources}}}` in <head>, after <title>; if it deliberately does not, allow O001 in `[check]`");
            d.severity = Severity::Warning;
            d
        } else {
            Diagnostic::new(Rule::O001, "the sign-in page has no `{{{SignInWidgetResources}}}`: the widget's script and styles never load, so `OktaSignIn` is undefined")
                .at(scan.start_tag(page, "head"))
                .label("`{{{SignInWidgetResources}}}` belongs in <head>")
                .help("put `{{{SignInWidgetResources}}}` in <head>, after <title>: Okta replaces it with the widget's <script> and <link>")
        };
        out.push(d);
        return;
    };
    // The stub turned the tag into a comment of `x`s: find it under <head> in the parse.
    let in_head = |t: &Tag| {
        let n = t.range.len().saturating_sub(7);
        page.select("head").any(|head| {
            head.descendants().any(|node| {
                node.value()
                    .as_comment()
                    .is_some_and(|c| c.len() == n && c.bytes().all(|b| b == b'x'))
            })
        })
    };
    if found.iter().any(|t| in_head(t)) {
        return;
    }
    let mut d = Diagnostic::new(Rule::O001,
        "`{{{SignInWidgetResources}}}` is outside <head>: the widget's styles arrive late and the page flashes unstyled",
    )
    .at(page.locate(first.range.clone()))
    .label("not in <head>")
    .help("move `{{{SignInWidgetResources}}}` into <head>, after <title>");
    d.severity = Severity::Warning;
    out.push(d);
}

// ---------------------------------------------------------------------------------------
// O002

/// Whether an inline script uses the Sign-In Widget.
fn uses_widget(scan: &Scan) -> bool {
    scan.scripts
        .iter()
        .any(|s| idents(&s.code, "OktaSignIn").next().is_some())
}

fn okta_util(page: &Page, scan: &Scan, tags: &[Tag], out: &mut Vec<Diagnostic>) {
    const NAME: &str = "OktaUtil";
    let tag = tags.iter().find(|t| t.name == NAME);
    // A script that defines `OktaUtil` itself (a page saved after Okta rendered it).
    let defined: Option<usize> = scan.scripts.iter().find_map(|s| {
        idents(&s.code, NAME)
            .find(|&o| defines(&s.code, o, NAME))
            .map(|o| s.body.start + o)
    });
    // The first use of `OktaUtil` in each inline script that runs in order.
    let uses: Vec<usize> = scan
        .scripts
        .iter()
        .filter(|s| !s.deferred)
        .filter_map(|s| {
            idents(&s.code, NAME)
                .find(|&o| !defines(&s.code, o, NAME))
                .map(|o| s.body.start + o)
        })
        .collect();
    let help = "add `{{{OktaUtil}}}` in <body>, before the first script that uses `OktaUtil`";
    let Some(tag) = tag else {
        let d = match (defined, uses.first()) {
            (Some(at), _) => Diagnostic::new(Rule::O002,
                "the page defines `OktaUtil` itself instead of using `{{{OktaUtil}}}`: the configuration and sign-in state it holds are fixed in the page, not the ones Okta gives each request",
            )
            .at(page.locate(at..at + NAME.len()))
            .label("defined by the page")
            .help("replace this script with `{{{OktaUtil}}}`"),
            (None, Some(&at)) => Diagnostic::new(Rule::O002,
                "this script uses `OktaUtil`, but the page has no `{{{OktaUtil}}}` to define it",
            )
            .at(page.locate(at..at + NAME.len()))
            .label("`OktaUtil` is undefined here")
            .help(help),
            (None, None) if uses_widget(scan) => Diagnostic::new(Rule::O002,
                "the sign-in page has no `{{{OktaUtil}}}`: the widget gets neither the org's configuration nor the sign-in state",
            )
            .at(scan.start_tag(page, "body"))
            .help(help),
            (None, None) => {
                // Nothing here signs anyone in (a maintenance page, say), unless an
                // external script does.
                let mut d = Diagnostic::new(Rule::O002,
                    "the sign-in page has no `{{{OktaUtil}}}` and no script on it uses `OktaUtil` or the widget: nothing here can start Okta's sign-in flow",
                )
                .at(scan.start_tag(page, "body"))
                .help("add `{{{OktaUtil}}}` in <body>, before the scripts that sign users in; a page that deliberately signs no one in (a maintenance page) can allow O002 in `[check]`");
                d.severity = Severity::Warning;
                d
            }
        };
        out.push(d);
        return;
    };
    let tag_at = page.locate(tag.range.clone());
    let (tag_line, _, _, _) = tag_at.positions();
    for at in uses.into_iter().filter(|&o| o < tag.range.start) {
        out.push(
            Diagnostic::new(
                Rule::O002,
                format!(
                    "`OktaUtil` is used before `{{{{{{OktaUtil}}}}}}` defines it ({}:{tag_line})",
                    tag_at.file.path
                ),
            )
            .at(page.locate(at..at + NAME.len()))
            .label("`OktaUtil` is still undefined here")
            .help("move `{{{OktaUtil}}}` above this script, or this script below it"),
        );
    }
}

/// Whether the identifier `name` at `at` is being defined: `var/let/const name`,
/// `function name`, or `name =` (also `window.name =`).
fn defines(code: &str, at: usize, name: &str) -> bool {
    let before = code[..at].trim_end();
    if let Some(obj) = before.strip_suffix('.') {
        // `window.OktaUtil = …` defines the global; `other.OktaUtil` is something else.
        let obj = obj.trim_end();
        let global = obj.strip_suffix("window").is_some_and(|b| {
            b.bytes()
                .last()
                .is_none_or(|c| !is_ident_byte(c) && c != b'.')
        });
        if !global {
            return false;
        }
    } else {
        let keyword = ["var", "let", "const", "function"].iter().any(|k| {
            before.strip_suffix(k).is_some_and(|b| {
                b.bytes()
                    .last()
                    .is_none_or(|c| !is_ident_byte(c) && c != b'.')
            })
        });
        if keyword {
            return true;
        }
    }
    let b = code.as_bytes();
    let eq = skip_ws(b, at + name.len());
    b.get(eq) == Some(&b'=') && !matches!(b.get(eq + 1), Some(b'=' | b'>'))
}

// ---------------------------------------------------------------------------------------
// O003

/// The widget methods that take `{ el: selector }`.
const MOUNT_METHODS: &[&str] = &[
    "renderEl",
    "showSignIn",
    "showSignInAndRedirect",
    "showSignInToGetTokens",
];

fn mount_elements(page: &Page, scan: &Scan, out: &mut Vec<Diagnostic>) {
    let names = config_names(scan);
    // Every literal selector given to the widget, as (absolute range of the string literal).
    let mut selectors: Vec<Range<usize>> = Vec::new();
    for s in &scan.scripts {
        let code = s.code.as_str();
        let b = code.as_bytes();
        let mut found = Vec::new();
        for m in MOUNT_METHODS {
            for at in idents(code, m) {
                let p = skip_ws(b, at + m.len());
                if b.get(p) != Some(&b'(') {
                    continue;
                }
                let p = skip_ws(b, p + 1);
                if b.get(p) == Some(&b'{') {
                    found.extend(object_key_string(code, p, "el"));
                }
            }
        }
        for at in idents(code, "OktaSignIn") {
            if !code[..at].trim_end().ends_with("new") {
                continue;
            }
            let p = skip_ws(b, at + "OktaSignIn".len());
            if b.get(p) != Some(&b'(') {
                continue;
            }
            let p = skip_ws(b, p + 1);
            if b.get(p) == Some(&b'{') {
                found.extend(object_key_string(code, p, "el"));
            }
        }
        for name in &names {
            for at in idents(code, name) {
                if let Some((_, rhs)) = member_assignment(code, at + name.len(), "el") {
                    let p = skip_ws(b, rhs);
                    found.extend(string_literal(code, p));
                }
            }
        }
        selectors.extend(
            found
                .into_iter()
                .map(|r| s.body.start + r.start..s.body.start + r.end),
        );
    }
    selectors.sort_by_key(|r| r.start);
    selectors.dedup();
    let text = page.rendered.text.as_str();
    for range in &selectors {
        let sel_text = text[range.start + 1..range.end - 1].trim();
        if sel_text.is_empty() || sel_text.contains('\\') || sel_text.contains("${") {
            continue;
        }
        let Ok(sel) = Selector::parse(sel_text) else {
            continue;
        };
        if page.html.select(&sel).next().is_some() {
            continue;
        }
        // An id or class Okta fills in (stubbed as `~`) might be the one.
        if page.select("[id], [class]").any(|e| {
            e.value().attr("id").is_some_and(|v| v.contains('~'))
                || e.value().attr("class").is_some_and(|v| v.contains('~'))
        }) {
            continue;
        }
        // An element a script creates (`div.id = 'x'`, `'<div id="x">'`) is there in time.
        let bare = sel_text.trim_start_matches(['#', '.']);
        if is_simple_name(bare) && created_by_script(scan, &selectors, bare) {
            continue;
        }
        let what = match sel_text.as_bytes()[0] {
            b'#' if is_simple_name(bare) => format!("no element has the id `{bare}`"),
            b'.' if is_simple_name(bare) => format!("no element has the class `{bare}`"),
            _ => format!("no element matches `{sel_text}`"),
        };
        let add = if sel_text.starts_with('#') && is_simple_name(bare) {
            format!(
                "add `<div id=\"{bare}\"></div>` where the widget should appear, or fix the selector"
            )
        } else {
            "add the element the widget should render into, or fix the selector".to_string()
        };
        out.push(
            Diagnostic::new(Rule::O003,
                format!("the widget is told to render into `{sel_text}`, but {what}: users see a blank page"),
            )
            .at(page.locate(range.clone()))
            .label("matches nothing on the page")
            .help(add),
        );
    }
}

fn is_simple_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether a script gives an element this id or class: the name appears outside the
/// widget's selectors, right after `id`, `class`, `className` or `classList.add(`.
fn created_by_script(scan: &Scan, selectors: &[Range<usize>], name: &str) -> bool {
    scan.scripts.iter().any(|s| {
        let mut from = 0;
        while let Some(i) = s.code[from..].find(name).map(|i| from + i) {
            from = i + name.len();
            let abs = s.body.start + i;
            if selectors.iter().any(|r| r.contains(&abs)) {
                continue;
            }
            let before = s.code[..i]
                .trim_end_matches(|c: char| "'\"`=:,( \t\r\n#.".contains(c))
                .to_ascii_lowercase();
            if before.ends_with("id")
                || before.ends_with("class")
                || before.ends_with("classname")
                || before.ends_with("add")
            {
                return true;
            }
        }
        false
    })
}

// ---------------------------------------------------------------------------------------
// O004

fn features_replaced(page: &Page, scan: &Scan, out: &mut Vec<Diagnostic>) {
    let names = config_names(scan);
    for s in &scan.scripts {
        let code = s.code.as_str();
        let b = code.as_bytes();
        for name in &names {
            for at in idents(code, name) {
                let Some((lhs_end, rhs)) = member_assignment(code, at + name.len(), "features")
                else {
                    continue;
                };
                let p = skip_ws(b, rhs);
                if b.get(p) != Some(&b'{') {
                    continue;
                }
                // `{ ...config.features, x: true }` keeps Okta's features.
                let end = matching_brace(code, p).unwrap_or(code.len());
                if spreads_features(&code[p..end]) {
                    continue;
                }
                let range = s.body.start + at..s.body.start + lhs_end;
                let shown = &page.rendered.text[range.clone()];
                out.push(
                    Diagnostic::new(Rule::O004,
                        format!("`{shown}` is replaced by a new object: the features Okta configured for the org (registration, self-service unlock…) are turned off"),
                    )
                    .at(page.locate(range))
                    .label("replaces Okta's features")
                    .help(format!("set single flags instead, e.g. `{shown}.showPasswordToggleOnSignInPage = true;`, or keep Okta's: `{shown} = {{ ...{shown}, … }}`")),
                );
            }
        }
    }
}

fn spreads_features(obj: &str) -> bool {
    let mut from = 0;
    while let Some(i) = obj[from..].find("...").map(|i| from + i) {
        let rest = obj[i + 3..].trim_start();
        let chain: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "_$.[]'\"".contains(*c))
            .collect();
        if chain.contains("features") {
            return true;
        }
        from = i + 3;
    }
    false
}

// ---------------------------------------------------------------------------------------
// O007

fn error_text(page: &Page, scan: &Scan, tags: &[Tag], out: &mut Vec<Diagnostic>) {
    if tags
        .iter()
        .any(|t| t.name == "errorSummary" || t.name == "errorDescription")
    {
        return;
    }
    out.push(
        Diagnostic::new(Rule::O007,
            "the error page shows neither `{{errorSummary}}` nor `{{{errorDescription}}}`: users are not told what went wrong",
        )
        .at(scan.start_tag(page, "body"))
        .help("show the error in <body>, e.g. `<h1>{{errorSummary}}</h1>` and `<p>{{{errorDescription}}}</p>`"),
    );
}

// ---------------------------------------------------------------------------------------
// O006

/// Whether a `[widget] version` can resolve to a widget older than 7.13: `N.M` below
/// 7.13, or any form whose major is below 7. `*`, `^7` and `7` take the newest 7.x.
fn below_7_13(v: &str) -> bool {
    let v = v.trim();
    if v == "*" {
        return false;
    }
    let (caret, rest) = match v.strip_prefix('^') {
        Some(r) => (true, r),
        None => (false, v),
    };
    let (major, minor) = match rest.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (rest, None),
    };
    let Ok(major) = major.parse::<u32>() else {
        return false;
    };
    match minor {
        Some(m) if !caret => m.parse::<u32>().is_ok_and(|m| (major, m) < (7, 13)),
        _ => major < 7,
    }
}

fn kmsi_needs_7_13(project: &Project, out: &mut Vec<Diagnostic>) {
    let config = &project.config;
    let version = config.widget_version.get_ref();
    if !below_7_13(version) {
        return;
    }
    let Some(default) = project
        .locales
        .iter()
        .find(|l| l.tag == config.default_locale)
    else {
        return;
    };
    let k = &default.kmsi;
    let set: Vec<(&str, &Spanned<String>)> = [
        ("title", &k.title),
        ("subtitle", &k.subtitle),
        ("accept", &k.accept),
        ("reject", &k.reject),
    ]
    .into_iter()
    .filter_map(|(n, v)| v.as_ref().map(|v| (n, v)))
    .collect();
    let Some((_, first)) = set.first() else {
        return;
    };
    let (line, _, _, _) = spanned_at(&default.file, *first).positions();
    let keys = set
        .iter()
        .map(|(n, _)| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    out.push(
        Diagnostic::new(Rule::O006,
            format!(
                "widget version `{version}` is older than 7.13, but the default locale sets post-sign-in KMSI labels: the prompt never shows"
            ),
        )
        .at(spanned_at(&config.file, &config.widget_version))
        .label("the post-sign-in KMSI prompt needs 7.13")
        .help(format!(
            "use `version = \"^7\"` or `\"7.13\"` or later; the labels ({keys}) are set in {}:{line}",
            default.file.path
        )),
    );
}

// ---------------------------------------------------------------------------------------
// The scanner

/// Where the page's HTML comments and inline scripts are.
struct Scan {
    /// HTML comments (outside raw-text elements), `<!--` to `-->`.
    comments: Vec<Range<usize>>,
    /// Inline scripts that run as JavaScript.
    scripts: Vec<Script>,
    /// The first `<head` and `<body` start tags, name included.
    head: Option<Range<usize>>,
    body: Option<Range<usize>>,
    /// The `<script` of a script that loads the Sign-In Widget from a URL.
    widget_src: Option<Range<usize>>,
}

struct Script {
    /// The script's text in the rendered page.
    body: Range<usize>,
    /// The same text with JavaScript comments blanked (same length, same lines).
    code: String,
    /// `type="module"`, `defer`: runs after the page is parsed.
    deferred: bool,
}

/// Elements whose content is text, not markup.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noembed"];

impl Scan {
    fn new(text: &str) -> Scan {
        let lower = text.to_ascii_lowercase();
        let b = lower.as_bytes();
        let mut scan = Scan {
            comments: Vec::new(),
            scripts: Vec::new(),
            head: None,
            body: None,
            widget_src: None,
        };
        let mut i = 0;
        while let Some(at) = lower[i..].find('<').map(|p| i + p) {
            let rest = &lower[at..];
            if rest.starts_with("<!--") {
                let end = lower[at + 4..]
                    .find("-->")
                    .map_or(b.len(), |e| at + 4 + e + 3);
                scan.comments.push(at..end);
                i = end;
                continue;
            }
            let starts = |name: &str| {
                rest[1..].starts_with(name)
                    && b.get(at + 1 + name.len())
                        .is_none_or(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/')
            };
            for (name, slot) in [("head", &mut scan.head), ("body", &mut scan.body)] {
                if slot.is_none() && starts(name) {
                    *slot = Some(at..at + 1 + name.len());
                }
            }
            let Some(name) = RAW_TEXT.iter().find(|n| starts(n)) else {
                i = at + 1;
                continue;
            };
            let attrs_start = at + 1 + name.len();
            let open_end = tag_end(b, attrs_start);
            let attrs_end = if b.get(open_end.wrapping_sub(1)) == Some(&b'>') {
                open_end - 1
            } else {
                open_end
            };
            let attrs = attributes(&text[attrs_start..attrs_end.max(attrs_start)]);
            let close = lower[open_end..]
                .find(&format!("</{name}"))
                .map_or(b.len(), |e| open_end + e);
            if *name == "script" {
                let attr = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
                let ty = attr("type").unwrap_or("").trim().to_ascii_lowercase();
                let is_js = ty.is_empty()
                    || ty == "module"
                    || ty.contains("javascript")
                    || ty.contains("ecmascript")
                    || ty.contains("jscript");
                if attr("src").is_some_and(|u| u.contains("okta-sign-in"))
                    && scan.widget_src.is_none()
                {
                    scan.widget_src = Some(at..at + 1 + name.len());
                }
                if attr("src").is_none() && is_js {
                    scan.scripts.push(Script {
                        body: open_end..close,
                        code: blank_js_comments(&text[open_end..close]),
                        deferred: ty == "module",
                    });
                }
            }
            i = close.max(at + 1);
        }
        scan
    }

    fn in_comment(&self, offset: usize) -> bool {
        self.comments.iter().any(|c| c.contains(&offset))
    }

    /// Where to point a finding about the page as a whole: a start tag, or line 1.
    fn start_tag(&self, page: &Page, name: &str) -> Location {
        let range = if name == "head" {
            &self.head
        } else {
            &self.body
        };
        match range {
            Some(r) => page.locate(r.clone()),
            None => page.locate_line(1),
        }
    }
}

/// The offset just after the `>` that ends a start tag (quotes respected).
fn tag_end(b: &[u8], mut i: usize) -> usize {
    let mut quote = None;
    while i < b.len() {
        match (quote, b[i]) {
            (None, b'"' | b'\'') => quote = Some(b[i]),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// A start tag's attributes, names lower-cased.
fn attributes(s: &str) -> Vec<(String, String)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        if start == i {
            i += 1;
            continue;
        }
        let name = s[start..i].to_ascii_lowercase();
        let j = skip_ws(b, i);
        let mut value = String::new();
        if b.get(j) == Some(&b'=') {
            let v = skip_ws(b, j + 1);
            match b.get(v) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = s[v + 1..].find(q as char).map_or(b.len(), |e| v + 1 + e);
                    value = s[v + 1..end].to_string();
                    i = end + 1;
                }
                _ => {
                    let mut e = v;
                    while e < b.len() && !b[e].is_ascii_whitespace() && b[e] != b'>' {
                        e += 1;
                    }
                    value = s[v..e].to_string();
                    i = e;
                }
            }
        }
        out.push((name, value));
    }
    out
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$'
}

/// Offsets of `word` in `code` as a whole identifier.
fn idents<'a>(code: &'a str, word: &'a str) -> impl Iterator<Item = usize> + 'a {
    let b = code.as_bytes();
    code.match_indices(word).map(|(i, _)| i).filter(move |&i| {
        (i == 0 || !is_ident_byte(b[i - 1]))
            && b.get(i + word.len()).is_none_or(|c| !is_ident_byte(*c))
    })
}

/// After an object name at `at`: `.key =`, `["key"] =` or `['key'] =` (not `==`).
/// Returns the end of the member expression and the offset after `=`.
fn member_assignment(code: &str, at: usize, key: &str) -> Option<(usize, usize)> {
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

/// The range of a plain string literal (`'…'` or `"…"`, or a template literal without
/// substitutions) starting at `at`, quotes included.
fn string_literal(code: &str, at: usize) -> Option<Range<usize>> {
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

/// In the object literal opening at `open`, the string value of the top-level `key`.
fn object_key_string(code: &str, open: usize, key: &str) -> Option<Range<usize>> {
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
                    (&code[i..e], e.max(i + 1))
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

/// The offset just after the `}` matching the `{` at `open`.
fn matching_brace(code: &str, open: usize) -> Option<usize> {
    let b = code.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'"' | b'\'' | b'`' => {
                i = skip_string(b, i);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The offset after the string literal starting at `at` (an unterminated `'`/`"` string
/// ends at the line break).
fn skip_string(b: &[u8], at: usize) -> usize {
    let q = b[at];
    let mut j = at + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            c if c == q => return j + 1,
            b'\n' if q != b'`' => return j,
            _ => j += 1,
        }
    }
    b.len()
}

/// The names the widget's configuration goes by: `config`, and any variable assigned
/// `OktaUtil.getSignInWidgetConfig()`.
fn config_names(scan: &Scan) -> Vec<String> {
    let mut names = vec!["config".to_string()];
    for s in &scan.scripts {
        let code = s.code.as_str();
        for at in idents(code, "OktaUtil") {
            let after = code[at + "OktaUtil".len()..].trim_start();
            let Some(after) = after.strip_prefix('.') else {
                continue;
            };
            if !after.trim_start().starts_with("getSignInWidgetConfig") {
                continue;
            }
            let before = code[..at].trim_end();
            let Some(before) = before.strip_suffix('=') else {
                continue;
            };
            if before.ends_with(['=', '!', '<', '>']) {
                continue;
            }
            let before = before.trim_end();
            let name: String = before
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if !name.is_empty() && !name.as_bytes()[0].is_ascii_digit() && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// `js` with its comments replaced by spaces (line breaks kept): `//…`, `/*…*/`, and the
/// HTML-like `<!--…` and line-leading `-->…` comments browsers accept in scripts.
/// Strings, template literals and regular expressions are skipped, not blanked.
fn blank_js_comments(js: &str) -> String {
    let b = js.as_bytes();
    let mut out = b.to_vec();
    let mut blank = |r: Range<usize>| {
        for c in &mut out[r] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let line_end = |i: usize| js[i..].find('\n').map_or(b.len(), |e| i + e);
    let mut i = 0;
    // The last byte of code seen, to tell a regular expression from a division.
    let mut prev: u8 = b'\n';
    let mut line_start = true;
    while i < b.len() {
        let c = b[i];
        // Bytes, not `&js[i..]`: `i` steps byte by byte and lands inside multi-byte
        // characters.
        let rest = &b[i..];
        if rest.starts_with(b"//")
            || rest.starts_with(b"<!--")
            || (line_start && rest.starts_with(b"-->"))
        {
            let e = line_end(i);
            blank(i..e);
            i = e;
            continue;
        }
        if rest.starts_with(b"/*") {
            let e = js[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            blank(i..e);
            i = e;
            continue;
        }
        match c {
            b'"' | b'\'' | b'`' => {
                i = skip_string(b, i);
                prev = c;
                line_start = false;
                continue;
            }
            b'/' if b"(,=:[!&|?{};+-*%<>~^\n".contains(&prev) => {
                i = skip_regex(b, i);
                prev = b'/';
                line_start = false;
                continue;
            }
            b'\n' => line_start = true,
            c if c.is_ascii_whitespace() => {}
            _ => {
                line_start = false;
                prev = c;
            }
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| js.to_string())
}

/// The offset after a regular expression literal at `at`, or `at + 1` when it is not one.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_below_7_13() {
        for v in ["7.12", "7.0", "6", "^6", "6.99", "5.9"] {
            assert!(below_7_13(v), "{v}");
        }
        for v in ["*", "^7", "7", "7.13", "7.20", "8.0", "^8", "8"] {
            assert!(!below_7_13(v), "{v}");
        }
    }

    #[test]
    fn js_comments_are_blanked() {
        let js = "a = 'x // y'; // OktaUtil\n/* OktaUtil */ b = /\\/*/; <!-- c\n --> d\ne";
        let out = blank_js_comments(js);
        assert_eq!(out.len(), js.len());
        assert!(!out.contains("OktaUtil"), "{out}");
        assert!(out.contains("'x // y'"), "{out}");
        assert!(out.contains("/\\/*/"), "{out}");
        assert!(out.ends_with("\ne"), "{out}");
    }

    #[test]
    fn finds_el_in_object_literals() {
        let code = "x.renderEl({ i18n: { el: 'no' }, 'el': \"#a\" }, f)";
        let open = code.find('{').unwrap();
        let r = object_key_string(code, open, "el").unwrap();
        assert_eq!(&code[r], "\"#a\"");
        let code = "{ el: mount }";
        assert_eq!(object_key_string(code, 0, "el"), None);
    }

    #[test]
    fn definitions_of_okta_util() {
        for (code, want) in [
            ("var OktaUtil = {}", true),
            ("window.OktaUtil = x", true),
            ("OktaUtil = x", true),
            ("OktaUtil.init()", false),
            ("typeof OktaUtil === 'x'", false),
            ("if (OktaUtil == null)", false),
            ("foo.OktaUtil = x", false),
        ] {
            let at = code.find("OktaUtil").unwrap();
            assert_eq!(defines(code, at, "OktaUtil"), want, "{code}");
        }
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
    fn scan_finds_scripts_and_comments() {
        let t = "<html><head><!-- <script>OktaUtil</script> --></head><body><script type=\"text/template\">x</script><script nonce=\"n\">y</script><script src=\"a.js\"></script></body>";
        let s = Scan::new(t);
        assert_eq!(s.comments.len(), 1);
        assert_eq!(s.scripts.len(), 1);
        assert_eq!(&t[s.scripts[0].body.clone()], "y");
        assert_eq!(&t[s.head.clone().unwrap()], "<head");
        assert_eq!(&t[s.body.clone().unwrap()], "<body");
    }
}
