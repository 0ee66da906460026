//! Backups: what the org held before each write, saved first ("no backup, no write").
//!
//! One type, [`Backup`], for both things the tool writes: a brand's page (`deploy`,
//! `rollback`) and a policy rule (`kmsi apply`, `rollback --policies`). One writer,
//! [`write`] (through [`crate::write::atomic`]: flushed to disk before it returns), one
//! reader, [`read`]. On disk a backup is one JSON file under
//! `.signin-pages/backups/<env>/<folder>/` (the brand's folder, or `policies`), named so
//! that names sort by time; the shape is the one earlier versions wrote, so every backup
//! ever taken is still listed and restorable.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::fields::{field_changes, without_nulls};
use crate::okta::pages::{Page, Slot};
use crate::write::WriteError;

/// The folder of the policy-rule backups under `backups/<env>/`.
pub const POLICIES: &str = "policies";

/// A saved copy of what the org had: `body` is Okta's answer to the GET before the write
/// (`null`: the page slot was empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Backup {
    #[serde(default)]
    pub environment: String,
    /// When it was taken ([`super::clock::timestamp`]).
    #[serde(default)]
    pub taken_at: String,
    #[serde(flatten)]
    pub of: Held,
    #[serde(default)]
    pub body: Value,
}

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Held {
    Page(PageOf),
    Rule(RuleOf),
    Part(PartOf),
}

/// A part of a brand beside its pages ([`super::assets::Part`]): its theme, an image,
/// its sign-out page, the brand itself. An image's body holds its bytes (base64).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartOf {
    #[serde(default)]
    pub brand: String,
    #[serde(default)]
    pub brand_id: String,
    /// [`super::assets::Part::segment`].
    pub part: String,
    /// The timestamp of the deploy (or rollback) that took it: one run's backups share it.
    pub run: String,
}

/// A brand's page in one slot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageOf {
    #[serde(default)]
    pub brand: String,
    #[serde(default)]
    pub brand_id: String,
    /// `sign-in` or `error` ([`Page::segment`]).
    pub page: String,
    /// `customized` or `preview` ([`Slot::segment`]).
    pub slot: String,
}

impl PageOf {
    /// The page and slot to restore it to; `None` for a slot that cannot be written.
    pub fn target(&self) -> Option<(Page, Slot)> {
        let page = Page::from_segment(&self.page)?;
        match Slot::from_segment(&self.slot)? {
            Slot::Default => None,
            slot => Some((page, slot)),
        }
    }
}

/// A policy rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleOf {
    /// The timestamp of the run that took it: the backups of one `kmsi apply` share it.
    pub run: String,
    /// `ACCESS_POLICY` or `OKTA_SIGN_ON`.
    #[serde(default)]
    pub policy_type: String,
    pub policy_id: String,
    #[serde(default)]
    pub policy: String,
    pub rule_id: String,
    #[serde(default)]
    pub rule: String,
}

impl Backup {
    /// A backup of `page` in `slot` of a brand, taken now.
    pub fn page(
        env: &str,
        brand: &str,
        brand_id: &str,
        page: Page,
        slot: Slot,
        body: Option<&Value>,
    ) -> Backup {
        Backup {
            environment: env.to_string(),
            taken_at: super::clock::timestamp(),
            of: Held::Page(PageOf {
                brand: brand.to_string(),
                brand_id: brand_id.to_string(),
                page: page.segment().to_string(),
                slot: slot.segment().to_string(),
            }),
            body: body.cloned().unwrap_or(Value::Null),
        }
    }

    /// A backup of a policy rule, taken now, as part of `run`.
    pub fn rule(env: &str, rule: RuleOf, body: &Value) -> Backup {
        Backup {
            environment: env.to_string(),
            taken_at: super::clock::timestamp(),
            of: Held::Rule(rule),
            body: body.clone(),
        }
    }

    /// A backup of a part of a brand, taken now, as part of `run`.
    pub fn part(
        env: &str,
        brand: &str,
        brand_id: &str,
        part: super::assets::Part,
        run: &str,
        body: &Value,
    ) -> Backup {
        Backup {
            environment: env.to_string(),
            taken_at: super::clock::timestamp(),
            of: Held::Part(PartOf {
                brand: brand.to_string(),
                brand_id: brand_id.to_string(),
                part: part.segment().to_string(),
                run: run.to_string(),
            }),
            body: body.clone(),
        }
    }

    /// Its file name: `<takenAt>-<page>-<slot>.json`, `<run>-<policyId>-<ruleId>.json`,
    /// `<run>-<part>.json`.
    pub fn file_name(&self) -> String {
        match &self.of {
            Held::Part(p) => format!("{}-{}.json", p.run, p.part),
            Held::Page(p) => format!("{}-{}-{}.json", self.taken_at, p.page, p.slot),
            Held::Rule(r) => format!("{}-{}-{}.json", r.run, r.policy_id, r.rule_id),
        }
    }
}

/// `.signin-pages/backups/<env>/<folder>/`.
pub fn folder(root: &Path, env: &str, name: &str) -> PathBuf {
    root.join(".signin-pages/backups").join(env).join(name)
}

/// Write `backup` into `backups/<its environment>/<folder>/` (atomic and durable). An
/// error here must stop the write it guards.
pub fn write(root: &Path, folder_name: &str, backup: &Backup) -> Result<PathBuf, WriteError> {
    let path = folder(root, &backup.environment, folder_name).join(backup.file_name());
    let mut text = serde_json::to_string_pretty(backup).expect("backups serialize");
    text.push('\n');
    crate::write::atomic(root, &path, text.as_bytes())?;
    Ok(path)
}

/// A backup read from disk.
#[derive(Debug, Clone)]
pub struct Stored {
    pub path: PathBuf,
    pub file_name: String,
    pub backup: Backup,
}

impl Stored {
    /// Whether `name` names it: its file name, with or without `.json`.
    pub fn is_named(&self, name: &str) -> bool {
        self.file_name == name || self.file_name.trim_end_matches(".json") == name
    }

    pub fn page_of(&self) -> Option<&PageOf> {
        match &self.backup.of {
            Held::Page(p) => Some(p),
            _ => None,
        }
    }

    pub fn rule_of(&self) -> Option<&RuleOf> {
        match &self.backup.of {
            Held::Rule(r) => Some(r),
            _ => None,
        }
    }

    pub fn part_of(&self) -> Option<&PartOf> {
        match &self.backup.of {
            Held::Part(p) => Some(p),
            _ => None,
        }
    }
}

/// Every backup in `dir`, oldest first (by file name); files that are not backups are
/// passed over.
pub fn read(dir: &Path) -> Vec<Stored> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<Stored> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
        .filter_map(|e| {
            let backup = serde_json::from_slice(&std::fs::read(e.path()).ok()?).ok()?;
            Some(Stored {
                path: e.path(),
                file_name: e.file_name().to_string_lossy().into_owned(),
                backup,
            })
        })
        .collect();
    out.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    out
}

/// Every page backup of a brand, oldest first. A brand whose name is not ASCII had another
/// folder before folder names kept every script ([`crate::config::ascii_brand_dir`]);
/// its backups there (and only its own: several names shared such a folder) are
/// listed too.
pub fn pages(root: &Path, env: &str, brand: &crate::config::Brand) -> Vec<Stored> {
    let name = brand.name.get_ref();
    let mut out: Vec<Stored> = read(&folder(root, env, &brand.dir))
        .into_iter()
        .filter(|s| s.page_of().is_some())
        .collect();
    let legacy = crate::config::ascii_brand_dir(name);
    if legacy != brand.dir {
        out.extend(
            read(&folder(root, env, &legacy))
                .into_iter()
                .filter(|s| s.page_of().is_some_and(|p| p.brand == *name)),
        );
    }
    out.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    out
}

/// Every backup of a brand's other parts (theme, images, sign-out page, brand), oldest
/// first.
pub fn parts(root: &Path, env: &str, brand: &crate::config::Brand) -> Vec<Stored> {
    read(&folder(root, env, &brand.dir))
        .into_iter()
        .filter(|s| s.part_of().is_some())
        .collect()
}

/// Newest first, the first page backup whose content differs from what its slot holds
/// now (`now` reads a slot; each slot is read once). A rollback whose write failed
/// leaves a backup of the current state, which must not be "restored": this skips it.
pub fn latest_that_differs<E>(
    backups: &[Stored],
    mut now: impl FnMut(Page, Slot) -> Result<Option<Value>, E>,
) -> Result<Option<&Stored>, E> {
    let mut seen: Vec<((Page, Slot), Option<Value>)> = Vec::new();
    for b in backups.iter().rev() {
        let Some(key) = b.page_of().and_then(PageOf::target) else {
            continue;
        };
        let current = match seen.iter().find(|(k, _)| *k == key) {
            Some((_, v)) => v.clone(),
            None => {
                let v = now(key.0, key.1)?;
                seen.push((key, v.clone()));
                v
            }
        };
        let body = &b.backup.body;
        let same = match (&current, body.is_null()) {
            (None, true) => true,
            (Some(cur), false) => field_changes(Some(cur), &without_nulls(body)).is_empty(),
            _ => false,
        };
        if !same {
            return Ok(Some(b));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_kinds_read_back_as_they_were_written() {
        let page = json!({"brand": "Acme", "brandId": "b1", "environment": "prod", "page": "sign-in", "slot": "preview", "takenAt": "20260101T000000.000Z", "body": null});
        let b: Backup = serde_json::from_value(page.clone()).unwrap();
        let Held::Page(of) = &b.of else {
            panic!("a page backup read as {b:?}")
        };
        assert_eq!(of.target(), Some((Page::SignIn, Slot::Preview)));
        assert_eq!(serde_json::to_value(&b).unwrap(), page);
        assert_eq!(b.file_name(), "20260101T000000.000Z-sign-in-preview.json");
        let rule = json!({"environment": "prod", "run": "R", "takenAt": "T", "policyType": "ACCESS_POLICY", "policyId": "p", "policy": "P", "ruleId": "r", "rule": "Rule", "body": {"id": "r"}});
        let b: Backup = serde_json::from_value(rule.clone()).unwrap();
        assert!(matches!(b.of, Held::Rule(_)));
        assert_eq!(serde_json::to_value(&b).unwrap(), rule);
        assert_eq!(b.file_name(), "R-p-r.json");
        let part = json!({"brand": "Acme", "brandId": "b1", "environment": "prod", "part": "logo", "run": "R", "takenAt": "T", "body": {"url": null}});
        let b: Backup = serde_json::from_value(part.clone()).unwrap();
        let Held::Part(of) = &b.of else {
            panic!("a part backup read as {b:?}")
        };
        assert_eq!(
            super::super::assets::Part::from_segment(&of.part),
            Some(super::super::assets::Part::Image(
                crate::config::ImageKey::Logo
            ))
        );
        assert_eq!(serde_json::to_value(&b).unwrap(), part);
        assert_eq!(b.file_name(), "R-logo.json");
    }

    #[test]
    fn the_latest_backup_that_differs_skips_what_the_org_already_holds() {
        let stored = |name: &str, slot: Slot, body: Value| Stored {
            path: PathBuf::from(name),
            file_name: name.into(),
            backup: Backup::page("prod", "Acme", "b1", Page::SignIn, slot, Some(&body)),
        };
        let page = |c: &str| json!({"pageContent": c, "widgetVersion": "^7"});
        let all = [
            stored("1", Slot::Preview, page("<p>1</p>")),
            stored("2", Slot::Customized, page("<p>live</p>")),
            stored("3", Slot::Preview, page("<p>now</p>")),
        ];
        // Preview holds what backup 3 holds (plus a null Okta answers): 2 is the newest
        // that differs from its own slot; each slot is read once.
        let mut reads = Vec::new();
        let chosen = latest_that_differs(&all, |p, s| {
            reads.push((p, s));
            Ok::<_, ()>(Some(match s {
                Slot::Preview => {
                    json!({"pageContent": "<p>now</p>", "widgetVersion": "^7", "x": null})
                }
                _ => page("<p>edited in Okta</p>"),
            }))
        });
        assert_eq!(chosen.unwrap().unwrap().file_name, "2");
        assert_eq!(
            reads,
            [
                (Page::SignIn, Slot::Preview),
                (Page::SignIn, Slot::Customized)
            ]
        );
        // Every slot as its latest backup: nothing to roll back.
        let same = latest_that_differs(&all[2..], |_, _| Ok::<_, ()>(Some(page("<p>now</p>"))));
        assert!(same.unwrap().is_none());
        // An empty slot and a backup of an empty slot are the same.
        let empty = [stored("4", Slot::Preview, Value::Null)];
        assert!(
            latest_that_differs(&empty, |_, _| Ok::<_, ()>(None))
                .unwrap()
                .is_none()
        );
    }
}
