use crate::check::rules::{self, RULES};
use crate::cli::ExplainArgs;
use crate::cmd::Outcome;
use crate::render::closest;

pub(crate) fn execute(a: &ExplainArgs) -> Outcome {
    let Some(code) = &a.code else {
        for r in RULES {
            println!("{}  {:<7}  {}", r.code, r.severity.as_str(), r.title);
        }
        return Outcome::Success;
    };
    match rules::find(code) {
        Some(rule) => {
            print!("{}", rules::explain(rule));
            Outcome::Success
        }
        None => {
            let upper = code.to_ascii_uppercase();
            let hint = closest(&upper, RULES.iter().map(|r| r.code))
                .map(|c| format!(" (did you mean {c}?)"))
                .unwrap_or_default();
            eprintln!("error: `{code}` is not a signin-pages rule code{hint}");
            eprintln!("help: `signin-pages explain` lists every code");
            Outcome::Failure
        }
    }
}
