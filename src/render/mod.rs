//! Rendering: Tera 2 over masked templates, one shared engine for every target.
//!
//! Templates are parsed once; each target renders its pages with its own context.
//! Tera's errors are turned into diagnostics that point into the designer's file (the
//! mask keeps offsets), with suggestions for misspelt variables.

pub mod context;

use std::collections::HashMap;
use std::sync::Arc;

use tera::{ErrorKind, Kwargs, State, Tera, Value};

use crate::budget::{self, Exceeded, Limits};
use crate::diag::suggest::closest;
use crate::diag::{Diagnostic, Location, Rule};
use crate::okta_tags;
use crate::source::SourceFile;

/// The filter that writes a value as a JavaScript literal safe inside `<script>`.
pub const JS_FILTER: &str = "js";

/// Parsed templates, ready to render any target.
pub struct Engine {
    tera: Tera,
    /// Tera template name → the source file it came from.
    sources: HashMap<String, Arc<SourceFile>>,
    /// What one page may cost to render.
    limits: Limits,
    /// Room to reserve for a page's output: twice every template's size together (a
    /// page is its template plus the layouts and partials it pulls in, plus what the
    /// context adds), and at least 16 KiB, so that a page is written without regrowing.
    size_hint: usize,
}

/// The template name Tera knows a `templates/…` file by.
pub fn template_name(path: &str) -> &str {
    path.strip_prefix("templates/").unwrap_or(path)
}

/// `value` as JSON, with `<`, `>`, `&`, U+2028 and U+2029 escaped so that it can sit
/// inside a `<script>` element without ending it. (Not for HTML attributes: JSON's
/// quotes would end a double-quoted attribute.)
pub fn js_literal(value: &serde_json::Value) -> String {
    let json = serde_json::to_string(value).expect("JSON values serialize");
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn js_filter(value: Value, _: Kwargs, _: &State) -> tera::TeraResult<Value> {
    if value.is_undefined() {
        // Tera hands filters undefined values: a misspelt name must not become `null`.
        return Err(tera::Error::message(
            "Invalid type for the value, expected `any` but got `undefined`",
        ));
    }
    let json = serde_json::to_value(&value).unwrap_or(serde_json::Value::Null);
    Ok(Value::safe_string(&js_literal(&json)))
}

fn new_tera() -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".htm", ".xml"]);
    tera.register_filter(JS_FILTER, js_filter);
    tera.set_interrupt(Some(budget::interrupt));
    tera
}

/// A render that ran out of budget: which budget, and the loop iterations it got through.
struct Stopped {
    exceeded: Exceeded,
    iterations: u64,
}

/// Render `name` with `tera` under `limits`.
fn render_budgeted(
    tera: &Tera,
    name: &str,
    context: &tera::Context,
    limits: &Limits,
    size_hint: usize,
) -> Result<String, (tera::Error, Option<Stopped>)> {
    let guard = budget::Guard::start(*limits);
    let mut out = budget::Capped::new(limits, size_hint);
    let result = tera.render_to(name, context, &mut out);
    let (exceeded, iterations) = guard.outcome();
    drop(guard);
    // The writer lets a little past the budget through so that the loop hook can name
    // the loop; a page that ends within that slack is still over.
    let exceeded = exceeded.or((out.buf.len() > limits.output).then_some(Exceeded::Output));
    match (result, exceeded) {
        (Ok(()), None) => Ok(String::from_utf8(out.buf).expect("Tera writes UTF-8")),
        (Ok(()), Some(e)) => Err((
            tera::Error::message(budget::message(e, limits)),
            Some(Stopped {
                exceeded: e,
                iterations,
            }),
        )),
        (Err(err), e) => Err((
            err,
            e.map(|exceeded| Stopped {
                exceeded,
                iterations,
            }),
        )),
    }
}

impl Engine {
    /// Parse every template. Syntax errors of every file are collected.
    pub fn new(templates: &[Arc<SourceFile>]) -> Result<Engine, Vec<Diagnostic>> {
        let mut sources = HashMap::new();
        let mut masked = Vec::with_capacity(templates.len());
        let mut diags = Vec::new();
        for t in templates {
            let name = template_name(&t.path).to_string();
            match okta_tags::mask(&t.text) {
                Ok(m) => masked.push((name.clone(), m)),
                Err(r) => diags.push(
                    Diagnostic::new(Rule::P008, "reserved control byte in template")
                        .at(Location::bytes(t, r.offset..r.offset + 1)),
                ),
            }
            sources.insert(name, Arc::clone(t));
        }
        let mut engine = Engine {
            tera: new_tera(),
            sources,
            limits: Limits::default(),
            size_hint: (2 * templates.iter().map(|t| t.text.len()).sum::<usize>()).max(16 * 1024),
        };
        if !diags.is_empty() {
            return Err(diags);
        }
        if let Err(e) = engine
            .tera
            .add_raw_templates(masked.iter().map(|(n, m)| (n.as_str(), m.as_str())))
        {
            // Parse each file alone to report the syntax errors of all of them, then
            // the errors that need every file (missing parents, unknown includes).
            for (name, text) in &masked {
                let mut one = new_tera();
                if let Err(e) = one.add_raw_template(name, text)
                    && matches!(e.kind(), ErrorKind::SyntaxError(_))
                {
                    diags.extend(engine.diagnostics(&e, None));
                }
            }
            if diags.is_empty() {
                diags.extend(engine.diagnostics(&e, None));
            }
            return Err(diags);
        }
        Ok(engine)
    }

    /// Render every page under `limits` instead of the defaults.
    pub fn with_limits(mut self, limits: Limits) -> Engine {
        self.limits = limits;
        self
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Render `name`. When rendering fails, the failing `{{ … }}` expression is blanked
    /// out and the page rendered again, so that one run reports every misspelt name,
    /// not only the first. (Only on the error path: a clean render parses nothing.)
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Vec<Diagnostic>> {
        let first = match render_budgeted(&self.tera, name, context, &self.limits, self.size_hint) {
            Ok(out) => return Ok(okta_tags::unmask(out)),
            Err((e, Some(stopped))) => return Err(vec![self.over_budget(name, &e, &stopped)]),
            Err((e, None)) => e,
        };
        let mut diags = self.diagnostics(&first, Some(context));
        let mut patched: HashMap<String, String> = HashMap::new();
        let mut err = first;
        for _ in 0..32 {
            let Some((file, range)) = error_span(&err) else {
                break;
            };
            let text = patched.entry(file.clone()).or_insert_with(|| {
                self.sources
                    .get(&file)
                    .and_then(|s| okta_tags::mask(&s.text).ok())
                    .unwrap_or_default()
            });
            if !blank_expression(text, range) {
                break;
            }
            let mut tera = new_tera();
            let all = self.sources.iter().map(|(n, s)| {
                let text = patched
                    .get(n)
                    .cloned()
                    .or_else(|| okta_tags::mask(&s.text).ok())
                    .unwrap_or_default();
                (n.clone(), text)
            });
            if tera.add_raw_templates(all.collect::<Vec<_>>()).is_err() {
                break;
            }
            match render_budgeted(&tera, name, context, &self.limits, self.size_hint) {
                Ok(_) | Err((_, Some(_))) => break,
                Err((e, None)) => {
                    let more = self.diagnostics(&e, Some(context));
                    if more.iter().all(|d| diags.contains(d)) {
                        break;
                    }
                    diags.extend(more);
                    err = e;
                }
            }
        }
        Err(diags)
    }

    /// T006: the render of `name` ran out of a budget. Points at the loop that was
    /// running when the hook stopped it, or at the page's template when the output writer
    /// did (a single write past the budget, outside any loop).
    fn over_budget(&self, name: &str, err: &tera::Error, stopped: &Stopped) -> Diagnostic {
        let what = budget::message(stopped.exceeded, &self.limits);
        let d = Diagnostic::new(Rule::T006, format!("rendering `{name}` stopped: {what}")).help(
            "a page renders in milliseconds: look for a loop that runs far more often than meant (nested loops over `range(…)` or a long list) or text that grows without end; if the page really needs more, raise `time_budget` or `output_budget` under `[render]` in signin-pages.toml",
        );
        match err.kind() {
            ErrorKind::RenderingError(report) => self
                .at_report(d, report.filename(), report.span().range.clone())
                .label(format!(
                    "this loop was running ({} iterations of loops so far)",
                    stopped.iterations
                )),
            _ => match self.sources.get(name) {
                Some(src) => d.at(Location::bytes(src, 0..0)),
                None => d,
            },
        }
    }

    /// Turn a Tera error into diagnostics in the designer's files.
    fn diagnostics(&self, err: &tera::Error, context: Option<&tera::Context>) -> Vec<Diagnostic> {
        match err.kind() {
            ErrorKind::SyntaxError(report) => {
                let msg = report.message().to_string();
                vec![
                    self.at_report(
                        Diagnostic::new(Rule::T001, format!("template syntax error: {msg}"))
                            .help(syntax_help(&msg)),
                        report.filename(),
                        report.span().range.clone(),
                    ),
                ]
            }
            ErrorKind::RenderingError(report) => {
                let msg = report.message();
                // Name the missing piece from the context itself: Tera's message names no
                // variable when a filter or test was handed an undefined value.
                let mut range = report.span().range.clone();
                let missing = match (context, self.sources.get(report.filename())) {
                    (Some(ctx), Some(src))
                        if msg.contains("undefined") || msg.contains("not defined") =>
                    {
                        let (start, path) = dotted_path_at(&src.text, range.start);
                        missing_in_context(ctx, &path).map(|(i, m)| {
                            range = segment_range(start, &path, i);
                            m
                        })
                    }
                    _ => None,
                };
                let d = match missing {
                    Some(Missing::Variable(var)) => {
                        let known = context.map(context_names).unwrap_or_default();
                        Diagnostic::new(Rule::T002, format!("undefined variable `{var}`"))
                            .label("not defined")
                            .help(suggest(&var, &known))
                    }
                    Some(Missing::Field {
                        parent,
                        field,
                        available,
                    }) => Diagnostic::new(
                        Rule::T002,
                        format!("undefined field `{field}` of `{parent}`"),
                    )
                    .label("not defined")
                    .help(suggest_field(&parent, &field, &available)),
                    None => {
                        Diagnostic::new(Rule::T005, format!("template rendering failed: {msg}"))
                    }
                };
                vec![self.at_report(d, report.filename(), range)]
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

    fn at_report(&self, d: Diagnostic, file: &str, range: std::ops::Range<usize>) -> Diagnostic {
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

fn context_names(ctx: &tera::Context) -> Vec<String> {
    context::CONTEXT_NAMES
        .iter()
        .filter(|n| ctx.contains_key(n))
        .map(|s| s.to_string())
        .collect()
}

/// What a render found missing.
#[derive(Debug, PartialEq)]
enum Missing {
    Variable(String),
    Field {
        parent: String,
        field: String,
        available: Vec<String>,
    },
}

/// The dotted name around `offset`: `vars.primary` → ["vars", "primary"]. Tera points
/// at the field of a dotted name, and at the filter when a filter was handed an
/// undefined value (`{{ x | js }}`): then the name is the one before the `|`.
fn dotted_path_at(text: &str, offset: usize) -> (usize, Vec<&str>) {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    let offset = offset.min(text.len());
    let start = text[..offset]
        .rfind(|c: char| !is_name(c))
        .map_or(0, |i| i + 1);
    let before = text[..start].trim_end();
    if before.ends_with('|') && !before.ends_with("||") {
        let lhs = before[..before.len() - 1].trim_end();
        return dotted_path_at(lhs, lhs.len());
    }
    let end = text[offset..]
        .find(|c: char| !is_name(c))
        .map_or(text.len(), |i| offset + i);
    (start, text[start..end].split('.').collect())
}

/// Byte range of segment `i` of a dotted name that starts at `start`.
fn segment_range(start: usize, path: &[&str], i: usize) -> std::ops::Range<usize> {
    let from = start + path[..i].iter().map(|s| s.len() + 1).sum::<usize>();
    from..from + path[i].len()
}

/// The first piece of `path` the context does not have, and its index.
fn missing_in_context(ctx: &tera::Context, path: &[&str]) -> Option<(usize, Missing)> {
    let (first, rest) = path.split_first()?;
    if first.is_empty() || first.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let Some(value) = ctx.get(first) else {
        return Some((0, Missing::Variable(first.to_string())));
    };
    let mut cur = serde_json::to_value(value).ok()?;
    for (i, seg) in rest.iter().enumerate() {
        match cur.get(seg) {
            Some(next) => cur = next.clone(),
            None => {
                let available = cur
                    .as_object()
                    .map(|o| o.keys().cloned().collect())
                    .unwrap_or_default();
                return Some((
                    i + 1,
                    Missing::Field {
                        parent: path[..=i].join("."),
                        field: seg.to_string(),
                        available,
                    },
                ));
            }
        }
    }
    None
}

/// The template and byte range a rendering error points at.
fn error_span(err: &tera::Error) -> Option<(String, std::ops::Range<usize>)> {
    match err.kind() {
        ErrorKind::RenderingError(r) => Some((r.filename().to_string(), r.span().range.clone())),
        _ => None,
    }
}

/// Replace the `{{ … }}` around `range` with spaces (same length). False when the
/// range is not inside such an expression.
fn blank_expression(text: &mut String, range: std::ops::Range<usize>) -> bool {
    let Some(start) = text
        .get(..range.start.min(text.len()))
        .and_then(|t| t.rfind("{{"))
    else {
        return false;
    };
    let Some(end) = text[range.start.min(text.len())..]
        .find("}}")
        .map(|e| range.start + e + 2)
    else {
        return false;
    };
    if text[start..end].contains("%}") || text[start + 2..range.start].contains("}}") {
        return false;
    }
    let blank: String = text[start..end]
        .chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect::<String>();
    // Multi-byte characters become one space each: pad to keep every later offset.
    let pad = (end - start) - blank.len();
    text.replace_range(start..end, &format!("{blank}{}", " ".repeat(pad)));
    true
}

fn suggest(var: &str, known: &[String]) -> String {
    if okta_tags::is_okta_name(var) {
        return format!(
            "`{var}` is Okta's: Okta fills it in when it serves the page, so Tera cannot read it; write it exactly `{{{{{var}}}}}` (no filters), or wrap the construct in `{{% raw %}}…{{% endraw %}}`"
        );
    }
    let okta = closest(var, okta_tags::OKTA_TAGS.iter().map(|(n, _)| *n));
    let ours = closest(var, known.iter().map(String::as_str));
    match (ours, okta) {
        (Some(o), _) => format!("did you mean `{o}`?"),
        (None, Some(o)) => format!(
            "did you mean the Okta variable `{o}`? Okta's tags pass through untouched when written `{{{{{o}}}}}`"
        ),
        (None, None) => format!(
            "define `{var}` under `[vars]` in signin-pages.toml and write `vars.{var}`; the context has: {}",
            known.join(", ")
        ),
    }
}

fn suggest_field(parent: &str, field: &str, available: &[String]) -> String {
    if let Some(c) = closest(field, available.iter().map(String::as_str)) {
        return format!("did you mean `{parent}.{c}`?");
    }
    let listed = if available.is_empty() {
        "none".to_string()
    } else {
        available.join(", ")
    };
    match parent {
        "strings" => format!(
            "add `{field}` to `[strings]` in the default locale's file (locales/<lang>.toml); it has: {listed}"
        ),
        "vars" => format!(
            "define `{field}` under `[vars]` in signin-pages.toml (or an environment's or brand's `vars`); defined: {listed}"
        ),
        _ => format!("`{parent}` has: {listed}"),
    }
}

fn syntax_help(msg: &str) -> String {
    let _ = msg;
    "if this text is not meant for Tera (JavaScript or CSS that contains `{{`, `{%` or `{#`), wrap it in `{% raw %}…{% endraw %}`".to_string()
}

fn msg_help(msg: &str) -> String {
    if msg.starts_with("Unknown template") {
        "templates are looked up relative to templates/ and cannot reach outside it".to_string()
    } else if msg.starts_with("Unknown filter") {
        format!("see Tera's built-in filters; `{JS_FILTER}` writes a value as a JavaScript literal")
    } else {
        syntax_help(msg)
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
    fn js_literal_is_safe_in_script() {
        let v = serde_json::json!({"a": "</script><b>&\u{2028}"});
        let s = js_literal(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert!(s.contains("\\u2028"));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            closest("bgImgUrl", okta_tags::OKTA_TAGS.iter().map(|(n, _)| *n)),
            Some("bgImageUrl")
        );
        assert_eq!(closest("brnad", ["brand", "env"]), Some("brand"));
        assert_eq!(closest("zzzzzz", ["brand"]), None);
    }

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
