//! `rollback`: put a brand's page back as one of its backups holds it, after backing up
//! what the slot holds now (so that a rollback can be rolled back too).

use std::path::PathBuf;

use super::backup::{self, Backup, Stored};
use super::fields::{mismatches, without_nulls};
use crate::config::Brand;
use crate::okta::Client;
use crate::okta::pages::{self, Page, Slot};

/// What a rollback did.
#[derive(Debug)]
pub enum Rolled {
    /// The backup is back in its slot; `removed`: it held no page, so the slot was
    /// emptied. `saved` holds what the slot had before.
    Restored {
        file_name: String,
        page: Page,
        slot: Slot,
        removed: bool,
        saved: PathBuf,
    },
    /// Without `--to`: the org already holds what the brand's latest backups hold.
    NothingToDo,
}

#[derive(Debug)]
pub enum RollbackError {
    /// No backup of the brand (`named`: none with the name asked for).
    NoBackup { named: bool },
    /// It could not be done; the text says why.
    Failed(String),
}

/// Roll `brand` of `env` back: to the backup `to` names, or to the latest backup that
/// differs from what the org holds ([`backup::latest_that_differs`]).
pub fn rollback(
    client: &Client,
    root: &std::path::Path,
    env: &str,
    brand: &Brand,
    to: Option<&str>,
) -> Result<Rolled, RollbackError> {
    let failed = RollbackError::Failed;
    let backups = backup::pages(root, env, brand);
    let named = match to {
        Some(name) => Some(
            backups
                .iter()
                .find(|b| b.is_named(name))
                .ok_or(RollbackError::NoBackup { named: true })?,
        ),
        None if backups.is_empty() => return Err(RollbackError::NoBackup { named: false }),
        None => None,
    };
    let name = brand.name.get_ref();
    let org_brand = super::brands::find(client, name).map_err(failed)?;
    let chosen: &Stored = match named {
        Some(b) => b,
        None => {
            let latest = backup::latest_that_differs(&backups, |page, slot| {
                pages::get(client, &org_brand.id, page, slot)
            })
            .map_err(|e| failed(e.to_string()))?;
            match latest {
                Some(b) => b,
                None => return Ok(Rolled::NothingToDo),
            }
        }
    };
    let Some(of) = chosen.page_of() else {
        return Err(failed(format!("{} is not a page backup", chosen.file_name)));
    };
    let Some((page, slot)) = of.target() else {
        return Err(failed(format!(
            "backup {} is of slot `{}`, which cannot be restored",
            chosen.file_name, of.slot
        )));
    };
    let current =
        pages::get(client, &org_brand.id, page, slot).map_err(|e| failed(e.to_string()))?;
    let before = Backup::page(env, name, &org_brand.id, page, slot, current.as_ref());
    let saved = backup::write(root, &brand.dir, &before).map_err(|e| {
        failed(format!(
            "not restored: the backup of the current state failed: {e}"
        ))
    })?;
    let restored = |removed| Rolled::Restored {
        file_name: chosen.file_name.clone(),
        page,
        slot,
        removed,
        saved: saved.clone(),
    };
    let held = &chosen.backup.body;
    if held.is_null() {
        pages::delete(client, &org_brand.id, page, slot).map_err(|e| failed(e.to_string()))?;
        return Ok(restored(true));
    }
    let body = without_nulls(held);
    let answer =
        pages::put(client, &org_brand.id, page, slot, &body).map_err(|e| failed(e.to_string()))?;
    let differ = mismatches(&body, &answer);
    if !differ.is_empty() {
        return Err(failed(format!(
            "Okta answered different values for: {}",
            differ.join(", ")
        )));
    }
    Ok(restored(false))
}

/// What a rollback did to the brand's parts beside its pages.
#[derive(Debug)]
pub enum PartsRolled {
    /// The brand has no backups of them (`named`: none with the name asked for).
    NoBackup { named: bool },
    /// The org already holds what every run's backups hold.
    NothingToDo,
    /// Every part the chosen run backed up is back; what they held before is backed up
    /// under `run`.
    Restored {
        from_run: String,
        parts: Vec<&'static str>,
        run: String,
    },
}

/// Put the brand's theme, images, sign-out page and brand settings back as one deploy's
/// backups hold them: the run that `to` names (a backup file of it, or its timestamp),
/// or else the newest run whose backups differ from what the org holds. Each part is
/// backed up before it is written, as a deploy does.
pub fn rollback_parts(
    client: &Client,
    root: &std::path::Path,
    env: &str,
    brand: &Brand,
    to: Option<&str>,
) -> Result<PartsRolled, String> {
    use super::assets::{self, Part};
    let all = backup::parts(root, env, brand);
    if all.is_empty() {
        return Ok(PartsRolled::NoBackup { named: false });
    }
    let run_of = |s: &Stored| s.part_of().map(|p| p.run.clone()).unwrap_or_default();
    let mut runs: Vec<String> = all.iter().map(run_of).collect();
    runs.sort();
    runs.dedup();
    let name = brand.name.get_ref();
    let org_brand = super::brands::find(client, name)?;
    let in_run = |r: &str| -> Vec<(&Stored, Part)> {
        all.iter()
            .filter(|s| run_of(s) == r)
            .filter_map(|s| Some((s, Part::from_segment(&s.part_of()?.part)?)))
            .collect()
    };
    let chosen = match to {
        Some(t) => match all
            .iter()
            .find(|s| s.is_named(t))
            .map(run_of)
            .or_else(|| runs.iter().find(|r| r.as_str() == t).cloned())
        {
            Some(r) => r,
            None => return Ok(PartsRolled::NoBackup { named: true }),
        },
        None => {
            let mut found = None;
            for r in runs.iter().rev() {
                let mut differs = false;
                for (s, part) in in_run(r) {
                    if !assets::holds(client, &org_brand.id, part, &s.backup.body)? {
                        differs = true;
                        break;
                    }
                }
                if differs {
                    found = Some(r.clone());
                    break;
                }
            }
            match found {
                Some(r) => r,
                None => return Ok(PartsRolled::NothingToDo),
            }
        }
    };
    let run = super::clock::timestamp();
    let mut parts = Vec::new();
    for (s, part) in in_run(&chosen) {
        let cur = assets::current(client, &org_brand.id, part)?;
        let before = Backup::part(env, name, &org_brand.id, part, &run, &cur.body);
        backup::write(root, &brand.dir, &before).map_err(|e| {
            format!(
                "{} not restored: the backup of the current state failed: {e}",
                part.segment()
            )
        })?;
        assets::restore(client, &org_brand.id, part, &s.backup.body)
            .map_err(|e| format!("{}: {e}", part.segment()))?;
        parts.push(part.segment());
    }
    Ok(PartsRolled::Restored {
        from_run: chosen,
        parts,
        run,
    })
}
