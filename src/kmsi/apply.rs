//! Writing: `kmsi apply`. Each rule that changes is read again, backed up, given only
//! the managed fields and PUT whole (a full replace); Okta's answer is checked.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::backups::save_rule_backup;
use super::plan::{Action, Kind, Plan, Step};
use super::rule_fields::{changes_for, unconfirmed, with_settings};
use super::str_of;
use crate::okta::{Client, OktaError, policies};

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
    /// A write was sent (a PUT or a POST) and Okta took it.
    pub written: bool,
    /// The backup of the rule taken before the write, relative to the project root.
    pub backup: Option<std::path::PathBuf>,
}

impl Done {
    pub(super) fn of(step: &Step, ok: bool, detail: impl Into<String>) -> Self {
        Done {
            kind: step.kind,
            policy: step.policy.clone(),
            rule: step.rule.clone(),
            action: step.action,
            ok,
            detail: detail.into(),
            error: None,
            written: false,
            backup: None,
        }
    }

    /// The same, with the write sent.
    fn sent(self, backup: Option<std::path::PathBuf>) -> Self {
        Done {
            written: true,
            backup,
            ..self
        }
    }

    pub(super) fn failed(step: &Step, what: &str, e: &OktaError) -> Self {
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
    let run = crate::org::clock::timestamp();
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
    let current = match policies::get_rule(c, pid, rid) {
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
    let answer = match policies::put_rule(c, pid, rid, &body) {
        Ok(a) => a,
        Err(e) => return Done::failed(step, "Okta refused", &e),
    };
    let backup = Some(saved.strip_prefix(root).unwrap_or(&saved).to_path_buf());
    let off = unconfirmed(&answer, &step.settings);
    if !off.is_empty() {
        return Done::of(
            step,
            false,
            format!("Okta answered other values: {}", off.join("; ")),
        )
        .sent(backup);
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
    .sent(backup)
}

fn create(c: &Client, step: &Step, created: &mut BTreeMap<String, String>) -> Done {
    let mut made_policy = false;
    let pid = match (&step.policy_id, &step.new_policy) {
        (Some(id), _) => id.clone(),
        (None, Some(body)) => match created.get(&step.policy) {
            Some(id) => id.clone(),
            None => match policies::create(c, body) {
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
    let answer = match policies::create_rule(c, &pid, body) {
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
        )
        .sent(None);
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
    .sent(None)
}
