//! Machine-readable reports of the commands that talk to an org: `diff`, `deploy` and
//! `kmsi plan|apply` as one JSON document each (`--format json`), and `diff` as a
//! Markdown job summary (`--format markdown`).
//!
//! The documents are typed structs serialized with serde, so their shape lives here and
//! nowhere else; `book/src/reference/json-output.md` documents it and the tests pin it.
//! Every document starts with `schema` (`signin-pages/<command>/v<N>`): a change that
//! only adds members keeps the version, anything else bumps it. Every member is always
//! present (`null` when it does not apply), so a consumer never has to test for a key.
//! One field model serves all of them ([`Field`]): what the org has (`old`) and what the
//! project sends (`new`), as [`crate::org::fields`] compares them.

pub mod deploy;
pub mod diff;
pub mod kmsi;
pub mod markdown;

use serde::Serialize;
use serde_json::{Value, json};

use crate::org::fields::FieldChange;
use crate::org::pin::sha256_hex;

/// The field holding a page's HTML: too large to repeat whole, it is reported as a
/// digest and a unified diff.
pub const PAGE_CONTENT: &str = "pageContent";

/// One field that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// Dotted path (`widgetCustomizations.postAuthKeepMeSignedInPrompt.title`).
    pub field: String,
    /// What the org has (`null`: unset). For `pageContent`, a [`digest`].
    pub old: Value,
    /// What the project sends (`null`: the project does not set it). For `pageContent`,
    /// a [`digest`].
    pub new: Value,
    /// `pageContent` only: the unified diff, old → new.
    pub diff: Option<String>,
    /// The org has a value the project does not set: a full-replace PUT resets it.
    pub reset: bool,
}

impl Field {
    /// The report of one change; `path` names the diff's sides (`a/<path>`, `b/<path>`).
    pub fn of(c: &FieldChange, path: &str) -> Field {
        let reset = c.new.is_null() && !c.old.is_null();
        if c.field == PAGE_CONTENT {
            let text = |v: &Value| v.as_str().unwrap_or("").to_string();
            return Field {
                field: c.field.clone(),
                old: digest(&c.old),
                new: digest(&c.new),
                diff: Some(crate::emit::unified_diff(
                    &text(&c.old),
                    &text(&c.new),
                    path,
                )),
                reset,
            };
        }
        Field {
            field: c.field.clone(),
            old: c.old.clone(),
            new: c.new.clone(),
            diff: None,
            reset,
        }
    }

    /// Every change of a page or part.
    pub fn all(changes: &[FieldChange], path: &str) -> Vec<Field> {
        changes.iter().map(|c| Field::of(c, path)).collect()
    }
}

/// A large text as `{"sha256": hex, "bytes": length}` (`null` stays `null`).
pub fn digest(v: &Value) -> Value {
    match v {
        Value::Null => Value::Null,
        Value::String(s) => json!({"sha256": sha256_hex(s.as_bytes()), "bytes": s.len()}),
        other => {
            let s = other.to_string();
            json!({"sha256": sha256_hex(s.as_bytes()), "bytes": s.len()})
        }
    }
}

/// One finding of the org preflight.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub brand: String,
    /// `problem` (nothing is written; `diff` exits 1) or `warning`.
    pub level: &'static str,
    pub message: String,
    pub facts: Vec<String>,
    pub help: String,
}

impl Finding {
    pub fn all(report: &crate::org::preflight::Report) -> Vec<Finding> {
        report
            .findings
            .iter()
            .map(|f| Finding {
                brand: f.brand.clone(),
                level: match f.level {
                    crate::org::preflight::Level::Problem => "problem",
                    crate::org::preflight::Level::Warning => "warning",
                },
                message: f.what.clone(),
                facts: f.facts.clone(),
                help: f.help.clone(),
            })
            .collect()
    }
}

/// A document as pretty JSON (one document, newline-terminated by the caller).
pub fn to_json<T: Serialize>(doc: &T) -> String {
    serde_json::to_string_pretty(doc).expect("a report serializes")
}
