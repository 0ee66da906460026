//! Okta's page contract: O001–O004, O006, O007.
//!
//! The rules read the page scanner's inline scripts (their text with JavaScript comments
//! blanked, so commented-out code does not count) and Okta's tags outside HTML comments
//! (what Okta puts in a comment stays commented out). O003 and O004 are in [`widget`],
//! O006 in [`version`].

mod version;
mod widget;

pub(super) use widget::config_names;

use super::{Ctx, Page, PageKind};
use crate::check::scan::js::{idents, is_ident_byte, skip_ws};
use crate::check::scan::{Scan, ScriptKind};
use crate::diag::{Diagnostic, Rule, Severity};
use crate::okta_tags::Tag;
use crate::project::Project;

pub(super) fn check(page: &Page, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let scan = &page.scan;
    let tags: Vec<&Tag> = page
        .okta_tags
        .iter()
        .filter(|t| !scan.in_comment(t.range.start))
        .collect();
    let names = widget::config_names(scan);
    match ctx.kind {
        PageKind::SignIn => {
            widget_resources(page, &tags, out);
            okta_util(page, &tags, out);
            widget::mount_elements(page, &names, out);
        }
        PageKind::Error => error_text(page, &tags, out),
    }
    widget::features_replaced(page, &names, out);
}

pub(super) fn project_wide(project: &Project) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    version::kmsi_needs_7_13(project, &mut out);
    out
}

/// The `<script` of a script that loads the Sign-In Widget from a URL.
fn widget_src(page: &Page) -> Option<std::ops::Range<usize>> {
    let text = page.rendered.text.as_str();
    page.scan
        .scripts
        .iter()
        .map(|s| &page.scan.tags[s.tag])
        .find(|t| {
            t.value(text, "src")
                .is_some_and(|u| u.contains("okta-sign-in"))
        })
        .map(|t| t.name_range())
}

// ---------------------------------------------------------------------------------------
// O001

fn widget_resources(page: &Page, tags: &[&Tag], out: &mut Vec<Diagnostic>) {
    let scan = &page.scan;
    let found: Vec<&Tag> = tags
        .iter()
        .copied()
        .filter(|t| t.name == "SignInWidgetResources")
        .collect();
    let Some(first) = found.first() else {
        let d = if let Some(src) = widget_src(page) {
            // A page that loads the widget itself (as a rendered page does) has it.
            let mut d = Diagnostic::new(Rule::O001, "the sign-in page loads the Sign-In Widget itself instead of through `{{{SignInWidgetResources}}}`: the widget version set for the page (`[widget] version`) has no effect")
                .at(page.locate(src))
                .label("the widget, hard-coded")
                .help("replace the widget's <script> and <link> with `{{{SignInWidgetResources}}}` in <head>: Okta then serves the version `[widget] version` asks for");
            d.severity = Severity::Warning;
            d
        } else if !uses_widget(scan) {
            // Nothing here renders the widget (a page that only redirects, say).
            let mut d = Diagnostic::new(Rule::O001, "the sign-in page has no `{{{SignInWidgetResources}}}`: the Sign-In Widget is not loaded (no script on the page uses it; an external one that does would fail)")
                .at(page.locate_start_tag("head"))
                .label("`{{{SignInWidgetResources}}}` belongs in <head>")
                .help("if the page shows the widget, put `{{{SignInWidgetResources}}}` in <head>, after <title>; if it deliberately does not, allow O001 in `[check]`");
            d.severity = Severity::Warning;
            d
        } else {
            Diagnostic::new(Rule::O001, "the sign-in page has no `{{{SignInWidgetResources}}}`: the widget's script and styles never load, so `OktaSignIn` is undefined")
                .at(page.locate_start_tag("head"))
                .label("`{{{SignInWidgetResources}}}` belongs in <head>")
                .help("put `{{{SignInWidgetResources}}}` in <head>, after <title>: Okta replaces it with the widget's <script> and <link>")
        };
        out.push(d);
        return;
    };
    // The stub turned the tag into a comment of `x`s: find it under <head> in the parse.
    let in_head = |t: &Tag| {
        let n = t.range.len().saturating_sub(7);
        page.elements().filter(|e| e.name() == "head").any(|head| {
            head.el.descendants().any(|node| {
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
    scan.inline_js()
        .any(|s| idents(&s.code, "OktaSignIn").next().is_some())
}

fn okta_util(page: &Page, tags: &[&Tag], out: &mut Vec<Diagnostic>) {
    const NAME: &str = "OktaUtil";
    let scan = &page.scan;
    let tag = tags.iter().find(|t| t.name == NAME);
    // A script that defines `OktaUtil` itself (a page saved after Okta rendered it).
    let defined: Option<usize> = scan.inline_js().find_map(|s| {
        idents(&s.code, NAME)
            .find(|&o| defines(&s.code, o, NAME))
            .map(|o| s.body.start + o)
    });
    // The first use of `OktaUtil` in each inline script that runs in order.
    let uses: Vec<usize> = scan
        .inline_js()
        .filter(|s| s.kind != ScriptKind::Module)
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
            .at(page.locate_start_tag("body"))
            .help(help),
            (None, None) => {
                // Nothing here signs anyone in (a maintenance page, say), unless an
                // external script does.
                let mut d = Diagnostic::new(Rule::O002,
                    "the sign-in page has no `{{{OktaUtil}}}` and no script on it uses `OktaUtil` or the widget: nothing here can start Okta's sign-in flow",
                )
                .at(page.locate_start_tag("body"))
                .help("add `{{{OktaUtil}}}` in <body>, before the scripts that sign users in; a page that deliberately signs no one in (a maintenance page) can allow O002 in `[check]`");
                d.severity = Severity::Warning;
                d
            }
        };
        out.push(d);
        return;
    };
    for at in uses.into_iter().filter(|&o| o < tag.range.start) {
        let tag_at = page.locate(tag.range.clone());
        let (tag_line, _, _, _) = tag_at.positions();
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
// O007

fn error_text(page: &Page, tags: &[&Tag], out: &mut Vec<Diagnostic>) {
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
        .at(page.locate_start_tag("body"))
        .help("show the error in <body>, e.g. `<h1>{{errorSummary}}</h1>` and `<p>{{{errorDescription}}}</p>`"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
