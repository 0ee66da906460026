//! Okta's Mustache tags in the output and in the templates: T003 (a tag Okta does not
//! know, or one in a form Okta renders wrongly), O005 (unbalanced sections) and T004
//! (`{#` inside a script, which Tera reads as a comment).

use super::scan::Scan;
use super::{Ctx, Page, PageKind};
use crate::diag::suggest::closest;
use crate::diag::{Diagnostic, Location, Rule};
use crate::okta_tags::{self, OKTA_TAGS, TagPage};
use crate::project::Project;

/// Tags whose value is markup: Okta escapes `{{name}}`, so they need three braces.
const MARKUP_TAGS: &[&str] = &[
    "SignInWidgetResources",
    "OktaUtil",
    "errorDescription",
    "config",
    "ErrorPageResources",
];

pub(super) fn check(page: &Page, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let mut open: Vec<&okta_tags::Tag> = Vec::new();
    for tag in &page.okta_tags {
        let shown = &page.rendered.text[tag.range.clone()];
        let known = OKTA_TAGS.iter().find(|(n, _)| *n == tag.name);
        match known {
            None => {
                let help = match closest(&tag.name, OKTA_TAGS.iter().map(|(n, _)| *n)) {
                    Some(c) => format!("did you mean Okta's `{c}`?"),
                    None => format!(
                        "Okta's tags are: {}",
                        OKTA_TAGS
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                out.push(
                    Diagnostic::new(
                        Rule::T003,
                        format!("`{shown}` is not a tag Okta knows: Okta replaces it with nothing"),
                    )
                    .at(page.locate(tag.range.clone()))
                    .label("unknown to Okta")
                    .help(help),
                );
            }
            Some((name, for_page)) => {
                let wrong_page = match (ctx.kind, for_page) {
                    (PageKind::SignIn, TagPage::Error) => Some("the error page"),
                    (PageKind::Error, TagPage::SignIn) => Some("the sign-in page"),
                    _ => None,
                };
                if let Some(other) = wrong_page {
                    out.push(
                        Diagnostic::new(
                            Rule::T003,
                            format!(
                                "`{shown}` belongs to {other}: here Okta replaces it with nothing"
                            ),
                        )
                        .at(page.locate(tag.range.clone()))
                        .help("remove it, or move it to the page it belongs to"),
                    );
                } else if MARKUP_TAGS.contains(name) && !tag.triple && tag.sigil.is_none() {
                    out.push(
                        Diagnostic::new(Rule::T003, format!("`{shown}` needs three braces: with two, Okta escapes the markup and the page shows it as text"))
                            .at(page.locate(tag.range.clone()))
                            .help(format!("write `{{{{{{{name}}}}}}}`")),
                    );
                }
            }
        }
        match tag.sigil {
            Some(b'#' | b'^') => open.push(tag),
            Some(b'/') => match open.last() {
                Some(top) if top.name == tag.name => {
                    open.pop();
                }
                Some(top) => {
                    let top_shown = &page.rendered.text[top.range.clone()];
                    out.push(
                        Diagnostic::new(
                            Rule::O005,
                            format!("`{shown}` closes a section, but `{top_shown}` is still open"),
                        )
                        .at(page.locate(tag.range.clone()))
                        .help(format!(
                            "close `{top_shown}` first: Mustache sections cannot cross"
                        )),
                    );
                }
                None => out.push(
                    Diagnostic::new(
                        Rule::O005,
                        format!("`{shown}` closes a section that was never opened"),
                    )
                    .at(page.locate(tag.range.clone()))
                    .help(format!(
                        "open it with `{{{{#{}}}}}` or remove this tag",
                        tag.name
                    )),
                ),
            },
            _ => {}
        }
    }
    for tag in open {
        let shown = &page.rendered.text[tag.range.clone()];
        out.push(
            Diagnostic::new(Rule::O005, format!("`{shown}` is never closed"))
                .at(page.locate(tag.range.clone()))
                .label("opened here")
                .help(format!("close it with `{{{{/{}}}}}`", tag.name)),
        );
    }
}

/// T004: `{#` inside a <script> of a template, outside `{% raw %}`.
pub(super) fn templates(project: &Project) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for file in &project.templates {
        let text = file.text.as_str();
        if !text.contains("{#") {
            continue;
        }
        let raw = raw_regions(text);
        for script in Scan::new(text).scripts {
            let body = script.body;
            for i in memchr::memmem::find_iter(&text.as_bytes()[body.clone()], b"{#") {
                let i = body.start + i;
                if !raw.iter().any(|r| r.contains(&i)) {
                    out.push(
                        Diagnostic::new(Rule::T004, "`{#` inside a <script>: Tera reads it as the start of a comment")
                            .at(Location::bytes(file, i..i + 2))
                            .label("Tera comment starts here")
                            .help("wrap the script in `{% raw %}…{% endraw %}`, or write `{ #` with a space"),
                    );
                }
            }
        }
    }
    out
}

/// Byte ranges between `{% raw %}` and `{% endraw %}` (any inner spacing).
fn raw_regions(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = find_tag(text, from, "raw") {
        let end = find_tag(text, start, "endraw").unwrap_or(text.len());
        out.push(start..end);
        from = end;
        if end >= text.len() {
            break;
        }
    }
    out
}

/// The offset just after `{% word %}` (or `{%- word -%}`) found from `from`.
fn find_tag(text: &str, from: usize, word: &str) -> Option<usize> {
    let mut at = from;
    while let Some(i) = text[at..].find("{%").map(|i| at + i) {
        let rest = text[i + 2..].trim_start_matches('-').trim_start();
        if let Some(after) = rest.strip_prefix(word) {
            let after = after.trim_start().trim_start_matches('-');
            if after.starts_with("%}") {
                return Some(text.len() - after.len() + 2);
            }
        }
        at = i + 2;
    }
    None
}
