//! `--widget-dir`: the real Okta Sign-In Widget, served from an installed
//! `@okta/okta-signin-widget`, and the Identity Engine (IDX) answers it asks for,
//! mocked for the states the preview shows.
//!
//! The page's config carries `stateToken: "preview~<state>"`; the widget introspects it
//! (`POST /idp/idx/introspect`) and gets the remediation for that state: `identify`
//! (username and the "Keep me signed in" checkbox), `challenge-authenticator` (password),
//! `keep-me-signed-in` (the post-sign-in prompt), or `identify` with an error message.
//! Submitting a form moves on to the next state, as a real sign-in would.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::config::WidgetGeneration;

pub(crate) const CONTENT_TYPE: &str = "application/ion+json; okta-version=1.0.0";
const ACCEPTS: &str = "application/json; okta-version=1.0.0";

/// The widget's `dist/` folder: `dir` itself or `dir/dist`, holding
/// `js/okta-sign-in.min.js` (that the preview may serve: [`super::guard::readable`]).
pub(crate) fn widget_dist(dir: &Path) -> Option<PathBuf> {
    [dir.to_path_buf(), dir.join("dist")]
        .into_iter()
        .find(|d| super::guard::readable(d, d, "js/okta-sign-in.min.js").is_some())
}

/// The script and stylesheet (paths below `dist/`) for the page's widget generation:
/// the third generation's `okta-sign-in.next.*` bundle when the package has it.
pub(crate) fn bundle(dist: &Path, generation: WidgetGeneration) -> (&'static str, &'static str) {
    if generation == WidgetGeneration::G3
        && super::guard::readable(dist, dist, "js/okta-sign-in.next.js").is_some()
    {
        ("js/okta-sign-in.next.js", "css/okta-sign-in.next.css")
    } else {
        ("js/okta-sign-in.min.js", "css/okta-sign-in.min.css")
    }
}

/// The state a state handle stands for.
fn state_of(handle: &str) -> &str {
    handle.strip_prefix("preview~").unwrap_or("identify")
}

fn hidden_handle(handle: &str) -> Value {
    json!({ "name": "stateHandle", "required": true, "value": handle, "visible": false, "mutable": false })
}

fn form(origin: &str, name: &str, path: &str, handle: &str, mut fields: Vec<Value>) -> Value {
    fields.push(hidden_handle(handle));
    json!({
        "rel": ["create-form"],
        "name": name,
        "href": format!("{origin}/idp/idx/{path}"),
        "method": "POST",
        "produces": CONTENT_TYPE,
        "value": fields,
        "accepts": ACCEPTS,
    })
}

fn password_authenticator() -> Value {
    json!({
        "type": "password",
        "key": "okta_password",
        "id": "autpreviewpassword0",
        "displayName": "Password",
        "methods": [{ "type": "password" }],
    })
}

/// The IDX response for `state`.
fn response(origin: &str, state: &str) -> Value {
    let handle = format!("preview~{state}");
    let mut r = json!({
        "version": "1.0.0",
        "stateHandle": handle,
        "expiresAt": "2099-01-01T00:00:00.000Z",
        "intent": "LOGIN",
        "app": { "type": "object", "value": { "name": "oidc_client", "label": "Preview app", "id": "0oapreview000000000" } },
        "cancel": form(origin, "cancel", "cancel", &handle, Vec::new()),
    });
    let identify = |handle: &str| {
        form(
            origin,
            "identify",
            "identify",
            handle,
            vec![
                json!({ "name": "identifier", "label": "Username" }),
                json!({ "name": "rememberMe", "type": "boolean", "label": "Keep me signed in" }),
            ],
        )
    };
    let remediation = match state {
        "password" => {
            r["currentAuthenticatorEnrollment"] =
                json!({ "type": "object", "value": password_authenticator() });
            r["authenticators"] = json!({ "type": "array", "value": [password_authenticator()] });
            r["authenticatorEnrollments"] =
                json!({ "type": "array", "value": [password_authenticator()] });
            r["user"] = json!({ "type": "object", "value": { "id": "00upreview000000000", "identifier": "designer@example.com" } });
            form(
                origin,
                "challenge-authenticator",
                "challenge/answer",
                &handle,
                vec![json!({
                    "name": "credentials",
                    "type": "object",
                    "form": { "value": [{ "name": "passcode", "label": "Password", "secret": true }] },
                    "required": true,
                })],
            )
        }
        "kmsi" => {
            r["user"] = json!({ "type": "object", "value": { "id": "00upreview000000000", "identifier": "designer@example.com" } });
            form(
                origin,
                "keep-me-signed-in",
                "keep-me-signed-in",
                &handle,
                vec![json!({ "name": "keepMeSignedIn", "type": "boolean", "required": true })],
            )
        }
        "error" => {
            r["messages"] = json!({ "type": "array", "value": [{
                "message": "Unable to sign in", "i18n": { "key": "errors.E0000004" }, "class": "ERROR",
            }] });
            identify(&handle)
        }
        _ => identify(&handle),
    };
    r["remediation"] = json!({ "type": "array", "value": [remediation] });
    r
}

/// Answer a request to `/idp/idx/…`: `(status, JSON)`.
pub(crate) fn answer(path: &str, body: &[u8], origin: &str) -> (u16, String) {
    let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let handle = body["stateHandle"]
        .as_str()
        .or_else(|| body["stateToken"].as_str())
        .or_else(|| body["interactionHandle"].as_str())
        .unwrap_or("preview~identify");
    let now = state_of(handle);
    let next = match path.trim_start_matches("/idp/idx/") {
        "introspect" => now,
        "identify" if now == "error" => "error",
        "identify" => "password",
        "challenge/answer" => "kmsi",
        "keep-me-signed-in" | "skip" => {
            let done = json!({
                "version": "1.0.0",
                "stateHandle": handle,
                "success": { "name": "success-redirect", "href": format!("{origin}/__preview/signed-in") },
            });
            return (200, done.to_string());
        }
        "cancel" => "identify",
        _ => {
            return (
                404,
                json!({ "errorSummary": "not mocked by the preview" }).to_string(),
            );
        }
    };
    (200, response(origin, next).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_state_has_its_remediation() {
        let names = |state: &str| {
            let (_, body) = answer(
                "/idp/idx/introspect",
                format!("{{\"stateToken\":\"preview~{state}\"}}").as_bytes(),
                "http://o",
            );
            let v: Value = serde_json::from_str(&body).unwrap();
            v["remediation"]["value"][0]["name"]
                .as_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(names("identify"), "identify");
        assert_eq!(names("password"), "challenge-authenticator");
        assert_eq!(names("kmsi"), "keep-me-signed-in");
        assert_eq!(names("error"), "identify");
    }

    #[test]
    fn submitting_moves_on() {
        let (_, body) = answer(
            "/idp/idx/identify",
            br#"{"stateHandle":"preview~identify"}"#,
            "http://o",
        );
        assert!(body.contains("challenge-authenticator"));
        let (_, body) = answer(
            "/idp/idx/keep-me-signed-in",
            br#"{"stateHandle":"preview~kmsi"}"#,
            "http://o",
        );
        assert!(body.contains("success-redirect"));
    }
}
