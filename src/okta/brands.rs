//! `/api/v1/brands`: the org's brands, by id and name. (Choosing the one brand a project
//! names, with "did you mean", is the org-side workflow's.) A brand's theme
//! (`/api/v1/brands/{brandId}/themes`) is a resource of its own beside this one.
//!
//! One brand is read and replaced whole ([`get`], [`merged`], [`put`]): Okta's PUT is a
//! full replace, so the body starts from the brand as read and changes only the
//! [`Settings`] signin-pages manages.

use serde_json::Value;

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

pub fn path(brand_id: &str) -> String {
    api_path(&["brands", brand_id])
}

/// `GET /api/v1/brands/{brandId}`, the whole `Brand` as Okta answers it; `None` on 404.
pub fn get(c: &Client, brand_id: &str) -> Result<Option<Value>, OktaError> {
    c.get(&path(brand_id), &[])
}

/// The brand settings signin-pages manages. `None` leaves a field as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// `removePoweredByOkta`.
    pub remove_powered_by_okta: Option<bool>,
    /// `customPrivacyPolicyUrl`: `Some(None)` goes back to Okta's policy.
    pub custom_privacy_policy_url: Option<Option<String>>,
    /// `agreeToCustomPrivacyPolicy`: the consent Okta asks for with a custom URL.
    pub agree_to_custom_privacy_policy: Option<bool>,
    /// `locale` (a BCP 47 tag): `Some(None)` clears it.
    pub locale: Option<Option<String>>,
}

/// What Okta answers but a `BrandRequest` does not take: read-only fields.
const READ_ONLY: [&str; 4] = ["id", "isDefault", "_links", "_embedded"];

/// The body of a full-replace `PUT /api/v1/brands/{brandId}`: the brand `read` (as a GET
/// answered it) with the [`Settings`] applied, and nothing else changed — `name`,
/// `emailDomainId`, `defaultApp` and any field this version does not know go back as
/// they came, since a PUT that leaves one out resets it (Okta detaches the email domain).
/// Read-only fields are dropped, and so are `null` members (at any depth): the schema
/// types them as strings, and in a full replace an absent field is `null` anyway.
pub fn merged(read: &Value, settings: &Settings) -> Value {
    let mut body = read.as_object().cloned().unwrap_or_default();
    for k in READ_ONLY {
        body.remove(k);
    }
    let mut set = |k: &str, v: Option<Value>| {
        match v {
            Some(v) => body.insert(k.into(), v),
            None => body.remove(k),
        };
    };
    if let Some(b) = settings.remove_powered_by_okta {
        set("removePoweredByOkta", Some(Value::Bool(b)));
    }
    if let Some(url) = &settings.custom_privacy_policy_url {
        set("customPrivacyPolicyUrl", url.clone().map(Value::String));
    }
    if let Some(b) = settings.agree_to_custom_privacy_policy {
        set("agreeToCustomPrivacyPolicy", Some(Value::Bool(b)));
    }
    if let Some(locale) = &settings.locale {
        set("locale", locale.clone().map(Value::String));
    }
    let mut body = Value::Object(body);
    drop_nulls(&mut body);
    body
}

fn drop_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(drop_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// `PUT /api/v1/brands/{brandId}` with `body` (from [`merged`]); the brand as answered.
pub fn put(c: &Client, brand_id: &str, body: &Value) -> Result<Value, OktaError> {
    c.put(&path(brand_id), body)
}

/// Read the brand, apply `settings`, write it back: `(as read, as answered)`.
pub fn update(
    c: &Client,
    brand_id: &str,
    settings: &Settings,
) -> Result<(Value, Value), OktaError> {
    let what = path(brand_id);
    let read = get(c, brand_id)?.ok_or_else(|| OktaError::Api {
        method: "GET".into(),
        path: what,
        status: 404,
        code: None,
        summary: Some(format!("no brand {brand_id}")),
        causes: Vec::new(),
        id: None,
        advice: Some("the brand does not exist in this org: check the brand name and the environment's org_url".into()),
    })?;
    let answer = put(c, brand_id, &merged(&read, settings))?;
    Ok((read, answer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_merge_changes_only_what_is_managed() {
        let read = json!({
            "id": "bnd1",
            "isDefault": false,
            "name": "Acme",
            "emailDomainId": "OeD114iNkrcN6aR680g4",
            "defaultApp": {"appInstanceId": "0oa1", "appLinkName": null, "classicApplicationUri": null},
            "locale": "en",
            "removePoweredByOkta": false,
            "customPrivacyPolicyUrl": null,
            "agreeToCustomPrivacyPolicy": false,
            "someFutureField": {"kept": [1, null, "x"]},
            "_links": {"self": {"href": "https://acme.okta.com/api/v1/brands/bnd1"}}
        });
        // Nothing managed: everything writable goes back, nulls and read-only fields do not.
        assert_eq!(
            merged(&read, &Settings::default()),
            json!({
                "name": "Acme",
                "emailDomainId": "OeD114iNkrcN6aR680g4",
                "defaultApp": {"appInstanceId": "0oa1"},
                "locale": "en",
                "removePoweredByOkta": false,
                "agreeToCustomPrivacyPolicy": false,
                "someFutureField": {"kept": [1, null, "x"]}
            })
        );
        let s = Settings {
            remove_powered_by_okta: Some(true),
            custom_privacy_policy_url: Some(Some("https://acme.example/privacy".into())),
            agree_to_custom_privacy_policy: Some(true),
            locale: Some(None),
        };
        let body = merged(&read, &s);
        assert_eq!(body["removePoweredByOkta"], true);
        assert_eq!(
            body["customPrivacyPolicyUrl"],
            "https://acme.example/privacy"
        );
        assert_eq!(body["agreeToCustomPrivacyPolicy"], true);
        assert!(body.get("locale").is_none());
        assert_eq!(body["emailDomainId"], read["emailDomainId"]);
        assert_eq!(body["someFutureField"], read["someFutureField"]);
        assert_eq!(body["name"], "Acme");
        // Back to Okta's policy: the URL goes.
        let back = Settings {
            custom_privacy_policy_url: Some(None),
            ..Settings::default()
        };
        let reset = merged(&body, &back);
        assert!(reset.get("customPrivacyPolicyUrl").is_none());
        assert_eq!(reset["removePoweredByOkta"], true);
    }
}
