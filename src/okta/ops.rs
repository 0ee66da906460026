//! The operations the commands use: brands by name, and the sign-in and error pages.

use serde_json::Value;

use super::{Client, OktaError};

/// Which page: `…/pages/sign-in/…` or `…/pages/error/…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    SignIn,
    Error,
}

impl Page {
    pub fn segment(self) -> &'static str {
        match self {
            Page::SignIn => "sign-in",
            Page::Error => "error",
        }
    }
}

/// Which version of a page: live, staged, or Okta's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Customized,
    Preview,
    Default,
}

impl Slot {
    pub fn segment(self) -> &'static str {
        match self {
            Slot::Customized => "customized",
            Slot::Preview => "preview",
            Slot::Default => "default",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrandRef {
    pub id: String,
    pub name: String,
    pub is_default: bool,
}

pub fn list_brands(c: &Client) -> Result<Vec<BrandRef>, OktaError> {
    Ok(c.list("/api/v1/brands")?
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

/// The one brand called `name`, or a message saying why not.
pub fn resolve<'a>(brands: &'a [BrandRef], name: &str) -> Result<&'a BrandRef, String> {
    let found: Vec<&BrandRef> = brands.iter().filter(|b| b.name == name).collect();
    match found.as_slice() {
        [one] => Ok(one),
        [] => {
            let names: Vec<&str> = brands.iter().map(|b| b.name.as_str()).collect();
            let hint = crate::diag::suggest::closest(name, names.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            Err(format!(
                "the org has no brand named `{name}`{hint}; it has: {}",
                names.join(", ")
            ))
        }
        several => Err(format!(
            "{} brands in the org are named `{name}` ({}): rename them in Okta so that each name is unique",
            several.len(),
            several
                .iter()
                .map(|b| b.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

pub fn page_path(brand_id: &str, page: Page, slot: Slot) -> String {
    format!(
        "/api/v1/brands/{brand_id}/pages/{}/{}",
        page.segment(),
        slot.segment()
    )
}

pub fn get_page(
    c: &Client,
    brand_id: &str,
    page: Page,
    slot: Slot,
) -> Result<Option<Value>, OktaError> {
    c.get(&page_path(brand_id, page, slot))
}

pub fn put_page(
    c: &Client,
    brand_id: &str,
    page: Page,
    slot: Slot,
    body: &Value,
) -> Result<Value, OktaError> {
    c.put(&page_path(brand_id, page, slot), body)
}

pub fn delete_page(c: &Client, brand_id: &str, page: Page, slot: Slot) -> Result<(), OktaError> {
    c.delete(&page_path(brand_id, page, slot))
}

pub fn widget_versions(c: &Client, brand_id: &str) -> Result<Vec<String>, OktaError> {
    Ok(c.get(&format!(
        "/api/v1/brands/{brand_id}/pages/sign-in/widget-versions"
    ))?
    .and_then(|v| v.as_array().cloned())
    .unwrap_or_default()
    .into_iter()
    .filter_map(|v| v.as_str().map(String::from))
    .collect())
}
