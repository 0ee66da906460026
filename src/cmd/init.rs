//! `signin-pages init [DIR] [--ci github|gitlab]`: write the starter project
//! (`starter`), and with `--ci` a CI workflow for it (`ci`). With `--ci`, a folder that
//! holds a project already gets only the workflow. Everything that can refuse (the
//! workflow file exists, the environment is unknown) is decided before the first write.

use std::sync::Arc;

use crate::ci::{self, CiSystem};
use crate::cli::{GlobalArgs, InitArgs};
use crate::cmd::{Outcome, report, status};
use crate::config::{self, CONFIG_FILE};
use crate::diag::{Diagnostics, Format};
use crate::project::read_source;
use crate::source::SourceFile;
use crate::starter;

pub(crate) fn execute(g: &GlobalArgs, a: &InitArgs) -> Outcome {
    let existing = a.ci.is_some() && a.dir.join(CONFIG_FILE).is_file();
    let workflow = match a.ci {
        Some(system) => match workflow(g, a, system, existing) {
            Some(w) => Some(w),
            None => return Outcome::Failure,
        },
        None => None,
    };
    if !existing {
        match starter::write(&a.dir) {
            Ok(n) => status(
                g,
                &format!(
                    "wrote a starter project ({n} files) into {}",
                    a.dir.display()
                ),
            ),
            Err(e) => {
                errln!("error: {e}");
                return Outcome::Failure;
            }
        }
    }
    if let Some((system, place, facts, text)) = workflow {
        if let Err(e) = ci::write(&place, &text) {
            errln!("error: {e}");
            return Outcome::Failure;
        }
        status(
            g,
            &format!(
                "wrote {}: checks every change, deploys environment `{}` to preview from main and live from v* tags",
                place.file.display(),
                facts.env
            ),
        );
        let (secret, approval) = match system {
            CiSystem::Github => (
                "repository secret",
                "the GitHub environment `production` with required reviewers",
            ),
            CiSystem::Gitlab => ("CI/CD variable", "a protected environment `production`"),
        };
        status(
            g,
            &format!(
                "next: add the {secret}{} {}, create {approval}, and commit the snapshots (signin-pages test --accept)",
                if facts.secrets.len() == 1 { "" } else { "s" },
                facts.secrets.join(", ")
            ),
        );
    }
    if !existing {
        status(
            g,
            &format!("next: signin-pages build --project {}", a.dir.display()),
        );
    }
    Outcome::Success
}

type Workflow = (CiSystem, ci::Place, ci::Facts, String);

/// The workflow for the project in `a.dir` (or for the starter, when there is none
/// yet), rendered but not written; `None` (said why) when it cannot be.
fn workflow(g: &GlobalArgs, a: &InitArgs, system: CiSystem, existing: bool) -> Option<Workflow> {
    let fail = |e: ci::CiError| {
        errln!("error: {e}");
        None
    };
    let place = match ci::place(system, &a.dir, a.force) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let mut diags = Diagnostics::new();
    let file = if existing {
        read_source(&a.dir, CONFIG_FILE, &mut diags)
    } else {
        starter::FILES
            .iter()
            .find(|(f, _)| *f == CONFIG_FILE)
            .map(|(f, text)| Arc::new(SourceFile::new(f.to_string(), text.to_string())))
    };
    let config = file.and_then(|f| config::parse(f, &mut diags));
    report(g, &diags, Format::Human);
    let Some(config) = config else {
        errln!("error: no workflow written: {CONFIG_FILE} has errors (above)");
        return None;
    };
    let env = match ci::environment(&config, a.ci_env.as_deref()) {
        Ok(e) => e,
        Err(e) => return fail(e),
    };
    let facts = match ci::facts(env, place.project_dir.clone()) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    let text = ci::render(system, &facts);
    Some((system, place, facts, text))
}
