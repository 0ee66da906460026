//! `kmsi plan|apply --format json`: the documents `signin-pages/kmsi-plan/v1` and
//! `signin-pages/kmsi-apply/v1`. The apply document is the plan's rules, each with what
//! was done to it, so a dry run (`kmsi apply --dry-run`) and a real run read alike.

use serde::Serialize;
use serde_json::Value;

use super::Field;
use super::diff::Status;
use crate::kmsi::{Action, Done, Plan, PreAuth, Step, pre_auth_steps};

pub const PLAN_SCHEMA: &str = "signin-pages/kmsi-plan/v1";
pub const APPLY_SCHEMA: &str = "signin-pages/kmsi-apply/v1";

/// One field of one rule that changes, with the rule it belongs to (the flat list).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub policy_type: &'static str,
    pub policy: String,
    pub policy_id: Option<String>,
    pub rule: String,
    pub rule_id: Option<String>,
    pub field: String,
    pub old: Value,
    pub new: Value,
    pub action: &'static str,
}

/// One rule `[kmsi]` touches.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// `ACCESS_POLICY` (app sign-in policy) or `OKTA_SIGN_ON` (global session policy).
    pub policy_type: &'static str,
    pub policy: String,
    /// `null` when the policy is to be created.
    pub policy_id: Option<String>,
    pub rule: String,
    /// `null` when the rule is to be created.
    pub rule_id: Option<String>,
    /// `update`, `create`, `unchanged`, `skip`.
    pub action: &'static str,
    pub creates_policy: bool,
    /// The groups a created policy applies to (`null` unless `createsPolicy`).
    pub groups: Option<Vec<String>>,
    pub note: Option<String>,
    /// What changes, the org's value → the project's.
    pub fields: Vec<Field>,
}

impl Rule {
    fn of(s: &Step) -> Rule {
        let path = format!("{}/{}", s.policy, s.rule);
        Rule {
            policy_type: s.kind.policy_type(),
            policy: s.policy.clone(),
            policy_id: s.policy_id.clone(),
            rule: s.rule.clone(),
            rule_id: s.rule_id.clone(),
            action: s.action.as_str(),
            creates_policy: s.new_policy.is_some(),
            groups: s.new_policy.is_some().then(|| s.new_policy_groups.clone()),
            note: s.note.clone(),
            fields: Field::all(&s.changes, &path),
        }
    }
}

/// A template that hides the pre-authentication checkbox.
#[derive(Debug, Clone, Serialize)]
pub struct Hidden {
    pub file: String,
    pub line: usize,
}

/// Pre-authentication KMSI: an org setting with no API.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreAuthDoc {
    /// `[kmsi] pre_auth` (`null`: unset).
    pub asked: Option<bool>,
    /// Always `false`: no API sets it.
    pub api: bool,
    /// The Admin Console steps.
    pub steps: Vec<String>,
    pub hidden_checkbox: Vec<Hidden>,
}

impl PreAuthDoc {
    fn of(pre: &PreAuth) -> PreAuthDoc {
        PreAuthDoc {
            asked: pre.asked,
            api: false,
            steps: pre
                .asked
                .map(|on| pre_auth_steps(on).to_vec())
                .unwrap_or_default(),
            hidden_checkbox: pre
                .hidden
                .iter()
                .map(|h| Hidden {
                    file: h.file.clone(),
                    line: h.line,
                })
                .collect(),
        }
    }
}

/// `kmsi plan --format json`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanDocument {
    pub schema: &'static str,
    pub environment: String,
    /// `equal` (exit 0) or `different` (exit 2).
    pub status: Status,
    /// `apply` would write something.
    pub changed: bool,
    /// Every field that changes, rule by rule, flat.
    pub changes: Vec<Change>,
    pub rules: Vec<Rule>,
    pub notes: Vec<String>,
    pub pre_auth: PreAuthDoc,
}

impl PlanDocument {
    pub fn new(env: &str, plan: &Plan, pre: &PreAuth) -> PlanDocument {
        let changes = plan
            .steps
            .iter()
            .flat_map(|s| {
                s.changes.iter().map(move |c| Change {
                    policy_type: s.kind.policy_type(),
                    policy: s.policy.clone(),
                    policy_id: s.policy_id.clone(),
                    rule: s.rule.clone(),
                    rule_id: s.rule_id.clone(),
                    field: c.field.clone(),
                    old: c.old.clone(),
                    new: c.new.clone(),
                    action: s.action.as_str(),
                })
            })
            .collect();
        PlanDocument {
            schema: PLAN_SCHEMA,
            environment: env.to_string(),
            status: if plan.has_changes() {
                Status::Different
            } else {
                Status::Equal
            },
            changed: plan.has_changes(),
            changes,
            rules: plan.steps.iter().map(Rule::of).collect(),
            notes: plan.notes.clone(),
            pre_auth: PreAuthDoc::of(pre),
        }
    }
}

/// What happened to one rule (and, at the top, to the run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Written (updated or created) and Okta's answer holds what was sent.
    Written,
    /// Already as asked: nothing sent.
    Unchanged,
    /// `--dry-run`: it would be written.
    DryRun,
    /// Not managed here (`note` says why): nothing sent.
    Skipped,
    /// Not done (`detail` and `error` say why).
    Failed,
}

/// One rule of `kmsi apply`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Applied {
    #[serde(flatten)]
    pub rule: Rule,
    pub outcome: Outcome,
    /// Nothing failed for this rule.
    pub ok: bool,
    /// A write was sent and taken.
    pub written: bool,
    pub detail: Option<String>,
    /// Okta's whole answer when it refused.
    pub error: Option<String>,
    /// The backup of the rule taken before the write, relative to the project.
    pub backup: Option<String>,
}

/// `kmsi apply --format json` (with `--dry-run` too).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyDocument {
    pub schema: &'static str,
    pub environment: String,
    pub dry_run: bool,
    /// `failed` if a rule failed, else `dry-run`, else `written` if a rule was written,
    /// else `unchanged`.
    pub outcome: Outcome,
    /// The plan had something to write.
    pub changed: bool,
    pub rules: Vec<Applied>,
    pub notes: Vec<String>,
    pub pre_auth: PreAuthDoc,
}

impl ApplyDocument {
    /// `done`: what `apply` did, one per step of `plan` (in its order); `None`: a dry
    /// run.
    pub fn new(env: &str, plan: &Plan, pre: &PreAuth, done: Option<&[Done]>) -> ApplyDocument {
        let rules: Vec<Applied> = plan
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let writes = matches!(s.action, Action::Update | Action::Create);
                let d = done.and_then(|d| d.get(i));
                let outcome = match d {
                    _ if s.action == Action::Skip => Outcome::Skipped,
                    None if writes => Outcome::DryRun,
                    None => Outcome::Unchanged,
                    Some(d) if !d.ok => Outcome::Failed,
                    Some(d) if d.written => Outcome::Written,
                    Some(_) => Outcome::Unchanged,
                };
                Applied {
                    rule: Rule::of(s),
                    outcome,
                    ok: d.is_none_or(|d| d.ok),
                    written: d.is_some_and(|d| d.written),
                    detail: d.map(|d| d.detail.clone()).filter(|t| !t.is_empty()),
                    error: d.and_then(|d| d.error.clone()),
                    backup: d
                        .and_then(|d| d.backup.as_ref())
                        .map(|p| p.to_string_lossy().replace('\\', "/")),
                }
            })
            .collect();
        let has = |o| rules.iter().any(|r| r.outcome == o);
        ApplyDocument {
            schema: APPLY_SCHEMA,
            environment: env.to_string(),
            dry_run: done.is_none(),
            outcome: if has(Outcome::Failed) {
                Outcome::Failed
            } else if done.is_none() {
                Outcome::DryRun
            } else if has(Outcome::Written) {
                Outcome::Written
            } else {
                Outcome::Unchanged
            },
            changed: plan.has_changes(),
            rules,
            notes: plan.notes.clone(),
            pre_auth: PreAuthDoc::of(pre),
        }
    }
}
