//! The plan: `[kmsi]` compared with what the org has ([`OrgView`]), rule by rule. A pure
//! function: every change, and every problem only the org's data reveals, as diagnostics
//! pointing into `signin-pages.toml`.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{Value, json};

use super::read::{OrgView, group_names, is_default_policy, is_default_rule, session_policy};
use super::rule_fields::{
    Change, Setting, USE_PERSISTENT_COOKIE, app_settings, changes_for, get, session_settings, set,
};
use super::{DEFAULT_SESSION_RULE, str_of};
use crate::config::{Kmsi, KmsiSession, Selection};
use crate::diag::{Diagnostic, Diagnostics, Location, Rule};
use crate::org::fields::field_changes;
use crate::source::SourceFile;

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

    /// The kind of a policy type (`OKTA_SIGN_ON`: a session policy; others: app).
    pub fn of_policy_type(t: &str) -> Kind {
        if t == Kind::Session.policy_type() {
            Kind::Session
        } else {
            Kind::App
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
    pub(super) fn new(kind: Kind, policy: &Value, rule: &Value) -> Self {
        Step::existing(
            kind,
            (str_of(policy, "name"), str_of(policy, "id")),
            (str_of(rule, "name"), str_of(rule, "id")),
            Action::Unchanged,
        )
    }

    /// A step on a rule that exists: `(name, id)` of its policy and of itself.
    pub(super) fn existing(
        kind: Kind,
        (policy, policy_id): (&str, &str),
        (rule, rule_id): (&str, &str),
        action: Action,
    ) -> Self {
        Step {
            kind,
            policy: policy.to_string(),
            policy_id: Some(policy_id.to_string()),
            new_policy: None,
            new_policy_groups: Vec::new(),
            rule: rule.to_string(),
            rule_id: Some(rule_id.to_string()),
            action,
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
    field_changes(None, &json!({"actions": get(rule, "actions")}))
}
