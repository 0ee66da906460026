//! `[check]`: `allow` and `deny` name rules of the registry, and only rules that may be
//! silenced are allowed.

use super::Findings;
use crate::config::raw::RawCheck;
use crate::diag::{Rule, rules};

/// The rules `allow` silences and those `deny` turns into errors.
pub(super) fn validate(f: &mut Findings<'_>, raw: &RawCheck) -> (Vec<Rule>, Vec<Rule>) {
    for (list, what) in [(&raw.allow, "allow"), (&raw.deny, "deny")] {
        for code in list {
            match rules::find(code.get_ref()) {
                None => f.p002(
                    code.span(),
                    format!("`{}` is not a rule code", code.get_ref()),
                    "`signin-pages explain CODE` describes each rule; codes look like `C002`",
                ),
                Some(r) if what == "allow" && !r.allowable() => f.p002(
                    code.span(),
                    format!("`{r}` cannot be allowed"),
                    "it stops the build or Okta refuses the request; fix the problem instead",
                ),
                Some(_) => {}
            }
        }
    }
    let known = |list: &[toml::Spanned<String>]| {
        list.iter()
            .filter_map(|c| rules::find(c.get_ref()))
            .collect()
    };
    (known(&raw.allow), known(&raw.deny))
}
