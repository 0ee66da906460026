//! The fields `kmsi` manages in a policy rule, and the one way they are read, set and
//! compared: dotted paths into Okta's JSON (`actions.appSignOn.keepMeSignedIn.postAuth`),
//! durations compared by value (`P30D` = `PT720H`).

use serde_json::{Map, Value, json};

use crate::config::{Kmsi, KmsiSession};
use crate::duration::same_duration;
use crate::org::fields::{FieldChange, show, without_nulls};

pub const POST_AUTH: &str = "actions.appSignOn.keepMeSignedIn.postAuth";
pub const PROMPT_FREQUENCY: &str = "actions.appSignOn.keepMeSignedIn.postAuthPromptFrequency";
pub const REQUIRE_FACTOR: &str = "actions.signon.requireFactor";
pub const FACTOR_PROMPT_MODE: &str = "actions.signon.factorPromptMode";
pub const FACTOR_LIFETIME: &str = "actions.signon.factorLifetime";
pub const USE_PERSISTENT_COOKIE: &str = "actions.signon.session.usePersistentCookie";
pub const MAX_SESSION_IDLE: &str = "actions.signon.session.maxSessionIdleMinutes";
pub const MAX_SESSION_LIFETIME: &str = "actions.signon.session.maxSessionLifetimeMinutes";

/// Every field `kmsi` ever writes, for checking a restored rule.
const ALL_FIELDS: [&str; 8] = [
    POST_AUTH,
    PROMPT_FREQUENCY,
    REQUIRE_FACTOR,
    FACTOR_PROMPT_MODE,
    FACTOR_LIFETIME,
    USE_PERSISTENT_COOKIE,
    MAX_SESSION_IDLE,
    MAX_SESSION_LIFETIME,
];

/// Fields Okta sets and a PUT must not send.
const READ_ONLY: [&str; 4] = ["id", "created", "lastUpdated", "_links"];

/// One managed field and the value the project asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// Dotted path inside the rule.
    pub field: &'static str,
    pub value: Value,
}

impl Setting {
    pub fn new(field: &'static str, value: Value) -> Self {
        Setting { field, value }
    }

    /// Whether `current` already holds what is asked (durations by value).
    fn holds(&self, current: &Value) -> bool {
        same_field_value(self.field, current, &self.value)
    }
}

fn same_field_value(field: &str, a: &Value, b: &Value) -> bool {
    if field == PROMPT_FREQUENCY
        && let (Some(x), Some(y)) = (a.as_str(), b.as_str())
    {
        return same_duration(x, y);
    }
    a == b
}

/// The value at a dotted path (`Null` when absent).
pub fn get<'a>(v: &'a Value, dotted: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    dotted
        .split('.')
        .try_fold(v, |cur, k| cur.get(k))
        .unwrap_or(&NULL)
}

/// The managed fields `rule` sets, as settings: what a restored rule must come back with.
pub fn held_in(rule: &Value) -> Vec<Setting> {
    ALL_FIELDS
        .into_iter()
        .filter(|f| !get(rule, f).is_null())
        .map(|f| Setting::new(f, get(rule, f).clone()))
        .collect()
}

/// Set a dotted path, creating (or replacing non-object) parents.
pub fn set(v: &mut Value, dotted: &str, value: Value) {
    let mut cur = v;
    let keys: Vec<&str> = dotted.split('.').collect();
    for k in &keys[..keys.len() - 1] {
        if !cur.is_object() {
            *cur = Value::Object(Map::new());
        }
        cur = cur
            .as_object_mut()
            .expect("an object")
            .entry(k.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !cur.is_object() {
        *cur = Value::Object(Map::new());
    }
    cur.as_object_mut()
        .expect("an object")
        .insert(keys[keys.len() - 1].to_string(), value);
}

/// The rule as a PUT sends it back: without the read-only fields and without nulls.
pub fn put_body(rule: &Value) -> Value {
    let mut body = without_nulls(rule);
    if let Some(m) = body.as_object_mut() {
        for k in READ_ONLY {
            m.remove(k);
        }
    }
    body
}

/// The whole rule with the settings applied: what `apply` PUTs.
pub fn with_settings(rule: &Value, settings: &[Setting]) -> Value {
    let mut body = put_body(rule);
    for s in settings {
        set(&mut body, s.field, s.value.clone());
    }
    body
}

/// One field that changes (the same model as a page's: [`FieldChange`]).
pub type Change = FieldChange;

/// The settings `rule` does not hold yet.
pub fn changes_for(rule: &Value, settings: &[Setting]) -> Vec<Change> {
    settings
        .iter()
        .filter(|s| !s.holds(get(rule, s.field)))
        .map(|s| Change {
            field: s.field.to_string(),
            old: get(rule, s.field).clone(),
            new: s.value.clone(),
        })
        .collect()
}

/// Settings Okta's answer does not echo (durations by value): `field = answered`.
pub fn unconfirmed(answer: &Value, settings: &[Setting]) -> Vec<String> {
    settings
        .iter()
        .filter(|s| !s.holds(get(answer, s.field)))
        .map(|s| {
            format!(
                "{} = {} (sent {})",
                s.field,
                show(get(answer, s.field)),
                show(&s.value)
            )
        })
        .collect()
}

/// The app sign-in policy rule settings for `rule`. When only the frequency is managed
/// and the rule has no `postAuth`, `NOT_ALLOWED` (what an absent value means) is sent
/// with it, since Okta needs `postAuth` in `keepMeSignedIn`.
pub fn app_settings(k: &Kmsi, rule: &Value) -> Vec<Setting> {
    let mut out = Vec::new();
    match &k.post_auth {
        Some(p) => out.push(Setting::new(POST_AUTH, json!(p.get_ref().okta()))),
        None if k.prompt_frequency.is_some() && get(rule, POST_AUTH).is_null() => {
            out.push(Setting::new(POST_AUTH, json!("NOT_ALLOWED")));
        }
        None => {}
    }
    if let Some(f) = &k.prompt_frequency {
        out.push(Setting::new(PROMPT_FREQUENCY, json!(f.get_ref().as_str())));
    }
    out
}

pub fn session_settings(s: &KmsiSession) -> Vec<Setting> {
    let mut out = Vec::new();
    if let Some(v) = &s.require_mfa {
        out.push(Setting::new(REQUIRE_FACTOR, json!(v.get_ref())));
    }
    if let Some(v) = &s.mfa_prompt {
        out.push(Setting::new(FACTOR_PROMPT_MODE, json!(v.get_ref().okta())));
    }
    if let Some(v) = &s.mfa_lifetime_minutes {
        out.push(Setting::new(FACTOR_LIFETIME, json!(v.get_ref())));
    }
    if let Some(v) = &s.persistent_cookie {
        out.push(Setting::new(USE_PERSISTENT_COOKIE, json!(v.get_ref())));
    }
    if let Some(v) = &s.max_idle_minutes {
        out.push(Setting::new(MAX_SESSION_IDLE, json!(v.get_ref())));
    }
    if let Some(v) = &s.max_lifetime_minutes {
        out.push(Setting::new(MAX_SESSION_LIFETIME, json!(v.get_ref())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_set_only_their_fields() {
        let rule = json!({
            "id": "rul1", "created": "x", "lastUpdated": "y", "_links": {},
            "name": "R", "priority": 1, "conditions": null,
            "actions": {"appSignOn": {"access": "ALLOW", "verificationMethod": {"type": "ASSURANCE"}}}
        });
        let s = vec![
            Setting::new(POST_AUTH, json!("ALLOWED")),
            Setting::new(PROMPT_FREQUENCY, json!("P30D")),
        ];
        let body = with_settings(&rule, &s);
        assert_eq!(
            body,
            json!({"name": "R", "priority": 1, "actions": {"appSignOn": {"access": "ALLOW",
                "verificationMethod": {"type": "ASSURANCE"},
                "keepMeSignedIn": {"postAuth": "ALLOWED", "postAuthPromptFrequency": "P30D"}}}})
        );
        assert_eq!(changes_for(&rule, &s).len(), 2);
        let answered = json!({"actions": {"appSignOn": {"keepMeSignedIn": {"postAuth": "ALLOWED", "postAuthPromptFrequency": "PT720H"}}}});
        assert!(changes_for(&answered, &s).is_empty());
        assert!(unconfirmed(&answered, &s).is_empty());
    }
}
