//! `/api/v1/policies` and their rules, as JSON: a rule PUT is a full replace, so callers
//! keep every field Okta answered and change only their own.

use serde_json::Value;

use super::client::api_path;
use super::{Client, OktaError};

/// `GET /api/v1/policies?type=…` (`ACCESS_POLICY`, `OKTA_SIGN_ON`, …), every page.
pub fn list(c: &Client, policy_type: &str) -> Result<Vec<Value>, OktaError> {
    c.list(&api_path(&["policies"]), &[("type", policy_type)])
}

/// `POST /api/v1/policies?activate=true`: a new, active policy; Okta's answer.
pub fn create(c: &Client, body: &Value) -> Result<Value, OktaError> {
    c.post(&api_path(&["policies"]), &[("activate", "true")], body)
}

/// Every rule of a policy.
pub fn rules(c: &Client, policy_id: &str) -> Result<Vec<Value>, OktaError> {
    c.list(&api_path(&["policies", policy_id, "rules"]), &[])
}

pub fn rule_path(policy_id: &str, rule_id: &str) -> String {
    api_path(&["policies", policy_id, "rules", rule_id])
}

/// One rule; `None` when it no longer exists.
pub fn get_rule(c: &Client, policy_id: &str, rule_id: &str) -> Result<Option<Value>, OktaError> {
    c.get(&rule_path(policy_id, rule_id), &[])
}

/// Replace a rule (a full replace); Okta's answer.
pub fn put_rule(
    c: &Client,
    policy_id: &str,
    rule_id: &str,
    body: &Value,
) -> Result<Value, OktaError> {
    c.put(&rule_path(policy_id, rule_id), body)
}

/// `POST …/rules?activate=true`: a new, active rule; Okta's answer.
pub fn create_rule(c: &Client, policy_id: &str, body: &Value) -> Result<Value, OktaError> {
    c.post(
        &api_path(&["policies", policy_id, "rules"]),
        &[("activate", "true")],
        body,
    )
}
