//! HTML: H001 parse errors, H002 duplicate ids, H003 missing <title> or lang.

use std::collections::HashMap;

use super::{Ctx, Page};
use crate::diag::{Diagnostic, Rule};

pub(super) fn check(page: &Page, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    parse_errors(page, out);
    duplicate_ids(page, out);
    title_and_lang(page, ctx, out);
}

fn parse_errors(page: &Page, out: &mut Vec<Diagnostic>) {
    let mut seen = Vec::new();
    for (line, msg) in &page.errors {
        if seen.contains(&(*line, msg)) {
            continue;
        }
        seen.push((*line, msg));
        let (message, help) = explain_parse_error(msg, page, *line);
        out.push(
            Diagnostic::new(Rule::H001, message)
                .at(page.locate_line(*line))
                .help(help),
        );
    }
}

fn explain_parse_error(msg: &str, page: &Page, line: usize) -> (String, String) {
    let text = page.rendered.text.trim_start();
    if msg.contains("Bad DOCTYPE") {
        return (
            "HTML parse error: the DOCTYPE is not one browsers recognise".to_string(),
            "start the page with `<!DOCTYPE html>`".to_string(),
        );
    }
    if line == 1
        && !text
            .get(..9)
            .is_some_and(|d| d.eq_ignore_ascii_case("<!doctype"))
    {
        return (
            format!(
                "HTML parse error: {msg} (the page has no DOCTYPE, so browsers render it in quirks mode)"
            ),
            "start the page with `<!DOCTYPE html>`".to_string(),
        );
    }
    (
        format!("HTML parse error: {msg}"),
        "fix the markup on this line: close the element, quote the attribute".to_string(),
    )
}

fn duplicate_ids(page: &Page, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for e in page.elements() {
        let Some(id) = e.attr("id").map(str::trim) else {
            continue;
        };
        if id.is_empty() || id.chars().all(|c| c == '~') {
            continue;
        }
        match first.get(id) {
            Some(prev) => {
                let range = e.value_range("id");
                out.push(
                    Diagnostic::new(Rule::H002, format!("the id `{id}` is already used on line {prev} of the rendered page"))
                        .at(page.locate(range))
                        .label("second element with this id")
                        .help("give each element its own id: getElementById and `#id` selectors only find the first"),
                );
            }
            None => {
                first.insert(id, e.line);
            }
        }
    }
}

fn title_and_lang(page: &Page, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let first = |name: &str| page.elements().find(|e| e.name() == name);
    if first("title").is_none() {
        let at = first("head").map(|h| page.locate(h.range()));
        out.push(
            Diagnostic::new(Rule::H003, "the page has no <title>")
                .at(at.unwrap_or_else(|| page.locate_line(1)))
                .help("add `<title>{{pageTitle}}</title>` to <head>: Okta fills in the org's page title"),
        );
    }
    if ctx.project.config.locales.len() > 1 {
        let html = first("html");
        let has_lang = html
            .as_ref()
            .is_some_and(|h| h.attr("lang").is_some_and(|l| !l.trim().is_empty()));
        // Set by a script the browser runs (not one in a comment).
        let set_by_script = page
            .scan
            .inline_js()
            .any(|s| s.code.contains("documentElement.lang"));
        if !has_lang && !set_by_script {
            let at = html
                .as_ref()
                .map(|h| page.locate(h.range()))
                .unwrap_or_else(|| page.locate_line(1));
            out.push(
                Diagnostic::new(Rule::H003, format!("<html> has no `lang`, and the project serves {} locales", ctx.project.config.locales.len()))
                    .at(at)
                    .help("write `<html lang=\"{{ default_locale }}\">`, or set `document.documentElement.lang` to the widget's language"),
            );
        }
    }
}
