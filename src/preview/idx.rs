//! `--widget-dir`: the real Okta Sign-In Widget, served from an installed
//! `@okta/okta-signin-widget`, and the Identity Engine (IDX) answers it asks for, mocked
//! for every state a visitor can meet.
//!
//! The page's config carries `stateToken: "preview~<state>"`; the widget introspects it
//! (`POST /idp/idx/introspect`) and gets that state's answer. Each answer is data, one
//! file per state in `idx/` (its shape read from the answers Okta's Identity Engine
//! sends: the remediations, the authenticator they relate to, the user), written with a
//! few shorthands that [`expand`] fills in: an `href` starting with `/` gets the
//! preview's origin; every form (`"rel": ["create-form"]`) gets its method, content
//! types and the hidden `stateHandle` field; `"@user"`, `"@enrollments"` and
//! `"@select-authenticator"` stand for the pieces every challenge shares
//! (`idx/shared.json`). The envelope (version, state handle, app, cancel) is added here.
//! What a real org offers only when a feature is switched on there — "Sign up"
//! (`select-enroll-profile`), "Unlock account?" (`unlock-account`) beside the identify
//! form — the answers offer when the project's `[preview]` settings say so ([`OFFERS`]).
//! Submitting a form moves on to the state a real sign-in would reach ([`next`]).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::config::{PreviewSettings, WidgetGeneration};

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

/// Every state's answer, in the order of [`super::page::STATES`] (a test holds them in
/// step).
const ANSWERS: &[(&str, &str)] = &[
    ("identify", include_str!("idx/identify.json")),
    ("password", include_str!("idx/password.json")),
    ("kmsi", include_str!("idx/kmsi.json")),
    ("error", include_str!("idx/error.json")),
    (
        "select-authenticator",
        include_str!("idx/select-authenticator.json"),
    ),
    ("email", include_str!("idx/email.json")),
    (
        "okta-verify-push",
        include_str!("idx/okta-verify-push.json"),
    ),
    ("phone-sms", include_str!("idx/phone-sms.json")),
    (
        "security-question",
        include_str!("idx/security-question.json"),
    ),
    ("register", include_str!("idx/register.json")),
    ("forgot-password", include_str!("idx/forgot-password.json")),
    ("reset-password", include_str!("idx/reset-password.json")),
    ("unlock-account", include_str!("idx/unlock-account.json")),
];

/// What the `@name` shorthands of the answers stand for.
const SHARED: &str = include_str!("idx/shared.json");

/// The state an enrolled authenticator's challenge is, by the authenticator's `key`.
const CHALLENGES: &[(&str, &str)] = &[
    ("okta_password", "password"),
    ("okta_email", "email"),
    ("phone_number", "phone-sms"),
    ("okta_verify", "okta-verify-push"),
    ("security_question", "security-question"),
];

/// Whether an org with these settings has a feature on.
type Switch = fn(&PreviewSettings) -> bool;

/// The remediations an answer offers beside its `identify` form when the org has the
/// feature on (the `@name` piece of `idx/shared.json`, and the `[preview]` setting), as
/// Okta's Identity Engine adds them to every answer that asks who the visitor is.
const OFFERS: &[(&str, Switch)] = &[
    ("select-enroll-profile", |s| s.registration),
    ("unlock-account", |s| s.unlock),
];

fn parse(json: &str) -> Value {
    serde_json::from_str(json).expect("the preview's IDX answers are JSON (unit-tested)")
}

/// The state a state handle stands for (`identify` for one the preview never gave).
fn state_of(handle: &str) -> &'static str {
    let asked = handle.strip_prefix("preview~").unwrap_or("identify");
    ANSWERS
        .iter()
        .map(|(name, _)| *name)
        .find(|name| *name == asked)
        .unwrap_or("identify")
}

/// Fill in the shorthands of an answer (see the module's paragraph), depth first.
fn expand(v: &mut Value, origin: &str, handle: &str, shared: &Value) {
    match v {
        Value::String(s) if s.starts_with('@') => {
            if let Some(piece) = shared.get(&s[1..]) {
                *v = piece.clone();
                expand(v, origin, handle, shared);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|x| expand(x, origin, handle, shared)),
        Value::Object(o) => {
            o.values_mut()
                .for_each(|x| expand(x, origin, handle, shared));
            if let Some(Value::String(href)) = o.get_mut("href")
                && href.starts_with('/')
            {
                *href = format!("{origin}{href}");
            }
            if o.get("rel") == Some(&json!(["create-form"])) {
                form_envelope(o, handle);
            }
        }
        _ => {}
    }
}

/// What every form of an IDX answer carries: its method, content types and the hidden
/// state handle the widget sends back.
fn form_envelope(form: &mut Map<String, Value>, handle: &str) {
    form.entry("method").or_insert_with(|| json!("POST"));
    form.entry("produces")
        .or_insert_with(|| json!(CONTENT_TYPE));
    form.entry("accepts").or_insert_with(|| json!(ACCEPTS));
    let fields = form.entry("value").or_insert_with(|| json!([]));
    if let Value::Array(fields) = fields {
        fields.push(json!({
            "name": "stateHandle", "required": true, "value": handle,
            "visible": false, "mutable": false,
        }));
    }
}

/// The IDX answer for `state`, in an org with `settings`.
fn response(origin: &str, state: &str, settings: &PreviewSettings) -> Value {
    let handle = format!("preview~{state}");
    let template = ANSWERS
        .iter()
        .find(|(name, _)| *name == state)
        .map_or(ANSWERS[0].1, |(_, json)| json);
    let mut r = json!({
        "version": "1.0.0",
        "stateHandle": handle,
        "expiresAt": "2099-01-01T00:00:00.000Z",
        "intent": "LOGIN",
        "app": { "type": "object", "value": { "name": "oidc_client", "label": "Preview app", "id": "0oapreview000000000" } },
        "cancel": { "rel": ["create-form"], "name": "cancel", "href": "/idp/idx/cancel" },
    });
    if let (Value::Object(r), Value::Object(answer)) = (&mut r, parse(template)) {
        r.extend(answer);
    }
    if let Some(forms) = r["remediation"]["value"].as_array_mut()
        && forms.iter().any(|f| f["name"] == "identify")
    {
        forms.extend(
            OFFERS
                .iter()
                .filter(|(_, on)| on(settings))
                .map(|(piece, _)| json!(format!("@{piece}"))),
        );
    }
    expand(&mut r, origin, &handle, &parse(SHARED));
    r
}

/// Where submitting a form leads.
enum Next {
    State(&'static str),
    SignedIn,
    NotMocked,
}

/// The state a real sign-in reaches from `now` when the widget posts `body` to
/// `/idp/idx/<path>`.
fn next(now: &'static str, path: &str, body: &Value) -> Next {
    Next::State(match (path, now) {
        // Polls (an email link, an Okta Verify push) and resends wait where they are.
        ("introspect" | "challenge/poll" | "challenge/resend", now) => now,
        ("cancel", _) => "identify",
        ("identify", "identify") => "password",
        ("identify", "error") => "error",
        ("identify", "forgot-password") => "reset-password",
        // The sign-up form's "Sign in" link.
        ("identify", _) => "identify",
        ("challenge", _) => chosen(body),
        ("challenge/answer", _) => "kmsi",
        ("recover", _) => "forgot-password",
        ("enroll", _) => "register",
        // A new account proves its email address first.
        ("enroll/new", _) => "email",
        ("unlock-account", _) => "unlock-account",
        ("keep-me-signed-in" | "skip", _) => return Next::SignedIn,
        _ => return Next::NotMocked,
    })
}

/// The challenge of the authenticator `body` picks (`select-authenticator` when it
/// names none the preview knows).
fn chosen(body: &Value) -> &'static str {
    let id = &body["authenticator"]["id"];
    let shared = parse(SHARED);
    let key = shared["enrollments"]["value"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["id"] == *id)
        .map(|e| e["key"].clone());
    CHALLENGES
        .iter()
        .find(|(k, _)| key.as_ref().is_some_and(|key| key == k))
        .map_or("select-authenticator", |(_, state)| state)
}

/// Answer a request to `/idp/idx/…` in an org with `settings`: `(status, JSON)`.
pub(crate) fn answer(
    path: &str,
    body: &[u8],
    origin: &str,
    settings: &PreviewSettings,
) -> (u16, String) {
    let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let handle = body["stateHandle"]
        .as_str()
        .or_else(|| body["stateToken"].as_str())
        .or_else(|| body["interactionHandle"].as_str())
        .unwrap_or("preview~identify");
    let now = state_of(handle);
    match next(now, path.trim_start_matches("/idp/idx/"), &body) {
        Next::State(state) => (200, response(origin, state, settings).to_string()),
        Next::SignedIn => {
            let done = json!({
                "version": "1.0.0",
                "stateHandle": handle,
                "success": { "name": "success-redirect", "href": format!("{origin}/__preview/signed-in") },
            });
            (200, done.to_string())
        }
        Next::NotMocked => (
            404,
            json!({ "errorSummary": "not mocked by the preview" }).to_string(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(path: &str, body: &str) -> Value {
        let (status, json) = answer(
            &format!("/idp/idx/{path}"),
            body.as_bytes(),
            "http://o",
            &PreviewSettings::default(),
        );
        assert_eq!(status, 200, "{path} {body}: {json}");
        serde_json::from_str(&json).unwrap()
    }

    fn first_remediation(v: &Value) -> &str {
        v["remediation"]["value"][0]["name"].as_str().unwrap()
    }

    #[test]
    fn every_state_of_the_switcher_has_an_answer() {
        let states: Vec<&str> = super::super::page::STATES.iter().map(|(n, _)| *n).collect();
        let answers: Vec<&str> = ANSWERS.iter().map(|(n, _)| *n).collect();
        assert_eq!(states, answers);
        for (state, _) in ANSWERS {
            let v = post(
                "introspect",
                &format!("{{\"stateToken\":\"preview~{state}\"}}"),
            );
            assert_eq!(v["stateHandle"], format!("preview~{state}"));
            // Every shorthand was filled in, every link is absolute, every form carries
            // the handle.
            let text = v.to_string();
            assert!(!text.contains("\"@"), "{state}: {text}");
            assert!(!text.contains("\"href\":\"/"), "{state}: {text}");
            for form in v["remediation"]["value"].as_array().unwrap() {
                let fields = form["value"].as_array().unwrap();
                assert_eq!(fields.last().unwrap()["value"], format!("preview~{state}"));
            }
        }
    }

    #[test]
    fn each_state_has_its_remediation() {
        let names = |state: &str| {
            let v = post(
                "introspect",
                &format!("{{\"stateToken\":\"preview~{state}\"}}"),
            );
            first_remediation(&v).to_string()
        };
        assert_eq!(names("identify"), "identify");
        assert_eq!(names("password"), "challenge-authenticator");
        assert_eq!(names("kmsi"), "keep-me-signed-in");
        assert_eq!(names("error"), "identify");
        assert_eq!(
            names("select-authenticator"),
            "select-authenticator-authenticate"
        );
        assert_eq!(names("okta-verify-push"), "challenge-poll");
        assert_eq!(names("register"), "enroll-profile");
        assert_eq!(names("forgot-password"), "identify-recovery");
        assert_eq!(names("reset-password"), "reset-authenticator");
        assert_eq!(
            names("unlock-account"),
            "select-authenticator-unlock-account"
        );
        assert_eq!(names("nope"), "identify");
    }

    #[test]
    fn submitting_moves_on() {
        let at = |path: &str, state: &str, extra: &str| {
            let v = post(
                path,
                &format!("{{\"stateHandle\":\"preview~{state}\"{extra}}}"),
            );
            v["stateHandle"].as_str().unwrap_or_default().to_string()
        };
        assert_eq!(at("identify", "identify", ""), "preview~password");
        assert_eq!(at("challenge/answer", "password", ""), "preview~kmsi");
        assert_eq!(at("recover", "password", ""), "preview~forgot-password");
        assert_eq!(
            at("identify", "forgot-password", ""),
            "preview~reset-password"
        );
        assert_eq!(at("enroll/new", "register", ""), "preview~email");
        assert_eq!(
            at("challenge/poll", "okta-verify-push", ""),
            "preview~okta-verify-push"
        );
        for (id, state) in [
            ("autpreviewpassword0", "password"),
            ("autpreviewemail0000", "email"),
            ("autpreviewphone0000", "phone-sms"),
            ("autpreviewverify000", "okta-verify-push"),
            ("autpreviewquestion0", "security-question"),
            ("unknown", "select-authenticator"),
        ] {
            let pick = format!(",\"authenticator\":{{\"id\":\"{id}\"}}");
            assert_eq!(
                at("challenge", "select-authenticator", &pick),
                format!("preview~{state}")
            );
        }
        let off = PreviewSettings::default();
        let (_, body) = answer(
            "/idp/idx/keep-me-signed-in",
            br#"{"stateHandle":"preview~kmsi"}"#,
            "http://o",
            &off,
        );
        assert!(body.contains("success-redirect"));
        let (status, _) = answer("/idp/idx/nope", b"{}", "http://o", &off);
        assert_eq!(status, 404);
    }
}
