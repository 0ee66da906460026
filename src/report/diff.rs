//! `diff --format json`: the document `signin-pages/diff/v1`.

use serde::Serialize;

use super::{Field, Finding};
use crate::compile::TargetOutput;
use crate::okta::brands::BrandRef;
use crate::okta::pages::Slot;
use crate::org::assets::PartDiff;
use crate::org::diff::PageDiff;
use crate::org::preflight::Report;

pub const SCHEMA: &str = "signin-pages/diff/v1";

/// How one page or part compares (and, at the top, the whole run: `equal`, `different`
/// or `error`, the exit codes 0, 2 and 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The org holds what the project builds.
    Equal,
    /// Some field differs (`fields` says which).
    Different,
    /// The slot holds no page at all: every field the project sends is new.
    MissingRemote,
    /// It could not be read (`error` says why).
    Error,
    /// Not read: the org preflight found a problem with the brand (`preflight` says
    /// which).
    NotCompared,
}

/// One page of one brand.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub brand: String,
    /// `sign-in` or `error`.
    pub page: &'static str,
    pub status: Status,
    pub fields: Vec<Field>,
    pub error: Option<String>,
}

/// One part of a brand beside its pages: `theme`, `logo`, `favicon`, `background`,
/// `sign-out`, `brand`.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub brand: String,
    pub part: &'static str,
    pub status: Status,
    pub fields: Vec<Field>,
    pub error: Option<String>,
}

/// The whole document.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub schema: &'static str,
    pub environment: String,
    /// `live` or `preview`.
    pub against: &'static str,
    /// `equal`, `different` or `error` (exit 0, 2, 1).
    pub status: Status,
    /// Some page or part differs.
    pub changed: bool,
    pub targets: Vec<Target>,
    /// Whether `parts` were compared: not against preview (Okta has no preview of
    /// them), not when the preflight found a problem.
    pub parts_compared: bool,
    pub parts: Vec<Part>,
    pub preflight: Vec<Finding>,
    /// What stopped the comparison before any page was read (a brand of the project the
    /// org does not have, the brand list unreadable): then `targets` is empty and
    /// `status` is `error`.
    pub errors: Vec<String>,
}

/// What `diff` found, as the org layer hands it over.
pub struct Found<'a> {
    pub environment: &'a str,
    pub slot: Slot,
    pub preflight: &'a Report,
    pub pages: &'a [PageDiff],
    /// Every target with its brand (the refused ones included).
    pub pairs: &'a [(&'a TargetOutput, BrandRef)],
    /// `None`: not compared.
    pub parts: Option<&'a [PartDiff]>,
}

/// The name of a slot in the document and in the Markdown summary.
pub fn against(slot: Slot) -> &'static str {
    match slot {
        Slot::Preview => "preview",
        _ => "live",
    }
}

impl Document {
    pub fn new(f: &Found<'_>) -> Document {
        let mut targets: Vec<Target> = f
            .pages
            .iter()
            .map(|d| {
                let path = format!("{}/{}", f.slot.segment(), d.page.segment());
                let (status, fields, error) = match &d.result {
                    Err(e) => (Status::Error, Vec::new(), Some(e.to_string())),
                    Ok(c) if c.changes.is_empty() => (Status::Equal, Vec::new(), None),
                    Ok(c) => (
                        if c.empty {
                            Status::MissingRemote
                        } else {
                            Status::Different
                        },
                        Field::all(&c.changes, &path),
                        None,
                    ),
                };
                Target {
                    brand: d.brand.clone(),
                    page: d.page.segment(),
                    status,
                    fields,
                    error,
                }
            })
            .collect();
        for (out, _) in f.pairs {
            if f.preflight.refused.contains(&out.brand) {
                for page in crate::org::deploy::pages(out) {
                    targets.push(Target {
                        brand: out.brand.clone(),
                        page: page.segment(),
                        status: Status::NotCompared,
                        fields: Vec::new(),
                        error: None,
                    });
                }
            }
        }
        let parts: Vec<Part> = f
            .parts
            .unwrap_or_default()
            .iter()
            .map(|d| {
                let path = format!("live/{}", d.part.segment());
                let (status, fields, error) = match &d.changes {
                    Err(e) => (Status::Error, Vec::new(), Some(e.clone())),
                    Ok(c) if c.is_empty() => (Status::Equal, Vec::new(), None),
                    Ok(c) => (Status::Different, Field::all(c, &path), None),
                };
                Part {
                    brand: d.brand.clone(),
                    part: d.part.segment(),
                    status,
                    fields,
                    error,
                }
            })
            .collect();
        let statuses = || {
            targets
                .iter()
                .map(|t| t.status)
                .chain(parts.iter().map(|p| p.status))
        };
        let changed = statuses().any(|s| matches!(s, Status::Different | Status::MissingRemote));
        let failed = f.preflight.has_problems() || statuses().any(|s| s == Status::Error);
        Document {
            schema: SCHEMA,
            environment: f.environment.to_string(),
            against: against(f.slot),
            status: if failed {
                Status::Error
            } else if changed {
                Status::Different
            } else {
                Status::Equal
            },
            changed,
            parts_compared: f.parts.is_some(),
            targets,
            parts,
            preflight: Finding::all(f.preflight),
            errors: Vec::new(),
        }
    }

    /// A `diff` stopped before any page was read.
    pub fn stopped(environment: &str, slot: Slot, errors: Vec<String>) -> Document {
        Document {
            schema: SCHEMA,
            environment: environment.to_string(),
            against: against(slot),
            status: Status::Error,
            changed: false,
            targets: Vec::new(),
            parts_compared: false,
            parts: Vec::new(),
            preflight: Vec::new(),
            errors,
        }
    }
}
