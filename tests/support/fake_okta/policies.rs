//! Policies and their rules (Keep Me Signed In lives in them), groups, users and their
//! sessions.

use serde_json::{Map, Value, json};

use super::*;

impl FakeOkta {
    /// Adds a policy of `policy_type` (`ACCESS_POLICY`, `OKTA_SIGN_ON`, …), active, not
    /// system. An `ACCESS_POLICY` gets its "Catch-all Rule" as in Okta. Returns its id.
    pub fn add_policy(&self, policy_type: &str, name: &str) -> String {
        let mut org = self.org();
        create_policy(
            &mut org,
            &json!({"type": policy_type, "name": name}),
            true,
            false,
        )
        .expect("add_policy")["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Adds a rule to a policy, normalised as a POST would be (`P30D` is stored as
    /// `PT720H`, …). `rule` needs at least `name`; `type` defaults to the policy's rule type.
    /// Returns its id.
    pub fn add_rule(&self, policy_id: &str, rule: Value) -> String {
        let mut org = self.org();
        let mut rule = rule;
        if rule.get("type").is_none() {
            let ptype = org
                .policy(policy_id)
                .expect("add_rule: no such policy")
                .policy["type"]
                .as_str()
                .unwrap()
                .to_string();
            rule["type"] = Value::String(rule_type_for(&ptype).to_string());
        }
        create_rule(&mut org, policy_id, &rule, false).unwrap_or_else(|c| panic!("add_rule: {c:?}"))
            ["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// A policy as GET answers it (with `_links`).
    pub fn policy(&self, id: &str) -> Option<Value> {
        let org = self.org();
        org.policy(id)
            .map(|p| policy_json(&p.policy, &self.shared.base))
    }

    /// Every policy of a type, as the list answers them.
    pub fn policies(&self, policy_type: &str) -> Vec<Value> {
        let org = self.org();
        org.policies
            .iter()
            .filter(|p| p.policy["type"] == policy_type)
            .map(|p| policy_json(&p.policy, &self.shared.base))
            .collect()
    }

    /// A rule as GET answers it.
    pub fn rule(&self, policy_id: &str, rule_id: &str) -> Option<Value> {
        let org = self.org();
        let r = org
            .policy(policy_id)?
            .rules
            .iter()
            .find(|r| r["id"] == rule_id)?;
        Some(rule_json(r, policy_id, &self.shared.base))
    }

    /// The id of the rule with this name in a policy.
    pub fn rule_id(&self, policy_id: &str, name: &str) -> Option<String> {
        let org = self.org();
        org.policy(policy_id)?
            .rules
            .iter()
            .find(|r| r["name"] == name)
            .map(|r| r["id"].as_str().unwrap().to_string())
    }

    /// The rules of a policy, as the list answers them.
    pub fn rules(&self, policy_id: &str) -> Vec<Value> {
        let org = self.org();
        org.policy(policy_id)
            .map(|p| {
                p.rules
                    .iter()
                    .map(|r| rule_json(r, policy_id, &self.shared.base))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The default global session policy ("Default Policy", `OKTA_SIGN_ON`, system).
    pub fn default_sign_on_policy_id(&self) -> String {
        let org = self.org();
        org.policies
            .iter()
            .find(|p| p.policy["type"] == "OKTA_SIGN_ON" && p.policy["system"] == true)
            .map(|p| p.policy["id"].as_str().unwrap().to_string())
            .expect("the default OKTA_SIGN_ON policy was removed")
    }

    /// Its "Default Rule".
    pub fn default_sign_on_rule_id(&self) -> String {
        let pid = self.default_sign_on_policy_id();
        self.rule_id(&pid, "Default Rule")
            .expect("the Default Rule was removed")
    }

    /// A PUT of a rule named `rule_name` is refused: 400 E0000001 with one cause `summary`.
    pub fn refuse_rule(&self, rule_name: &str, summary: &str) {
        self.org()
            .refused_rules
            .insert(rule_name.to_string(), summary.to_string());
    }

    /// Adds an Okta group. Returns its id.
    pub fn add_group(&self, name: &str) -> String {
        let mut org = self.org();
        add_group_to(&mut org, name, "OKTA_GROUP")
    }

    /// Adds an active user with this login (also its email). Returns its id.
    pub fn add_user(&self, login: &str) -> String {
        let mut org = self.org();
        let id = org.new_id("00u");
        let first = login.split(['@', '.']).next().unwrap_or(login);
        org.users.push(json!({
            "id": id,
            "status": "ACTIVE",
            "created": iso_now(),
            "activated": iso_now(),
            "statusChanged": iso_now(),
            "lastLogin": null,
            "lastUpdated": iso_now(),
            "passwordChanged": null,
            "type": {"id": "otyfake"},
            "profile": {
                "firstName": first,
                "lastName": "Test",
                "mobilePhone": null,
                "secondEmail": null,
                "login": login,
                "email": login
            },
            "credentials": {"provider": {"type": "OKTA", "name": "OKTA"}}
        }));
        id
    }

    /// `(user id, oauthTokens)` for each `DELETE /api/v1/users/{id}/sessions`.
    pub fn cleared_sessions(&self) -> Vec<(String, bool)> {
        self.org().cleared_sessions.clone()
    }
}

pub(super) fn seed_org(org: &mut Org) {
    let everyone = add_group_to(org, "Everyone", "BUILT_IN");
    let policy = create_policy(
        org,
        &json!({
            "type": "OKTA_SIGN_ON",
            "name": "Default Policy",
            "description": "The default policy applies in all situations if no other policy applies.",
            "priority": 1,
            "conditions": {"people": {"groups": {"include": [everyone]}}}
        }),
        true,
        true,
    )
    .unwrap();
    let pid = policy["id"].as_str().unwrap().to_string();
    let rule = create_rule(
        org,
        &pid,
        &json!({
            "type": "SIGN_ON",
            "name": "Default Rule",
            "priority": 1,
            "conditions": {
                "people": {"users": {"exclude": []}},
                "network": {"connection": "ANYWHERE"},
                "authContext": {"authType": "ANY"},
                "risk": {"behaviors": []},
                "riskScore": {"level": "ANY"},
                "identityProvider": {"provider": "ANY"}
            },
            "actions": {
                "signon": {
                    "access": "ALLOW",
                    "requireFactor": false,
                    "primaryFactor": "PASSWORD_IDP_ANY_FACTOR",
                    "rememberDeviceByDefault": false,
                    "session": {
                        "usePersistentCookie": false,
                        "maxSessionIdleMinutes": 120,
                        "maxSessionLifetimeMinutes": 0
                    }
                }
            }
        }),
        false,
    )
    .unwrap();
    let rid = rule["id"].as_str().unwrap().to_string();
    let p = org.policy_mut(&pid).unwrap();
    for r in &mut p.rules {
        if r["id"] == rid.as_str() {
            r["system"] = Value::Bool(true);
        }
    }
}

fn add_group_to(org: &mut Org, name: &str, kind: &str) -> String {
    let id = org.new_id("00g");
    org.groups.push(json!({
        "id": id,
        "created": iso_now(),
        "lastUpdated": iso_now(),
        "lastMembershipUpdated": iso_now(),
        "objectClass": ["okta:user_group"],
        "type": kind,
        "profile": {"name": name, "description": null}
    }));
    id
}

pub(super) fn group_json(g: &Value, base: &str) -> Value {
    let mut g = g.clone();
    let id = g["id"].as_str().unwrap_or("").to_string();
    g["_links"] = json!({
        "users": {"href": format!("{base}/api/v1/groups/{id}/users")},
        "apps": {"href": format!("{base}/api/v1/groups/{id}/apps")}
    });
    g
}

pub(super) fn find_user<'a>(org: &'a Org, who: &str) -> Option<&'a Value> {
    org.users.iter().find(|u| {
        u["id"] == who
            || u["profile"]["login"]
                .as_str()
                .is_some_and(|l| l.eq_ignore_ascii_case(who))
    })
}

pub(super) fn user_json(u: &Value, base: &str) -> Value {
    let mut u = u.clone();
    let id = u["id"].as_str().unwrap_or("").to_string();
    u["_links"] = json!({"self": {"href": format!("{base}/api/v1/users/{id}")}});
    u
}

fn rule_type_for(policy_type: &str) -> &'static str {
    match policy_type {
        "ACCESS_POLICY" => "ACCESS_POLICY",
        "OKTA_SIGN_ON" => "SIGN_ON",
        "PASSWORD" => "PASSWORD",
        "MFA_ENROLL" => "MFA_ENROLL",
        "IDP_DISCOVERY" => "IDP_DISCOVERY",
        "PROFILE_ENROLLMENT" => "PROFILE_ENROLLMENT",
        _ => "UNKNOWN",
    }
}

const POLICY_TYPES: [&str; 8] = [
    "ACCESS_POLICY",
    "OKTA_SIGN_ON",
    "PASSWORD",
    "MFA_ENROLL",
    "IDP_DISCOVERY",
    "PROFILE_ENROLLMENT",
    "POST_AUTH_SESSION",
    "ENTITY_RISK",
];

pub(super) fn list_policies(shared: &Shared, org: &Org, req: &Req) -> Response {
    let Some(t) = req.q("type") else {
        return validation_failed(
            shared,
            "type",
            &["type: The type query parameter is required.".to_string()],
        );
    };
    if !POLICY_TYPES.contains(&t) {
        return validation_failed(shared, "type", &[format!("type: Invalid policy type {t}")]);
    }
    let list: Vec<Value> = org
        .policies
        .iter()
        .filter(|p| p.policy["type"] == t)
        .map(|p| policy_json(&p.policy, &shared.base))
        .collect();
    Response::json(200, &Value::Array(list))
}

pub(super) fn create_policy(
    org: &mut Org,
    body: &Value,
    activate: bool,
    system: bool,
) -> Result<Value, Vec<String>> {
    let Some(obj) = body.as_object() else {
        return Err(vec!["The body must be a policy object".into()]);
    };
    let ptype = obj.get("type").and_then(Value::as_str).unwrap_or("");
    if !POLICY_TYPES.contains(&ptype) {
        return Err(vec![format!("type: Invalid policy type '{ptype}'")]);
    }
    let Some(name) = obj
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
    else {
        return Err(vec!["name: The field cannot be left blank".into()]);
    };
    let id = org.new_id(if ptype == "ACCESS_POLICY" {
        "rst"
    } else {
        "00p"
    });
    let same_type = org
        .policies
        .iter()
        .filter(|p| p.policy["type"] == ptype)
        .count();
    let now = iso_now();
    let policy = json!({
        "id": id,
        "status": if activate { "ACTIVE" } else { "INACTIVE" },
        "name": name,
        "description": obj.get("description").cloned().unwrap_or(Value::Null),
        "priority": obj.get("priority").cloned().unwrap_or(json!(same_type + 1)),
        "system": system,
        "conditions": obj.get("conditions").cloned().unwrap_or(Value::Null),
        "created": now,
        "lastUpdated": now,
        "type": ptype
    });
    org.policies.push(PolicyState {
        policy: policy.clone(),
        rules: Vec::new(),
    });
    if ptype == "ACCESS_POLICY" {
        // Okta gives every app sign-in policy a catch-all rule.
        let rule = create_rule(
            org,
            &id,
            &json!({
                "type": "ACCESS_POLICY",
                "name": "Catch-all Rule",
                "priority": 99,
                "conditions": null,
                "actions": {
                    "appSignOn": {
                        "access": "ALLOW",
                        "verificationMethod": {
                            "factorMode": "2FA",
                            "type": "ASSURANCE",
                            "reauthenticateIn": "PT12H",
                            "constraints": []
                        },
                        "keepMeSignedIn": {"postAuth": "NOT_ALLOWED"}
                    }
                }
            }),
            false,
        )?;
        let rid = rule["id"].clone();
        let p = org.policy_mut(&id).unwrap();
        for r in &mut p.rules {
            if r["id"] == rid {
                r["system"] = Value::Bool(true);
            }
        }
    }
    Ok(policy)
}

pub(super) fn policy_json(p: &Value, base: &str) -> Value {
    let mut p = p.clone();
    let id = p["id"].as_str().unwrap_or("").to_string();
    p["_links"] = json!({
        "self": {
            "href": format!("{base}/api/v1/policies/{id}"),
            "hints": {"allow": ["GET", "PUT", "DELETE"]}
        },
        "rules": {
            "href": format!("{base}/api/v1/policies/{id}/rules"),
            "hints": {"allow": ["GET", "POST"]}
        }
    });
    p
}

pub(super) fn rule_json(r: &Value, policy_id: &str, base: &str) -> Value {
    let mut r = r.clone();
    let id = r["id"].as_str().unwrap_or("").to_string();
    let href = format!("{base}/api/v1/policies/{policy_id}/rules/{id}");
    let active = r["status"] == "ACTIVE";
    let allow = if r["system"] == true {
        json!(["GET", "PUT"])
    } else {
        json!(["GET", "PUT", "DELETE"])
    };
    let (life, life_href) = if active {
        ("deactivate", format!("{href}/lifecycle/deactivate"))
    } else {
        ("activate", format!("{href}/lifecycle/activate"))
    };
    let mut links = Map::new();
    links.insert(
        "self".into(),
        json!({"href": href, "hints": {"allow": allow}}),
    );
    links.insert(
        life.into(),
        json!({"href": life_href, "hints": {"allow": ["POST"]}}),
    );
    r["_links"] = Value::Object(links);
    r
}

pub(super) fn create_rule(
    org: &mut Org,
    policy_id: &str,
    body: &Value,
    inactive: bool,
) -> Result<Value, Vec<String>> {
    let Some(p) = org.policy(policy_id) else {
        return Err(vec![format!("policyId: no policy {policy_id}")]);
    };
    let ptype = p.policy["type"].as_str().unwrap_or("").to_string();
    let count = p.rules.len();
    let id = org.new_id(if ptype == "ACCESS_POLICY" {
        "rul"
    } else {
        "0pr"
    });
    let rule = normalize_rule(&ptype, body, None, &id, count)?;
    let mut rule = rule;
    if inactive {
        rule["status"] = json!("INACTIVE");
    }
    org.policy_mut(policy_id).unwrap().rules.push(rule.clone());
    Ok(rule)
}

pub(super) fn replace_rule(
    shared: &Shared,
    org: &mut Org,
    policy_id: &str,
    existing: &Value,
    body: &Value,
) -> Response {
    let p = org.policy(policy_id).unwrap();
    let ptype = p.policy["type"].as_str().unwrap_or("").to_string();
    let policy_is_default = p.policy["system"] == true && ptype == "OKTA_SIGN_ON";
    let id = existing["id"].as_str().unwrap_or("").to_string();
    let old_name = existing["name"].as_str().unwrap_or("");
    let new_name = body.get("name").and_then(Value::as_str).unwrap_or("");
    if let Some(summary) = org
        .refused_rules
        .get(old_name)
        .or_else(|| org.refused_rules.get(new_name))
    {
        return validation_failed(shared, "policyRule", std::slice::from_ref(summary));
    }
    let rule = match normalize_rule(&ptype, body, Some(existing), &id, 0) {
        Ok(r) => r,
        Err(causes) => return validation_failed(shared, "policyRule", &causes),
    };
    if policy_is_default && existing["system"] == true && old_name == "Default Rule" {
        let cookie = |r: &Value| r["actions"]["signon"]["session"]["usePersistentCookie"].clone();
        if cookie(&rule) != cookie(existing) {
            return validation_failed(
                shared,
                "actions.signon.session.usePersistentCookie",
                &["actions.signon.session.usePersistentCookie: This property is read-only for the default rule of the default global session policy.".to_string()],
            );
        }
    }
    let p = org.policy_mut(policy_id).unwrap();
    for r in &mut p.rules {
        if r["id"] == id.as_str() {
            *r = rule.clone();
        }
    }
    Response::json(200, &rule_json(&rule, policy_id, &shared.base))
}

/// A rule body (POST or PUT: a full replace) → the rule as Okta stores and answers it.
fn normalize_rule(
    policy_type: &str,
    body: &Value,
    existing: Option<&Value>,
    id: &str,
    count: usize,
) -> Result<Value, Vec<String>> {
    let Some(obj) = body.as_object() else {
        return Err(vec!["The body must be a policy rule object".into()]);
    };
    let expected = rule_type_for(policy_type);
    let rtype = obj.get("type").and_then(Value::as_str).unwrap_or("");
    if rtype != expected {
        return Err(vec![format!(
            "type: The rule type '{rtype}' does not match the policy type {policy_type} (expected {expected})"
        )]);
    }
    let Some(name) = obj
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
    else {
        return Err(vec!["name: The field cannot be left blank".into()]);
    };
    let now = iso_now();
    let priority = match obj.get("priority") {
        Some(p) if p.is_u64() => p.clone(),
        _ => existing
            .map(|e| e["priority"].clone())
            .unwrap_or(json!(count)),
    };
    let status = existing
        .map(|e| e["status"].clone())
        .unwrap_or(json!("ACTIVE"));
    let system = existing
        .map(|e| e["system"].clone())
        .unwrap_or(json!(false));
    let created = existing.map(|e| e["created"].clone()).unwrap_or(json!(now));

    let conditions = match obj.get("conditions") {
        None | Some(Value::Null) => Value::Null,
        Some(Value::Object(c)) => {
            let mut c = c.clone();
            if policy_type == "ACCESS_POLICY" {
                // As observed: Okta drops an empty platform and fills people and userType.
                if c.get("platform")
                    .is_some_and(|p| p.as_object().is_some_and(Map::is_empty))
                {
                    c.remove("platform");
                }
                c.entry("people")
                    .or_insert_with(|| json!({"users": {"exclude": []}}));
                c.entry("userType")
                    .or_insert_with(|| json!({"include": [], "exclude": []}));
            }
            Value::Object(c)
        }
        Some(_) => return Err(vec!["conditions: must be an object".into()]),
    };

    let mut actions = obj.get("actions").cloned().unwrap_or(json!({}));
    if !actions.is_object() {
        return Err(vec!["actions: must be an object".into()]);
    }
    match policy_type {
        "ACCESS_POLICY" => {
            let app = actions
                .get_mut("appSignOn")
                .filter(|a| a.is_object())
                .ok_or_else(|| vec!["actions.appSignOn: The field is required".to_string()])?;
            if let Some(access) = app.get("access")
                && !(access == "ALLOW" || access == "DENY")
            {
                return Err(vec![
                    "actions.appSignOn.access: must be one of [ALLOW, DENY]".into(),
                ]);
            }
            if let Some(k) = app.get_mut("keepMeSignedIn").filter(|k| !k.is_null()) {
                let post_auth = k.get("postAuth").and_then(Value::as_str).unwrap_or("");
                if post_auth != "ALLOWED" && post_auth != "NOT_ALLOWED" {
                    return Err(vec![
                        "actions.appSignOn.keepMeSignedIn.postAuth: must be one of [ALLOWED, NOT_ALLOWED]".into(),
                    ]);
                }
                match k.get("postAuthPromptFrequency").filter(|f| !f.is_null()) {
                    Some(Value::String(f)) => {
                        let hours = iso_duration_to_hours(f).ok_or_else(|| {
                            vec![format!(
                                "actions.appSignOn.keepMeSignedIn.postAuthPromptFrequency: '{f}' is not a valid duration"
                            )]
                        })?;
                        k["postAuthPromptFrequency"] = Value::String(hours);
                    }
                    Some(_) => {
                        return Err(vec![
                            "actions.appSignOn.keepMeSignedIn.postAuthPromptFrequency: must be a string".into(),
                        ]);
                    }
                    None if post_auth == "ALLOWED" => {
                        // The spec's default, P30D, as Okta answers it.
                        k["postAuthPromptFrequency"] = json!("PT720H");
                    }
                    None => {}
                }
            }
        }
        "OKTA_SIGN_ON" => {
            let signon = actions
                .get_mut("signon")
                .filter(|s| s.is_object())
                .ok_or_else(|| vec!["actions.signon: The field is required".to_string()])?;
            let s = signon.as_object_mut().unwrap();
            s.entry("requireFactor").or_insert(json!(false));
            s.entry("rememberDeviceByDefault").or_insert(json!(false));
            let session = s.entry("session").or_insert_with(|| json!({}));
            let Some(session) = session.as_object_mut() else {
                return Err(vec!["actions.signon.session: must be an object".into()]);
            };
            session.entry("usePersistentCookie").or_insert(json!(false));
            session.entry("maxSessionIdleMinutes").or_insert(json!(120));
            session
                .entry("maxSessionLifetimeMinutes")
                .or_insert(json!(0));
            for (k, want) in [
                ("usePersistentCookie", "boolean"),
                ("maxSessionIdleMinutes", "integer"),
                ("maxSessionLifetimeMinutes", "integer"),
            ] {
                let ok = match want {
                    "boolean" => session[k].is_boolean(),
                    _ => session[k].is_u64(),
                };
                if !ok {
                    return Err(vec![format!(
                        "actions.signon.session.{k}: must be a {want}"
                    )]);
                }
            }
        }
        _ => {}
    }

    Ok(json!({
        "id": id,
        "status": status,
        "name": name,
        "priority": priority,
        "created": created,
        "lastUpdated": now,
        "system": system,
        "conditions": conditions,
        "actions": actions,
        "type": rtype
    }))
}

/// An ISO-8601 duration in weeks, days, hours, minutes and seconds, written the way Okta
/// answers it: in hours (`P30D` → `PT720H`, `P7D` → `PT168H`, `PT90M` → `PT1H30M`).
/// Years and months (no fixed length) are refused.
pub(super) fn iso_duration_to_hours(s: &str) -> Option<String> {
    let rest = s.strip_prefix('P')?;
    if rest.is_empty() {
        return None;
    }
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut secs: u64 = 0;
    let mut take = |part: &str, units: &[(char, u64)]| -> Option<()> {
        let mut num = String::new();
        let mut order = 0;
        for c in part.chars() {
            if c.is_ascii_digit() {
                num.push(c);
                continue;
            }
            let i = units.iter().position(|(u, _)| *u == c)?;
            if num.is_empty() || i < order {
                return None;
            }
            order = i + 1;
            secs = secs.checked_add(num.parse::<u64>().ok()?.checked_mul(units[i].1)?)?;
            num.clear();
        }
        num.is_empty().then_some(())
    };
    take(date, &[('W', 7 * 86_400), ('D', 86_400)])?;
    if let Some(t) = time {
        take(t, &[('H', 3600), ('M', 60), ('S', 1)])?;
    }
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::from("PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || secs == 0 {
        out.push_str(&format!("{s}S"));
    }
    Some(out)
}
