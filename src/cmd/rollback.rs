use crate::cli::{GlobalArgs, RollbackArgs};
use crate::cmd::Outcome;
use crate::cmd::deploy::page_name;
use crate::kmsi;
use crate::okta::ops::{self, Page, Slot};
use crate::remote;

pub(crate) fn execute(g: &GlobalArgs, a: &RollbackArgs) -> Outcome {
    if a.policies {
        return policies(g, a);
    }
    let Some(brand_name) = a.brand.as_deref() else {
        errln!("error: name the brand with --brand, or restore policy rules with --policies");
        return Outcome::Failure;
    };
    let Some(project) = crate::cmd::remote::load_project(g) else {
        return Outcome::Failure;
    };
    let Some(env) = project.config.environments.iter().find(|e| e.name == a.env) else {
        errln!(
            "error: no environment named `{}` in signin-pages.toml",
            a.env
        );
        return Outcome::Failure;
    };
    let Some(brand) = project
        .config
        .brands
        .iter()
        .find(|b| b.name.get_ref() == brand_name)
    else {
        errln!("error: no brand named `{brand_name}` in signin-pages.toml");
        return Outcome::Failure;
    };
    let backups = remote::list_backups(&project.root, &env.name, brand);
    let Some(client) = crate::cmd::remote::client_for(g, &project, env) else {
        return Outcome::Failure;
    };
    let chosen = match &a.to {
        Some(name) => backups.iter().find(|b| {
            b.file_name == *name || b.file_name.trim_end_matches(".json") == name.as_str()
        }),
        // The latest backup that differs from what the org holds now: a rollback whose
        // write failed leaves a backup of the current state, which must not be "restored".
        None => match latest_that_differs(&client, brand_name, &backups) {
            Ok(Some(b)) => Some(b),
            Ok(None) if !backups.is_empty() => {
                crate::cmd::status(
                    g,
                    &format!(
                        "nothing to roll back: {} / {brand_name} already holds what its latest backups hold",
                        env.name
                    ),
                );
                return Outcome::Success;
            }
            Ok(None) => None,
            Err(e) => {
                errln!("error: {e}");
                return Outcome::Failure;
            }
        },
    };
    let Some(backup) = chosen else {
        errln!(
            "error: {} for {} / {}",
            if a.to.is_some() {
                "no such backup"
            } else {
                "no backups"
            },
            env.name,
            brand_name
        );
        errln!(
            "help: `signin-pages backups list --env {} --brand \"{}\"` shows them",
            env.name,
            brand_name
        );
        return Outcome::Failure;
    };
    let page = if backup.page == "error" {
        Page::Error
    } else {
        Page::SignIn
    };
    let slot = match backup.slot.as_str() {
        "customized" => Slot::Customized,
        "preview" => Slot::Preview,
        other => {
            errln!(
                "error: backup {} is of slot `{other}`, which cannot be restored",
                backup.file_name
            );
            return Outcome::Failure;
        }
    };
    let result = (|| -> Result<String, String> {
        let brands = ops::list_brands(&client).map_err(|e| e.to_string())?;
        let org_brand = ops::resolve(&brands, brand_name)?;
        let current =
            ops::get_page(&client, &org_brand.id, page, slot).map_err(|e| e.to_string())?;
        let saved = remote::save_backup(
            &remote::BackupOf {
                root: &project.root,
                env: &env.name,
                brand: brand_name,
                brand_dir: &brand.dir,
                brand_id: &org_brand.id,
            },
            page,
            slot,
            current.as_ref(),
        )
        .map_err(|e| format!("not restored: the backup of the current state failed: {e}"))?;
        if backup.body.is_null() {
            ops::delete_page(&client, &org_brand.id, page, slot).map_err(|e| e.to_string())?;
            return Ok(format!(
                "removed the {} {} page (it was absent at the backup); the previous state is in {}",
                slot.segment(),
                page_name(page),
                saved.display()
            ));
        }
        let body = remote::without_nulls(&backup.body);
        let answer =
            ops::put_page(&client, &org_brand.id, page, slot, &body).map_err(|e| e.to_string())?;
        let differ = remote::mismatches(&body, &answer);
        if !differ.is_empty() {
            return Err(format!(
                "Okta answered different values for: {}",
                differ.join(", ")
            ));
        }
        Ok(format!(
            "restored {} ({} {}); the state before is in {}",
            backup.file_name,
            slot.segment(),
            page_name(page),
            saved.display()
        ))
    })();
    crate::cmd::conclude(g, result)
}

/// `rollback --policies`: put back the policy rules `kmsi apply` backed up (the latest
/// run's, or `--to` a file or a run), after backing up what the org has now.
fn policies(g: &GlobalArgs, a: &RollbackArgs) -> Outcome {
    let Some((project, i)) = crate::cmd::kmsi::load(g, &a.env) else {
        return Outcome::Failure;
    };
    let env = &project.config.environments[i];
    let all = kmsi::list_rule_backups(&project.root, &env.name);
    let chosen = match kmsi::select_backups(&all, a.to.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            errln!("error: {e} for {}", env.name);
            errln!(
                "help: `kmsi apply` saves each rule it changes under .signin-pages/backups/{}/policies/",
                env.name
            );
            return Outcome::Failure;
        }
    };
    let Some(client) = crate::cmd::remote::client_for(g, &project, env) else {
        return Outcome::Failure;
    };
    let done = kmsi::restore(&client, &project.root, &env.name, &chosen);
    crate::cmd::kmsi::print_done(&done);
    crate::cmd::kmsi::requests(g, &client);
    crate::cmd::kmsi::finish(&done, "rollback --policies")
}

fn page_slot(b: &remote::Backup) -> Option<(Page, Slot)> {
    let page = if b.page == "error" {
        Page::Error
    } else {
        Page::SignIn
    };
    let slot = match b.slot.as_str() {
        "customized" => Slot::Customized,
        "preview" => Slot::Preview,
        _ => return None,
    };
    Some((page, slot))
}

/// Newest first, the first backup whose content differs from what its slot holds now.
fn latest_that_differs<'a>(
    client: &crate::okta::Client,
    brand: &str,
    backups: &'a [remote::Backup],
) -> Result<Option<&'a remote::Backup>, String> {
    if backups.is_empty() {
        return Ok(None);
    }
    let brands = ops::list_brands(client).map_err(|e| e.to_string())?;
    let id = ops::resolve(&brands, brand)?.id.clone();
    let mut now: Vec<((Page, Slot), Option<serde_json::Value>)> = Vec::new();
    for b in backups.iter().rev() {
        let Some(key) = page_slot(b) else { continue };
        let current = match now.iter().find(|(k, _)| *k == key) {
            Some((_, v)) => v.clone(),
            None => {
                let v = ops::get_page(client, &id, key.0, key.1).map_err(|e| e.to_string())?;
                now.push((key, v.clone()));
                v
            }
        };
        let same = match (&current, b.body.is_null()) {
            (None, true) => true,
            (Some(cur), false) => {
                remote::field_changes(Some(cur), &remote::without_nulls(&b.body)).is_empty()
            }
            _ => false,
        };
        if !same {
            return Ok(Some(b));
        }
    }
    Ok(None)
}
