//! `/api/v1/brands/{brandId}/domains`: the custom domains a brand is served on (Okta's
//! `BrandDomains`: `{"domains": [DomainResponse, …]}`). Okta shows a brand's customized
//! sign-in and error pages only on one of them.

use serde_json::Value;

use super::client::api_path;
use super::{Client, OktaError};

/// One custom domain of a brand, as much of `DomainResponse` as the tool reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrandDomain {
    /// `login.example.com`.
    pub domain: String,
    /// `validationStatus`: `NOT_STARTED`, `IN_PROGRESS`, `VERIFIED` or `COMPLETED`.
    pub status: Option<String>,
}

impl BrandDomain {
    /// Whether its DNS set-up is done, so that Okta serves pages on it: `VERIFIED` or
    /// `COMPLETED` (an answer without a status is taken as serving: Okta lists a domain
    /// that is not set up yet with `NOT_STARTED` or `IN_PROGRESS`).
    pub fn serves(&self) -> bool {
        self.status
            .as_deref()
            .is_none_or(|s| matches!(s, "VERIFIED" | "COMPLETED"))
    }
}

/// `GET /api/v1/brands/{brandId}/domains`; an answer without domains (or a 404) is an
/// empty list.
pub fn list(c: &Client, brand_id: &str) -> Result<Vec<BrandDomain>, OktaError> {
    let answer = c
        .get(&api_path(&["brands", brand_id, "domains"]), &[])?
        .unwrap_or(Value::Null);
    // The spec's `BrandDomains` object; a bare array is read the same way.
    let items = answer
        .get("domains")
        .and_then(Value::as_array)
        .or_else(|| answer.as_array())
        .cloned()
        .unwrap_or_default();
    Ok(items
        .into_iter()
        .filter_map(|d| {
            Some(BrandDomain {
                domain: d.get("domain")?.as_str()?.to_string(),
                status: d
                    .get("validationStatus")
                    .and_then(Value::as_str)
                    .map(String::from),
            })
        })
        .collect())
}
