//! The widget's configuration in the page's scripts: O003 (the element the widget
//! renders into is missing) and O004 (`config.features` replaced wholesale).

use std::ops::Range;

use scraper::Selector;

use super::{Page, idents, skip_ws};
use crate::check::scan::Scan;
use crate::check::scan::js::{
    matching_brace, member_assignment, object_key_string, string_literal,
};
use crate::diag::{Diagnostic, Rule};

// ---------------------------------------------------------------------------------------
// O003

/// The widget methods that take `{ el: selector }`.
const MOUNT_METHODS: &[&str] = &[
    "renderEl",
    "showSignIn",
    "showSignInAndRedirect",
    "showSignInToGetTokens",
];

pub(super) fn mount_elements(page: &Page, names: &[String], out: &mut Vec<Diagnostic>) {
    let scan = &page.scan;
    // Every literal selector given to the widget, as (absolute range of the string literal).
    let mut selectors: Vec<Range<usize>> = Vec::new();
    for s in scan.inline_js() {
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
        for name in names {
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
        // `#id`, the usual selector, found without parsing it.
        let id = sel_text.strip_prefix('#').filter(|s| is_simple_name(s));
        if id.is_some_and(|id| page.elements().any(|e| e.attr("id") == Some(id))) {
            continue;
        }
        let Ok(sel) = Selector::parse(sel_text) else {
            continue;
        };
        if page.html.select(&sel).next().is_some() {
            continue;
        }
        // An id or class Okta fills in (stubbed as `~`) might be the one.
        if page.elements().any(|e| {
            e.attr("id").is_some_and(|v| v.contains('~'))
                || e.attr("class").is_some_and(|v| v.contains('~'))
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
    scan.inline_js().any(|s| {
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

pub(super) fn features_replaced(page: &Page, names: &[String], out: &mut Vec<Diagnostic>) {
    let scan = &page.scan;
    for s in scan.inline_js() {
        let code = s.code.as_str();
        let b = code.as_bytes();
        for name in names {
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

/// The names the widget's configuration goes by in the page's scripts: `config`, and
/// every variable `OktaUtil.getSignInWidgetConfig()` is assigned to.
pub(in crate::check) fn config_names(scan: &Scan) -> Vec<String> {
    let mut names = vec!["config".to_string()];
    for s in scan.inline_js() {
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
