//! A brand's custom pages: `/api/v1/brands/{brandId}/pages/{sign-in|error}/{customized|preview|default}`
//! (`SignInPage` / `ErrorPage` bodies, passed through as JSON), and the sign-in page's
//! allowed widget versions.

use serde_json::Value;

use super::client::api_path;
use super::{Client, OktaError};

/// Which page: `…/pages/sign-in/…` or `…/pages/error/…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    SignIn,
    Error,
}

impl Page {
    /// Its path segment, which is also its name in messages and backups.
    pub fn segment(self) -> &'static str {
        match self {
            Page::SignIn => "sign-in",
            Page::Error => "error",
        }
    }

    /// The page a segment names.
    pub fn from_segment(s: &str) -> Option<Page> {
        [Page::SignIn, Page::Error]
            .into_iter()
            .find(|p| p.segment() == s)
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

    /// The slot a segment names.
    pub fn from_segment(s: &str) -> Option<Slot> {
        [Slot::Customized, Slot::Preview, Slot::Default]
            .into_iter()
            .find(|x| x.segment() == s)
    }
}

pub fn path(brand_id: &str, page: Page, slot: Slot) -> String {
    api_path(&["brands", brand_id, "pages", page.segment(), slot.segment()])
}

/// The page in `slot`; `None` when the slot is empty (404).
pub fn get(c: &Client, brand_id: &str, page: Page, slot: Slot) -> Result<Option<Value>, OktaError> {
    c.get(&path(brand_id, page, slot), &[])
}

/// Replace the page in `slot` (a full replace: fields not sent come back null).
pub fn put(
    c: &Client,
    brand_id: &str,
    page: Page,
    slot: Slot,
    body: &Value,
) -> Result<Value, OktaError> {
    c.put(&path(brand_id, page, slot), body)
}

/// Empty `slot` (Okta's default page shows again).
pub fn delete(c: &Client, brand_id: &str, page: Page, slot: Slot) -> Result<(), OktaError> {
    c.delete(&path(brand_id, page, slot), &[])
}

/// The widget versions the sign-in page may name.
pub fn widget_versions(c: &Client, brand_id: &str) -> Result<Vec<String>, OktaError> {
    Ok(c.get(
        &api_path(&["brands", brand_id, "pages", "sign-in", "widget-versions"]),
        &[],
    )?
    .and_then(|v| v.as_array().cloned())
    .unwrap_or_default()
    .into_iter()
    .filter_map(|v| v.as_str().map(String::from))
    .collect())
}
