//! `signin-pages check`: compile every target in memory and report what the checks find,
//! for people, as JSON Lines or as GitHub annotations; exit 1 on errors (or warnings with
//! `--deny-warnings`).

use crate::cli::{CheckArgs, GlobalArgs};
use crate::cmd::{Outcome, report, status};
use crate::compile::{self, Keep, Options, compile};
use crate::diag::{Format, Severity};
use crate::plan::Filter;

pub(crate) fn execute(g: &GlobalArgs, a: &CheckArgs) -> Outcome {
    let filter = Filter {
        env: a.targets.env.clone(),
        brand: a.targets.brand.clone(),
    };
    let progress = a.format == Format::Human && !g.quiet && compile::progress_allowed();
    let options = Options {
        progress,
        keep: Keep::Findings,
    };
    let compiled = compile(&g.project, &filter, options);
    report(g, &compiled.diags, a.format);
    let failed = compiled.diags.has_errors()
        || (a.deny_warnings && compiled.diags.count(Severity::Warning) > 0);
    if a.format == Format::Human && compiled.diags.is_empty() {
        let n = compiled.rendered;
        status(
            g,
            &format!(
                "checked {n} target{}: no problems found",
                if n == 1 { "" } else { "s" }
            ),
        );
    }
    if failed {
        Outcome::Failure
    } else {
        Outcome::Success
    }
}
