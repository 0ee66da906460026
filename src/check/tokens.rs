//! Gen3 design tokens: W020 (a token the widget does not read), W021 (a value of the
//! wrong kind), W022 (text below WCAG AA contrast).
//!
//! Tokens come from two places: the project file (`[widget.tokens]`, an environment's
//! and a brand's `tokens`), judged at their keys, and the page's own scripts
//! (`config.theme.tokens = {…}`, `config.theme = { tokens: {…} }`, `theme: { tokens:
//! {…} }`), judged where the page writes them. A page entry that is the project's own
//! token written in by `{{ widget.tokens | js }}` was judged at its key already.
//!
//! The widget's facts (the tokens of the pinned version, each one's kind and default,
//! the pairs it draws text on) come from [`crate::widget`]; the contrast maths from
//! [`crate::widget::colour`]. Nothing is said for a version nothing is known of.

use std::collections::BTreeMap;
use std::ops::Range;

use super::Page;
use super::scan::Scan;
use super::scan::js::{Entry, idents, member_assignment, object_entries, skip_ws};
use crate::config::{Brand, Config, Environment, Token as ConfigToken, WidgetGeneration};
use crate::diag::suggest::closest;
use crate::diag::{Diagnostic, Location, Rule};
use crate::widget::colour::{AA_NORMAL_TEXT, Ratio, Rgba, contrast};
use crate::widget::{Facts, Side};

/// The facts of the pinned version, when something is known of it.
fn facts(config: &Config) -> Option<&'static Facts> {
    crate::widget::resolve(config.widget_version.get_ref())
}

/// Why the widget reads no token at all, if it does not.
fn reads_none(config: &Config, facts: &Facts) -> Option<String> {
    if config.widget_generation == WidgetGeneration::G2 {
        return Some(
            "`[widget] generation` is G2, and only the Gen3 widget reads design tokens".to_string(),
        );
    }
    (!facts.reads_theme_tokens()).then(|| {
        format!(
            "widget {} reads no design tokens (Gen3 reads them from 7.11 on)",
            facts.version()
        )
    })
}

fn reads_none_help() -> &'static str {
    "set `generation = \"G3\"` and a `version` of 7.11 or later under `[widget]`, or remove the tokens"
}

/// W020 for a name the widget does not know, W021 for a value of the wrong kind.
fn name_and_value(
    facts: &Facts,
    name: &str,
    value: &str,
    name_at: Location,
    value_at: Location,
    out: &mut Vec<Diagnostic>,
) {
    let Some(token) = facts.token(name) else {
        let mut d = Diagnostic::new(
            Rule::W020,
            format!(
                "widget {} has no design token `{name}`: the widget ignores it",
                facts.version()
            ),
        )
        .at(name_at)
        .label("not a token of this widget version");
        d = match closest(name, facts.tokens().map(|(n, _)| n)) {
            Some(near) => d.help(format!("did you mean `{near}`?")),
            None => d.help(format!(
                "data/widget/{}.json lists the tokens of this version",
                facts.version()
            )),
        };
        out.push(d);
        return;
    };
    if !token.kind.accepts(value) {
        out.push(
            Diagnostic::new(
                Rule::W021,
                format!(
                    "design token `{name}` takes {}, not `{value}`",
                    token.kind.describe()
                ),
            )
            .at(value_at)
            .label("not a value of this kind")
            .help(format!(
                "write {}; the widget's default is `{}`",
                token.kind.describe(),
                token.default
            )),
        );
    }
}

/// W020/W021 for the project file's tokens: `[widget.tokens]`, each environment's and
/// each brand's.
pub(super) fn project_wide(config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some(facts) = facts(config) else {
        return out;
    };
    let layers = std::iter::once(&config.tokens)
        .chain(config.environments.iter().map(|e| &e.tokens))
        .chain(config.brands.iter().map(|b| &b.tokens));
    let at = |span: Range<usize>| Location::bytes(&config.file, span);
    for layer in layers {
        let Some(first) = layer.iter().next() else {
            continue;
        };
        if let Some(why) = reads_none(config, facts) {
            let n = layer.0.len();
            out.push(
                Diagnostic::new(
                    Rule::W020,
                    format!(
                        "{why}: {} set here do{} nothing",
                        if n == 1 {
                            "the token".to_string()
                        } else {
                            format!("the {n} tokens")
                        },
                        if n == 1 { "es" } else { "" }
                    ),
                )
                .at(at(first.name.span()))
                .label("not read by this widget")
                .help(reads_none_help()),
            );
            continue;
        }
        for t in layer.iter() {
            name_and_value(
                facts,
                t.name.get_ref(),
                &t.value.get_ref().to_string(),
                at(t.name.span()),
                at(t.value.span()),
                &mut out,
            );
        }
    }
    out
}

/// A token a page's script sets: its entry, with ranges in the rendered page.
struct PageToken {
    entry: Entry,
}

/// Every token object the page's inline scripts give the widget, entries in order
/// (ranges in the rendered page), with the range of the `tokens` key or member.
fn page_tokens(scan: &Scan, names: &[String]) -> Vec<(Range<usize>, Vec<PageToken>)> {
    let mut found = Vec::new();
    for s in scan.inline_js() {
        let code = s.code.as_str();
        let b = code.as_bytes();
        let mut objects: Vec<(Range<usize>, usize)> = Vec::new();
        for at in idents(code, "theme") {
            let after = at + "theme".len();
            // `x.theme.tokens = {…}`, `x.theme["tokens"] = {…}`.
            if let Some((lhs_end, rhs)) = member_assignment(code, after, "tokens") {
                let open = skip_ws(b, rhs);
                let dot = code[after..lhs_end]
                    .find("tokens")
                    .map_or(after, |i| after + i);
                if b.get(open) == Some(&b'{') && assigned_to_widget(code, at, names) {
                    objects.push((dot..dot + "tokens".len(), open));
                }
                continue;
            }
            // `theme: {…}` (a key, maybe quoted) or `x.theme = {…}`.
            let mut p = after;
            if at > 0 && matches!(b[at - 1], b'"' | b'\'') && b.get(p) == Some(&b[at - 1]) {
                p += 1;
            }
            let p = skip_ws(b, p);
            let is_key = b.get(p) == Some(&b':');
            let is_assignment = b.get(p) == Some(&b'=')
                && !matches!(b.get(p + 1), Some(b'=' | b'>'))
                && assigned_to_widget(code, at, names);
            if !(is_key || is_assignment) {
                continue;
            }
            let open = skip_ws(b, p + 1);
            if b.get(open) != Some(&b'{') {
                continue;
            }
            for e in object_entries(code, open) {
                if e.key == "tokens" && b.get(e.value_range.start) == Some(&b'{') {
                    objects.push((e.key_range.clone(), e.value_range.start));
                }
            }
        }
        objects.sort_by_key(|(r, _)| r.start);
        objects.dedup_by_key(|(r, _)| r.start);
        let shift = |r: Range<usize>| s.body.start + r.start..s.body.start + r.end;
        for (key, open) in objects {
            let entries = object_entries(code, open)
                .into_iter()
                .map(|mut entry| {
                    entry.key_range = shift(entry.key_range);
                    entry.value_range = shift(entry.value_range);
                    PageToken { entry }
                })
                .collect();
            found.push((shift(key), entries));
        }
    }
    found
}

/// Whether `x.theme` at `at` belongs to the widget's configuration: `x` is one of the
/// names the configuration goes by (`config`, or what `getSignInWidgetConfig()` was
/// assigned to).
fn assigned_to_widget(code: &str, at: usize, names: &[String]) -> bool {
    let before = code[..at].trim_end();
    let Some(obj) = before.strip_suffix('.') else {
        return false;
    };
    let obj = obj.trim_end();
    names.iter().any(|n| {
        obj.strip_suffix(n.as_str()).is_some_and(|rest| {
            rest.bytes()
                .last()
                .is_none_or(|c| !super::scan::js::is_ident_byte(c) && c != b'.')
        })
    })
}

/// W020/W021 for the tokens the page's scripts set, W022 for the target's pairs: the
/// project's tokens (this target's merge) and the page's over the widget's defaults.
pub(super) fn page(
    page: &Page,
    config: &Config,
    env: &Environment,
    brand: &Brand,
    names: &[String],
    out: &mut Vec<Diagnostic>,
) {
    let Some(facts) = facts(config) else {
        return;
    };
    let project = config.tokens_for(env, brand);
    let objects = page_tokens(&page.scan, names);
    let text = page.rendered.text.as_str();
    // What the page sets itself (not the project's tokens written in), last one wins.
    let mut own: BTreeMap<String, (String, Range<usize>)> = BTreeMap::new();
    let reads_none = reads_none(config, facts);
    for (key, entries) in &objects {
        let mine: Vec<&PageToken> = entries
            .iter()
            .filter(|t| {
                let e = &t.entry;
                let value = e.literal.as_deref().unwrap_or(&text[e.value_range.clone()]);
                project
                    .get(e.key.as_str())
                    .is_none_or(|c| c.value.get_ref().to_string() != value)
            })
            .collect();
        if mine.is_empty() {
            continue;
        }
        if let Some(why) = &reads_none {
            // A G2 page may keep Gen3's tokens in a section only Gen3 renders.
            if config.widget_generation == WidgetGeneration::G2 && in_gen3_section(page, key.start)
            {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Rule::W020,
                    format!("{why}: the design tokens this script sets do nothing"),
                )
                .at(page.locate(key.clone()))
                .label("not read by this widget")
                .help(reads_none_help()),
            );
            continue;
        }
        for t in mine {
            let e = &t.entry;
            let Some(value) = &e.literal else {
                // A value the script computes is known only in the browser.
                if facts.token(&e.key).is_none() {
                    name_and_value(
                        facts,
                        &e.key,
                        "",
                        page.locate(e.key_range.clone()),
                        page.locate(e.value_range.clone()),
                        out,
                    );
                }
                continue;
            };
            name_and_value(
                facts,
                &e.key,
                value,
                page.locate(e.key_range.clone()),
                page.locate(e.value_range.clone()),
                out,
            );
            own.insert(e.key.clone(), (value.clone(), e.value_range.clone()));
        }
    }
    if reads_none.is_none() {
        contrast_pairs(page, config, facts, &project, &own, out);
    }
}

/// Whether `offset` is inside `{{#useSiwGen3}}…{{/useSiwGen3}}`.
fn in_gen3_section(page: &Page, offset: usize) -> bool {
    let mut open: Option<usize> = None;
    for t in &page.okta_tags {
        if t.name != "useSiwGen3" {
            continue;
        }
        match t.sigil {
            Some(b'#') => open = Some(t.range.end),
            Some(b'/') => {
                if open.is_some_and(|o| o <= offset && offset < t.range.start) {
                    return true;
                }
                open = None;
            }
            _ => {}
        }
    }
    false
}

/// Where one side of a pair gets its colour: the page's own token, the project's, or
/// the widget's default (or a fixed colour).
enum Source<'a> {
    Page(&'a str, Range<usize>),
    Project(&'a ConfigToken, String),
    Widget(String),
}

impl Source<'_> {
    fn value(&self) -> &str {
        match self {
            Source::Page(v, _) => v,
            Source::Project(_, v) | Source::Widget(v) => v,
        }
    }

    fn set(&self) -> bool {
        !matches!(self, Source::Widget(_))
    }
}

/// W022: each pair the widget draws text on, where the project or the page sets a
/// side, below 4.5:1.
fn contrast_pairs(
    page: &Page,
    config: &Config,
    facts: &Facts,
    project: &BTreeMap<&str, &ConfigToken>,
    own: &BTreeMap<String, (String, Range<usize>)>,
    out: &mut Vec<Diagnostic>,
) {
    let source = |side: &Side| -> Option<Source<'_>> {
        match side {
            Side::Fixed(c) => Some(Source::Widget(c.clone())),
            Side::Token(name) => {
                if let Some((v, r)) = own.get(name) {
                    return Some(Source::Page(v, r.clone()));
                }
                if let Some(t) = project.get(name.as_str()) {
                    return Some(Source::Project(t, t.value.get_ref().to_string()));
                }
                facts.token(name).map(|t| Source::Widget(t.default.clone()))
            }
        }
    };
    // Failing pairs, grouped by the side the project sets (the background first: the
    // usual change): one finding per token, naming its worst pair.
    struct Failing {
        ratio: f64,
        what: String,
        places: Vec<String>,
    }
    let mut by_side: Vec<(Option<Location>, Vec<Failing>)> = Vec::new();
    for pair in facts.contrast_pairs() {
        let (Some(text), Some(bg)) = (source(&pair.text), source(&pair.background)) else {
            continue;
        };
        if !(text.set() || bg.set()) {
            continue;
        }
        let (Some(fg), Some(back)) = (Rgba::parse(text.value()), Rgba::parse(bg.value())) else {
            continue;
        };
        let ratio = contrast(fg, back);
        if ratio >= AA_NORMAL_TEXT {
            continue;
        }
        let describe = |side: &Side, s: &Source<'_>| match side {
            Side::Token(name) => format!("`{name}` (`{}`)", s.value()),
            Side::Fixed(c) => format!("fixed `{c}`"),
        };
        let what = format!(
            "{} text on {}",
            describe(&pair.text, &text),
            describe(&pair.background, &bg)
        );
        let at = [&bg, &text].into_iter().find_map(|s| match s {
            Source::Page(_, r) => Some(page.locate(r.clone())),
            Source::Project(t, _) => Some(Location::bytes(&config.file, t.value.span())),
            Source::Widget(_) => None,
        });
        let failing = Failing {
            ratio,
            what,
            places: pair.places.clone(),
        };
        match by_side.iter_mut().find(|(l, _)| *l == at) {
            Some((_, list)) => list.push(failing),
            None => by_side.push((at, vec![failing])),
        }
    }
    for (at, mut list) in by_side {
        list.sort_by(|a, b| a.ratio.total_cmp(&b.ratio));
        let worst = &list[0];
        let places = match worst.places.as_slice() {
            [] => "text".to_string(),
            [one] => one.clone(),
            [first, rest @ ..] => format!("{first} (and {} more places)", rest.len()),
        };
        let others = match list.len() - 1 {
            0 => String::new(),
            1 => " (1 more pair is below 4.5:1 too)".to_string(),
            n => format!(" ({n} more pairs are below 4.5:1 too)"),
        };
        let every: Vec<String> = list
            .iter()
            .map(|f| format!("{} {}: {}", f.what, Ratio(f.ratio), f.places.join(", ")))
            .collect();
        let mut d = Diagnostic::new(
            Rule::W022,
            format!(
                "{places}: {} is {}, WCAG AA needs 4.5:1{others}",
                worst.what,
                Ratio(worst.ratio)
            ),
        )
        .label(format!("{} here", Ratio(worst.ratio)))
        .help(format!(
            "darken the text or lighten the background (or the other way round) until each ratio is at least 4.5:1; below it: {}",
            every.join("; ")
        ));
        if let Some(at) = at {
            d = d.at(at);
        }
        out.push(d);
    }
}
