//! Where each string of the project's TOML files is written: every value of
//! `signin-pages.toml` and the locale files, with its span and the part of the project
//! it belongs to. A finding in a rendered page whose text came from a variable points at
//! the variable, not only at the page (the checks look the text up here).

use std::ops::Range;
use std::sync::Arc;

use super::Locale;
use crate::config::Config;
use crate::source::SourceFile;

/// Which part of the project a string belongs to, for the order in which a target's
/// template context merges them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueScope {
    /// `[vars]`, `[widget.tokens]`.
    Project,
    /// `[environments.<name>.vars]`, `.tokens`.
    Env(String),
    /// The `vars` and `tokens` of the brand with this name.
    Brand(String),
    /// A locale file (its tag): `[strings]`, `[widget]`, `[kmsi]`.
    Locale(String),
    /// Any other string in `signin-pages.toml` (names, `org_url`, …).
    Other,
}

/// One string value and where it is written.
#[derive(Debug, Clone)]
pub struct ValueSite {
    pub file: Arc<SourceFile>,
    pub scope: ValueScope,
    /// The value, escapes resolved.
    pub value: String,
    /// The literal in the file, quotes included.
    pub literal: Range<usize>,
    /// Where the value stands in the file byte for byte (a literal without escapes).
    pub verbatim: Option<usize>,
}

impl ValueSite {
    /// The value's bytes in the file, or the whole literal when it has escapes.
    pub fn span(&self) -> Range<usize> {
        match self.verbatim {
            Some(at) => at..at + self.value.len(),
            None => self.literal.clone(),
        }
    }
}

type OnString<'a> = &'a mut dyn FnMut(&[String], &str, Range<usize>);

fn walk_value(v: &toml_edit::Value, path: &mut Vec<String>, f: OnString<'_>) {
    use toml_edit::Value;
    match v {
        Value::String(s) => {
            if let Some(span) = v.span() {
                f(path, s.value(), span);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                path.push(i.to_string());
                walk_value(v, path, f);
                path.pop();
            }
        }
        Value::InlineTable(t) => {
            for (k, v) in t.iter() {
                path.push(k.to_string());
                walk_value(v, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

fn walk_item(it: &toml_edit::Item, path: &mut Vec<String>, f: OnString<'_>) {
    use toml_edit::Item;
    match it {
        Item::Value(v) => walk_value(v, path, f),
        Item::Table(t) => {
            for (k, i) in t.iter() {
                path.push(k.to_string());
                walk_item(i, path, f);
                path.pop();
            }
        }
        Item::ArrayOfTables(a) => {
            for (n, t) in a.iter().enumerate() {
                path.push(n.to_string());
                for (k, i) in t.iter() {
                    path.push(k.to_string());
                    walk_item(i, path, f);
                    path.pop();
                }
                path.pop();
            }
        }
        Item::None => {}
    }
}

/// Every string value of a TOML file; `scope` classifies each by its key path (table
/// keys and array indices).
fn string_values(
    file: &Arc<SourceFile>,
    scope: impl Fn(&[String]) -> ValueScope,
) -> Vec<Arc<ValueSite>> {
    let Ok(doc) = toml_edit::Document::parse(file.text.as_str()) else {
        return Vec::new();
    };
    let text = file.text.as_str();
    let mut out = Vec::new();
    walk_item(doc.as_item(), &mut Vec::new(), &mut |path, v, span| {
        let raw = text.get(span.clone()).unwrap_or("");
        // The text between the quotes (a multi-line string drops its first line break).
        let inner = if raw.len() >= 6 && (raw.starts_with("\"\"\"") || raw.starts_with("'''")) {
            let inner = &raw[3..raw.len() - 3];
            let skip = if inner.starts_with("\r\n") {
                2
            } else {
                usize::from(inner.starts_with('\n'))
            };
            Some((span.start + 3 + skip, &inner[skip..]))
        } else if raw.len() >= 2 {
            Some((span.start + 1, &raw[1..raw.len() - 1]))
        } else {
            None
        };
        out.push(Arc::new(ValueSite {
            file: Arc::clone(file),
            scope: scope(path),
            value: v.to_string(),
            verbatim: inner.filter(|(_, i)| *i == v).map(|(at, _)| at),
            literal: span,
        }));
    });
    out
}

/// The strings of the project file and the locale files.
pub(super) fn value_sites(config: &Config, locales: &[Locale]) -> Vec<Arc<ValueSite>> {
    let brand_name = |i: &str| {
        i.parse::<usize>()
            .ok()
            .and_then(|i| config.brands.get(i))
            .map(|b| b.name.get_ref().clone())
    };
    let mut out = string_values(&config.file, |path| match path {
        [v, ..] if v == "vars" => ValueScope::Project,
        [w, t, ..] if w == "widget" && t == "tokens" => ValueScope::Project,
        [e, name, v, ..] if e == "environments" && (v == "vars" || v == "tokens") => {
            ValueScope::Env(name.clone())
        }
        [b, i, v, ..] if b == "brands" && (v == "vars" || v == "tokens") => {
            brand_name(i).map_or(ValueScope::Other, ValueScope::Brand)
        }
        _ => ValueScope::Other,
    });
    for l in locales {
        out.extend(string_values(&l.file, |_| {
            ValueScope::Locale(l.tag.clone())
        }));
    }
    out
}
