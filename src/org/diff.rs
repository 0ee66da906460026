//! `diff`: the built payloads against what a slot of the org holds, field by field, after
//! the org preflight ([`super::preflight`]), whose problems `diff` reports; the brands it
//! refuses are not read.

use serde_json::Value;

use super::assets::{self, PartDiff};
use super::deploy::{body, each_page};
use super::fields::{FieldChange, field_changes};
use super::preflight::{self, Report};
use crate::compile::{Compiled, TargetOutput};
use crate::okta::brands::BrandRef;
use crate::okta::pages::{self, Page, Slot};
use crate::okta::{Client, OktaError};

/// A brand's page and its differences with the org (or why they could not be read).
#[derive(Debug)]
pub struct PageDiff {
    pub brand: String,
    pub page: Page,
    pub result: Result<Compared, OktaError>,
}

/// A page compared with what the slot holds.
#[derive(Debug)]
pub struct Compared {
    /// The slot holds no page at all (every field the project sends is new).
    pub empty: bool,
    pub changes: Vec<FieldChange>,
}

/// Whether any target of the build manages a part beside its pages.
pub fn manages_parts(compiled: &Compiled) -> bool {
    let Some(project) = compiled.project.as_ref() else {
        return false;
    };
    compiled.outputs.iter().any(|out| {
        project
            .config
            .environments
            .iter()
            .find(|e| e.name == out.env)
            .and_then(|e| assets::wanted(&project.config, e, &out.brand, &project.root))
            .is_some_and(|w| !assets::parts(&w).is_empty())
    })
}

/// Every managed part beside the pages (theme, images, sign-out page, brand) of every
/// brand the preflight did not refuse, against the org: themes have no preview slot, so
/// this is what `deploy --publish` would change.
/// `pairs` are the targets with their brands, as [`diff`] resolved them (the org's brand
/// list is read once per command).
pub fn diff_parts(
    client: &Client,
    compiled: &Compiled,
    pairs: &[(&TargetOutput, BrandRef)],
) -> Vec<PartDiff> {
    let Some(project) = compiled.project.as_ref() else {
        return Vec::new();
    };
    let per_brand = crate::parallel::map(
        pairs,
        super::deploy::PARALLEL,
        |(out, brand)| {
            let env = project
                .config
                .environments
                .iter()
                .find(|e| e.name == out.env);
            match env.and_then(|e| assets::wanted(&project.config, e, &out.brand, &project.root)) {
                Some(want) => assets::diff(client, &out.brand, brand, &want),
                None => Vec::new(),
            }
        },
        |_, _| {},
    );
    per_brand.into_iter().flatten().collect()
}

/// The preflight's report, and the field-by-field differences of every target it did not
/// refuse against `slot`.
/// Also every target with its brand in the org, for [`diff_parts`].
#[allow(clippy::type_complexity)]
pub fn diff<'a>(
    client: &Client,
    compiled: &'a Compiled,
    slot: Slot,
) -> Result<(Report, Vec<PageDiff>, Vec<(&'a TargetOutput, BrandRef)>), Vec<String>> {
    let targets = super::brands::targets(client, &compiled.outputs)?;
    let report = preflight::check(client, &targets.pairs, &targets.org);
    let readable: Vec<_> = targets
        .pairs
        .iter()
        .filter(|(out, _)| !report.refused.contains(&out.brand))
        .cloned()
        .collect();
    let diffs = each_page(&readable, |out, brand, page| {
        let sent = body(out, page).unwrap_or(Value::Null);
        let result = pages::get(client, &brand.id, page, slot).map(|cur| Compared {
            empty: cur.is_none(),
            changes: field_changes(cur.as_ref(), &sent),
        });
        PageDiff {
            brand: out.brand.clone(),
            page,
            result,
        }
    });
    Ok((report, diffs, targets.pairs))
}
