//! Field-by-field comparison of what the org has with what the project sends: the
//! changes `diff` shows and `deploy` guards, and the check of Okta's answer to a PUT.

use serde_json::{Map, Value};

/// One field that differs: its dotted name, what the org has, what the project sends.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

/// Flatten an object to dotted leaves (arrays stay whole); nulls are dropped, since
/// Okta answers null for every field a PUT did not send.
fn leaves(prefix: &str, v: &Value, out: &mut Map<String, Value>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(&key, x, out);
            }
        }
        Value::Null => {}
        other => {
            out.insert(prefix.to_string(), other.clone());
        }
    }
}

/// Every field where `remote` (None: the slot is empty) differs from `ours`, in a
/// stable order, `pageContent` first. Absent and null are the same (Okta answers null
/// for what a PUT did not send); a field the org has and `ours` leaves out is a change
/// to null, which [`would_reset`] guards. For a KMSI prompt label that is a real change
/// too: with the label null the widget shows its own text in the visitor's language,
/// with it set every language without its own `config.i18n` label shows the org's text.
pub fn field_changes(remote: Option<&Value>, ours: &Value) -> Vec<FieldChange> {
    let mut old = Map::new();
    let mut new = Map::new();
    if let Some(r) = remote {
        leaves("", r, &mut old);
    }
    leaves("", ours, &mut new);
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort_by_key(|k| (k.as_str() != "pageContent", k.as_str()));
    keys.dedup();
    keys.into_iter()
        .filter(|k| old.get(*k) != new.get(*k))
        .map(|k| FieldChange {
            field: k.clone(),
            old: old.get(k).cloned().unwrap_or(Value::Null),
            new: new.get(k).cloned().unwrap_or(Value::Null),
        })
        .collect()
}

/// Fields the org has set that the project does not send: a PUT would reset them.
pub fn would_reset(changes: &[FieldChange]) -> Vec<&FieldChange> {
    changes
        .iter()
        .filter(|c| c.new.is_null() && !c.old.is_null())
        .collect()
}

/// `v` without null members (Okta's GET answers null for unset fields; a PUT need not
/// send them).
pub fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, x)| !x.is_null())
                .map(|(k, x)| (k.clone(), without_nulls(x)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A value as a short one-line text for "old → new".
pub fn show(v: &Value) -> String {
    match v {
        Value::Null => "(unset)".into(),
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

/// Fields Okta's answer to a PUT does not echo as sent (everything we sent must come
/// back the same).
pub fn mismatches(sent: &Value, answer: &Value) -> Vec<String> {
    field_changes(Some(answer), sent)
        .into_iter()
        .filter(|c| !c.new.is_null())
        .map(|c| c.field)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_and_resets() {
        let remote = json!({"pageContent": "a", "widgetVersion": "^7", "widgetCustomizations": {"helpUrl": "https://h", "signInLabel": null}});
        let ours = json!({"pageContent": "b", "widgetVersion": "^7", "widgetCustomizations": {"widgetGeneration": "G3"}});
        let c = field_changes(Some(&remote), &ours);
        let names: Vec<&str> = c.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            names,
            [
                "pageContent",
                "widgetCustomizations.helpUrl",
                "widgetCustomizations.widgetGeneration"
            ]
        );
        let r = would_reset(&c);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].field, "widgetCustomizations.helpUrl");
        assert!(mismatches(&ours, &json!({"pageContent": "b", "widgetVersion": "^7", "widgetCustomizations": {"widgetGeneration": "G3", "helpUrl": null}})).is_empty());
    }
}
