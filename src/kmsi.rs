//! Keep Me Signed In (KMSI) in the org's policies: `kmsi plan`, `kmsi apply`,
//! `kmsi reset`, and the policy-rule backups that `rollback --policies` restores.
//!
//! Post-authentication KMSI is set per app sign-in policy rule (`ACCESS_POLICY`) at
//! `actions.appSignOn.keepMeSignedIn {postAuth, postAuthPromptFrequency}`; the global
//! session policy rule (`OKTA_SIGN_ON`, rule type `SIGN_ON`) holds the session cookie and
//! the MFA prompt at `actions.signon` (`session {usePersistentCookie,
//! maxSessionIdleMinutes, maxSessionLifetimeMinutes}`, `requireFactor`,
//! `factorPromptMode`, `factorLifetime`).
//!
//! The flow is read → plan → write: [`fetch`] reads the policies and rules the project
//! names, [`plan`] compares them with `[kmsi]` (a pure function: every change and every
//! problem the org's data reveals, as diagnostics pointing into `signin-pages.toml`), and
//! [`apply`] writes each rule that changes: GET it again, back it up, set only the managed
//! fields, PUT the whole rule (PUT is a full replace) and check Okta's answer. Okta answers
//! a frequency in hours (`P30D` comes back `PT720H`), so durations compare by value
//! ([`IsoDuration`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value, json};
use toml::Spanned;

use crate::config::{Kmsi, KmsiSession, Selection};
use crate::diag::{Diagnostic, Diagnostics, Location, Rule};
use crate::duration::same_duration;
use crate::emit;
use crate::okta::{Client, OktaError};
use crate::source::SourceFile;

/// The rule created in a new global session policy when `[kmsi.session] rule` is unset.
pub const DEFAULT_SESSION_RULE: &str = "KMSI rule";
/// The groups a new global session policy applies to when `[kmsi.session] groups` is unset.
pub const DEFAULT_GROUP: &str = "Everyone";

// ---------------------------------------------------------------------------------------
// The fields managed in a rule
// ---------------------------------------------------------------------------------------

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
    fn new(field: &'static str, value: Value) -> Self {
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

/// Set a dotted path, creating (or replacing non-object) parents.
fn set(v: &mut Value, dotted: &str, value: Value) {
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
    let mut body = crate::remote::without_nulls(rule);
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

/// One field that changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

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
fn unconfirmed(answer: &Value, settings: &[Setting]) -> Vec<String> {
    settings
        .iter()
        .filter(|s| !s.holds(get(answer, s.field)))
        .map(|s| {
            format!(
                "{} = {} (sent {})",
                s.field,
                crate::remote::show(get(answer, s.field)),
                crate::remote::show(&s.value)
            )
        })
        .collect()
}

/// The app sign-in policy rule settings for `rule`. When only the frequency is managed
/// and the rule has no `postAuth`, `NOT_ALLOWED` (what an absent value means) is sent
/// with it, since Okta needs `postAuth` in `keepMeSignedIn`.
fn app_settings(k: &Kmsi, rule: &Value) -> Vec<Setting> {
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

fn session_settings(s: &KmsiSession) -> Vec<Setting> {
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

// ---------------------------------------------------------------------------------------
// Reading the org
// ---------------------------------------------------------------------------------------

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

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Read the policies, rules and groups `k` needs.
pub fn fetch(c: &Client, k: &Kmsi) -> Result<OrgView, OktaError> {
    let mut org = OrgView::default();
    if k.manages_app_rules() {
        org.access_policies = c.list("/api/v1/policies?type=ACCESS_POLICY")?;
        for p in &org.access_policies {
            if k.app_policies.includes(str_of(p, "name")) {
                let id = str_of(p, "id");
                org.rules.insert(
                    id.to_string(),
                    c.list(&format!("/api/v1/policies/{id}/rules"))?,
                );
            }
        }
    }
    if let Some(s) = &k.session {
        org.sign_on_policies = c.list("/api/v1/policies?type=OKTA_SIGN_ON")?;
        match session_policy(&org.sign_on_policies, s) {
            Ok(Some(p)) => {
                let id = str_of(p, "id");
                org.rules.insert(
                    id.to_string(),
                    c.list(&format!("/api/v1/policies/{id}/rules"))?,
                );
            }
            Ok(None) => {
                for name in group_names(s) {
                    let found = c
                        .list(&format!(
                            "/api/v1/groups?q={}&limit=200",
                            encode(name.get_ref())
                        ))?
                        .iter()
                        .filter(|g| {
                            g.get("profile").map(|p| str_of(p, "name")) == Some(name.get_ref())
                        })
                        .map(|g| str_of(g, "id").to_string())
                        .collect();
                    org.groups.insert(name.get_ref().clone(), found);
                }
            }
            Err(_) => {}
        }
    }
    Ok(org)
}

/// The groups a created session policy applies to.
fn group_names(s: &KmsiSession) -> Vec<Spanned<String>> {
    s.groups.clone().unwrap_or_else(|| {
        vec![Spanned::new(
            s.policy.as_ref().map_or(0..0, |p| p.span()),
            DEFAULT_GROUP.to_string(),
        )]
    })
}

/// The org's default global session policy (Okta marks it `system: true`).
fn is_default_policy(p: &Value) -> bool {
    p.get("system") == Some(&json!(true))
}

/// A policy's default rule (`system: true`, named "Default Rule").
fn is_default_rule(r: &Value) -> bool {
    r.get("system") == Some(&json!(true)) || str_of(r, "name") == "Default Rule"
}

/// The session policy `[kmsi.session]` names (or the default one): `Ok(None)` when a
/// named one does not exist (it is created); `Err` when it cannot be chosen.
fn session_policy<'a>(policies: &'a [Value], s: &KmsiSession) -> Result<Option<&'a Value>, String> {
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

// ---------------------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------------------

/// Which kind of policy a step is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An app sign-in policy (`ACCESS_POLICY`).
    App,
    /// A global session policy (`OKTA_SIGN_ON`).
    Session,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::App => "app sign-in policy",
            Kind::Session => "global session policy",
        }
    }

    pub fn policy_type(self) -> &'static str {
        match self {
            Kind::App => "ACCESS_POLICY",
            Kind::Session => "OKTA_SIGN_ON",
        }
    }
}

/// What happens to one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Update,
    Create,
    Unchanged,
    Skip,
    /// `rollback --policies`: a backed-up rule put back.
    Restore,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Update => "update",
            Action::Create => "create",
            Action::Unchanged => "unchanged",
            Action::Skip => "skip",
            Action::Restore => "restore",
        }
    }
}

/// One rule: what it has, what changes.
#[derive(Debug, Clone)]
pub struct Step {
    pub kind: Kind,
    pub policy: String,
    /// `None` when the policy is created.
    pub policy_id: Option<String>,
    /// The body of `POST /api/v1/policies?activate=true` when the policy is created.
    pub new_policy: Option<Value>,
    /// The group names a created policy applies to.
    pub new_policy_groups: Vec<String>,
    pub rule: String,
    /// `None` when the rule is created.
    pub rule_id: Option<String>,
    pub action: Action,
    pub changes: Vec<Change>,
    pub note: Option<String>,
    /// The body of `POST …/rules` when the rule is created.
    pub new_rule: Option<Value>,
    pub settings: Vec<Setting>,
}

impl Step {
    fn new(kind: Kind, policy: &Value, rule: &Value) -> Self {
        Step {
            kind,
            policy: str_of(policy, "name").to_string(),
            policy_id: Some(str_of(policy, "id").to_string()),
            new_policy: None,
            new_policy_groups: Vec::new(),
            rule: str_of(rule, "name").to_string(),
            rule_id: Some(str_of(rule, "id").to_string()),
            action: Action::Unchanged,
            changes: Vec::new(),
            note: None,
            new_rule: None,
            settings: Vec::new(),
        }
    }

    fn compare(mut self, rule: &Value, settings: Vec<Setting>) -> Self {
        self.changes = changes_for(rule, &settings);
        self.action = if self.changes.is_empty() {
            Action::Unchanged
        } else {
            Action::Update
        };
        self.settings = settings;
        self
    }
}

/// Every rule `[kmsi]` touches, in the org's order: app sign-in policies, then the
/// global session policy.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// Things worth saying that are not problems.
    pub notes: Vec<String>,
}

impl Plan {
    /// Whether `apply` would write anything.
    pub fn has_changes(&self) -> bool {
        self.steps
            .iter()
            .any(|s| matches!(s.action, Action::Update | Action::Create))
    }

    pub fn count(&self, action: Action) -> usize {
        self.steps.iter().filter(|s| s.action == action).count()
    }
}

fn located(file: &Arc<SourceFile>, span: Option<std::ops::Range<usize>>) -> Option<Location> {
    span.map(|s| Location::bytes(file, s))
}

fn did_you_mean<'a>(name: &str, names: impl IntoIterator<Item = &'a str> + Clone) -> String {
    let list: Vec<&str> = names.clone().into_iter().collect();
    let hint = crate::diag::suggest::closest(name, names)
        .map(|c| format!("did you mean `{c}`? "))
        .unwrap_or_default();
    if list.is_empty() {
        format!("{hint}the org has none")
    } else {
        format!("{hint}the org has: {}", list.join(", "))
    }
}

/// Compare `[kmsi]` with what the org has. Problems only the org's data reveals (a
/// policy or rule name that does not exist, a group that cannot be resolved, the
/// read-only `usePersistentCookie` of the default rule) are diagnostics pointing at the
/// key in `signin-pages.toml`; `apply` writes nothing when there is one.
pub fn plan(file: &Arc<SourceFile>, k: &Kmsi, org: &OrgView) -> (Plan, Diagnostics) {
    let mut out = Plan::default();
    let mut diags = Diagnostics::new();
    if k.manages_app_rules() {
        plan_app_rules(file, k, org, &mut out, &mut diags);
    } else if k.app_policies != Selection::All || k.rules != Selection::All {
        out.notes.push(
            "`app_policies` and `rules` are set, but neither `post_auth` nor `prompt_frequency`: no app sign-in policy rule is managed".into(),
        );
    }
    if let Some(s) = &k.session {
        plan_session(file, s, org, &mut out, &mut diags);
    }
    (out, diags)
}

fn plan_app_rules(
    file: &Arc<SourceFile>,
    k: &Kmsi,
    org: &OrgView,
    out: &mut Plan,
    diags: &mut Diagnostics,
) {
    let policies = &org.access_policies;
    let names = || policies.iter().map(|p| str_of(p, "name"));
    if let Selection::Named(wanted) = &k.app_policies {
        for n in wanted {
            let count = names().filter(|x| x == n.get_ref()).count();
            if count == 0 {
                diags.push(
                    Diagnostic::new(
                        Rule::P002,
                        format!("the org has no app sign-in policy named `{}`", n.get_ref()),
                    )
                    .at(Location::bytes(file, n.span()))
                    .help(format!(
                        "{} (Admin Console › Security › Authentication Policies)",
                        did_you_mean(n.get_ref(), names())
                    )),
                );
            } else if count > 1 {
                diags.push(
                    Diagnostic::new(
                        Rule::P002,
                        format!("{count} app sign-in policies are named `{}`", n.get_ref()),
                    )
                    .at(Location::bytes(file, n.span()))
                    .help("rename them in Okta so that each name is unique, or use `\"all\"`"),
                );
            }
        }
    }
    let mut seen_rules: BTreeSet<&str> = BTreeSet::new();
    let mut all_rule_names: BTreeSet<&str> = BTreeSet::new();
    for p in policies {
        if !k.app_policies.includes(str_of(p, "name")) {
            continue;
        }
        let rules = org
            .rules
            .get(str_of(p, "id"))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for r in rules {
            let rname = str_of(r, "name");
            all_rule_names.insert(rname);
            if !k.rules.includes(rname) {
                continue;
            }
            seen_rules.insert(rname);
            let step = Step::new(Kind::App, p, r);
            if !get(r, "actions.appSignOn").is_object() {
                out.steps.push(Step {
                    action: Action::Skip,
                    note: Some("the rule has no `actions.appSignOn`".into()),
                    ..step
                });
                continue;
            }
            if k.rules == Selection::All && get(r, "actions.appSignOn.access") == "DENY" {
                out.steps.push(Step {
                    action: Action::Skip,
                    note: Some("the rule denies access: KMSI does not apply".into()),
                    ..step
                });
                continue;
            }
            out.steps.push(step.compare(r, app_settings(k, r)));
        }
    }
    if let Selection::Named(wanted) = &k.rules {
        for n in wanted {
            if !seen_rules.contains(n.get_ref().as_str()) {
                diags.push(
                    Diagnostic::new(
                        Rule::P002,
                        format!(
                            "no rule named `{}` in the selected app sign-in policies",
                            n.get_ref()
                        ),
                    )
                    .at(Location::bytes(file, n.span()))
                    .help(did_you_mean(n.get_ref(), all_rule_names.iter().copied())),
                );
            }
        }
    }
}

fn plan_session(
    file: &Arc<SourceFile>,
    s: &KmsiSession,
    org: &OrgView,
    out: &mut Plan,
    diags: &mut Diagnostics,
) {
    let settings = session_settings(s);
    let policy_span = s.policy.as_ref().map(|p| p.span());
    let policy = match session_policy(&org.sign_on_policies, s) {
        Ok(p) => p,
        Err(msg) => {
            diags.push(
                Diagnostic::new(Rule::P002, msg)
                    .at_opt(located(file, policy_span))
                    .help("name the policy with `[kmsi.session] policy = \"…\"`"),
            );
            return;
        }
    };
    let Some(policy) = policy else {
        // Created, with its rule, the way Okta's guide does.
        let name = s.policy.as_ref().map_or("", |p| p.get_ref().as_str());
        let mut ids = Vec::new();
        let mut group_list = Vec::new();
        for g in group_names(s) {
            let found = org.groups.get(g.get_ref()).cloned().unwrap_or_default();
            match found.as_slice() {
                [one] => ids.push(one.clone()),
                [] => diags.push(
                    Diagnostic::new(Rule::P002,
                        format!(
                            "the org has no group named `{}` for the new global session policy `{name}`",
                            g.get_ref()
                        ),
                    )
                    .at_opt(located(file, Some(g.span())))
                    .help("write the group's name as the Admin Console shows it (Directory › Groups)"),
                ),
                many => diags.push(
                    Diagnostic::new(Rule::P002,
                        format!("{} groups are named `{}`", many.len(), g.get_ref()),
                    )
                    .at_opt(located(file, Some(g.span())))
                    .help("rename them in Okta so that the name is unique"),
                ),
            }
            group_list.push(g.get_ref().clone());
        }
        let rule_name = s
            .rule
            .as_ref()
            .map_or(DEFAULT_SESSION_RULE, |r| r.get_ref().as_str());
        let new_rule = new_session_rule(rule_name, &settings);
        out.steps.push(Step {
            kind: Kind::Session,
            policy: name.to_string(),
            policy_id: None,
            new_policy: Some(json!({
                "type": "OKTA_SIGN_ON",
                "name": name,
                "description": "Keep Me Signed In (managed by signin-pages)",
                "conditions": {"people": {"groups": {"include": ids}}}
            })),
            note: Some(format!(
                "creates the policy (active, for {}) and its rule",
                group_list.join(", ")
            )),
            new_policy_groups: group_list,
            rule: rule_name.to_string(),
            rule_id: None,
            action: Action::Create,
            changes: creation_changes(&new_rule),
            new_rule: Some(new_rule),
            settings,
        });
        return;
    };
    let pid = str_of(policy, "id");
    let rules = org.rules.get(pid).map(Vec::as_slice).unwrap_or(&[]);
    let rule = match &s.rule {
        Some(name) => {
            let found: Vec<&Value> = rules
                .iter()
                .filter(|r| str_of(r, "name") == name.get_ref())
                .collect();
            if found.len() > 1 {
                diags.push(
                    Diagnostic::new(
                        Rule::P002,
                        format!(
                            "{} rules of the global session policy `{}` are named `{}`",
                            found.len(),
                            str_of(policy, "name"),
                            name.get_ref()
                        ),
                    )
                    .at(Location::bytes(file, name.span()))
                    .help("rename them in Okta so that the name is unique"),
                );
                return;
            }
            found.first().copied()
        }
        None => match rules.iter().find(|r| is_default_rule(r)) {
            Some(r) => Some(r),
            None => {
                diags.push(
                    Diagnostic::new(Rule::P002,
                        format!(
                            "the global session policy `{}` has no default rule",
                            str_of(policy, "name")
                        ),
                    )
                    .at_opt(located(file, policy_span))
                    .help("name the rule with `[kmsi.session] rule = \"…\"` (it is created if missing)"),
                );
                return;
            }
        },
    };
    let Some(rule) = rule else {
        let rule_name = s.rule.as_ref().map_or("", |r| r.get_ref().as_str());
        let new_rule = new_session_rule(rule_name, &settings);
        out.steps.push(Step {
            kind: Kind::Session,
            policy: str_of(policy, "name").to_string(),
            policy_id: Some(pid.to_string()),
            new_policy: None,
            new_policy_groups: Vec::new(),
            rule: rule_name.to_string(),
            rule_id: None,
            action: Action::Create,
            changes: creation_changes(&new_rule),
            note: Some("creates the rule".into()),
            new_rule: Some(new_rule),
            settings,
        });
        return;
    };
    if let Some(pc) = &s.persistent_cookie
        && is_default_policy(policy)
        && is_default_rule(rule)
        && get(rule, USE_PERSISTENT_COOKIE) != &json!(pc.get_ref())
    {
        diags.push(
            Diagnostic::new(Rule::P002,
                format!(
                    "`usePersistentCookie` is read-only on the default rule (`{}`) of the default global session policy (`{}`): Okta refuses `persistent_cookie = {}` there",
                    str_of(rule, "name"),
                    str_of(policy, "name"),
                    pc.get_ref()
                ),
            )
            .at(Location::bytes(file, pc.span()))
            .help("remove `persistent_cookie`, or name your own policy and rule in `[kmsi.session]` (`policy = \"KMSI\"`, `rule = \"KMSI rule\"`: created if missing)"),
        );
        return;
    }
    out.steps
        .push(Step::new(Kind::Session, policy, rule).compare(rule, settings));
}

/// A new global session policy rule, as in Okta's guide: allow, any network, any
/// authentication context, password/IdP/any factor as the primary factor, plus the
/// project's settings.
fn new_session_rule(name: &str, settings: &[Setting]) -> Value {
    let mut rule = json!({
        "type": "SIGN_ON",
        "name": name,
        "conditions": {
            "network": {"connection": "ANYWHERE"},
            "authContext": {"authType": "ANY"}
        },
        "actions": {
            "signon": {
                "access": "ALLOW",
                "primaryFactor": "PASSWORD_IDP_ANY_FACTOR",
                "requireFactor": false
            }
        }
    });
    for s in settings {
        set(&mut rule, s.field, s.value.clone());
    }
    rule
}

/// Every field of a created rule's `actions`, as (unset) → value.
fn creation_changes(rule: &Value) -> Vec<Change> {
    fn walk(prefix: &str, v: &Value, out: &mut Vec<Change>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    walk(&format!("{prefix}.{k}"), x, out);
                }
            }
            other => out.push(Change {
                field: prefix.to_string(),
                old: Value::Null,
                new: other.clone(),
            }),
        }
    }
    let mut out = Vec::new();
    walk("actions", get(rule, "actions"), &mut out);
    out
}

/// The plan as one JSON document for machines.
pub fn plan_json(env: &str, plan: &Plan, pre: &PreAuth) -> Value {
    let mut changes = Vec::new();
    let mut rules = Vec::new();
    for s in &plan.steps {
        for c in &s.changes {
            changes.push(json!({
                "policyType": s.kind.policy_type(),
                "policy": s.policy,
                "policyId": s.policy_id,
                "rule": s.rule,
                "ruleId": s.rule_id,
                "field": c.field,
                "old": c.old,
                "new": c.new,
                "action": s.action.as_str(),
            }));
        }
        rules.push(json!({
            "policyType": s.kind.policy_type(),
            "policy": s.policy,
            "policyId": s.policy_id,
            "rule": s.rule,
            "ruleId": s.rule_id,
            "action": s.action.as_str(),
            "createsPolicy": s.new_policy.is_some(),
            "groups": if s.new_policy.is_some() { json!(s.new_policy_groups) } else { Value::Null },
            "note": s.note,
        }));
    }
    json!({
        "environment": env,
        "changed": plan.has_changes(),
        "changes": changes,
        "rules": rules,
        "notes": plan.notes,
        "preAuth": pre.to_json(),
    })
}

// ---------------------------------------------------------------------------------------
// Pre-authentication KMSI: an org setting with no API
// ---------------------------------------------------------------------------------------

/// The Admin Console steps for the pre-authentication checkbox (Okta's guide), to turn
/// it on or off.
pub fn pre_auth_steps(on: bool) -> [String; 4] {
    [
        "In the Admin Console, go to Security › General.".into(),
        "In the Organization Security section, click Edit.".into(),
        format!(
            "Turn {} \"Show option to stay signed in before users sign in\".",
            if on { "on" } else { "off" }
        ),
        "Click Save.".into(),
    ]
}

/// A template that hides the pre-authentication checkbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HiddenCheckbox {
    pub file: String,
    pub line: usize,
}

/// What `kmsi plan` says about pre-authentication KMSI.
#[derive(Debug, Clone, Default)]
pub struct PreAuth {
    /// `[kmsi] pre_auth`, when set.
    pub asked: Option<bool>,
    /// Templates that set `showKeepMeSignedIn` to false.
    pub hidden: Vec<HiddenCheckbox>,
}

impl PreAuth {
    pub fn new(k: &Kmsi, templates: &[Arc<SourceFile>]) -> Self {
        let asked = k.pre_auth.as_ref().map(|p| *p.get_ref());
        PreAuth {
            asked,
            hidden: if asked == Some(true) {
                hidden_checkbox(templates)
            } else {
                Vec::new()
            },
        }
    }

    fn to_json(&self) -> Value {
        json!({
            "asked": self.asked,
            "api": false,
            "steps": self.asked.map_or(json!([]), |on| json!(pre_auth_steps(on))),
            "hiddenCheckbox": self.hidden.iter().map(|h| json!({"file": h.file, "line": h.line})).collect::<Vec<_>>(),
        })
    }
}

/// Where a template sets the widget's `features.showKeepMeSignedIn` to false
/// (`showKeepMeSignedIn = false`, `showKeepMeSignedIn: false`, quoted keys too).
pub fn hidden_checkbox(templates: &[Arc<SourceFile>]) -> Vec<HiddenCheckbox> {
    const KEY: &str = "showKeepMeSignedIn";
    let mut out = Vec::new();
    for t in templates {
        for (at, _) in t.text.match_indices(KEY) {
            let rest = t.text[at + KEY.len()..].trim_start_matches(['"', '\'']);
            let rest = rest.trim_start();
            let Some(rest) = rest.strip_prefix([':', '=']) else {
                continue;
            };
            if rest.starts_with('=') {
                continue; // a comparison, not an assignment
            }
            let rest = rest.trim_start();
            if rest.starts_with("false")
                && !rest[5..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            {
                out.push(HiddenCheckbox {
                    file: t.path.clone(),
                    line: t.position(at).line,
                });
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Writing: apply
// ---------------------------------------------------------------------------------------

/// What happened to one rule.
#[derive(Debug, Clone)]
pub struct Done {
    pub kind: Kind,
    pub policy: String,
    pub rule: String,
    pub action: Action,
    pub ok: bool,
    /// One line.
    pub detail: String,
    /// Okta's whole answer when it refused (several lines).
    pub error: Option<String>,
}

impl Done {
    fn of(step: &Step, ok: bool, detail: impl Into<String>) -> Self {
        Done {
            kind: step.kind,
            policy: step.policy.clone(),
            rule: step.rule.clone(),
            action: step.action,
            ok,
            detail: detail.into(),
            error: None,
        }
    }

    fn failed(step: &Step, what: &str, e: &OktaError) -> Self {
        let text = e.to_string();
        let first = text.lines().next().unwrap_or("").to_string();
        Done {
            error: Some(text),
            ..Done::of(step, false, format!("{what}: {first}"))
        }
    }
}

/// Write every rule the plan changes, one after the other. A failure stops only its
/// own rule: the others go on, and a rerun picks up what is left.
pub fn apply(c: &Client, root: &Path, env: &str, plan: &Plan) -> Vec<Done> {
    let run = crate::remote::timestamp();
    let mut created: BTreeMap<String, String> = BTreeMap::new();
    plan.steps
        .iter()
        .map(|step| match step.action {
            Action::Unchanged => Done::of(step, true, "already as asked"),
            Action::Skip => Done::of(step, true, step.note.clone().unwrap_or_default()),
            Action::Update => update(c, root, env, &run, step),
            Action::Create => create(c, step, &mut created),
            Action::Restore => Done::of(step, false, "not a plan step"),
        })
        .collect()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn update(c: &Client, root: &Path, env: &str, run: &str, step: &Step) -> Done {
    let (Some(pid), Some(rid)) = (&step.policy_id, &step.rule_id) else {
        return Done::of(step, false, "no policy or rule id");
    };
    let path = format!("/api/v1/policies/{pid}/rules/{rid}");
    let current = match c.get(&path) {
        Ok(Some(v)) => v,
        Ok(None) => {
            return Done::of(
                step,
                false,
                "the rule no longer exists: run `kmsi plan` again",
            );
        }
        Err(e) => return Done::failed(step, "not read", &e),
    };
    let changes = changes_for(&current, &step.settings);
    if changes.is_empty() {
        return Done::of(step, true, "already as asked (changed since the plan)");
    }
    let saved = match save_rule_backup(root, env, run, step, &current) {
        Ok(p) => p,
        Err(e) => {
            return Done::of(
                step,
                false,
                format!("not changed: the backup of the rule failed: {e}"),
            );
        }
    };
    let body = with_settings(&current, &step.settings);
    let answer = match c.put(&path, &body) {
        Ok(a) => a,
        Err(e) => return Done::failed(step, "Okta refused", &e),
    };
    let off = unconfirmed(&answer, &step.settings);
    if !off.is_empty() {
        return Done::of(
            step,
            false,
            format!("Okta answered other values: {}", off.join("; ")),
        );
    }
    Done::of(
        step,
        true,
        format!(
            "{} changed; backup {}",
            plural(changes.len(), "field", "fields"),
            saved
                .file_name()
                .map_or(String::new(), |f| f.to_string_lossy().into_owned())
        ),
    )
}

fn create(c: &Client, step: &Step, created: &mut BTreeMap<String, String>) -> Done {
    let mut made_policy = false;
    let pid = match (&step.policy_id, &step.new_policy) {
        (Some(id), _) => id.clone(),
        (None, Some(body)) => match created.get(&step.policy) {
            Some(id) => id.clone(),
            None => match c.post("/api/v1/policies?activate=true", body) {
                Ok(answer) => match answer.get("id").and_then(Value::as_str) {
                    Some(id) => {
                        created.insert(step.policy.clone(), id.to_string());
                        made_policy = true;
                        id.to_string()
                    }
                    None => return Done::of(step, false, "Okta's answer has no policy id"),
                },
                Err(e) => return Done::failed(step, "the policy was not created", &e),
            },
        },
        (None, None) => return Done::of(step, false, "no policy to create the rule in"),
    };
    let Some(body) = &step.new_rule else {
        return Done::of(step, false, "no rule to create");
    };
    let answer = match c.post(&format!("/api/v1/policies/{pid}/rules?activate=true"), body) {
        Ok(a) => a,
        Err(e) => {
            let what = if made_policy {
                "the policy was created, its rule was not (rerun to create it)"
            } else {
                "the rule was not created"
            };
            return Done::failed(step, what, &e);
        }
    };
    let off = unconfirmed(&answer, &step.settings);
    if !off.is_empty() {
        return Done::of(
            step,
            false,
            format!(
                "created, but Okta answered other values: {}",
                off.join("; ")
            ),
        );
    }
    Done::of(
        step,
        true,
        if made_policy {
            format!("created the policy ({pid}, active) and its rule")
        } else {
            format!("created the rule ({})", str_of(&answer, "id"))
        },
    )
}

// ---------------------------------------------------------------------------------------
// Backups of policy rules, and rollback
// ---------------------------------------------------------------------------------------

/// `.signin-pages/backups/<env>/policies/`.
pub fn backup_dir(root: &Path, env: &str) -> PathBuf {
    crate::remote::backup_dir(root, env, "policies")
}

/// A saved rule, as Okta answered its GET before a write.
#[derive(Debug, Clone)]
pub struct RuleBackup {
    pub path: PathBuf,
    pub file_name: String,
    /// The timestamp of the run that took it: the backups of one `apply` share it.
    pub run: String,
    pub policy_type: String,
    pub policy_id: String,
    pub policy: String,
    pub rule_id: String,
    pub rule: String,
    pub body: Value,
}

/// Write `<run>-<policyId>-<ruleId>.json` (atomic). An error must stop the write.
pub fn save_rule_backup(
    root: &Path,
    env: &str,
    run: &str,
    step: &Step,
    rule: &Value,
) -> Result<PathBuf, emit::EmitError> {
    let policy_id = step.policy_id.as_deref().unwrap_or("");
    save_backup_doc(
        root,
        env,
        run,
        step.kind.policy_type(),
        policy_id,
        &step.policy,
        rule,
    )
}

fn save_backup_doc(
    root: &Path,
    env: &str,
    run: &str,
    policy_type: &str,
    policy_id: &str,
    policy: &str,
    rule: &Value,
) -> Result<PathBuf, emit::EmitError> {
    let rule_id = str_of(rule, "id");
    let path = backup_dir(root, env).join(format!("{run}-{policy_id}-{rule_id}.json"));
    let doc = json!({
        "environment": env,
        "run": run,
        "takenAt": crate::remote::timestamp(),
        "policyType": policy_type,
        "policyId": policy_id,
        "policy": policy,
        "ruleId": rule_id,
        "rule": str_of(rule, "name"),
        "body": rule,
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("backups serialize");
    text.push('\n');
    crate::write::atomic(root, &path, text.as_bytes())?;
    Ok(path)
}

/// Every policy-rule backup of an environment, oldest first.
pub fn list_rule_backups(root: &Path, env: &str) -> Vec<RuleBackup> {
    let Ok(entries) = std::fs::read_dir(backup_dir(root, env)) else {
        return Vec::new();
    };
    let mut out: Vec<RuleBackup> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
        .filter_map(|e| {
            let v: Value = serde_json::from_slice(&std::fs::read(e.path()).ok()?).ok()?;
            let s = |k: &str| v.get(k).and_then(Value::as_str).map(String::from);
            Some(RuleBackup {
                path: e.path(),
                file_name: e.file_name().to_string_lossy().into_owned(),
                run: s("run")?,
                policy_type: s("policyType").unwrap_or_default(),
                policy_id: s("policyId")?,
                policy: s("policy").unwrap_or_default(),
                rule_id: s("ruleId")?,
                rule: s("rule").unwrap_or_default(),
                body: v.get("body").filter(|b| b.is_object())?.clone(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    out
}

/// The backups to restore: `to` names a file (with or without `.json`) or a run (every
/// rule that run saved); without it, the latest run.
pub fn select_backups<'a>(
    all: &'a [RuleBackup],
    to: Option<&str>,
) -> Result<Vec<&'a RuleBackup>, String> {
    let runs = || {
        let mut r: Vec<&str> = all.iter().map(|b| b.run.as_str()).collect();
        r.dedup();
        r
    };
    let chosen: Vec<&RuleBackup> = match to {
        None => match all.last() {
            Some(last) => all.iter().filter(|b| b.run == last.run).collect(),
            None => return Err("no policy-rule backups".into()),
        },
        Some(name) => {
            let file: Vec<&RuleBackup> = all
                .iter()
                .filter(|b| b.file_name == name || b.file_name.trim_end_matches(".json") == name)
                .collect();
            if file.is_empty() {
                all.iter().filter(|b| b.run == name).collect()
            } else {
                file
            }
        }
    };
    if chosen.is_empty() {
        return Err(format!(
            "no policy-rule backup or run named `{}`; runs: {}",
            to.unwrap_or(""),
            runs().join(", ")
        ));
    }
    Ok(chosen)
}

/// PUT each backed-up rule back, after backing up what the org has now.
pub fn restore(c: &Client, root: &Path, env: &str, backups: &[&RuleBackup]) -> Vec<Done> {
    let run = crate::remote::timestamp();
    backups
        .iter()
        .map(|b| {
            let step = Step {
                kind: if b.policy_type == "OKTA_SIGN_ON" {
                    Kind::Session
                } else {
                    Kind::App
                },
                policy: b.policy.clone(),
                policy_id: Some(b.policy_id.clone()),
                new_policy: None,
                new_policy_groups: Vec::new(),
                rule: b.rule.clone(),
                rule_id: Some(b.rule_id.clone()),
                action: Action::Restore,
                changes: Vec::new(),
                note: None,
                new_rule: None,
                settings: Vec::new(),
            };
            let path = format!("/api/v1/policies/{}/rules/{}", b.policy_id, b.rule_id);
            let current = match c.get(&path) {
                Ok(Some(v)) => v,
                Ok(None) => return Done::of(&step, false, "the rule no longer exists"),
                Err(e) => return Done::failed(&step, "not read", &e),
            };
            let saved = match save_backup_doc(
                root,
                env,
                &run,
                &b.policy_type,
                &b.policy_id,
                &b.policy,
                &current,
            ) {
                Ok(p) => p,
                Err(e) => {
                    return Done::of(
                        &step,
                        false,
                        format!("not restored: the backup of the current rule failed: {e}"),
                    );
                }
            };
            let body = put_body(&b.body);
            let answer = match c.put(&path, &body) {
                Ok(a) => a,
                Err(e) => return Done::failed(&step, "Okta refused", &e),
            };
            let off: Vec<&str> = ALL_FIELDS
                .iter()
                .copied()
                .filter(|f| {
                    let sent = get(&body, f);
                    !sent.is_null() && !same_field_value(f, get(&answer, f), sent)
                })
                .collect();
            if !off.is_empty() {
                return Done::of(
                    &step,
                    false,
                    format!("Okta answered other values for: {}", off.join(", ")),
                );
            }
            Done::of(
                &step,
                true,
                format!(
                    "restored {}; the state before is in {}",
                    b.file_name,
                    saved
                        .file_name()
                        .map_or(String::new(), |f| f.to_string_lossy().into_owned())
                ),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Reset KMSI for a user
// ---------------------------------------------------------------------------------------

/// A user found by login or id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub login: String,
}

/// `GET /api/v1/users/{loginOrId}`; `None` when there is no such user.
pub fn find_user(c: &Client, who: &str) -> Result<Option<User>, OktaError> {
    Ok(c.get(&format!("/api/v1/users/{}", encode(who)))?
        .map(|u| User {
            id: str_of(&u, "id").to_string(),
            login: u
                .get("profile")
                .map(|p| str_of(p, "login"))
                .unwrap_or("")
                .to_string(),
        }))
}

/// `DELETE /api/v1/users/{userId}/sessions?oauthTokens=…`: the guide's "Reset KMSI".
/// The user's sessions and remembered factors are cleared, so the next sign-in asks for
/// MFA and shows the KMSI prompt again; with `revoke_tokens` the OAuth tokens issued to
/// the user are revoked too.
pub fn clear_sessions(c: &Client, user_id: &str, revoke_tokens: bool) -> Result<(), OktaError> {
    c.delete(&format!(
        "/api/v1/users/{}/sessions?oauthTokens={revoke_tokens}",
        encode(user_id)
    ))
}

/// Percent-encode a path segment or query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
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

    #[test]
    fn hidden_checkbox_is_found() {
        let f = Arc::new(SourceFile::new(
            "templates/sign-in.html",
            "<script>\nconfig.features.showKeepMeSignedIn = false;\nvar a = {\"showKeepMeSignedIn\": false};\nif (x.showKeepMeSignedIn === false) {}\nfeatures: { showKeepMeSignedIn: falsey }\n</script>\n",
        ));
        let found = hidden_checkbox(&[f]);
        assert_eq!(found.iter().map(|h| h.line).collect::<Vec<_>>(), vec![2, 3]);
    }

    #[test]
    fn backups_select_runs_and_files() {
        let b = |run: &str, rule: &str| RuleBackup {
            path: PathBuf::new(),
            file_name: format!("{run}-p-{rule}.json"),
            run: run.into(),
            policy_type: "ACCESS_POLICY".into(),
            policy_id: "p".into(),
            policy: "P".into(),
            rule_id: rule.into(),
            rule: rule.into(),
            body: json!({}),
        };
        let all = vec![b("1", "a"), b("1", "b"), b("2", "a")];
        assert_eq!(select_backups(&all, None).unwrap().len(), 1);
        assert_eq!(select_backups(&all, Some("1")).unwrap().len(), 2);
        assert_eq!(select_backups(&all, Some("1-p-b")).unwrap().len(), 1);
        assert!(select_backups(&all, Some("3")).is_err());
        assert!(select_backups(&[], None).is_err());
    }
}
