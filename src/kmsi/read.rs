//! Reading the org: the policies, rules and groups the project's `[kmsi]` names, and
//! nothing more, through `okta/`'s resource files.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use toml::Spanned;

use super::plan::Kind;
use super::{DEFAULT_GROUP, str_of};
use crate::config::{Kmsi, KmsiSession};
use crate::okta::{Client, OktaError, groups, policies};

/// What [`fetch`] read: only what the project's `[kmsi]` needs.
#[derive(Debug, Default, Clone)]
pub struct OrgView {
    /// `GET /api/v1/policies?type=ACCESS_POLICY` (when app rules are managed).
    pub access_policies: Vec<Value>,
    /// `GET /api/v1/policies?type=OKTA_SIGN_ON` (when `[kmsi.session]` exists).
    pub sign_on_policies: Vec<Value>,
    /// Policy id → its rules, for the policies the project selects.
    pub rules: BTreeMap<String, Vec<Value>>,
    /// Group name → ids of the groups with exactly that name (only when the session
    /// policy must be created).
    pub groups: BTreeMap<String, Vec<String>>,
}

/// Read the policies, rules and groups `k` needs.
pub fn fetch(c: &Client, k: &Kmsi) -> Result<OrgView, OktaError> {
    let mut org = OrgView::default();
    if k.manages_app_rules() {
        org.access_policies = policies::list(c, Kind::App.policy_type())?;
        for p in &org.access_policies {
            if k.app_policies.includes(str_of(p, "name")) {
                let id = str_of(p, "id");
                org.rules.insert(id.to_string(), policies::rules(c, id)?);
            }
        }
    }
    if let Some(s) = &k.session {
        org.sign_on_policies = policies::list(c, Kind::Session.policy_type())?;
        match session_policy(&org.sign_on_policies, s) {
            Ok(Some(p)) => {
                let id = str_of(p, "id");
                org.rules.insert(id.to_string(), policies::rules(c, id)?);
            }
            Ok(None) => {
                for name in group_names(s) {
                    let found = groups::named(c, name.get_ref())?;
                    org.groups.insert(name.get_ref().clone(), found);
                }
            }
            Err(_) => {}
        }
    }
    Ok(org)
}

/// The groups a created session policy applies to.
pub(super) fn group_names(s: &KmsiSession) -> Vec<Spanned<String>> {
    s.groups.clone().unwrap_or_else(|| {
        vec![Spanned::new(
            s.policy.as_ref().map_or(0..0, |p| p.span()),
            DEFAULT_GROUP.to_string(),
        )]
    })
}

/// The org's default global session policy (Okta marks it `system: true`).
pub(super) fn is_default_policy(p: &Value) -> bool {
    p.get("system") == Some(&json!(true))
}

/// A policy's default rule (`system: true`, named "Default Rule").
pub(super) fn is_default_rule(r: &Value) -> bool {
    r.get("system") == Some(&json!(true)) || str_of(r, "name") == "Default Rule"
}

/// The session policy `[kmsi.session]` names (or the default one): `Ok(None)` when a
/// named one does not exist (it is created); `Err` when it cannot be chosen.
pub(super) fn session_policy<'a>(
    policies: &'a [Value],
    s: &KmsiSession,
) -> Result<Option<&'a Value>, String> {
    match &s.policy {
        Some(name) => {
            let found: Vec<&Value> = policies
                .iter()
                .filter(|p| str_of(p, "name") == name.get_ref())
                .collect();
            match found.as_slice() {
                [] => Ok(None),
                [one] => Ok(Some(one)),
                many => Err(format!(
                    "{} global session policies are named `{}` ({}): rename them in Okta so that the name is unique",
                    many.len(),
                    name.get_ref(),
                    many.iter()
                        .map(|p| str_of(p, "id"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        }
        None => policies
            .iter()
            .find(|p| is_default_policy(p))
            .or_else(|| {
                policies
                    .iter()
                    .find(|p| str_of(p, "name") == "Default Policy")
            })
            .map(Some)
            .ok_or_else(|| "the org has no default global session policy".to_string()),
    }
}
