//! `pull`: import what the org has live into the project ([`crate::org::pull`]).

use crate::cli::{GlobalArgs, PullArgs};
use crate::cmd::Outcome;
use crate::org::pull::pull;

pub(crate) fn execute(g: &GlobalArgs, a: &PullArgs) -> Outcome {
    let Some(project) = crate::cmd::remote::load_project(g) else {
        return crate::cmd::conclude(g, Err("the project does not load".into()));
    };
    let r = &a.remote;
    let result = pull(&project, &r.env, r.brand.as_deref(), g.verbose).map(|p| {
        format!(
            "pulled {} from {} into: {}",
            p.brands.join(", "),
            r.env,
            p.written.join(", ")
        )
    });
    crate::cmd::conclude(g, result)
}
