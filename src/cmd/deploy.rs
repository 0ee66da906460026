//! `deploy`: build, then send to preview or live ([`crate::org::deploy`]); a table of
//! what happened to each page.

use crate::cli::{DeployArgs, GlobalArgs};
use crate::cmd::Outcome;
use crate::cmd::remote::{build_for, connect, requests, table};
use crate::org::deploy::{self, Mode, Options};
use crate::org::fields::show;

pub(crate) fn execute(g: &GlobalArgs, a: &DeployArgs) -> Outcome {
    let Some(compiled) = build_for(g, &a.remote) else {
        return Outcome::Failure;
    };
    let Some((env, client)) = connect(g, &compiled, &a.remote.env) else {
        return Outcome::Failure;
    };
    let mode = if a.publish {
        Mode::Publish
    } else {
        Mode::Preview
    };
    let opts = Options {
        dry_run: a.dry_run,
        yes: a.yes,
        allow_reset: a.allow_reset,
    };
    let outcomes = match deploy::deploy(&client, &compiled, env, mode, opts) {
        Ok(o) => o,
        Err(errors) => {
            for e in errors {
                errln!("error: {e}");
            }
            return Outcome::Failure;
        }
    };
    let slot = if a.publish {
        "live (customized)"
    } else {
        "preview"
    };
    if a.dry_run {
        outln!(
            "plan for {} → {slot} (dry run: nothing is written)",
            env.name
        );
        for o in &outcomes {
            if o.changes.is_empty() {
                continue;
            }
            outln!("{} / {}:", o.brand, o.page.segment());
            for c in &o.changes {
                if c.field == "pageContent" {
                    outln!(
                        "  pageContent: changes ({} → {} bytes)",
                        c.old.as_str().map_or(0, str::len),
                        c.new.as_str().map_or(0, str::len)
                    );
                } else {
                    outln!("  {}: {} → {}", c.field, show(&c.old), show(&c.new));
                }
            }
        }
    }
    let rows: Vec<Vec<String>> = outcomes
        .iter()
        .map(|o| {
            let result = if o.ok {
                "ok".to_string()
            } else {
                "FAILED".to_string()
            };
            let detail = if o.detail.is_empty() && !o.changes.is_empty() {
                format!(
                    "{} field{} changed",
                    o.changes.len(),
                    if o.changes.len() == 1 { "" } else { "s" }
                )
            } else {
                o.detail.clone()
            };
            vec![
                o.brand.clone(),
                o.page.segment().to_string(),
                o.action.to_string(),
                result,
                detail,
            ]
        })
        .collect();
    out!(
        "{}",
        table(&["brand", "page", "action", "result", "detail"], &rows)
    );
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.ok)
        .map(|o| o.brand.as_str())
        .collect();
    requests(g, &client);
    if failed.is_empty() {
        Outcome::Success
    } else {
        let mut names = failed.clone();
        names.dedup();
        errln!(
            "error: not done for: {} (rerun the same command: what was done is skipped)",
            names.join(", ")
        );
        Outcome::Failure
    }
}
