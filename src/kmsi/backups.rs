//! Backups of policy rules, and `rollback --policies`. A rule backup is the org's one
//! backup type ([`crate::org::backup::Backup`]) holding a rule, in
//! `.signin-pages/backups/<env>/policies/`, named `<run>-<policyId>-<ruleId>.json`: the
//! rules one `kmsi apply` changed share the run.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::apply::Done;
use super::plan::{Action, Kind, Step};
use super::rule_fields::{held_in, put_body, unconfirmed};
use super::str_of;
use crate::okta::{Client, policies};
use crate::org::backup::{self, Backup, POLICIES, RuleOf, Stored};
use crate::write::WriteError;

/// Save `rule` (Okta's answer to its GET) as part of `run`, in `policy` (`kind`, id,
/// name). Atomic; an error must stop the write.
fn save(
    root: &Path,
    env: &str,
    run: &str,
    (kind, policy_id, policy): (&str, &str, &str),
    rule: &Value,
) -> Result<PathBuf, WriteError> {
    let of = RuleOf {
        run: run.to_string(),
        policy_type: kind.to_string(),
        policy_id: policy_id.to_string(),
        policy: policy.to_string(),
        rule_id: str_of(rule, "id").to_string(),
        rule: str_of(rule, "name").to_string(),
    };
    backup::write(root, POLICIES, &Backup::rule(env, of, rule))
}

/// Save the rule of `step` before `apply` changes it.
pub(super) fn save_rule_backup(
    root: &Path,
    env: &str,
    run: &str,
    step: &Step,
    rule: &Value,
) -> Result<PathBuf, WriteError> {
    let policy_id = step.policy_id.as_deref().unwrap_or("");
    let policy = (step.kind.policy_type(), policy_id, step.policy.as_str());
    save(root, env, run, policy, rule)
}

/// Every policy-rule backup of an environment, oldest first.
pub fn list_rule_backups(root: &Path, env: &str) -> Vec<Stored> {
    backup::read(&backup::folder(root, env, POLICIES))
        .into_iter()
        .filter(|s| s.rule_of().is_some() && s.backup.body.is_object())
        .collect()
}

fn run_of(b: &Stored) -> &str {
    b.rule_of().map_or("", |r| r.run.as_str())
}

/// The backups to restore: `to` names a file (with or without `.json`) or a run (every
/// rule that run saved); without it, the latest run.
pub fn select_backups<'a>(all: &'a [Stored], to: Option<&str>) -> Result<Vec<&'a Stored>, String> {
    let chosen: Vec<&Stored> = match to {
        None => match all.last() {
            Some(last) => all.iter().filter(|b| run_of(b) == run_of(last)).collect(),
            None => return Err("no policy-rule backups".into()),
        },
        Some(name) => {
            let file: Vec<&Stored> = all.iter().filter(|b| b.is_named(name)).collect();
            if file.is_empty() {
                all.iter().filter(|b| run_of(b) == name).collect()
            } else {
                file
            }
        }
    };
    if chosen.is_empty() {
        let mut runs: Vec<&str> = all.iter().map(run_of).collect();
        runs.dedup();
        return Err(format!(
            "no policy-rule backup or run named `{}`; runs: {}",
            to.unwrap_or(""),
            runs.join(", ")
        ));
    }
    Ok(chosen)
}

/// PUT each backed-up rule back, after backing up what the org has now (as a run of its
/// own).
pub fn restore(c: &Client, root: &Path, env: &str, backups: &[&Stored]) -> Vec<Done> {
    let run = crate::org::clock::timestamp();
    backups
        .iter()
        .filter_map(|b| Some((*b, b.rule_of()?)))
        .map(|(b, of)| {
            let step = Step::existing(
                Kind::of_policy_type(&of.policy_type),
                (&of.policy, &of.policy_id),
                (&of.rule, &of.rule_id),
                Action::Restore,
            );
            let current = match policies::get_rule(c, &of.policy_id, &of.rule_id) {
                Ok(Some(v)) => v,
                Ok(None) => return Done::of(&step, false, "the rule no longer exists"),
                Err(e) => return Done::failed(&step, "not read", &e),
            };
            let policy = (
                of.policy_type.as_str(),
                of.policy_id.as_str(),
                of.policy.as_str(),
            );
            let saved = match save(root, env, &run, policy, &current) {
                Ok(p) => p,
                Err(e) => {
                    return Done::of(
                        &step,
                        false,
                        format!("not restored: the backup of the current rule failed: {e}"),
                    );
                }
            };
            let body = put_body(&b.backup.body);
            let answer = match policies::put_rule(c, &of.policy_id, &of.rule_id, &body) {
                Ok(a) => a,
                Err(e) => return Done::failed(&step, "Okta refused", &e),
            };
            let off = unconfirmed(&answer, &held_in(&body));
            if !off.is_empty() {
                return Done::of(
                    &step,
                    false,
                    format!("Okta answered other values: {}", off.join("; ")),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn backups_select_runs_and_files() {
        let b = |run: &str, rule: &str| Stored {
            path: PathBuf::new(),
            file_name: format!("{run}-p-{rule}.json"),
            backup: Backup::rule(
                "prod",
                RuleOf {
                    run: run.into(),
                    policy_type: "ACCESS_POLICY".into(),
                    policy_id: "p".into(),
                    policy: "P".into(),
                    rule_id: rule.into(),
                    rule: rule.into(),
                },
                &json!({}),
            ),
        };
        let all = vec![b("1", "a"), b("1", "b"), b("2", "a")];
        assert_eq!(select_backups(&all, None).unwrap().len(), 1);
        assert_eq!(select_backups(&all, Some("1")).unwrap().len(), 2);
        assert_eq!(select_backups(&all, Some("1-p-b")).unwrap().len(), 1);
        assert!(select_backups(&all, Some("3")).is_err());
        assert!(select_backups(&[], None).is_err());
    }
}
