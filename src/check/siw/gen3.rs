//! W004 (Gen2 selectors in a Gen3 page's `<style>`) and W005 (`afterRender` handlers that
//! query Gen2 markup on a Gen3 page).
//!
//! A page that serves both generations keeps Gen2's part in `{{^useSiwGen3}}…
//! {{/useSiwGen3}}`: nothing inside such a section is reported. Style blocks are read
//! with `cssparser` on a copy where Okta's tags are blanked (their braces are not CSS).

use std::ops::Range;

use cssparser::{ParseError, Parser, Token};

use super::facts;
use crate::check::Page;
use crate::check::scan::js::{idents, matching_paren, skip_ws, string_literal};
use crate::config::WidgetGeneration;
use crate::diag::{Diagnostic, Rule};
use crate::project::Project;
use crate::widget::Facts;

/// The widget's root element in Gen2.
const ROOT_ID: &str = "okta-sign-in";

pub(in crate::check) fn check(project: &Project, page: &Page, out: &mut Vec<Diagnostic>) {
    if project.config.widget_generation != WidgetGeneration::G3 {
        return;
    }
    let Some(facts) = facts(project) else {
        return;
    };
    let gen2 = gen2_sections(page);
    let in_gen2 = |o: usize| gen2.iter().any(|r| r.contains(&o));
    styles(page, facts, &in_gen2, out);
    after_render(page, facts, &in_gen2, out);
}

/// The byte ranges of `{{^useSiwGen3}}…{{/useSiwGen3}}` sections (Gen2's part).
fn gen2_sections(page: &Page) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut depth = 0usize;
    for t in page.okta_tags.iter().filter(|t| t.name == "useSiwGen3") {
        match t.sigil {
            Some(b'^') if open.is_none() => open = Some(t.range.start),
            Some(b'^' | b'#') => depth += 1,
            Some(b'/') if depth > 0 => depth -= 1,
            Some(b'/') => {
                if let Some(s) = open.take() {
                    out.push(s..t.range.end);
                }
            }
            _ => {}
        }
    }
    if let Some(s) = open {
        out.push(s..page.rendered.text.len());
    }
    out
}

/// Whether the Gen3 widget drops the Gen2 root id `#okta-sign-in` at this version.
fn root_id_gen2_only(facts: &Facts) -> bool {
    facts.ids().iter().any(|i| i.id == ROOT_ID && !i.gen3)
}

/// Whether an element of the page carries `class` itself.
fn page_has_class(page: &Page, class: &str) -> bool {
    let text = page.rendered.text.as_str();
    page.scan.tags.iter().any(|t| {
        t.value(text, "class")
            .is_some_and(|v| v.split_ascii_whitespace().any(|c| c == class))
    })
}

// ---------------------------------------------------------------------------------------
// W004

/// A class or id in a selector, and where it is written (with its `.` or `#`).
enum Part {
    Class(String),
    Id(String),
}

/// One selector: its classes and ids, each with where it is written.
type Selector = Vec<(Part, Range<usize>)>;

fn styles(page: &Page, facts: &Facts, in_gen2: &dyn Fn(usize) -> bool, out: &mut Vec<Diagnostic>) {
    let text = page.rendered.text.as_str();
    for tag in page.scan.tags.iter().filter(|t| t.name == "style") {
        let Some(content) = tag.content.clone() else {
            continue;
        };
        // The style text with Okta's tags blanked (ASCII, so the copy stays UTF-8).
        let mut css = text[content.clone()].as_bytes().to_vec();
        for t in &page.okta_tags {
            let (s, e) = (
                t.range.start.max(content.start),
                t.range.end.min(content.end),
            );
            if s < e {
                css[s - content.start..e - content.start].fill(b' ');
            }
        }
        let css = String::from_utf8(css).unwrap_or_default();
        let mut rules: Vec<Vec<Selector>> = Vec::new();
        let mut parser = Parser::new(&css);
        rule_list(&mut parser, &mut rules);
        for selectors in rules {
            let found = selectors.iter().find_map(|sel| landmark(page, facts, sel));
            let Some((what, range)) = found else {
                continue;
            };
            let abs = content.start + range.start..content.start + range.end;
            if in_gen2(abs.start) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Rule::W004,
                    format!(
                        "`{}` is Gen2 markup (Sign-In Widget {}), but this page uses Gen3: the rule matches nothing",
                        &text[abs.clone()],
                        facts.version()
                    ),
                )
                .at(page.locate(abs))
                .label(what)
                .help("style Gen3 with design tokens (`config.theme.tokens`); if the page also serves Gen2, put this rule inside `{{^useSiwGen3}}…{{/useSiwGen3}}`"),
            );
        }
    }
}

/// The first Gen2 landmark of a selector, and what makes it one.
fn landmark(
    page: &Page,
    facts: &Facts,
    sel: &[(Part, Range<usize>)],
) -> Option<(&'static str, Range<usize>)> {
    let scoped = sel
        .iter()
        .any(|(p, _)| matches!(p, Part::Id(id) if id == ROOT_ID));
    sel.iter().find_map(|(p, r)| match p {
        Part::Id(id) if id == ROOT_ID && root_id_gen2_only(facts) => {
            Some(("Gen3 has no `#okta-sign-in`", r.clone()))
        }
        Part::Class(c) if facts.is_gen2_only_class(c) && (scoped || !page_has_class(page, c)) => {
            Some(("a class only Gen2 renders", r.clone()))
        }
        _ => None,
    })
}

/// The selectors of every style rule in a list of rules (at-rules' blocks included),
/// each as its classes and ids with their ranges.
fn rule_list(p: &mut Parser<'_>, out: &mut Vec<Vec<Selector>>) {
    let mut selectors: Vec<Selector> = vec![Vec::new()];
    let mut at_rule: Option<String> = None;
    let mut after_dot = false;
    loop {
        let start = p.position().byte_index();
        let Ok(token) = p.next_including_whitespace_and_comments().cloned() else {
            break;
        };
        let end = p.position().byte_index();
        let dot = after_dot;
        after_dot = false;
        match token {
            Token::AtKeyword(k) if selectors.iter().all(Vec::is_empty) => {
                at_rule = Some(k.to_ascii_lowercase());
            }
            Token::Delim('.') => after_dot = true,
            Token::Ident(name) if dot && at_rule.is_none() => {
                if let Some(cur) = selectors.last_mut() {
                    cur.push((Part::Class(name.to_string()), start - 1..end));
                }
            }
            Token::IDHash(name) if at_rule.is_none() => {
                if let Some(cur) = selectors.last_mut() {
                    cur.push((Part::Id(name.to_string()), start..end));
                }
            }
            Token::Comma if at_rule.is_none() => selectors.push(Vec::new()),
            Token::CurlyBracketBlock => {
                match at_rule.as_deref() {
                    Some("media" | "supports" | "layer" | "container" | "document") => {
                        let _ = p.parse_nested_block(|p| {
                            rule_list(p, out);
                            Ok::<(), ParseError<()>>(())
                        });
                    }
                    Some(_) => {}
                    None => out.push(std::mem::take(&mut selectors)),
                }
                selectors = vec![Vec::new()];
                at_rule = None;
            }
            Token::Semicolon => {
                selectors = vec![Vec::new()];
                at_rule = None;
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// W005

/// The DOM lookups a handler may use, and whether the argument is an id, a class list or
/// a selector.
const QUERIES: &[(&str, Arg)] = &[
    ("querySelector", Arg::Selector),
    ("querySelectorAll", Arg::Selector),
    ("closest", Arg::Selector),
    ("$", Arg::Selector),
    ("jQuery", Arg::Selector),
    ("getElementById", Arg::Id),
    ("getElementsByClassName", Arg::Classes),
];

#[derive(Clone, Copy)]
enum Arg {
    Selector,
    Id,
    Classes,
}

/// Whether a lookup's argument names Gen2's markup: its root id, a Gen2 class, `data-se`.
fn names_gen2(facts: &Facts, arg: Arg, s: &str) -> bool {
    let class = |c: &str| facts.is_gen2_class(c);
    match arg {
        Arg::Id => s == ROOT_ID,
        Arg::Classes => s.split_ascii_whitespace().any(class),
        Arg::Selector => {
            s.contains(&format!("#{ROOT_ID}"))
                || s.contains("data-se")
                || s.split('.').skip(1).any(|c| {
                    let name: String = c
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                        .collect();
                    class(&name)
                })
        }
    }
}

fn after_render(
    page: &Page,
    facts: &Facts,
    in_gen2: &dyn Fn(usize) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    for s in page.scan.inline_js() {
        let code = s.code.as_str();
        let b = code.as_bytes();
        for at in idents(code, "on") {
            if !code[..at].trim_end().ends_with('.') {
                continue;
            }
            let open = skip_ws(b, at + 2);
            if b.get(open) != Some(&b'(') {
                continue;
            }
            let Some(event) = string_literal(code, skip_ws(b, open + 1)) else {
                continue;
            };
            if &code[event.start + 1..event.end - 1] != "afterRender" {
                continue;
            }
            let end = matching_paren(code, open).unwrap_or(code.len());
            let handler = &code[event.end..end];
            let queried = QUERIES.iter().find_map(|(name, arg)| {
                idents(handler, name).find_map(|q| {
                    let hb = handler.as_bytes();
                    let paren = skip_ws(hb, q + name.len());
                    if hb.get(paren) != Some(&b'(') {
                        return None;
                    }
                    let lit = string_literal(handler, skip_ws(hb, paren + 1))?;
                    let sel = &handler[lit.start + 1..lit.end - 1];
                    names_gen2(facts, *arg, sel).then(|| sel.to_string())
                })
            });
            let Some(sel) = queried else {
                continue;
            };
            let abs = s.body.start + at..s.body.start + at + 2;
            if in_gen2(abs.start) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Rule::W005,
                    format!(
                        "this `afterRender` handler changes Gen2 markup (`{sel}`), but this page uses Gen3: the element is not there, and Gen3 re-renders what it draws"
                    ),
                )
                .at(page.locate(abs))
                .label("DOM surgery after render")
                .help("on Gen3 use design tokens (`config.theme.tokens`), strings (`config.i18n`) or the `afterTransform` hook; if the page also serves Gen2, put this script inside `{{^useSiwGen3}}…{{/useSiwGen3}}`"),
            );
        }
    }
}
