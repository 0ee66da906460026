//! One render under the page's budgets ([`crate::budget`]): the time and output a page
//! may take, enforced by a hook between loop iterations and a capped writer. A render
//! that runs out becomes a T006 finding that points at the loop that was running.

use tera::{ErrorKind, Tera};

use super::Engine;
use crate::budget::{self, Exceeded, Limits};
use crate::diag::{Diagnostic, Location, Rule};

/// A render that ran out of budget: which budget, and the loop iterations it got through.
pub(super) struct Stopped {
    exceeded: Exceeded,
    iterations: u64,
}

/// Render `name` with `tera` under `limits`.
pub(super) fn render(
    tera: &Tera,
    name: &str,
    context: &tera::Context,
    limits: &Limits,
    size_hint: usize,
) -> Result<String, (tera::Error, Option<Stopped>)> {
    let guard = budget::Guard::start(*limits);
    let mut out = budget::Capped::new(limits, size_hint);
    let result = tera.render_to(name, context, &mut out);
    let (exceeded, iterations) = guard.outcome();
    drop(guard);
    // The writer lets a little past the budget through so that the loop hook can name
    // the loop; a page that ends within that slack is still over.
    let exceeded = exceeded.or((out.buf.len() > limits.output).then_some(Exceeded::Output));
    let stopped = |exceeded| Stopped {
        exceeded,
        iterations,
    };
    match (result, exceeded) {
        (Ok(()), None) => Ok(String::from_utf8(out.buf).expect("Tera writes UTF-8")),
        (Ok(()), Some(e)) => Err((
            tera::Error::message(budget::message(e, limits)),
            Some(stopped(e)),
        )),
        (Err(err), e) => Err((err, e.map(stopped))),
    }
}

impl Engine {
    /// T006: the render of `name` ran out of a budget. Points at the loop that was
    /// running when the hook stopped it, or at the page's template when the output writer
    /// did (a single write past the budget, outside any loop).
    pub(super) fn over_budget(
        &self,
        name: &str,
        err: &tera::Error,
        stopped: &Stopped,
    ) -> Diagnostic {
        let what = budget::message(stopped.exceeded, &self.limits);
        let d = Diagnostic::new(Rule::T006, format!("rendering `{name}` stopped: {what}")).help(
            "a page renders in milliseconds: look for a loop that runs far more often than meant (nested loops over `range(…)` or a long list) or text that grows without end; if the page really needs more, raise `time_budget` or `output_budget` under `[render]` in signin-pages.toml",
        );
        match err.kind() {
            ErrorKind::RenderingError(report) => self
                .at_report(d, report.filename(), report.span().range.clone())
                .label(format!(
                    "this loop was running ({} iterations of loops so far)",
                    stopped.iterations
                )),
            _ => match self.sources.get(name) {
                Some(src) => d.at(Location::bytes(src, 0..0)),
                None => d,
            },
        }
    }
}
