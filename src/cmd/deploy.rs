//! `deploy`: build, then send to preview or live ([`crate::org::deploy`]); the org
//! preflight's findings, then a table of what happened to each page.

use crate::cli::{DeployArgs, GlobalArgs, OutputFormat};
use crate::cmd::Outcome;
use crate::cmd::remote::{build_for, connect, requests, table};
use crate::org::deploy::{self, Mode, Options, Stopped};
use crate::org::fields::show;
use crate::org::preflight::{Level, Report};

/// The preflight's findings on stderr, one block each: problems always, warnings unless
/// `--quiet`.
pub(crate) fn show_preflight(g: &GlobalArgs, report: &Report) {
    for f in &report.findings {
        if f.level == Level::Problem || !g.quiet {
            errln!("{f}");
        }
    }
}

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
    let json = a.format == OutputFormat::Json;
    let done = match deploy::deploy(&client, &compiled, env, mode, opts) {
        Ok(d) => d,
        Err(stop) => {
            match &stop {
                Stopped::Brands(errors) => {
                    for e in errors {
                        errln!("error: {e}");
                    }
                }
                Stopped::Preflight(report) => {
                    show_preflight(g, report);
                    let n = report.problems().count();
                    errln!(
                        "error: nothing was sent to Okta: the org preflight found {n} problem{} (above); no brand is written until every brand passes it",
                        if n == 1 { "" } else { "s" }
                    );
                }
            }
            if json {
                let doc =
                    crate::report::deploy::Document::stopped(&env.name, mode, a.dry_run, &stop);
                outln!("{}", crate::report::to_json(&doc));
            }
            if matches!(stop, Stopped::Preflight(_)) {
                requests(g, &client);
            }
            return Outcome::Failure;
        }
    };
    show_preflight(g, &done.preflight);
    if json {
        let doc = crate::report::deploy::Document::new(&env.name, mode, a.dry_run, &done);
        outln!("{}", crate::report::to_json(&doc));
    } else {
        print_human(a, env, mode, &done);
    }
    requests(g, &client);
    let failed: Vec<&str> = done
        .outcomes
        .iter()
        .filter(|o| !o.ok)
        .map(|o| o.brand.as_str())
        .chain(
            done.parts
                .iter()
                .filter(|o| !o.ok)
                .map(|o| o.brand.as_str()),
        )
        .collect();
    if failed.is_empty() {
        Outcome::Success
    } else {
        let mut names = failed.clone();
        names.sort_unstable();
        names.dedup();
        errln!(
            "error: not done for: {} (rerun the same command: what was done is skipped)",
            names.join(", ")
        );
        Outcome::Failure
    }
}

/// What a deploy did, for people: the plan of a dry run, then a table of every page and
/// part, then where to see the preview.
fn print_human(
    a: &DeployArgs,
    env: &crate::config::Environment,
    mode: Mode,
    done: &deploy::Deployed,
) {
    let outcomes = &done.outcomes;
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
        for o in outcomes {
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
    if a.dry_run {
        for o in done.parts.iter().filter(|o| !o.changes.is_empty()) {
            outln!("{} / {}:", o.brand, o.part.segment());
            for c in &o.changes {
                outln!("  {}: {} → {}", c.field, show(&c.old), show(&c.new));
            }
        }
    }
    if done.parts_left {
        outln!(
            "theme, images, sign-out page and brand settings: left alone (Okta has no preview of them; `deploy --publish` brings them in line)"
        );
    }
    let rows: Vec<Vec<String>> = outcomes
        .iter()
        .map(|o| {
            row(
                &o.brand,
                o.page.segment(),
                o.action,
                o.ok,
                &o.detail,
                o.changes.len(),
            )
        })
        .chain(done.parts.iter().map(|o| {
            row(
                &o.brand,
                o.part.segment(),
                o.action,
                o.ok,
                &o.detail,
                o.changes.len(),
            )
        }))
        .collect();
    out!(
        "{}",
        table(&["brand", "page", "action", "result", "detail"], &rows)
    );
    if mode == Mode::Preview && !a.dry_run {
        // Where to look: Okta serves the preview at /login/preview of the brand's domain.
        for (brand, domains) in &done.preflight.domains {
            for d in domains {
                outln!("preview of {brand}: https://{d}/login/preview");
            }
        }
    }
}

/// One row of the table: a page or a part of one brand.
fn row(
    brand: &str,
    what: &str,
    action: &str,
    ok: bool,
    detail: &str,
    changed: usize,
) -> Vec<String> {
    let detail = if detail.is_empty() && changed > 0 {
        format!(
            "{changed} field{} changed",
            if changed == 1 { "" } else { "s" }
        )
    } else {
        detail.to_string()
    };
    vec![
        brand.to_string(),
        what.to_string(),
        action.to_string(),
        if ok { "ok" } else { "FAILED" }.to_string(),
        detail,
    ]
}
