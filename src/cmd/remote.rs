//! What the remote commands share: build and check the environment's targets, connect.

use crate::cli::{GlobalArgs, RemoteArgs};
use crate::cmd::report;
use crate::compile::{self, Compiled, Options};
use crate::config::Environment;
use crate::diag::Format;
use crate::okta::Client;
use crate::plan::Filter;

/// Build and check `--env`/`--brand`; print diagnostics; `None` when errors stop it.
pub(crate) fn build_for(g: &GlobalArgs, r: &RemoteArgs) -> Option<Compiled> {
    let filter = Filter {
        env: Some(r.env.clone()),
        brand: r.brand.clone(),
    };
    let compiled = compile::compile(&g.project, &filter, Options::default());
    report(g, &compiled.diags, Format::Human);
    if compiled.diags.has_errors() {
        errln!("error: the build has errors: nothing was sent to Okta");
        return None;
    }
    Some(compiled)
}

/// Load the project (no build), printing what stops it.
pub(crate) fn load_project(g: &GlobalArgs) -> Option<crate::project::Project> {
    let mut diags = crate::diag::Diagnostics::new();
    let project = crate::project::load(&g.project, &mut diags);
    report(g, &diags.finish(), Format::Human);
    project
}

/// A client for an environment's org, or the reason printed.
pub(crate) fn client_for(
    g: &GlobalArgs,
    project: &crate::project::Project,
    env: &Environment,
) -> Option<Client> {
    match crate::org::connect(project, env, g.verbose) {
        Ok(c) => Some(c),
        Err(e) => {
            errln!("error: {e}");
            None
        }
    }
}

/// The environment and a client for its org.
pub(crate) fn connect<'a>(
    g: &GlobalArgs,
    compiled: &'a Compiled,
    env: &str,
) -> Option<(&'a Environment, Client)> {
    let project = compiled.project.as_ref()?;
    let env = project.config.environments.iter().find(|e| e.name == env)?;
    client_for(g, project, env).map(|c| (env, c))
}

/// "N requests to Okta, M retries", unless `--quiet`.
pub(crate) fn requests(g: &GlobalArgs, c: &Client) {
    use std::sync::atomic::Ordering::Relaxed;
    let (n, r) = (
        c.stats.requests.load(Relaxed),
        c.stats.retries.load(Relaxed),
    );
    crate::cmd::status(
        g,
        &format!(
            "{n} request{} to Okta, {r} retr{}",
            if n == 1 { "" } else { "s" },
            if r == 1 { "y" } else { "ies" }
        ),
    );
}

/// A plain table: a header row and rows, columns padded.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(&format!("{c:<w$}  ", w = widths[i]));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(header.iter().map(|h| h.to_string()).collect());
    for r in rows {
        out.push_str(&line(r.clone()));
    }
    out
}
