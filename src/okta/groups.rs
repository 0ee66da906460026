//! `/api/v1/groups`: finding groups by name.

use serde_json::Value;

use super::client::api_path;
use super::{Client, OktaError};

/// The ids of the groups named exactly `name` (Okta's `q` search matches name prefixes:
/// the exact ones are kept).
pub fn named(c: &Client, name: &str) -> Result<Vec<String>, OktaError> {
    Ok(
        c.list(&api_path(&["groups"]), &[("q", name), ("limit", "200")])?
            .iter()
            .filter(|g| g.pointer("/profile/name").and_then(Value::as_str) == Some(name))
            .filter_map(|g| g.get("id").and_then(Value::as_str).map(String::from))
            .collect(),
    )
}
