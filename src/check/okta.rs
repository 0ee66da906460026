//! Okta's page contract: O001–O004, O006, O007.

use super::{Ctx, Page};
use crate::diag::Diagnostic;
use crate::project::Project;

pub(super) fn check(_page: &Page, _ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}

pub(super) fn project_wide(_project: &Project) -> Vec<Diagnostic> {
    Vec::new()
}
