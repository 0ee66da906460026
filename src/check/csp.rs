//! Content Security Policy: C001, C002, C004, C005, C006 (C003 is checked with the
//! project file).

use super::{Ctx, Page};
use crate::diag::Diagnostic;

pub(super) fn check(_page: &Page, _ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
