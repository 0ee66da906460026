//! `diff`: build, then compare with what the org holds ([`crate::org::diff`]); exit 2
//! when anything differs, 1 when the org preflight found a problem (or a page could not
//! be read). The exit code is the report's status ([`crate::report::diff`]), whichever
//! way it prints: for people, as JSON or as a Markdown job summary.

use crate::cli::{Against, DiffArgs, DiffFormat, GlobalArgs};
use crate::cmd::Outcome;
use crate::cmd::remote::{build_for, connect};
use crate::okta::pages::Slot;
use crate::org::assets::PartDiff;
use crate::org::diff::{PageDiff, diff};
use crate::org::fields::show;
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
    // The rest of the brand has no preview slot; after a preflight problem nothing more
    // is read.
    let parts = (slot == Slot::Customized && !report.has_problems())
        .then(|| crate::org::diff::diff_parts(&client, &compiled, &pairs));
    let doc = Document::new(&Found {
        environment: &a.remote.env,
        slot,
        preflight: &report,
        pages: &results,
        pairs: &pairs,
        parts: parts.as_deref(),
    });
    if a.format == DiffFormat::Human {
        print_human(slot, &compiled, &results, &doc, parts.as_deref());
    } else {
        for (brand, what, error) in doc
            .targets
            .iter()
            .map(|t| (&t.brand, t.page, &t.error))
            .chain(doc.parts.iter().map(|p| (&p.brand, p.part, &p.error)))
        {
            if let Some(e) = error {
                errln!("error: {brand} / {what}: {e}");
            }
        }
        print(a.format, &doc);
    }
    if report.has_problems() {
        let n = report.problems().count();
        errln!(
            "error: the org preflight found {n} problem{} (above): `deploy` would write nothing",
            if n == 1 { "" } else { "s" }
        );
    }
    match doc.status {
        Status::Equal => Outcome::Success,
        Status::Different | Status::MissingRemote => Outcome::Changes,
        Status::Error | Status::NotCompared => Outcome::Failure,
    }
}

/// For people: each page's fields (pageContent as the unified diff the document already
/// holds: `doc.targets` begins with one target per result, in order), then each part's.
fn print_human(
    slot: Slot,
    compiled: &crate::compile::Compiled,
    results: &[PageDiff],
    doc: &Document,
    parts: Option<&[PartDiff]>,
) {
    for (
        PageDiff {
            brand,
            page,
            result,
        },
        target,
    ) in results.iter().zip(&doc.targets)
    {
        match result.as_ref().map(|c| &c.changes) {
            Err(e) => errln!("error: {brand} / {}: {e}", page.segment()),
            Ok(changes) if changes.is_empty() => {
                outln!("{brand} / {}: no change", page.segment())
            }
            Ok(changes) => {
                outln!(
                    "{brand} / {}: {} field{} differ",
                    page.segment(),
                    changes.len(),
                    if changes.len() == 1 { "" } else { "s" }
                );
                for (c, f) in changes.iter().zip(&target.fields) {
                    if let Some(d) = &f.diff {
                        out!("{d}");
                    } else {
                        outln!("  {}: {} → {}", c.field, show(&c.old), show(&c.new));
                    }
                }
            }
        }
    }
    if slot == Slot::Preview && crate::org::diff::manages_parts(compiled) {
        outln!(
            "theme, images, sign-out page and brand settings: not compared (Okta has no preview of them; `diff` against live compares them)"
        );
    }
    for d in parts.unwrap_or_default() {
        let what = format!("{} / {}", d.brand, d.part.segment());
        match &d.changes {
            Err(e) => errln!("error: {what}: {e}"),
            Ok(c) if c.is_empty() => outln!("{what}: same"),
            Ok(c) => {
                outln!("{what}: changed");
                for c in c {
                    outln!("  {}: {} → {}", c.field, show(&c.old), show(&c.new));
                }
            }
        }
    }
}

fn print(format: DiffFormat, doc: &Document) {
    match format {
        DiffFormat::Markdown => out!("{}", crate::report::markdown::diff(doc)),
        _ => outln!("{}", crate::report::to_json(doc)),
    }
}
