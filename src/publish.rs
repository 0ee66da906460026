//! deploy and diff: the built payloads against what the org has, brand by brand.
//!
//! Every write is preceded by a backup of what the slot held (atomic; the write does not
//! happen if the backup cannot be written), and followed by a comparison of Okta's
//! answer with what was sent. `--publish` sends the payload whose hash was recorded
//! when it went to preview. Brands go out in parallel, a few at a time.

use serde_json::Value;

use crate::compile::{Compiled, TargetOutput};
use crate::config::Environment;
use crate::okta::ops::{self, BrandRef, Page, Slot};
use crate::okta::{Client, OktaError};
use crate::remote::{self, FieldChange};

/// Brands written at once: enough to overlap round trips, few enough to stay well
/// inside Okta's per-endpoint rate limits.
pub const PARALLEL: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Preview,
    Publish,
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
}

/// The request body of a page, parsed.
pub fn body(out: &TargetOutput, page: Page) -> Option<Value> {
    let json = match page {
        Page::SignIn => &out.sign_in.json,
        Page::Error => &out.error.as_ref()?.json,
    };
    serde_json::from_str(json).ok()
}

fn pages(out: &TargetOutput) -> Vec<Page> {
    let mut p = vec![Page::SignIn];
    if out.error.is_some() {
        p.push(Page::Error);
    }
    p
}

/// Resolve each target's brand in the org. Errors name the brand.
pub fn resolve_brands<'a>(
    outputs: &'a [TargetOutput],
    brands: &[BrandRef],
) -> Result<Vec<(&'a TargetOutput, BrandRef)>, Vec<String>> {
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for out in outputs {
        match ops::resolve(brands, &out.brand) {
            Ok(b) => ok.push((out, b.clone())),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(ok)
    } else {
        Err(errors)
    }
}

/// Run `f` over `items` on up to [`PARALLEL`] threads; results in input order.
pub fn parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    crate::parallel::map(items, PARALLEL, f, |_, _| {})
}

/// Deploy every target of one environment.
pub fn deploy(
    client: &Client,
    compiled: &Compiled,
    env: &Environment,
    mode: Mode,
    opts: Options,
) -> Result<Vec<Outcome>, Vec<String>> {
    let project = compiled
        .project
        .as_ref()
        .expect("deploy needs a loaded project");
    let brands = ops::list_brands(client).map_err(|e| vec![e.to_string()])?;
    let targets = resolve_brands(&compiled.outputs, &brands)?;
    let results = parallel(&targets, |(out, brand)| {
        pages(out)
            .into_iter()
            .map(|page| deploy_page(client, project, env, out, brand, page, mode, opts))
            .collect::<Vec<_>>()
    });
    Ok(results.into_iter().flatten().collect())
}

#[allow(clippy::too_many_arguments)]
fn deploy_page(
    client: &Client,
    project: &crate::project::Project,
    env: &Environment,
    out: &TargetOutput,
    brand: &BrandRef,
    page: Page,
    mode: Mode,
    opts: Options,
) -> Outcome {
    let slot = match mode {
        Mode::Preview => Slot::Preview,
        Mode::Publish => Slot::Customized,
    };
    let mut outcome = Outcome {
        brand: out.brand.clone(),
        page,
        action: "failed",
        detail: String::new(),
        changes: Vec::new(),
        ok: false,
    };
    let Some(sent) = body(out, page) else {
        outcome.detail = "the build has no body for this page".into();
        return outcome;
    };
    let text = match page {
        Page::SignIn => out.sign_in.json.as_str(),
        Page::Error => out.error.as_ref().map_or("", |e| e.json.as_str()),
    };
    let sha = remote::sha256_hex(text.as_bytes());
    let brand_dir = out.dir.rsplit('/').next().unwrap_or(&out.dir).to_string();
    let root = &project.root;
    if mode == Mode::Publish && !opts.yes {
        match remote::previewed_hash(root, &env.name, &brand_dir, page) {
            Some(h) if h == sha => {}
            Some(_) => {
                outcome.action = "refused";
                outcome.detail = "the build changed since it went to preview: run `deploy --preview` and check it, or pass --yes".into();
                return outcome;
            }
            None => {
                outcome.action = "refused";
                outcome.detail = "this payload was never sent to preview: run `deploy --preview` first, or pass --yes".into();
                return outcome;
            }
        }
    }
    let current = match ops::get_page(client, &brand.id, page, slot) {
        Ok(c) => c,
        Err(e) => {
            outcome.detail = e.to_string();
            return outcome;
        }
    };
    outcome.changes = remote::field_changes(current.as_ref(), &sent);
    if outcome.changes.is_empty() {
        outcome.action = "unchanged";
        outcome.ok = true;
        if mode == Mode::Preview
            && !opts.dry_run
            && let Err(e) = remote::record_preview(root, &env.name, &brand_dir, page, &sha)
        {
            outcome.ok = false;
            outcome.action = "failed";
            outcome.detail = e.to_string();
        }
        return outcome;
    }
    let resets = remote::would_reset(&outcome.changes);
    if mode == Mode::Publish && !resets.is_empty() && !opts.allow_reset {
        outcome.action = "refused";
        outcome.detail = format!(
            "the org has values the project does not set, which the PUT would reset: {}; set them in the project, or pass --allow-reset",
            resets
                .iter()
                .map(|c| format!("{} ({})", c.field, remote::show(&c.old)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        return outcome;
    }
    if opts.dry_run {
        outcome.action = "would update";
        outcome.ok = true;
        return outcome;
    }
    if let Err(e) = remote::save_backup(
        &remote::BackupOf {
            root,
            env: &env.name,
            brand: &out.brand,
            brand_dir: &brand_dir,
            brand_id: &brand.id,
        },
        page,
        slot,
        current.as_ref(),
    ) {
        outcome.detail = format!("not written: the backup failed: {e}");
        return outcome;
    }
    match ops::put_page(client, &brand.id, page, slot, &sent) {
        Ok(answer) => {
            let differ = remote::mismatches(&sent, &answer);
            if differ.is_empty() {
                outcome.action = "updated";
                outcome.ok = true;
                if mode == Mode::Preview
                    && let Err(e) = remote::record_preview(root, &env.name, &brand_dir, page, &sha)
                {
                    outcome.ok = false;
                    outcome.detail =
                        format!("written, but the preview state could not be saved: {e}");
                }
            } else {
                outcome.action = "updated";
                outcome.detail =
                    format!("Okta answered different values for: {}", differ.join(", "));
            }
        }
        Err(e) => outcome.detail = e.to_string(),
    }
    outcome
}

/// A brand's page and its differences with the org (or why they could not be read).
pub type PageDiff = (String, Page, Result<Vec<FieldChange>, OktaError>);

/// Field-by-field differences of every target against `slot`.
pub fn diff(
    client: &Client,
    compiled: &Compiled,
    slot: Slot,
) -> Result<Vec<PageDiff>, Vec<String>> {
    let brands = ops::list_brands(client).map_err(|e| vec![e.to_string()])?;
    let targets = resolve_brands(&compiled.outputs, &brands)?;
    let results = parallel(&targets, |(out, brand)| {
        pages(out)
            .into_iter()
            .map(|page| {
                let sent = body(out, page).unwrap_or(Value::Null);
                let r = ops::get_page(client, &brand.id, page, slot)
                    .map(|cur| remote::field_changes(cur.as_ref(), &sent));
                (out.brand.clone(), page, r)
            })
            .collect::<Vec<_>>()
    });
    Ok(results.into_iter().flatten().collect())
}
