use crate::cli::{BackupsArgs, BackupsCommand, GlobalArgs};
use crate::cmd::Outcome;
use crate::cmd::remote::table;
use crate::remote;

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
            for k in remote::list_backups(&project.root, &e.name, b) {
                let state = if k.body.is_null() { "absent" } else { "page" };
                rows.push(vec![
                    e.name.clone(),
                    b.name.get_ref().clone(),
                    k.page,
                    k.slot,
                    state.to_string(),
                    k.file_name,
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
