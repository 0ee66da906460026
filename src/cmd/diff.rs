//! `diff`: build, then compare with what the org holds ([`crate::org::diff`]); exit 2
//! when anything differs, 1 when the org preflight found a problem (or a page could not
//! be read).

use crate::cli::{Against, DiffArgs, DiffFormat, GlobalArgs};
use crate::cmd::Outcome;
use crate::cmd::remote::{build_for, connect};
use crate::emit::unified_diff;
use crate::okta::pages::Slot;
use crate::org::diff::{PageDiff, diff};
use crate::org::fields::show;
use crate::org::preflight::Report;
use crate::report::diff::{Document, Found, Status};

pub(crate) fn execute(g: &GlobalArgs, a: &DiffArgs) -> Outcome {
    let Some(compiled) = build_for(g, &a.remote) else {
        return Outcome::Failure;
    };
    let Some((_, client)) = connect(g, &compiled, &a.remote.env) else {
        return Outcome::Failure;
    };
    let slot = match a.against {
        Against::Live => Slot::Customized,
        Against::Preview => Slot::Preview,
    };
    let (report, results, pairs) = match diff(&client, &compiled, slot) {
        Ok(r) => r,
        Err(errors) => {
            for e in &errors {
                errln!("error: {e}");
            }
            if a.format != DiffFormat::Human {
                print(a.format, &Document::stopped(&a.remote.env, slot, errors));
            }
            return Outcome::Failure;
        }
    };
    crate::cmd::deploy::show_preflight(g, &report);
    if a.format != DiffFormat::Human {
        return machine(a, &client, &compiled, slot, &report, &results, &pairs);
    }
    let (mut differ, mut failed) = (false, report.has_problems());
    for PageDiff {
        brand,
        page,
        result,
    } in results
    {
        match result.map(|c| c.changes) {
            Err(e) => {
                failed = true;
                errln!("error: {brand} / {}: {e}", page.segment());
            }
            Ok(changes) if changes.is_empty() => {
                outln!("{brand} / {}: no change", page.segment())
            }
            Ok(changes) => {
                differ = true;
                outln!(
                    "{brand} / {}: {} field{} differ",
                    page.segment(),
                    changes.len(),
                    if changes.len() == 1 { "" } else { "s" }
                );
                for c in changes {
                    if c.field == "pageContent" {
                        let path = format!("{}/{}", slot.segment(), page.segment());
                        out!(
                            "{}",
                            unified_diff(
                                c.old.as_str().unwrap_or(""),
                                c.new.as_str().unwrap_or(""),
                                &path
                            )
                        );
                    } else {
                        outln!("  {}: {} → {}", c.field, show(&c.old), show(&c.new));
                    }
                }
            }
        }
    }
    if slot == Slot::Preview && crate::org::diff::manages_parts(&compiled) {
        outln!(
            "theme, images, sign-out page and brand settings: not compared (Okta has no preview of them; `diff` against live compares them)"
        );
    }
    if slot == Slot::Customized && !report.has_problems() {
        let parts = crate::org::diff::diff_parts(&client, &compiled, &pairs);
        for d in parts {
            let what = format!("{} / {}", d.brand, d.part.segment());
            match d.changes {
                Err(e) => {
                    failed = true;
                    errln!("error: {what}: {e}");
                }
                Ok(c) if c.is_empty() => outln!("{what}: same"),
                Ok(c) => {
                    differ = true;
                    outln!("{what}: changed");
                    for c in c {
                        outln!("  {}: {} → {}", c.field, show(&c.old), show(&c.new));
                    }
                }
            }
        }
    }
    if report.has_problems() {
        let n = report.problems().count();
        errln!(
            "error: the org preflight found {n} problem{} (above): `deploy` would write nothing",
            if n == 1 { "" } else { "s" }
        );
    }
    if failed {
        Outcome::Failure
    } else if differ {
        Outcome::Changes
    } else {
        Outcome::Success
    }
}

/// `--format json|markdown`: one document on stdout, built from the same results (the
/// preflight's findings were said on stderr too; errors go in the document, and the exit
/// code is the document's `status`).
fn machine(
    a: &DiffArgs,
    client: &crate::okta::Client,
    compiled: &crate::compile::Compiled,
    slot: Slot,
    report: &Report,
    results: &[PageDiff],
    pairs: &[(&crate::compile::TargetOutput, crate::okta::brands::BrandRef)],
) -> Outcome {
    let parts = (slot == Slot::Customized && !report.has_problems())
        .then(|| crate::org::diff::diff_parts(client, compiled, pairs));
    let doc = Document::new(&Found {
        environment: &a.remote.env,
        slot,
        preflight: report,
        pages: results,
        pairs,
        parts: parts.as_deref(),
    });
    print(a.format, &doc);
    match doc.status {
        Status::Equal => Outcome::Success,
        Status::Different | Status::MissingRemote => Outcome::Changes,
        Status::Error | Status::NotCompared => Outcome::Failure,
    }
}

fn print(format: DiffFormat, doc: &Document) {
    match format {
        DiffFormat::Markdown => out!("{}", crate::report::markdown::diff(doc)),
        _ => outln!("{}", crate::report::to_json(doc)),
    }
}
