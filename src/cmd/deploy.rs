use crate::cli::{DeployArgs, GlobalArgs};
use crate::cmd::remote::{build_for, connect, table};
use crate::cmd::{Outcome, status};
use crate::okta::ops::Page;
use crate::publish::{self, Mode, Options};
use crate::remote::show;

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
    let outcomes = match publish::deploy(&client, &compiled, env, mode, opts) {
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
            outln!("{} / {}:", o.brand, page_name(o.page));
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
                page_name(o.page).to_string(),
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
    let stats = &client.stats;
    status(
        g,
        &format!(
            "{} request{} to Okta, {} retr{}",
            stats.requests.load(std::sync::atomic::Ordering::Relaxed),
            if stats.requests.load(std::sync::atomic::Ordering::Relaxed) == 1 {
                ""
            } else {
                "s"
            },
            stats.retries.load(std::sync::atomic::Ordering::Relaxed),
            if stats.retries.load(std::sync::atomic::Ordering::Relaxed) == 1 {
                "y"
            } else {
                "ies"
            }
        ),
    );
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

pub(crate) fn page_name(p: Page) -> &'static str {
    match p {
        Page::SignIn => "sign-in",
        Page::Error => "error",
    }
}
