//! `signin-pages explain [CODE]`: every rule code with its severity and title, or what one
//! rule catches, why it matters and how to fix it (the registry in `diag::rules`).

use crate::cli::ExplainArgs;
use crate::cmd::Outcome;
use crate::diag::rules::{self, RULES};
use crate::diag::suggest::closest;

pub(crate) fn execute(a: &ExplainArgs) -> Outcome {
    let Some(code) = &a.code else {
        for r in RULES {
            outln!("{}  {:<7}  {}", r.code(), r.severity().as_str(), r.title());
        }
        return Outcome::Success;
    };
    match rules::find(code) {
        Some(rule) => {
            out!("{}", rules::explain(rule));
            Outcome::Success
        }
        None => {
            let upper = code.to_ascii_uppercase();
            let hint = closest(&upper, RULES.iter().map(|r| r.code()))
                .map(|c| format!(" (did you mean {c}?)"))
                .unwrap_or_default();
            errln!("error: `{code}` is not a signin-pages rule code{hint}");
            errln!("help: `signin-pages explain` lists every code");
            Outcome::Failure
        }
    }
}
