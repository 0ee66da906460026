//! `rollback`: a brand's page back as a backup holds it ([`crate::org::rollback`]), or
//! with `--policies` the policy rules `kmsi apply` changed ([`crate::kmsi::backups`]).

use crate::cli::{GlobalArgs, RollbackArgs};
use crate::cmd::Outcome;
use crate::kmsi;
use crate::org::rollback::{PartsRolled, RollbackError, Rolled, rollback, rollback_parts};

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
    let env = match crate::org::environment(&project, &a.env) {
        Ok(e) => e,
        Err(e) => return crate::cmd::conclude(g, Err(e)),
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
    let Some(client) = crate::cmd::remote::client_for(g, &project, env) else {
        return Outcome::Failure;
    };
    let parts = rollback_parts(&client, &project.root, &env.name, brand, a.to.as_deref());
    let parts_done = match &parts {
        Ok(PartsRolled::Restored {
            from_run,
            parts,
            run,
        }) => {
            crate::cmd::status(
                g,
                &format!(
                    "restored {} as the deploy of {from_run} found them; the state before is backed up as run {run}",
                    parts.join(", ")
                ),
            );
            true
        }
        Ok(PartsRolled::NothingToDo) => false,
        Ok(PartsRolled::NoBackup { .. }) => false,
        Err(e) => {
            errln!("error: {} / {brand_name}: {e}", env.name);
            return Outcome::Failure;
        }
    };
    // The parts had backups (the one `--to` names among them): no page backup is fine.
    let parts_had = !matches!(parts, Ok(PartsRolled::NoBackup { .. }));
    let result = match rollback(&client, &project.root, &env.name, brand, a.to.as_deref()) {
        Ok(Rolled::NothingToDo) | Err(RollbackError::NoBackup { .. }) if parts_done => {
            return Outcome::Success;
        }
        Err(RollbackError::NoBackup { .. }) if parts_had => Ok(format!(
            "nothing to roll back: {} / {brand_name} already holds what its latest backups hold",
            env.name
        )),
        Ok(Rolled::NothingToDo) => Ok(format!(
            "nothing to roll back: {} / {brand_name} already holds what its latest backups hold",
            env.name
        )),
        Ok(Rolled::Restored {
            page,
            slot,
            removed: true,
            saved,
            ..
        }) => Ok(format!(
            "removed the {} {} page (it was absent at the backup); the previous state is in {}",
            slot.segment(),
            page.segment(),
            saved.display()
        )),
        Ok(Rolled::Restored {
            file_name,
            page,
            slot,
            saved,
            ..
        }) => Ok(format!(
            "restored {file_name} ({} {}); the state before is in {}",
            slot.segment(),
            page.segment(),
            saved.display()
        )),
        Err(RollbackError::NoBackup { named }) => {
            errln!(
                "error: {} for {} / {brand_name}",
                if named {
                    "no such backup"
                } else {
                    "no backups"
                },
                env.name,
            );
            errln!(
                "help: `signin-pages backups list --env {} --brand \"{brand_name}\"` shows them",
                env.name,
            );
            return Outcome::Failure;
        }
        Err(RollbackError::Failed(e)) => Err(e),
    };
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
    crate::cmd::remote::requests(g, &client);
    crate::cmd::kmsi::finish(&done, "rollback --policies")
}
