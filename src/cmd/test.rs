//! `signin-pages test [--accept]`: compare every target's output with `snapshots/`, or
//! accept the new output as the snapshots.

use crate::cli::{GlobalArgs, TestArgs};
use crate::cmd::{Outcome, report, report_write_error, status};
use crate::compile::{Options, compile};
use crate::diag::Format;
use crate::emit::{self, SnapshotChange};
use crate::plan::Filter;

pub(crate) fn execute(g: &GlobalArgs, a: &TestArgs) -> Outcome {
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
