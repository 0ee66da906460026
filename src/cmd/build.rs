//! `signin-pages build`: compile every target, and write `dist/` only when no check
//! found an error (all or nothing).

use crate::cli::{BuildArgs, GlobalArgs};
use crate::cmd::{Outcome, report, report_write_error, status};
use crate::compile::{self, Options, compile};
use crate::diag::Format;
use crate::emit;
use crate::plan::Filter;

pub(crate) fn execute(g: &GlobalArgs, a: &BuildArgs) -> Outcome {
    let start = std::time::Instant::now();
    let filter = Filter {
        env: a.targets.env.clone(),
        brand: a.targets.brand.clone(),
    };
    let compiled = compile(
        &g.project,
        &filter,
        Options {
            progress: !g.quiet && compile::progress_allowed(),
            ..Options::default()
        },
    );
    report(g, &compiled.diags, Format::Human);
    if compiled.diags.has_errors() {
        status(g, "build failed: nothing was written (dist/ is as it was)");
        return Outcome::Failure;
    }
    let dist = a.out.clone().unwrap_or_else(|| g.project.join("dist"));
    let filtered = filter.env.is_some() || filter.brand.is_some();
    // A filtered build keeps the files of the targets it did not render, nothing else.
    let carry = match (&compiled.project, filtered) {
        (Some(project), true) => compile::target_files(project),
        _ => Vec::new(),
    };
    if let Err(e) = emit::write_dist(&g.project, &dist, &compiled.outputs, &carry) {
        report_write_error(g, &e);
        status(g, "build failed: dist/ is as it was");
        return Outcome::Failure;
    }
    let n = compiled.outputs.len();
    status(
        g,
        &format!(
            "built {n} target{} into {} in {:.2?}",
            if n == 1 { "" } else { "s" },
            dist.display(),
            start.elapsed()
        ),
    );
    Outcome::Success
}
