//! `diff`: the built payloads against what a slot of the org holds, field by field, after
//! the org preflight ([`super::preflight`]), whose problems `diff` reports; the brands it
//! refuses are not read.

use serde_json::Value;

use super::deploy::{body, each_page};
use super::fields::{FieldChange, field_changes};
use super::preflight::{self, Report};
use crate::compile::Compiled;
use crate::okta::pages::{self, Page, Slot};
use crate::okta::{Client, OktaError};

/// A brand's page and its differences with the org (or why they could not be read).
pub type PageDiff = (String, Page, Result<Vec<FieldChange>, OktaError>);

/// The preflight's report, and the field-by-field differences of every target it did not
/// refuse against `slot`.
pub fn diff(
    client: &Client,
    compiled: &Compiled,
    slot: Slot,
) -> Result<(Report, Vec<PageDiff>), Vec<String>> {
    let targets = super::brands::targets(client, &compiled.outputs)?;
    let report = preflight::check(client, &targets.pairs, &targets.org);
    let readable: Vec<_> = targets
        .pairs
        .into_iter()
        .filter(|(out, _)| !report.refused.contains(&out.brand))
        .collect();
    let diffs = each_page(&readable, |out, brand, page| {
        let sent = body(out, page).unwrap_or(Value::Null);
        let r =
            pages::get(client, &brand.id, page, slot).map(|cur| field_changes(cur.as_ref(), &sent));
        (out.brand.clone(), page, r)
    });
    Ok((report, diffs))
}
