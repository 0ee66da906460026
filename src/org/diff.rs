//! `diff`: the built payloads against what a slot of the org holds, field by field.

use serde_json::Value;

use super::deploy::{body, each_page};
use super::fields::{FieldChange, field_changes};
use crate::compile::Compiled;
use crate::okta::pages::{self, Page, Slot};
use crate::okta::{Client, OktaError};

/// A brand's page and its differences with the org (or why they could not be read).
pub type PageDiff = (String, Page, Result<Vec<FieldChange>, OktaError>);

/// Field-by-field differences of every target against `slot`.
pub fn diff(
    client: &Client,
    compiled: &Compiled,
    slot: Slot,
) -> Result<Vec<PageDiff>, Vec<String>> {
    let targets = super::brands::targets(client, &compiled.outputs)?;
    Ok(each_page(&targets, |out, brand, page| {
        let sent = body(out, page).unwrap_or(Value::Null);
        let r =
            pages::get(client, &brand.id, page, slot).map(|cur| field_changes(cur.as_ref(), &sent));
        (out.brand.clone(), page, r)
    }))
}
