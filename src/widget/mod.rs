//! What signin-pages knows about the Okta Sign-In Widget, without its code.
//!
//! The widget (`@okta/okta-signin-widget` on npm) is under Okta's licence, so none of it
//! is here; facts derived from its published packages are: the keys of its strings and
//! the languages it ships, the design tokens Gen3 reads (name, kind of value, default),
//! the colour pairs it draws text on, and the CSS classes of each generation. They live
//! in `data/widget/<version>.json` (written by `scripts/widget-facts.mjs`, described in
//! `data/widget/README.md`), are embedded in the binary, and are parsed once, on first
//! use. [`resolve`] turns a page's `widgetVersion` (`*`, `^7`, `7`, `7.13`) into the
//! facts of the newest known version it allows.
//!
//! This module knows nothing of the pipeline: checks read it, it reads no project.

pub mod colour;
mod data;
mod facts;

use std::sync::OnceLock;

use serde_json::Value;

pub use facts::{ContrastPair, Css, Facts, IdFact, Side, Token, TokenKind, Version, language_tag};

/// Every known version's facts, oldest first.
pub struct Widget {
    versions: Vec<Facts>,
}

/// Fields a data file may share with an older version's file (`LIST_FIELDS` and
/// `VALUE_FIELDS` in scripts/widget-facts.mjs): `{"from": "7.44.3", "add": [..],
/// "remove": [..]}` for a sorted list, `{"from": "7.44.3"}` for any other value.
const LIST_FIELDS: &[&str] = &[
    "/i18n/languages",
    "/i18n/keys",
    "/i18n/country_codes",
    "/css/gen2_only",
    "/css/shared",
    "/css/gen3_only",
];
const VALUE_FIELDS: &[&str] = &["/tokens", "/contrast_pairs", "/css/ids"];

impl Widget {
    /// The embedded facts, parsed on first use.
    pub fn known() -> &'static Widget {
        static WIDGET: OnceLock<Widget> = OnceLock::new();
        WIDGET.get_or_init(|| {
            let (versions, _errors) = load(data::FILES);
            Widget { versions }
        })
    }

    /// The newest known version a `widgetVersion` allows: `*` (any), `^7` and `7` (any
    /// 7.x), `7.13` (any 7.13.x), or an exact `7.13.1`. `None` for a version nothing is
    /// known of (`6`, `7.22`, `8`) and for a form Okta refuses.
    pub fn resolve(&self, spec: &str) -> Option<&Facts> {
        let wanted = matcher(spec)?;
        self.versions.iter().rev().find(|f| wanted(f.version()))
    }

    /// Every known version, oldest first.
    pub fn versions(&self) -> &[Facts] {
        &self.versions
    }

    /// The facts of exactly `version`.
    pub fn get(&self, version: Version) -> Option<&Facts> {
        self.versions.iter().find(|f| f.version() == version)
    }
}

/// Which versions a `widgetVersion` allows (see [`Widget::resolve`]); `None` for a form
/// Okta refuses.
fn matcher(spec: &str) -> Option<Box<dyn Fn(Version) -> bool>> {
    let spec = spec.trim();
    let wanted: Box<dyn Fn(Version) -> bool> = if spec == "*" {
        Box::new(|_| true)
    } else if let Some(major) = spec.strip_prefix('^') {
        let major = facts::number(major)?;
        Box::new(move |v| v.major == major)
    } else {
        let parts: Vec<&str> = spec.split('.').collect();
        match parts[..] {
            [major] => {
                let major = facts::number(major)?;
                Box::new(move |v| v.major == major)
            }
            [major, minor] => {
                let (major, minor) = (facts::number(major)?, facts::number(minor)?);
                Box::new(move |v| v.major == major && v.minor == minor)
            }
            _ => {
                let exact = Version::parse(spec)?;
                Box::new(move |v| v == exact)
            }
        }
    };
    Some(wanted)
}

/// [`Widget::resolve`] over the embedded facts. Only the version found is read, with the
/// older files it shares fields with: reading all 37 files was 40 ms of every `check`.
pub fn resolve(spec: &str) -> Option<&'static Facts> {
    let wanted = matcher(spec)?;
    (0..data::FILES.len())
        .rev()
        .find(|&i| Version::parse(data::FILES[i].0).is_some_and(&wanted))
        .and_then(embedded_facts)
}

/// The facts of embedded version `i` (of [`data::FILES`]), made on first use.
fn embedded_facts(i: usize) -> Option<&'static Facts> {
    static FACTS: OnceLock<Vec<OnceLock<Option<Facts>>>> = OnceLock::new();
    let facts = FACTS.get_or_init(|| data::FILES.iter().map(|_| OnceLock::new()).collect());
    facts[i]
        .get_or_init(|| to_facts(data::FILES[i].0, embedded_file(i)?.clone()).ok())
        .as_ref()
}

/// Embedded file `i`, read and expanded on first use (the newer files that share its
/// fields read them from here; only the version resolved becomes [`Facts`]).
fn embedded_file(i: usize) -> Option<&'static Value> {
    static FILES: OnceLock<Vec<OnceLock<Option<Value>>>> = OnceLock::new();
    let files = FILES.get_or_init(|| data::FILES.iter().map(|_| OnceLock::new()).collect());
    files[i]
        .get_or_init(|| {
            // A file shares fields only with older ones, listed before it.
            let older = |from: &str| {
                let j = data::FILES[..i].iter().position(|(n, _)| *n == from)?;
                embedded_file(j)
            };
            let v = serde_json::from_str::<Value>(data::FILES[i].1).ok()?;
            expand(v, &older).ok()
        })
        .as_ref()
}

/// One data file, its shared fields taken from `older` (by version name): the expanded
/// file and its facts.
fn parse_file<'a>(
    name: &str,
    text: &str,
    older: &dyn Fn(&str) -> Option<&'a Value>,
) -> Result<(Value, Facts), String> {
    let v = serde_json::from_str::<Value>(text).map_err(|e| e.to_string())?;
    let v = expand(v, older)?;
    let facts = to_facts(name, v.clone())?;
    Ok((v, facts))
}

/// The facts of an expanded file, which must be version `name`'s.
fn to_facts(name: &str, v: Value) -> Result<Facts, String> {
    let facts = serde_json::from_value::<facts::Raw>(v)
        .map_err(|e| e.to_string())?
        .into_facts()?;
    if facts.version().to_string() != *name {
        return Err(format!("the file says it is {}", facts.version()));
    }
    Ok(facts)
}

/// Parses data files given oldest first, expanding the fields each shares with an older
/// one. A file that does not parse is left out and reported (`version: what`); the
/// embedded files are checked by the tests, so at run time that list is empty.
pub fn load(files: &[(&str, &str)]) -> (Vec<Facts>, Vec<String>) {
    let mut expanded: Vec<(String, Value)> = Vec::new();
    let mut versions = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in files {
        let older = |from: &str| expanded.iter().find(|(n, _)| n == from).map(|(_, v)| v);
        let result = parse_file(name, text, &older);
        match result {
            Ok((value, facts)) => {
                expanded.push(((*name).to_string(), value));
                versions.push(facts);
            }
            Err(e) => errors.push(format!("{name}: {e}")),
        }
    }
    versions.sort_by_key(Facts::version);
    (versions, errors)
}

/// Replaces every shared field of `file` by the value it refers to in an older,
/// already expanded file.
fn expand<'a>(mut file: Value, older: &dyn Fn(&str) -> Option<&'a Value>) -> Result<Value, String> {
    let version = file
        .get("version")
        .and_then(Value::as_str)
        .and_then(Version::parse)
        .ok_or("no version")?;
    for (list, field) in LIST_FIELDS
        .iter()
        .map(|f| (true, f))
        .chain(VALUE_FIELDS.iter().map(|f| (false, f)))
    {
        let Some(slot) = file.pointer_mut(field) else {
            continue;
        };
        let Some(from) = reference(slot) else {
            continue;
        };
        let base = Version::parse(&from)
            .filter(|b| *b < version)
            .and_then(|_| older(&from))
            .ok_or_else(|| format!("{field} refers to {from}, no older data file"))?;
        let base = base
            .pointer(field)
            .ok_or_else(|| format!("{from} has no {field}"))?;
        *slot = if list {
            Value::from(apply_delta(field, base, slot)?)
        } else {
            base.clone()
        };
    }
    Ok(file)
}

/// A shared list: `base` (sorted, as each file's lists are) without `delta`'s `remove`,
/// with its `add`, sorted and without repeats. Merged, not sorted again: the lists of
/// 37 versions chain, and sorting each whole list again was most of reading them.
fn apply_delta(field: &str, base: &Value, delta: &Value) -> Result<Vec<String>, String> {
    fn strs<'v>(field: &str, v: Option<&'v Value>) -> Result<Vec<&'v str>, String> {
        match v {
            None => Ok(Vec::new()),
            Some(v) => v
                .as_array()
                .ok_or_else(|| format!("{field} is not a list"))?
                .iter()
                .map(|s| {
                    s.as_str()
                        .ok_or_else(|| format!("{field} holds a non-string"))
                })
                .collect(),
        }
    }
    let mut base = strs(field, Some(base))?;
    if !base.is_sorted() {
        base.sort_unstable();
    }
    let mut remove = strs(field, delta.get("remove"))?;
    remove.sort_unstable();
    let mut add = strs(field, delta.get("add"))?;
    add.sort_unstable();
    let kept = base
        .into_iter()
        .filter(|x| remove.binary_search(x).is_err());
    let mut out: Vec<String> = Vec::with_capacity(kept.size_hint().1.unwrap_or(0) + add.len());
    let mut add = add.into_iter().peekable();
    for item in kept {
        while let Some(a) = add.next_if(|a| *a < item) {
            out.push(a.to_string());
        }
        out.push(item.to_string());
    }
    out.extend(add.map(str::to_string));
    out.dedup();
    Ok(out)
}

/// `Some("7.44.3")` for `{"from": "7.44.3", …}`: a shared field.
fn reference(v: &Value) -> Option<String> {
    let obj = v.as_object()?;
    let from = obj.get("from")?.as_str()?;
    obj.keys()
        .all(|k| matches!(k.as_str(), "from" | "add" | "remove"))
        .then(|| from.to_string())
}

/// The embedded files' names, oldest first (for the test that keeps them in step with
/// `data/widget/`), and whether each loads.
pub fn embedded() -> (Vec<&'static str>, Vec<String>) {
    let names = data::FILES.iter().map(|(n, _)| *n).collect();
    let (_, errors) = load(data::FILES);
    (names, errors)
}

#[cfg(test)]
mod tests;
