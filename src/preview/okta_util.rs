//! The mock `OktaUtil`: what Okta's script hands the page's own script — the Sign-In
//! Widget's configuration as Okta builds it from the page's request body (the brand's
//! labels and the KMSI prompt's as i18n keys of the requested language, where Okta puts
//! them; links; switches) and the request context (the app being signed in to).

use serde_json::{Map, Value, json};

use super::site::{PageKind, ProjectInfo, TargetPages};
use crate::config::ImageKey;

/// What `OktaUtil.getSignInWidgetConfig()` returns: the widget's configuration as Okta
/// builds it from the page's request body, with the brand's labels as i18n keys of the
/// requested language (where Okta puts them).
pub(super) fn widget_config(
    target: &TargetPages,
    project: &ProjectInfo,
    state: &str,
    locale: &str,
    origin: &str,
) -> Value {
    const LABELS: &[(&str, &[&str])] = &[
        ("signInLabel", &["primaryauth.title"]),
        ("usernameLabel", &["primaryauth.username.placeholder"]),
        ("usernameInfoTip", &["primaryauth.username.tooltip"]),
        (
            "passwordLabel",
            &[
                "primaryauth.password.placeholder",
                "mfa.challenge.password.placeholder",
            ],
        ),
        ("passwordInfoTip", &["primaryauth.password.tooltip"]),
        ("forgotPasswordLabel", &["forgotpassword"]),
        ("unlockAccountLabel", &["unlockaccount"]),
        ("helpLabel", &["help"]),
        ("classicFooterHelpTitle", &["needhelp"]),
        (
            "classicRecoveryFlowEmailOrUsernameLabel",
            &["password.forgot.email.or.username.placeholder"],
        ),
    ];
    const PROMPT: &[(&str, &str)] = &[
        ("title", "oie.kmsi.title"),
        ("subtitle", "oie.kmsi.subtitle"),
        ("acceptButtonText", "oie.kmsi.accept"),
        ("rejectButtonText", "oie.kmsi.reject"),
    ];
    let wc = &target.body["widgetCustomizations"];
    let text = |v: &Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_string);
    let s = |k: &str| text(&wc[k]);
    let mut i18n = Map::new();
    for (field, keys) in LABELS {
        if let Some(v) = s(field) {
            for k in *keys {
                i18n.insert((*k).to_string(), Value::String(v.clone()));
            }
        }
    }
    for (field, key) in PROMPT {
        if let Some(v) = text(&wc["postAuthKeepMeSignedInPrompt"][*field]) {
            i18n.insert((*key).to_string(), Value::String(v));
        }
    }
    let custom: Vec<Value> = ["1", "2"]
        .iter()
        .filter_map(|n| {
            let label = s(&format!("customLink{n}Label"))?;
            let url = s(&format!("customLink{n}Url"))?;
            Some(json!({ "text": label, "href": url }))
        })
        .collect();
    let flag = |k: &str| wc[k].as_bool().unwrap_or(true);
    json!({
        "baseUrl": origin,
        "brandName": target.brand,
        "logo": super::theme::image_url(target, project, PageKind::SignIn, ImageKey::Logo),
        "logoText": target.brand,
        "language": locale,
        "i18n": { locale: i18n },
        "helpLinks": {
            "help": s("helpUrl"),
            "forgotPassword": s("forgotPasswordUrl"),
            "unlock": s("unlockAccountUrl"),
            "custom": custom,
        },
        "features": {
            "rememberMe": true,
            "showPasswordToggleOnSignInPage": flag("showPasswordVisibilityToggle"),
            "showIdentifier": flag("showUserIdentifier"),
            "registration": false,
        },
        "assets": { "baseUrl": format!("{origin}/__preview/siw") },
        "stateToken": format!("preview~{state}"),
        "useClassicEngine": false,
        "customButtons": [],
    })
}

/// What `OktaUtil.getRequestContext()` returns: the app the user is signing in to.
pub(super) fn request_context(origin: &str) -> Value {
    let app = json!({ "id": "0oapreview000000000", "name": "oidc_client", "label": "Preview app" });
    json!({
        "target": { "clientId": app["id"], "name": app["name"], "label": app["label"] },
        "app": { "type": "object", "value": app },
        "authentication": {
            "client": { "id": app["id"], "name": app["label"] },
            "request": {
                "response_type": "code",
                "scope": "openid profile",
                "redirect_uri": format!("{origin}/__preview/signed-in"),
            },
        },
    })
}
