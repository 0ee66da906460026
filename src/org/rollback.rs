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
