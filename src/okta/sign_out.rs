//! `/api/v1/brands/{brandId}/pages/sign-out/customized`: where a brand's visitors land
//! after signing out (`HostedPage {type, url}`): Okta's own page, or a URL of ours.

use serde_json::{Value, json};

use super::client::api_path;
use super::{Client, OktaError};

/// The sign-out page setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignOutPage {
    /// `OKTA_DEFAULT`.
    OktaDefault,
    /// `EXTERNALLY_HOSTED` at this URL.
    External(String),
}

impl SignOutPage {
    /// The `HostedPage` body (no `url` for Okta's page: the schema's `url` is a string).
    pub fn to_json(&self) -> Value {
        match self {
            SignOutPage::OktaDefault => json!({"type": "OKTA_DEFAULT"}),
            SignOutPage::External(url) => json!({"type": "EXTERNALLY_HOSTED", "url": url}),
        }
    }

    pub fn from_json(v: &Value, method: &str, what: &str) -> Result<SignOutPage, OktaError> {
        let odd = |m: String| OktaError::Transport {
            method: method.into(),
            path: what.into(),
            message: m,
        };
        match v.get("type").and_then(Value::as_str) {
            Some("OKTA_DEFAULT") => Ok(SignOutPage::OktaDefault),
            Some("EXTERNALLY_HOSTED") => match v.get("url").and_then(Value::as_str) {
                Some(url) => Ok(SignOutPage::External(url.to_string())),
                None => Err(odd(
                    "Okta's sign-out page is EXTERNALLY_HOSTED without a `url`".into(),
                )),
            },
            Some(other) => Err(odd(format!(
                "Okta's sign-out page has a type this version does not know: `{other}`"
            ))),
            None => Err(odd("Okta's sign-out page has no `type`".into())),
        }
    }
}

pub fn path(brand_id: &str) -> String {
    api_path(&["brands", brand_id, "pages", "sign-out", "customized"])
}

/// `GET …/pages/sign-out/customized`; `None` on 404 (no such brand).
pub fn get(c: &Client, brand_id: &str) -> Result<Option<SignOutPage>, OktaError> {
    let what = path(brand_id);
    c.get(&what, &[])?
        .map(|v| SignOutPage::from_json(&v, "GET", &what))
        .transpose()
}

/// `PUT …/pages/sign-out/customized`; the setting as Okta answers it.
pub fn put(c: &Client, brand_id: &str, page: &SignOutPage) -> Result<SignOutPage, OktaError> {
    let what = path(brand_id);
    let answer = c.put(&what, &page.to_json())?;
    SignOutPage::from_json(&answer, "PUT", &what)
}
