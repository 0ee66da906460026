//! `/api/v1/brands`: the org's brands, by id and name. (Choosing the one brand a project
//! names, with "did you mean", is the org-side workflow's.) A brand's theme
//! (`/api/v1/brands/{brandId}/themes`) is a resource of its own beside this one.

use super::client::api_path;
use super::{Client, OktaError};

/// A brand as the org lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrandRef {
    pub id: String,
    pub name: String,
    pub is_default: bool,
}

/// `GET /api/v1/brands`, every page.
pub fn list(c: &Client) -> Result<Vec<BrandRef>, OktaError> {
    Ok(c.list(&api_path(&["brands"]), &[])?
        .into_iter()
        .filter_map(|b| {
            Some(BrandRef {
                id: b.get("id")?.as_str()?.to_string(),
                name: b
                    .get("name")
                    .and_then(|n| n.as_str())
                    .unwrap_or("")
                    .to_string(),
                is_default: b
                    .get("isDefault")
                    .and_then(|d| d.as_bool())
                    .unwrap_or(false),
            })
        })
        .collect())
}
