//! Brands and their sign-in and error pages: what a test sets up and reads back, and the
//! endpoints, which normalise a page the way Okta does (a PUT replaces the whole page).

use std::sync::OnceLock;

use serde_json::{Map, Value, json};

use super::*;

impl FakeOkta {
    /// Adds a brand; `is_default` takes the default away from any other brand.
    /// Returns its id. Its default pages are Okta's. A brand that is not the default
    /// comes with a verified custom domain, as a brand that serves pages is set up
    /// (`set_domains` changes that); the default brand, the Okta subdomain's, has none.
    pub fn add_brand(&self, name: &str, is_default: bool) -> String {
        let mut org = self.org();
        let id = org.new_id("bnd");
        let domains = if is_default {
            Vec::new()
        } else {
            vec![domain_json(
                &mut org,
                &id,
                &default_domain(name),
                "VERIFIED",
            )]
        };
        if is_default {
            for b in &mut org.brands {
                b.brand["isDefault"] = Value::Bool(false);
            }
        }
        let theme = default_theme(&org.new_id("thd"), &self.shared.base);
        org.brands.push(BrandState {
            brand: json!({
                "id": id,
                "name": name,
                "removePoweredByOkta": false,
                "customPrivacyPolicyUrl": null,
                "agreeToCustomPrivacyPolicy": false,
                "isDefault": is_default,
                "defaultApp": {
                    "appInstanceId": null,
                    "appLinkName": null,
                    "classicApplicationUri": null
                }
            }),
            sign_in: Pages {
                customized: None,
                preview: None,
                default: default_sign_in_page(),
            },
            error: Pages {
                customized: None,
                preview: None,
                default: default_error_page(),
            },
            domains,
            theme,
            sign_out: json!({"type": "OKTA_DEFAULT", "url": null}),
        });
        id
    }

    /// Adds the org's default brand, "Default", then a brand for each of `names`.
    pub fn with_brands(self, names: &[&str]) -> FakeOkta {
        self.add_brand("Default", true);
        for name in names {
            self.add_brand(name, false);
        }
        self
    }

    /// The id of the (first) brand with this name.
    pub fn brand_id(&self, name: &str) -> Option<String> {
        self.org()
            .brands
            .iter()
            .find(|b| b.brand["name"] == name)
            .map(|b| b.brand["id"].as_str().unwrap().to_string())
    }

    /// The brand's sign-in page in `slot` ("customized" | "preview" | "default"), as a GET
    /// would answer it. `None` if unset (or no such brand).
    pub fn sign_in(&self, brand_id: &str, slot: &str) -> Option<Value> {
        let org = self.org();
        slot_of(&org.brand(brand_id)?.sign_in, slot)
    }

    /// Sets (or, with `None`, removes) a sign-in page as if PUT (it is normalised the same
    /// way: unset fields become null). For "default", `None` is ignored.
    pub fn set_sign_in(&self, brand_id: &str, slot: &str, page: Option<Value>) {
        let stored = page.map(|p| {
            normalize_sign_in(&p)
                .unwrap_or_else(|c| panic!("set_sign_in: invalid page: {c:?}"))
                .0
        });
        let mut org = self.org();
        let b = org.brand_mut(brand_id).expect("set_sign_in: no such brand");
        set_slot(&mut b.sign_in, slot, stored);
    }

    /// The brand's error page in `slot`, as a GET would answer it.
    pub fn error_page(&self, brand_id: &str, slot: &str) -> Option<Value> {
        let org = self.org();
        slot_of(&org.brand(brand_id)?.error, slot)
    }

    /// Sets or removes an error page as if PUT.
    pub fn set_error_page(&self, brand_id: &str, slot: &str, page: Option<Value>) {
        let stored = page.map(|p| {
            normalize_error_page(&p)
                .unwrap_or_else(|c| panic!("set_error_page: invalid page: {c:?}"))
        });
        let mut org = self.org();
        let b = org
            .brand_mut(brand_id)
            .expect("set_error_page: no such brand");
        set_slot(&mut b.error, slot, stored);
    }

    /// What `GET …/sign-in/widget-versions` answers (default 7.13, 7.14, 7.40).
    pub fn set_widget_versions(&self, versions: &[&str]) {
        self.org().widget_versions = versions.iter().map(|v| v.to_string()).collect();
    }

    /// What `GET …/sign-in/widget-versions` answers for this brand only.
    pub fn set_brand_widget_versions(&self, brand_id: &str, versions: &[&str]) {
        self.org().brand_widget_versions.insert(
            brand_id.to_string(),
            versions.iter().map(|v| v.to_string()).collect(),
        );
    }

    /// Multibrand customization on: the default brand's customized and preview sign-in
    /// pages answer PUT and DELETE with 403.
    pub fn multibrand(&self, on: bool) {
        self.org().multibrand = on;
    }
}

pub(super) fn brand_json(brand: &Value, base: &str) -> Value {
    let mut b = brand.clone();
    let id = brand["id"].as_str().unwrap_or("");
    b["_links"] = json!({
        "themes": {
            "href": format!("{base}/api/v1/brands/{id}/themes"),
            "hints": {"allow": ["GET"]}
        },
        "self": {
            "href": format!("{base}/api/v1/brands/{id}"),
            "hints": {"allow": ["GET", "PUT", "DELETE"]}
        }
    });
    b
}

pub(super) fn list_brands(shared: &Shared, org: &Org, req: &Req) -> Response {
    let limit = match req.q("limit").map(str::parse::<usize>) {
        None => 20,
        Some(Ok(n)) if (1..=200).contains(&n) => n,
        Some(_) => {
            return validation_failed(
                shared,
                "limit",
                &["limit: must be between 1 and 200".to_string()],
            );
        }
    };
    let after = req.q("after");
    let start = match after {
        None => 0,
        Some(a) => org
            .brands
            .iter()
            .position(|b| b.brand["id"] == a)
            .map_or(org.brands.len(), |i| i + 1),
    };
    let end = (start + limit).min(org.brands.len());
    let page: Vec<Value> = org.brands[start..end]
        .iter()
        .map(|b| brand_json(&b.brand, &shared.base))
        .collect();
    let base = &shared.base;
    let self_link = match after {
        Some(a) => format!("<{base}/api/v1/brands?after={a}&limit={limit}>; rel=\"self\""),
        None => format!("<{base}/api/v1/brands?limit={limit}>; rel=\"self\""),
    };
    let mut resp = Response::json(200, &Value::Array(page)).header("Link", self_link);
    if end < org.brands.len() {
        let last = org.brands[end - 1].brand["id"].as_str().unwrap_or("");
        resp = resp.header(
            "Link",
            format!("<{base}/api/v1/brands?after={last}&limit={limit}>; rel=\"next\""),
        );
    }
    resp
}

fn slot_of(pages: &Pages, slot: &str) -> Option<Value> {
    match slot {
        "customized" => pages.customized.clone(),
        "preview" => pages.preview.clone(),
        "default" => Some(pages.default.clone()),
        _ => None,
    }
}

fn set_slot(pages: &mut Pages, slot: &str, value: Option<Value>) {
    match slot {
        "customized" => pages.customized = value,
        "preview" => pages.preview = value,
        "default" => {
            if let Some(v) = value {
                pages.default = v;
            }
        }
        other => panic!("no page slot {other:?} (customized, preview, default)"),
    }
}

pub(super) fn page_endpoint(
    shared: &Shared,
    org: &mut Org,
    req: &Req,
    brand_id: &str,
    kind: &str,
    slot: &str,
    body: Option<&Value>,
) -> Response {
    let multibrand = org.multibrand;
    let widget_versions = org
        .brand_widget_versions
        .get(brand_id)
        .unwrap_or(&org.widget_versions)
        .clone();
    let Some(brand) = org.brand_mut(brand_id) else {
        return brand_not_found(shared, brand_id);
    };
    let is_default = brand.brand["isDefault"] == true;
    let sign_in = kind == "sign-in";
    let resource = if sign_in { "SignInPage" } else { "ErrorPage" };
    let pages = if sign_in {
        &mut brand.sign_in
    } else {
        &mut brand.error
    };
    match (slot, req.method) {
        ("widget-versions", "GET") if sign_in => Response::json(200, &json!(widget_versions)),
        ("widget-versions", _) if sign_in => method_not_allowed(shared),
        ("default", "GET") => Response::json(200, &pages.default),
        ("default", _) => method_not_allowed(shared),
        ("customized" | "preview", method) => {
            if sign_in && multibrand && is_default && matches!(method, "PUT" | "DELETE") {
                let why = "The sign-in page of the default brand can't be changed while multibrand customization is enabled. Customize a non-default brand instead.";
                return Response::json(
                    403,
                    &okta_error(
                        shared,
                        "E0000006",
                        &format!(
                            "You do not have permission to perform the requested action: {why}"
                        ),
                        &[why.to_string()],
                    ),
                );
            }
            let current = if slot == "customized" {
                &mut pages.customized
            } else {
                &mut pages.preview
            };
            match method {
                "GET" => match current {
                    Some(p) => Response::json(200, p),
                    None => not_found_resource(shared, &format!("{brand_id}/{slot}"), resource),
                },
                "PUT" => {
                    let body = body.expect("PUT has a body");
                    let result = if sign_in {
                        normalize_sign_in(body)
                    } else {
                        normalize_error_page(body).map(|p| (p.clone(), p))
                    };
                    match result {
                        Ok((stored, answer)) => {
                            *current = Some(stored);
                            Response::json(200, &answer)
                        }
                        Err((field, causes)) => validation_failed(shared, &field, &causes),
                    }
                }
                "DELETE" => {
                    *current = None;
                    Response::no_content()
                }
                _ => method_not_allowed(shared),
            }
        }
        _ => not_found(
            shared,
            &format!("/api/v1/brands/{brand_id}/pages/{kind}/{slot}"),
        ),
    }
}

/// The string fields of `widgetCustomizations`, in the order Okta answers them, with
/// the two booleans and `widgetGeneration` where Okta puts them.
const WIDGET_FIELDS: [&str; 21] = [
    "signInLabel",
    "usernameLabel",
    "usernameInfoTip",
    "passwordLabel",
    "passwordInfoTip",
    "showPasswordVisibilityToggle",
    "showUserIdentifier",
    "forgotPasswordLabel",
    "forgotPasswordUrl",
    "unlockAccountLabel",
    "unlockAccountUrl",
    "helpLabel",
    "helpUrl",
    "customLink1Label",
    "customLink1Url",
    "customLink2Label",
    "customLink2Url",
    "authenticatorPageCustomLinkLabel",
    "authenticatorPageCustomLinkUrl",
    "classicRecoveryFlowEmailOrUsernameLabel",
    "widgetGeneration",
];
const WIDGET_BOOLS: [&str; 2] = ["showPasswordVisibilityToggle", "showUserIdentifier"];
const KMSI_FIELDS: [&str; 4] = ["title", "subtitle", "acceptButtonText", "rejectButtonText"];
const MAX_CSP_SOURCES: usize = 20;

fn version_pattern() -> &'static regex::Regex {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"^(?:\*|\^?\d+(?:\.\d+){0,2})$").unwrap())
}

pub(super) type Invalid = (String, Vec<String>);

fn invalid(field: &str, cause: String) -> Invalid {
    (field.to_string(), vec![cause])
}

fn opt_string(v: Option<&Value>, field: &str) -> Result<Value, Invalid> {
    match v {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(Value::String(s)) => Ok(Value::String(s.clone())),
        Some(_) => Err(invalid(field, format!("{field}: must be a string"))),
    }
}

fn normalize_csp(v: Option<&Value>) -> Result<Option<Value>, Invalid> {
    let field = "contentSecurityPolicySetting";
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => {
            let mode = opt_string(m.get("mode"), &format!("{field}.mode"))?;
            if !(mode.is_null() || mode == "enforced" || mode == "report_only") {
                return Err(invalid(
                    &format!("{field}.mode"),
                    format!("{field}.mode: must be one of [enforced, report_only]"),
                ));
            }
            let report_uri = opt_string(m.get("reportUri"), &format!("{field}.reportUri"))?;
            let src_list = match m.get("srcList") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(a)) if a.iter().all(Value::is_string) => a.clone(),
                Some(_) => {
                    return Err(invalid(
                        &format!("{field}.srcList"),
                        format!("{field}.srcList: must be an array of strings"),
                    ));
                }
            };
            if src_list.len() > MAX_CSP_SOURCES {
                return Err(invalid(
                    &format!("{field}.srcList"),
                    format!(
                        "{field}.srcList: The number of sources exceeds the limit of {MAX_CSP_SOURCES}."
                    ),
                ));
            }
            Ok(Some(json!({
                "reportUri": report_uri,
                "mode": mode,
                "srcList": src_list
            })))
        }
        Some(_) => Err(invalid(field, format!("{field}: must be an object"))),
    }
}

/// A `SignInPage` PUT body → (what GET answers from now on, what the PUT answers).
/// Unknown fields are dropped, unset ones come back null (booleans false);
/// `postAuthKeepMeSignedInPrompt` is in the PUT answer only if it was sent, but GET
/// always has it (with nulls), as the observed traffic shows.
fn normalize_sign_in(body: &Value) -> Result<(Value, Value), Invalid> {
    let Some(obj) = body.as_object() else {
        return Err(invalid(
            "body",
            "The body must be a SignInPage object".into(),
        ));
    };
    let page_content = opt_string(obj.get("pageContent"), "pageContent")?;
    let widget_version = opt_string(obj.get("widgetVersion"), "widgetVersion")?;
    if let Value::String(v) = &widget_version
        && !version_pattern().is_match(v)
    {
        return Err(invalid(
            "widgetVersion",
            format!(
                "widgetVersion: '{v}' does not match the pattern ^(?:\\*|\\^?\\d+(?:\\.\\d+){{0,2}})$"
            ),
        ));
    }
    let csp = normalize_csp(obj.get("contentSecurityPolicySetting"))?;

    let empty = Map::new();
    let wc_in = match obj.get("widgetCustomizations") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(m)) => m,
        Some(_) => {
            return Err(invalid(
                "widgetCustomizations",
                "widgetCustomizations: must be an object".into(),
            ));
        }
    };
    let mut wc = Map::new();
    for f in WIDGET_FIELDS {
        let path = format!("widgetCustomizations.{f}");
        let v = if WIDGET_BOOLS.contains(&f) {
            match wc_in.get(f) {
                None | Some(Value::Null) => Value::Bool(false),
                Some(Value::Bool(b)) => Value::Bool(*b),
                Some(_) => return Err(invalid(&path, format!("{path}: must be a boolean"))),
            }
        } else {
            opt_string(wc_in.get(f), &path)?
        };
        if f == "widgetGeneration" && !(v.is_null() || v == "G2" || v == "G3") {
            return Err(invalid(&path, format!("{path}: must be one of [G2, G3]")));
        }
        wc.insert(f.to_string(), v);
    }
    for f in ["classicFooterHelpTitle"] {
        if let Some(v) = wc_in.get(f) {
            wc.insert(
                f.into(),
                opt_string(Some(v), &format!("widgetCustomizations.{f}"))?,
            );
        }
    }
    if let Some(v) = wc_in.get("gracePeriodRequiredSoon")
        && !v.is_null()
    {
        wc.insert("gracePeriodRequiredSoon".into(), v.clone());
    }
    let kmsi_sent = wc_in
        .get("postAuthKeepMeSignedInPrompt")
        .filter(|v| !v.is_null());
    let mut kmsi = Map::new();
    let kmsi_in = match kmsi_sent {
        None => &empty,
        Some(Value::Object(m)) => m,
        Some(_) => {
            return Err(invalid(
                "widgetCustomizations.postAuthKeepMeSignedInPrompt",
                "widgetCustomizations.postAuthKeepMeSignedInPrompt: must be an object".into(),
            ));
        }
    };
    for f in KMSI_FIELDS {
        kmsi.insert(
            f.into(),
            opt_string(
                kmsi_in.get(f),
                &format!("widgetCustomizations.postAuthKeepMeSignedInPrompt.{f}"),
            )?,
        );
    }

    let build = |with_kmsi: bool| {
        let mut page = Map::new();
        page.insert("pageContent".into(), page_content.clone());
        if let Some(csp) = &csp {
            page.insert("contentSecurityPolicySetting".into(), csp.clone());
        }
        page.insert("widgetVersion".into(), widget_version.clone());
        let mut w = wc.clone();
        if with_kmsi {
            w.insert(
                "postAuthKeepMeSignedInPrompt".into(),
                Value::Object(kmsi.clone()),
            );
        }
        page.insert("widgetCustomizations".into(), Value::Object(w));
        Value::Object(page)
    };
    Ok((build(true), build(kmsi_sent.is_some())))
}

/// An `ErrorPage` PUT body → what is stored and answered.
fn normalize_error_page(body: &Value) -> Result<Value, Invalid> {
    let Some(obj) = body.as_object() else {
        return Err(invalid(
            "body",
            "The body must be an ErrorPage object".into(),
        ));
    };
    let mut page = Map::new();
    page.insert(
        "pageContent".into(),
        opt_string(obj.get("pageContent"), "pageContent")?,
    );
    if let Some(csp) = normalize_csp(obj.get("contentSecurityPolicySetting"))? {
        page.insert("contentSecurityPolicySetting".into(), csp);
    }
    Ok(Value::Object(page))
}

/// Okta's default sign-in page, as `GET …/sign-in/default` answers it.
fn default_sign_in_page() -> Value {
    static PAGE: OnceLock<String> = OnceLock::new();
    let html = PAGE.get_or_init(|| {
        std::fs::read_to_string(super::super::shared().join("okta/default-sign-in-page.html"))
            .expect("read shared/okta/default-sign-in-page.html")
    });
    json!({
        "pageContent": html,
        "widgetVersion": "^7",
        "widgetCustomizations": {
            "signInLabel": "Sign In",
            "usernameLabel": "Username",
            "usernameInfoTip": "",
            "passwordLabel": "Password",
            "passwordInfoTip": "",
            "showPasswordVisibilityToggle": true,
            "showUserIdentifier": true,
            "forgotPasswordLabel": "Forgot password?",
            "forgotPasswordUrl": "",
            "unlockAccountLabel": "Unlock account?",
            "unlockAccountUrl": "",
            "helpLabel": "Help",
            "helpUrl": "",
            "customLink1Label": "",
            "customLink1Url": "",
            "customLink2Label": "",
            "customLink2Url": "",
            "authenticatorPageCustomLinkLabel": "",
            "authenticatorPageCustomLinkUrl": "",
            "classicRecoveryFlowEmailOrUsernameLabel": "Email or Username",
            "widgetGeneration": "G2",
            "postAuthKeepMeSignedInPrompt": {
                "title": "Keep me signed in",
                "subtitle": "Sign in and enter security methods less frequently.",
                "acceptButtonText": "Stay signed in",
                "rejectButtonText": "Don't stay signed in"
            }
        }
    })
}

/// A stand-in for Okta's default error page (its real HTML is not in `shared/okta/`).
fn default_error_page() -> Value {
    json!({
        "pageContent": concat!(
            "<!DOCTYPE html>\n<html>\n<head>\n",
            "    <meta charset=\"utf-8\">\n",
            "    <title>{{orgName}} - {{errorSummary}}</title>\n",
            "    <link href=\"{{themedStylesUrl}}\" rel=\"stylesheet\" type=\"text/css\">\n",
            "</head>\n<body>\n",
            "    <img src=\"{{orgLogo}}\" alt=\"{{orgName}}\">\n",
            "    <h1>{{errorSummary}}</h1>\n",
            "    <p>{{{errorDescription}}}</p>\n",
            "    <a href=\"{{buttonHref}}\">{{buttonText}}</a>\n",
            "</body>\n</html>\n"
        ),
        "contentSecurityPolicySetting": {
            "reportUri": null,
            "mode": "report_only",
            "srcList": []
        }
    })
}
