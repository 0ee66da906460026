//! `deploy`: the built payloads into the org, brand by brand.
//!
//! First the org preflight ([`super::preflight`]) checks every brand; any problem stops
//! the deploy before a page is read or written, for every brand.
//! Every write is preceded by a backup of what the slot held (atomic; the write does not
//! happen if the backup cannot be written), and followed by a comparison of Okta's
//! answer with what was sent. `--publish` sends the payload whose hash was recorded
//! when it went to preview ([`super::pin`]). Brands go out in parallel, a few at a time.

use serde_json::Value;

use super::assets::{self, PartOutcome};
use super::backup::{self, Backup};
use super::fields::{self, FieldChange};
use super::pin;
use super::preflight::{self, Report};
use crate::compile::{Compiled, TargetOutput};
use crate::config::Environment;
use crate::okta::Client;
use crate::okta::brands::BrandRef;
use crate::okta::pages::{self, Page, Slot};

/// Brands written at once: enough to overlap round trips, few enough to stay well
/// inside Okta's per-endpoint rate limits.
pub const PARALLEL: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Preview,
    Publish,
}

impl Mode {
    /// The slot it writes.
    pub fn slot(self) -> Slot {
        match self {
            Mode::Preview => Slot::Preview,
            Mode::Publish => Slot::Customized,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub dry_run: bool,
    pub yes: bool,
    pub allow_reset: bool,
}

/// What happened to one page of one brand.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub brand: String,
    pub page: Page,
    /// "unchanged", "would update", "updated", "refused", "failed".
    pub action: &'static str,
    pub detail: String,
    pub changes: Vec<FieldChange>,
    pub ok: bool,
    /// The guard that refused the write (`action` "refused").
    pub guard: Option<Guard>,
    /// The backup written before the write, relative to the project root.
    pub backup: Option<std::path::PathBuf>,
}

/// A guard that stops `--publish` from writing a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// The payload never went to preview (`--yes` overrides).
    NotPreviewed,
    /// The build changed since it went to preview (`--yes` overrides).
    ChangedSincePreview,
    /// The PUT would reset values the org has and the project does not set
    /// (`--allow-reset` overrides).
    WouldReset,
}

impl Guard {
    pub fn as_str(self) -> &'static str {
        match self {
            Guard::NotPreviewed => "not-previewed",
            Guard::ChangedSincePreview => "changed-since-preview",
            Guard::WouldReset => "would-reset",
        }
    }
}

/// The request body of a page as built (the exact text the pin hashes).
pub(super) fn payload(out: &TargetOutput, page: Page) -> Option<&str> {
    match page {
        Page::SignIn => Some(&out.sign_in.json),
        Page::Error => out.error.as_ref().map(|e| e.json.as_str()),
    }
}

/// The request body of a page, parsed.
pub(super) fn body(out: &TargetOutput, page: Page) -> Option<Value> {
    serde_json::from_str(payload(out, page)?).ok()
}

/// The pages a target has: sign-in, and error when the project has that template.
pub fn pages(out: &TargetOutput) -> Vec<Page> {
    let mut p = vec![Page::SignIn];
    if out.error.is_some() {
        p.push(Page::Error);
    }
    p
}

/// `f` over every page of every target, on up to [`PARALLEL`] threads (one brand per
/// thread); results in input order.
pub(super) fn each_page<R: Send>(
    targets: &[(&TargetOutput, BrandRef)],
    f: impl Fn(&TargetOutput, &BrandRef, Page) -> R + Sync,
) -> Vec<R> {
    crate::parallel::map(
        targets,
        PARALLEL,
        |(out, brand)| {
            pages(out)
                .into_iter()
                .map(|page| f(out, brand, page))
                .collect::<Vec<_>>()
        },
        |_, _| {},
    )
    .into_iter()
    .flatten()
    .collect()
}

/// Why a deploy wrote nothing.
#[derive(Debug)]
pub enum Stopped {
    /// Brands of the project that the org does not have (one message each), or the
    /// brand list could not be read.
    Brands(Vec<String>),
    /// The preflight found problems (its report holds the warnings too).
    Preflight(Report),
}

/// What a deploy did: the preflight's warnings, then one outcome per page, then (with
/// `--publish`) one per part of the brand beside its pages.
#[derive(Debug)]
pub struct Deployed {
    pub preflight: Report,
    pub outcomes: Vec<Outcome>,
    pub parts: Vec<PartOutcome>,
    /// `--preview` and some target manages a theme, sign-out page or brand settings,
    /// which Okta has no preview slot for: they were left alone.
    pub parts_left: bool,
}

/// Deploy every target of one environment: the preflight for every brand, then the pages.
pub fn deploy(
    client: &Client,
    compiled: &Compiled,
    env: &Environment,
    mode: Mode,
    opts: Options,
) -> Result<Deployed, Stopped> {
    let project = compiled
        .project
        .as_ref()
        .expect("deploy needs a loaded project");
    let targets = super::brands::targets(client, &compiled.outputs).map_err(Stopped::Brands)?;
    let report = preflight::check(client, &targets.pairs, &targets.org);
    if report.has_problems() {
        return Err(Stopped::Preflight(report));
    }
    let job = Job {
        client,
        root: &project.root,
        env: &env.name,
        mode,
        opts,
    };
    let outcomes = each_page(&targets.pairs, |out, brand, page| {
        job.page(out, brand, page)
    });
    // The rest of the brand, after its pages (and only where every page went out).
    let wanted: Vec<_> = targets
        .pairs
        .iter()
        .filter_map(|(out, brand)| {
            let want = assets::wanted(&project.config, env, &out.brand, &project.root)?;
            (!assets::parts(&want).is_empty()).then_some((*out, brand, want))
        })
        .collect();
    let mut parts = Vec::new();
    let parts_left = mode == Mode::Preview && !wanted.is_empty();
    if mode == Mode::Publish {
        let run = super::clock::timestamp();
        let ready: Vec<_> = wanted
            .iter()
            .filter(|(out, _, _)| {
                outcomes
                    .iter()
                    .filter(|o| o.brand == out.brand)
                    .all(|o| o.ok)
            })
            .collect();
        parts = crate::parallel::map(
            &ready,
            PARALLEL,
            |(out, brand, want)| {
                let run = assets::Run {
                    root: &project.root,
                    env: &env.name,
                    folder: out.dir.rsplit('/').next().unwrap_or(&out.dir),
                    run: run.clone(),
                };
                assets::deploy(client, &out.brand, brand, want, &run, opts.dry_run)
            },
            |_, _| {},
        )
        .into_iter()
        .flatten()
        .collect();
    }
    Ok(Deployed {
        preflight: report,
        outcomes,
        parts,
        parts_left,
    })
}

/// What every page of one deploy shares.
struct Job<'a> {
    client: &'a Client,
    root: &'a std::path::Path,
    env: &'a str,
    mode: Mode,
    opts: Options,
}

impl Job<'_> {
    fn page(&self, out: &TargetOutput, brand: &BrandRef, page: Page) -> Outcome {
        let mut outcome = Outcome {
            brand: out.brand.clone(),
            page,
            action: "failed",
            detail: String::new(),
            changes: Vec::new(),
            ok: false,
            guard: None,
            backup: None,
        };
        let result = self.write(out, brand, page, &mut outcome);
        match result {
            Ok((action, ok)) => {
                outcome.action = action;
                outcome.ok = ok;
            }
            Err((action, detail)) => {
                outcome.action = action;
                outcome.detail = detail;
                outcome.ok = false;
            }
        }
        outcome
    }

    /// The steps for one page: `Ok((action, ok))`, or `Err((action, why))` when it
    /// stopped. `outcome` gathers the changes and any detail on the way.
    fn write(
        &self,
        out: &TargetOutput,
        brand: &BrandRef,
        page: Page,
        outcome: &mut Outcome,
    ) -> Result<(&'static str, bool), (&'static str, String)> {
        let (root, env, mode, opts) = (self.root, self.env, self.mode, self.opts);
        let slot = mode.slot();
        let failed = |d: String| ("failed", d);
        let refused = |d: &str| ("refused", d.to_string());
        let (Some(text), Some(sent)) = (payload(out, page), body(out, page)) else {
            return Err(failed("the build has no body for this page".into()));
        };
        let sha = pin::sha256_hex(text.as_bytes());
        let brand_dir = out.dir.rsplit('/').next().unwrap_or(&out.dir);
        if mode == Mode::Publish && !opts.yes {
            match pin::previewed_hash(root, env, brand_dir, page) {
                Some(h) if h == sha => {}
                Some(_) => {
                    outcome.guard = Some(Guard::ChangedSincePreview);
                    return Err(refused(
                        "the build changed since it went to preview: run `deploy --preview` and check it, or pass --yes",
                    ));
                }
                None => {
                    outcome.guard = Some(Guard::NotPreviewed);
                    return Err(refused(
                        "this payload was never sent to preview: run `deploy --preview` first, or pass --yes",
                    ));
                }
            }
        }
        let current =
            pages::get(self.client, &brand.id, page, slot).map_err(|e| failed(e.to_string()))?;
        outcome.changes = fields::field_changes(current.as_ref(), &sent);
        let record = || pin::record_preview(root, env, brand_dir, page, &sha);
        if outcome.changes.is_empty() {
            if mode == Mode::Preview && !opts.dry_run {
                record().map_err(|e| failed(e.to_string()))?;
            }
            return Ok(("unchanged", true));
        }
        let resets = fields::would_reset(&outcome.changes);
        if mode == Mode::Publish && !resets.is_empty() && !opts.allow_reset {
            outcome.guard = Some(Guard::WouldReset);
            return Err((
                "refused",
                format!(
                    "the org has values the project does not set, which the PUT would reset: {}; set them in the project, or pass --allow-reset",
                    resets
                        .iter()
                        .map(|c| format!("{} ({})", c.field, fields::show(&c.old)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if opts.dry_run {
            return Ok(("would update", true));
        }
        let saved = Backup::page(env, &out.brand, &brand.id, page, slot, current.as_ref());
        let path = backup::write(root, brand_dir, &saved)
            .map_err(|e| failed(format!("not written: the backup failed: {e}")))?;
        outcome.backup = Some(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        let answer = pages::put(self.client, &brand.id, page, slot, &sent)
            .map_err(|e| failed(e.to_string()))?;
        let differ = fields::mismatches(&sent, &answer);
        if !differ.is_empty() {
            outcome.detail = format!("Okta answered different values for: {}", differ.join(", "));
            return Ok(("updated", false));
        }
        if mode == Mode::Preview
            && let Err(e) = record()
        {
            outcome.detail = format!("written, but the preview state could not be saved: {e}");
            return Ok(("updated", false));
        }
        Ok(("updated", true))
    }
}
