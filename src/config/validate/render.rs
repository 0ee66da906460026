//! `[render]`: the time and output budgets of one page, as durations and sizes
//! [`crate::budget`] reads.

use super::Findings;
use crate::budget::{self, Limits};
use crate::config::raw::RawRender;

pub(super) fn validate(f: &mut Findings<'_>, raw: &RawRender) -> Limits {
    let mut limits = Limits::default();
    if let Some(t) = &raw.time_budget {
        match budget::parse_time(t.get_ref()) {
            Ok(d) => limits.time = d,
            Err(why) => f.p002(
                t.span(),
                format!("time_budget: {why}"),
                "write a duration such as `\"2s\"` or `\"500ms\"` (the default is 2 s)",
            ),
        }
    }
    if let Some(o) = &raw.output_budget {
        let text = match o.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(n) => n.to_string(),
            other => format!("a {}", other.type_str()),
        };
        match budget::parse_size(&text) {
            Ok(n) => limits.output = n,
            Err(why) => f.p002(
                o.span(),
                format!("output_budget: {why}"),
                "write a size such as `\"16MiB\"` or `\"512KiB\"` (the default is 16 MiB)",
            ),
        }
    }
    limits
}
