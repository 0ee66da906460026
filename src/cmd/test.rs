//! `signin-pages test [--accept]`: compare every target's output with `snapshots/`, or
//! accept the new output as the snapshots. With `--visual`, the same for screenshots of
//! the sign-in pages (`visual`).

use crate::cli::{GlobalArgs, TestArgs};
use crate::cmd::{Outcome, report, report_write_error, status};
use crate::compile::{Options, compile};
use crate::diag::Format;
use crate::emit::{self, SnapshotChange};
use crate::plan::Filter;
use crate::visual::{self, Outcome as ShotOutcome, Tolerance, Widget};

pub(crate) fn execute(g: &GlobalArgs, a: &TestArgs) -> Outcome {
    if a.visual {
        return visual(g, a);
    }
    let compiled = compile(&g.project, &Filter::default(), Options::default());
    report(g, &compiled.diags, Format::Human);
    if compiled.diags.has_errors() {
        return Outcome::Failure;
    }
    let changes = emit::compare_snapshots(&g.project, &compiled.outputs);
    if a.accept {
        if let Err(e) = emit::accept_snapshots(&g.project, &compiled.outputs, &changes) {
            report_write_error(g, &e);
            return Outcome::Failure;
        }
        status(
            g,
            &format!(
                "accepted {} change{} into snapshots/",
                changes.len(),
                if changes.len() == 1 { "" } else { "s" }
            ),
        );
        return Outcome::Success;
    }
    for c in &changes {
        match c {
            SnapshotChange::New { path } => outln!("new: {path} (no snapshot yet)"),
            SnapshotChange::Stale { path } => {
                outln!("stale: {path} (the project no longer produces it)")
            }
            SnapshotChange::Changed { diff, .. } => out!("{diff}"),
        }
    }
    let files: usize = compiled.outputs.iter().map(|o| o.files().len()).sum();
    if changes.is_empty() {
        status(g, &format!("{files} snapshot files match"));
        Outcome::Success
    } else {
        status(
            g,
            &format!(
                "{} of the snapshot files differ; run `signin-pages test --accept` to accept them",
                changes.len()
            ),
        );
        Outcome::Failure
    }
}

/// `test --visual [--accept]`: the project is compiled and checked first (as `test`
/// does); the screenshots come from the preview (`visual::run`).
fn visual(g: &GlobalArgs, a: &TestArgs) -> Outcome {
    let filter = Filter {
        env: a.env.clone(),
        brand: a.brand.clone(),
    };
    let compiled = compile(&g.project, &filter, Options::default());
    report(g, &compiled.diags, Format::Human);
    let Some(project) = compiled
        .project
        .as_ref()
        .filter(|_| !compiled.diags.has_errors())
    else {
        return Outcome::Failure;
    };
    let locales: Vec<String> = project.locales.iter().map(|l| l.tag.clone()).collect();
    let picked = visual::pick(&a.state, &visual::states(), "widget state")
        .and_then(|s| Ok((s, visual::pick(&a.locale, &locales, "locale")?)));
    let (states, locales) = match picked {
        Ok(p) => p,
        Err(e) => {
            errln!("error: {e}");
            return Outcome::Failure;
        }
    };
    let targets: Vec<visual::Target> = compiled
        .outputs
        .iter()
        .map(|o| visual::Target { dir: o.dir.clone() })
        .collect();
    let filtered =
        a.env.is_some() || a.brand.is_some() || !a.state.is_empty() || !a.locale.is_empty();
    let options = visual::Options {
        chromium: a.chromium.clone(),
        widget_dir: a.widget_dir.clone(),
        accept: a.accept,
        tolerance: Tolerance {
            threshold: a.threshold,
            max_share: a.max_diff / 100.0,
        },
        color: g.color,
    };
    let mut print = |shot: &visual::Shot, outcome: &ShotOutcome| match outcome {
        ShotOutcome::Matched { .. } => {}
        ShotOutcome::New { new } => outln!("new: {new} (no accepted screenshot yet)"),
        ShotOutcome::Changed {
            new,
            diff,
            difference,
        } => outln!(
            "changed: {} ({difference}): see {new} and {diff}",
            shot.path(".png")
        ),
        ShotOutcome::Unreadable { new, reason } => outln!(
            "unreadable: {} ({reason}): the new screenshot is {new}",
            shot.path(".png")
        ),
        ShotOutcome::Accepted { path } => outln!("accepted: {path}"),
    };
    let run = visual::run(
        &g.project, &targets, &states, &locales, filtered, &options, &mut print,
    );
    let report = match run {
        Ok(r) => r,
        Err(visual::VisualError::Write(e)) => {
            report_write_error(g, &e);
            return Outcome::Failure;
        }
        Err(e) => {
            errln!("error: {e}");
            return Outcome::Failure;
        }
    };
    for path in &report.stale {
        if a.accept {
            outln!("removed: {path} (the project no longer has its target, state or locale)");
        } else {
            outln!("stale: {path} (the project no longer has its target, state or locale)");
        }
    }
    let shots = report.results.len();
    let widget = match &report.widget {
        Widget::Real(dist) => format!("the Sign-In Widget from {}", dist.display()),
        Widget::StandIn => "the preview's stand-in widget (no @okta/okta-signin-widget in node_modules; give one with --widget-dir)".to_string(),
    };
    let rate = shots as f64 / report.took.as_secs_f64().max(0.001);
    status(
        g,
        &format!(
            "{shots} screenshot{} of {} target{} with {widget} in {:.1} s ({rate:.1}/s)",
            plural(shots),
            targets.len(),
            plural(targets.len()),
            report.took.as_secs_f64()
        ),
    );
    let failing = report.results.iter().filter(|(_, o)| o.fails()).count() + report.stale.len();
    if a.accept {
        let accepted = report
            .results
            .iter()
            .filter(|(_, o)| matches!(o, ShotOutcome::Accepted { .. }))
            .count();
        status(
            g,
            &format!(
                "accepted {accepted} screenshot{} into {}/",
                plural(accepted),
                visual::DIR
            ),
        );
        Outcome::Success
    } else if failing == 0 {
        let identical = report
            .results
            .iter()
            .filter(|(_, o)| matches!(o, ShotOutcome::Matched { identical: true }))
            .count();
        status(
            g,
            &format!(
                "{shots} screenshot{} match ({identical} byte for byte)",
                plural(shots)
            ),
        );
        Outcome::Success
    } else {
        if let Some(accepted) = report
            .accepted_browser
            .as_deref()
            .filter(|b| *b != report.browser)
        {
            errln!(
                "note: the accepted screenshots were taken with {accepted}, this run with {}: a browser update can move anti-aliasing and text; look at the diff images, and accept on the machine that compares",
                report.browser
            );
        }
        status(
            g,
            &format!(
                "{failing} of the screenshots differ or are new; run `signin-pages test --visual --accept` to accept them"
            ),
        );
        Outcome::Failure
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
