//! `backups list`: the backups of each environment and brand: its pages, and its
//! theme, images, sign-out page and brand settings.

use crate::cli::{BackupsArgs, BackupsCommand, GlobalArgs};
use crate::cmd::Outcome;
use crate::cmd::remote::table;
use crate::org::backup;

pub(crate) fn execute(g: &GlobalArgs, a: &BackupsArgs) -> Outcome {
    let BackupsCommand::List { env, brand } = &a.command;
    let Some(project) = crate::cmd::remote::load_project(g) else {
        return Outcome::Failure;
    };
    let mut rows = Vec::new();
    for e in &project.config.environments {
        if env.as_ref().is_some_and(|x| x != &e.name) {
            continue;
        }
        for b in &project.config.brands {
            if brand.as_ref().is_some_and(|x| x != b.name.get_ref()) {
                continue;
            }
            for k in backup::parts(&project.root, &e.name, b) {
                let Some(of) = k.part_of() else { continue };
                let held = if k.backup.body.get("url").is_some_and(|u| u.is_null()) {
                    "absent"
                } else {
                    of.part.as_str()
                };
                rows.push(vec![
                    e.name.clone(),
                    b.name.get_ref().clone(),
                    of.part.clone(),
                    "live".to_string(),
                    held.to_string(),
                    k.file_name.clone(),
                ]);
            }
            for k in backup::pages(&project.root, &e.name, b) {
                let Some(of) = k.page_of() else { continue };
                let state = if k.backup.body.is_null() {
                    "absent"
                } else {
                    "page"
                };
                rows.push(vec![
                    e.name.clone(),
                    b.name.get_ref().clone(),
                    of.page.clone(),
                    of.slot.clone(),
                    state.to_string(),
                    k.file_name.clone(),
                ]);
            }
        }
    }
    if rows.is_empty() {
        errln!(
            "no backups yet: they are taken before every write by deploy, rollback and kmsi apply"
        );
        return Outcome::Success;
    }
    out!(
        "{}",
        table(&["env", "brand", "page", "slot", "held", "backup"], &rows)
    );
    Outcome::Success
}
