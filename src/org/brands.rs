//! The project's brands in the org: each name must name exactly one of the org's brands.

use crate::compile::TargetOutput;
use crate::okta::brands::{self, BrandRef};
use crate::okta::{Client, OktaError};

/// The one brand called `name`, or a message saying why not (with "did you mean").
pub fn resolve<'a>(brands: &'a [BrandRef], name: &str) -> Result<&'a BrandRef, String> {
    let found: Vec<&BrandRef> = brands.iter().filter(|b| b.name == name).collect();
    match found.as_slice() {
        [one] => Ok(one),
        [] => {
            let names: Vec<&str> = brands.iter().map(|b| b.name.as_str()).collect();
            let hint = crate::diag::suggest::closest(name, names.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            Err(format!(
                "the org has no brand named `{name}`{hint}; it has: {}",
                names.join(", ")
            ))
        }
        several => Err(format!(
            "{} brands in the org are named `{name}` ({}): rename them in Okta so that each name is unique",
            several.len(),
            several
                .iter()
                .map(|b| b.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The org's brand called `name` (one request for the list).
pub fn find(c: &Client, name: &str) -> Result<BrandRef, String> {
    let all = brands::list(c).map_err(|e| e.to_string())?;
    resolve(&all, name).cloned()
}

/// The targets of a command, each with its brand in the org, and every brand the org has.
pub struct Targets<'a> {
    pub pairs: Vec<(&'a TargetOutput, BrandRef)>,
    pub org: Vec<BrandRef>,
}

/// Each target with its brand in the org; every brand that cannot be resolved is named.
pub fn targets<'a>(c: &Client, outputs: &'a [TargetOutput]) -> Result<Targets<'a>, Vec<String>> {
    let all = brands::list(c).map_err(|e: OktaError| vec![e.to_string()])?;
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for out in outputs {
        match resolve(&all, &out.brand) {
            Ok(b) => ok.push((out, b.clone())),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(Targets {
            pairs: ok,
            org: all,
        })
    } else {
        Err(errors)
    }
}
