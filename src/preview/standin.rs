//! What the preview hands its stand-in widget (`assets/widget.js`) when the real one
//! cannot be had: the widget's own texts of the keys the stand-in shows, in the page's
//! language (the embedded `data/widget/stand-in/strings.json`, parsed once; English where
//! the language has none, as the widget does), the signed-in user every post-identify
//! screen shows (`idx/shared.json`, as the real widget gets it), and why the stand-in is
//! shown. Where submitting leads is not here: the stand-in asks the mock Identity
//! Engine (`idx`), as the real widget does.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{Map, Value, json};

/// The texts, written by `scripts/widget-facts.mjs` from the newest known widget.
const STRINGS: &str = include_str!("../../data/widget/stand-in/strings.json");

/// The user and authenticators of the mock answers (what `@user` stands for).
const SHARED: &str = include_str!("idx/shared.json");

#[derive(Deserialize)]
struct Strings {
    version: String,
    /// Language (as the widget's files name it: `fr`, `pt_BR`) → key → text.
    languages: BTreeMap<String, Map<String, Value>>,
}

fn strings() -> &'static Strings {
    static STRINGS_: OnceLock<Strings> = OnceLock::new();
    STRINGS_.get_or_init(|| {
        serde_json::from_str(STRINGS).expect("the stand-in's strings are JSON (unit-tested)")
    })
}

/// The widget's language for a page locale (`pt-BR` → `pt_BR`, `fr-CA` → `fr`), by the
/// mapping of the widget version the strings come from; `en` when it ships none.
pub(crate) fn language(locale: &str) -> &'static str {
    let s = strings();
    crate::widget::resolve(&s.version)
        .and_then(|facts| facts.widget_language(locale))
        .and_then(|l| s.languages.get_key_value(l))
        .map_or("en", |(l, _)| l.as_str())
}

/// The texts of every key the stand-in shows in `language`, English filling the gaps.
fn texts(language: &str) -> Map<String, Value> {
    let s = strings();
    let mut out = s.languages.get("en").cloned().unwrap_or_default();
    if let Some(table) = s.languages.get(language) {
        out.extend(table.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    out
}

/// The user the mock answers sign in: the identifier, the email address and phone
/// number the enrolled authenticators show, and the enrolled authenticators (`key`, `id`:
/// what choosing one sends to the mock Identity Engine).
fn user() -> Value {
    let shared: Value =
        serde_json::from_str(SHARED).expect("the preview's IDX answers are JSON (unit-tested)");
    let enrolled = |key: &str, field: &str| {
        shared["enrollments"]["value"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["key"] == key)
            .map_or(Value::Null, |e| e["profile"][field].clone())
    };
    json!({
        "identifier": shared["user"]["value"]["identifier"],
        "email": enrolled("okta_email", "email"),
        "phone": enrolled("phone_number", "phoneNumber"),
        "authenticators": shared["enrollments"]["value"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| json!({ "key": e["key"], "id": e["id"] }))
            .collect::<Vec<_>>(),
    })
}

/// `window.__signinPreview.standIn` for a page in `locale`; `reason` says why the
/// stand-in is shown (`siw::Choice::StandIn`).
pub(crate) fn data(locale: &str, reason: &str) -> Value {
    let language = language(locale);
    json!({
        "reason": reason,
        "language": language,
        "widgetVersion": strings().version,
        "strings": texts(language),
        "user": user(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_strings_load_and_english_has_every_key() {
        let s = strings();
        assert!(
            crate::widget::resolve(&s.version).is_some(),
            "{}",
            s.version
        );
        let file: Value = serde_json::from_str(STRINGS).unwrap();
        let keys: Vec<&str> = s.languages["en"].keys().map(String::as_str).collect();
        assert_eq!(serde_json::json!(keys), file["keys"]);
        assert!(s.languages.len() > 20);
    }

    #[test]
    fn locales_map_to_the_widget_s_languages_with_english_filling_the_gaps() {
        assert_eq!(language("fr"), "fr");
        assert_eq!(language("fr-CA"), "fr");
        assert_eq!(language("pt-BR"), "pt_BR");
        assert_eq!(language("en-GB"), "en");
        assert_eq!(language("xx"), "en");
        let fr = texts("fr");
        assert_eq!(fr.len(), strings().languages["en"].len());
        assert_ne!(fr["forgotpassword"], texts("en")["forgotpassword"]);
        assert_eq!(user()["identifier"], "designer@example.com");
    }
}
