//! Tera's errors as diagnostics in the designer's files: syntax errors (T001), missing
//! templates and include cycles (T001), undefined names (T002, with what the context
//! has instead: `missing`) and any other rendering failure (T005). The mask keeps byte
//! offsets, so Tera's spans point into the files as written.

use std::ops::Range;

use tera::ErrorKind;

use super::missing;
use super::{Engine, JS_FILTER};
use crate::diag::{Diagnostic, Location, Rule};

impl Engine {
    /// Turn a Tera error into diagnostics in the designer's files. `context`: the render's,
    /// to name what it lacks (none for errors found while parsing).
    pub(super) fn diagnostics(
        &self,
        err: &tera::Error,
        context: Option<&tera::Context>,
    ) -> Vec<Diagnostic> {
        match err.kind() {
            ErrorKind::SyntaxError(report) => {
                let msg = report.message().to_string();
                vec![
                    self.at_report(
                        Diagnostic::new(Rule::T001, format!("template syntax error: {msg}"))
                            .help(syntax_help()),
                        report.filename(),
                        report.span().range.clone(),
                    ),
                ]
            }
            ErrorKind::RenderingError(report) => {
                vec![self.rendering_error(report, context)]
            }
            ErrorKind::Msg(text) => parse_reports(text)
                .into_iter()
                .map(|(msg, file, line, col, width)| {
                    let d = Diagnostic::new(Rule::T001, format!("template error: {msg}"))
                        .help(msg_help(&msg));
                    match self.sources.get(&file) {
                        Some(src) => {
                            let start = src.offset(line, col);
                            d.at(Location::bytes(
                                src,
                                start..(start + width).min(src.text.len()),
                            ))
                        }
                        None => d,
                    }
                })
                .collect(),
            ErrorKind::MissingParent { current, parent } => {
                let d = Diagnostic::new(Rule::T001, format!("`{current}` extends `{parent}`, which is not in templates/"))
                    .help("check the name in `{% extends %}`: it is a path relative to templates/, and templates cannot reach outside it");
                vec![self.at_text(d, current, parent)]
            }
            ErrorKind::CircularInclude { tpl, include_chain }
            | ErrorKind::CircularExtend {
                tpl,
                inheritance_chain: include_chain,
            } => {
                let d = Diagnostic::new(
                    Rule::T001,
                    format!(
                        "templates include each other in a cycle: {}",
                        include_chain.join(" → ")
                    ),
                )
                .help("break the cycle: a partial must not include the page that includes it");
                let next = include_chain.get(1).map(String::as_str).unwrap_or(tpl);
                vec![self.at_text(d, tpl, next)]
            }
            ErrorKind::TemplateNotFound(name) => vec![
                Diagnostic::new(Rule::T001, format!("template `{name}` not found")).help(
                    "templates are looked up relative to templates/ and cannot reach outside it",
                ),
            ],
            other => vec![Diagnostic::new(
                Rule::T005,
                format!("template error: {other}"),
            )],
        }
    }

    /// A rendering error: T002 when the context lacks the name the error points at
    /// (named from the context itself: Tera's message names no variable when a filter or
    /// test was handed an undefined value), T005 otherwise.
    fn rendering_error(
        &self,
        report: &tera::ReportError,
        context: Option<&tera::Context>,
    ) -> Diagnostic {
        let msg = report.message();
        let mut range = report.span().range.clone();
        let missing = match (context, self.sources.get(report.filename())) {
            (Some(ctx), Some(src)) if msg.contains("undefined") || msg.contains("not defined") => {
                let (start, path) = missing::dotted_path_at(&src.text, range.start);
                missing::missing_in_context(ctx, &path).map(|(i, m)| {
                    range = missing::segment_range(start, &path, i);
                    m
                })
            }
            _ => None,
        };
        let d = match (missing, context) {
            (Some(m), Some(ctx)) => m.diagnostic(ctx),
            _ => Diagnostic::new(Rule::T005, format!("template rendering failed: {msg}")),
        };
        self.at_report(d, report.filename(), range)
    }

    pub(super) fn at_report(&self, d: Diagnostic, file: &str, range: Range<usize>) -> Diagnostic {
        match self.sources.get(file) {
            Some(src) => {
                let end = range.end.max(range.start).min(src.text.len());
                d.at(Location::bytes(src, range.start.min(end)..end))
            }
            None => d,
        }
    }

    /// Point at the first place `needle` appears in template `file`.
    fn at_text(&self, d: Diagnostic, file: &str, needle: &str) -> Diagnostic {
        match self.sources.get(file) {
            Some(src) => {
                let start = src
                    .text
                    .find(&format!("\"{needle}\""))
                    .or_else(|| src.text.find(&format!("'{needle}'")));
                match start {
                    Some(s) => d.at(Location::bytes(src, s..s + needle.len() + 2)),
                    None => d.at(Location::bytes(src, 0..0)),
                }
            }
            None => d,
        }
    }
}

fn syntax_help() -> String {
    "if this text is not meant for Tera (JavaScript or CSS that contains `{{`, `{%` or `{#`), wrap it in `{% raw %}…{% endraw %}`".to_string()
}

fn msg_help(msg: &str) -> String {
    if msg.starts_with("Unknown template") {
        "templates are looked up relative to templates/ and cannot reach outside it".to_string()
    } else if msg.starts_with("Unknown filter") {
        format!("see Tera's built-in filters; `{JS_FILTER}` writes a value as a JavaScript literal")
    } else {
        syntax_help()
    }
}

/// Tera joins reference errors into one message of reports:
/// `error: MSG\n --> FILE:LINE:COL\n  |\nN | …\n  | ^^^`. Pull out each one.
fn parse_reports(text: &str) -> Vec<(String, String, usize, usize, usize)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String, usize, usize, usize)> = None;
    for line in text.lines() {
        if let Some(msg) = line.strip_prefix("error: ") {
            if let Some(c) = current.take() {
                out.push(c);
            }
            current = Some((msg.to_string(), String::new(), 1, 1, 1));
        } else if let Some((_, loc)) = line.split_once("--> ") {
            if let Some(c) = current.as_mut() {
                let mut parts = loc.rsplitn(3, ':');
                let col = parts.next().and_then(|s| s.parse().ok()).unwrap_or(1);
                let ln = parts.next().and_then(|s| s.parse().ok()).unwrap_or(1);
                c.1 = parts.next().unwrap_or("").to_string();
                c.2 = ln;
                c.3 = col;
            }
        } else if line.contains('^')
            && let Some(c) = current.as_mut()
        {
            c.4 = line.matches('^').count().max(1);
        }
    }
    if let Some(c) = current {
        out.push(c);
    }
    if out.is_empty() {
        out.push((text.to_string(), String::new(), 1, 1, 1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_reports() {
        let r = parse_reports(
            "error: Unknown filter `x`\n  --> a/b.html:3:7\n  |\n3 | {{ a | x }}\n  |        ^\n\nerror: Unknown template `c`\n --> d.html:1:1\n",
        );
        assert_eq!(r.len(), 2);
        assert_eq!(
            r[0],
            (
                "Unknown filter `x`".to_string(),
                "a/b.html".to_string(),
                3,
                7,
                1
            )
        );
        assert_eq!(r[1].1, "d.html");
    }
}
