//! S001: secrets in a page (Okta API tokens, private keys, client secrets).

use super::Page;
use crate::diag::Diagnostic;

pub(super) fn check(_page: &Page, _out: &mut Vec<Diagnostic>) {}
