//! `deploy --format json`: the document `signin-pages/deploy/v1`.

use serde::Serialize;

use super::{Field, Finding};
use crate::org::deploy::{Deployed, Mode, Stopped};
use crate::org::preflight::Report;

pub const SCHEMA: &str = "signin-pages/deploy/v1";

/// What happened to one page or part (and, at the top, to the whole run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Sent to Okta, and Okta's answer holds what was sent (top: something was, and
    /// nothing failed or was refused).
    Written,
    /// The org already holds it: nothing sent.
    Unchanged,
    /// `--dry-run`: it would be written (top: a dry run where nothing was refused or
    /// failed).
    DryRun,
    /// A guard stopped it (`guard` says which, `detail` why); nothing sent.
    Refused,
    /// It could not be done (`detail` says why; `written` says whether a write was
    /// sent all the same, e.g. Okta answered other values than were sent).
    Failed,
}

/// One page of one brand.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub brand: String,
    /// `sign-in` or `error`.
    pub page: &'static str,
    pub outcome: Outcome,
    /// A PUT was sent for it.
    pub written: bool,
    /// `not-previewed`, `changed-since-preview`, `would-reset` (outcome `refused`).
    pub guard: Option<&'static str>,
    pub detail: Option<String>,
    /// The backup written before the write, relative to the project.
    pub backup: Option<String>,
    /// What was to change, the org's value → the project's.
    pub fields: Vec<Field>,
}

/// One part of a brand beside its pages (`--publish` only).
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub brand: String,
    /// `theme`, `logo`, `favicon`, `background`, `sign-out`, `brand`.
    pub part: &'static str,
    pub outcome: Outcome,
    pub written: bool,
    pub detail: Option<String>,
    pub backup: Option<String>,
    pub fields: Vec<Field>,
}

/// Why nothing at all was sent.
#[derive(Debug, Clone, Serialize)]
pub struct Stop {
    /// `preflight`: the org preflight found a problem with some brand (outcome
    /// `refused`); `brands`: a brand of the project is not in the org, or the brand list
    /// could not be read (outcome `failed`).
    pub by: &'static str,
    /// One line each.
    pub reasons: Vec<String>,
}

/// Where Okta shows a brand's preview.
#[derive(Debug, Clone, Serialize)]
pub struct PreviewUrl {
    pub brand: String,
    pub url: String,
}

/// The whole document.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub schema: &'static str,
    pub environment: String,
    /// `preview` or `publish`.
    pub mode: &'static str,
    pub dry_run: bool,
    pub outcome: Outcome,
    /// Set when the deploy stopped before any page was read or written.
    pub stopped: Option<Stop>,
    pub targets: Vec<Target>,
    pub parts: Vec<Part>,
    /// `--preview` and the project manages a theme, images, sign-out page or brand
    /// settings, which Okta has no preview of: they were left alone.
    pub parts_left: bool,
    pub preview_urls: Vec<PreviewUrl>,
    pub preflight: Vec<Finding>,
}

fn outcome_of(action: &str, ok: bool) -> Outcome {
    match (action, ok) {
        ("unchanged", _) => Outcome::Unchanged,
        ("would update", true) => Outcome::DryRun,
        ("updated", true) => Outcome::Written,
        ("refused", _) => Outcome::Refused,
        _ => Outcome::Failed,
    }
}

fn text(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn path(p: &Option<std::path::PathBuf>) -> Option<String> {
    p.as_ref().map(|p| p.to_string_lossy().replace('\\', "/"))
}

impl Document {
    fn empty(env: &str, mode: Mode, dry_run: bool) -> Document {
        Document {
            schema: SCHEMA,
            environment: env.to_string(),
            mode: match mode {
                Mode::Preview => "preview",
                Mode::Publish => "publish",
            },
            dry_run,
            outcome: Outcome::Unchanged,
            stopped: None,
            targets: Vec::new(),
            parts: Vec::new(),
            parts_left: false,
            preview_urls: Vec::new(),
            preflight: Vec::new(),
        }
    }

    /// A deploy that stopped before anything was read or written.
    pub fn stopped(env: &str, mode: Mode, dry_run: bool, why: &Stopped) -> Document {
        let mut d = Document::empty(env, mode, dry_run);
        match why {
            Stopped::Brands(errors) => {
                d.outcome = Outcome::Failed;
                d.stopped = Some(Stop {
                    by: "brands",
                    reasons: errors.clone(),
                });
            }
            Stopped::Preflight(report) => {
                d.outcome = Outcome::Refused;
                d.stopped = Some(Stop {
                    by: "preflight",
                    reasons: report
                        .problems()
                        .map(|f| format!("{}: {}", f.brand, f.what))
                        .collect(),
                });
                d.preflight = Finding::all(report);
            }
        }
        d
    }

    /// What a deploy did.
    pub fn new(env: &str, mode: Mode, dry_run: bool, done: &Deployed) -> Document {
        let mut d = Document::empty(env, mode, dry_run);
        let slot = mode.slot().segment();
        d.targets = done
            .outcomes
            .iter()
            .map(|o| Target {
                brand: o.brand.clone(),
                page: o.page.segment(),
                outcome: outcome_of(o.action, o.ok),
                written: o.action == "updated",
                guard: o.guard.map(|g| g.as_str()),
                detail: text(&o.detail),
                backup: path(&o.backup),
                fields: Field::all(&o.changes, &format!("{slot}/{}", o.page.segment())),
            })
            .collect();
        d.parts = done
            .parts
            .iter()
            .map(|o| Part {
                brand: o.brand.clone(),
                part: o.part.segment(),
                outcome: outcome_of(o.action, o.ok),
                written: o.action == "updated",
                detail: text(&o.detail),
                backup: path(&o.backup),
                fields: Field::all(&o.changes, &format!("live/{}", o.part.segment())),
            })
            .collect();
        d.parts_left = done.parts_left;
        if mode == Mode::Preview && !dry_run {
            d.preview_urls = preview_urls(&done.preflight);
        }
        d.preflight = Finding::all(&done.preflight);
        let all: Vec<Outcome> = d
            .targets
            .iter()
            .map(|t| t.outcome)
            .chain(d.parts.iter().map(|p| p.outcome))
            .collect();
        d.outcome = if all.contains(&Outcome::Failed) {
            Outcome::Failed
        } else if all.contains(&Outcome::Refused) {
            Outcome::Refused
        } else if dry_run {
            Outcome::DryRun
        } else if all.contains(&Outcome::Written) {
            Outcome::Written
        } else {
            Outcome::Unchanged
        };
        d
    }
}

fn preview_urls(report: &Report) -> Vec<PreviewUrl> {
    report
        .domains
        .iter()
        .flat_map(|(brand, domains)| {
            domains.iter().map(move |d| PreviewUrl {
                brand: brand.clone(),
                url: format!("https://{d}/login/preview"),
            })
        })
        .collect()
}
