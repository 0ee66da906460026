//! The org preflight: what the org says about each target brand, asked before `deploy`
//! writes anything (and by `diff`, which reports it). Every brand is checked before any
//! page is read or written, so a problem with one brand stops the whole deploy, not the
//! brands after it.
//!
//! - **Problem** (what the org says for certain): the brand is the org's default brand in
//!   an org with several brands (no request is made for it); the page's `widgetVersion`
//!   is not on the org's list (`GET …/pages/sign-in/widget-versions`, see [`offered`]).
//! - **Warning**: the list could not be read, or holds no version this tool can read
//!   (Okta still judges the PUT); the brand has no custom domain that serves pages
//!   (`GET /api/v1/brands/{brandId}/domains`), or its domains cannot be listed.
//!
//! Findings are org-level messages, not [`crate::diag`] rules: they are about the org,
//! not about a file of the project, and have no source span to point at.

use std::collections::BTreeMap;
use std::fmt;

use super::deploy::{PARALLEL, body};
use crate::compile::TargetOutput;
use crate::okta::brands::BrandRef;
use crate::okta::pages::{self, Page};
use crate::okta::{Client, domains};

/// How much a finding weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// `deploy` writes nothing; `diff` exits 1.
    Problem,
    /// Said, and the command goes on.
    Warning,
}

/// One thing the preflight found about one brand.
#[derive(Debug, Clone)]
pub struct Finding {
    pub brand: String,
    pub level: Level,
    /// What is wrong, in one line.
    pub what: String,
    /// Facts that go with it (`offered: …`, `why: …`), one line each.
    pub facts: Vec<String>,
    /// What to do about it.
    pub help: String,
}

impl fmt::Display for Finding {
    /// One block: `error: <brand>: <what>`, then the facts and the help, indented.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Problem => "error",
            Level::Warning => "warning",
        };
        write!(f, "{level}: {}: {}", self.brand, self.what)?;
        for fact in &self.facts {
            write!(f, "\n  {fact}")?;
        }
        write!(f, "\n  help: {}", self.help)
    }
}

/// What the preflight found, for every target brand.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Brands refused before any request for their pages (by project name).
    pub refused: Vec<String>,
    /// Each brand's custom domains that serve pages (where its preview is seen).
    pub domains: BTreeMap<String, Vec<String>>,
}

impl Report {
    pub fn problems(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.level == Level::Problem)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.level == Level::Warning)
    }

    pub fn has_problems(&self) -> bool {
        self.problems().next().is_some()
    }
}

/// What one brand contributed.
struct BrandReport {
    findings: Vec<Finding>,
    refused: bool,
    domains: Vec<String>,
}

/// Check every target against the org, a few brands at a time. `org` is every brand the
/// org has (to tell whether it has several).
pub fn check(client: &Client, targets: &[(&TargetOutput, BrandRef)], org: &[BrandRef]) -> Report {
    let per_brand = crate::parallel::map(
        targets,
        PARALLEL,
        |(out, brand)| check_brand(client, out, brand, org.len()),
        |_, _| {},
    );
    let mut report = Report::default();
    for ((out, _), b) in targets.iter().zip(per_brand) {
        report.findings.extend(b.findings);
        if b.refused {
            report.refused.push(out.brand.clone());
        }
        if !b.domains.is_empty() {
            report.domains.insert(out.brand.clone(), b.domains);
        }
    }
    report
}

fn check_brand(
    client: &Client,
    out: &TargetOutput,
    brand: &BrandRef,
    brands_in_org: usize,
) -> BrandReport {
    let name = out.brand.as_str();
    let finding = |level, what: String, facts: Vec<String>, help: String| Finding {
        brand: name.to_string(),
        level,
        what,
        facts,
        help,
    };
    let mut report = BrandReport {
        findings: Vec::new(),
        refused: false,
        domains: Vec::new(),
    };
    // Okta's "Brands" concept page (developer.okta.com/docs/concepts/brands, section
    // "Multibrand and custom domains"): "Multibrand orgs have a non-deletable default
    // brand called the subdomain brand. […] The subdomain brand always appears at the
    // Okta subdomain URL and can't have a custom domain. You can swap out the logo and
    // other assets, but you can't edit custom code for the sign-in page or error pages."
    // The spec's `Brand.isDefault`: "If `true`, the Brand is used for the Okta subdomain".
    // An org holds more than one brand only with multibrand customization, so that case
    // is certain and refused here. With one brand the org may predate multibrand, where
    // the one brand's pages can be customized: it goes ahead, and a 403 gets its advice
    // from `okta::error`.
    if brand.is_default && brands_in_org > 1 {
        report.refused = true;
        report.findings.push(finding(
            Level::Problem,
            "the org's default brand cannot take custom pages in an org with several brands".into(),
            vec![format!(
                "why: the default brand serves the Okta subdomain; with multibrand customization (this org has {brands_in_org} brands) Okta does not let its sign-in and error page code be edited, and answers 403"
            )],
            "put the pages on a brand of their own that has a custom domain (Admin Console › Customizations › Brands), and name that brand in signin-pages.toml".into(),
        ));
        return report;
    }

    if let Some(version) = body(out, Page::SignIn).and_then(|b| {
        b.get("widgetVersion")
            .and_then(|v| v.as_str().map(String::from))
    }) {
        match pages::widget_versions(client, &brand.id) {
            // What could not be learnt does not stop the deploy (Okta still judges the
            // PUT): a flaky org would otherwise block every brand on one failed GET.
            Err(e) => report.findings.push(finding(
                Level::Warning,
                format!(
                    "widget version `{version}` cannot be checked: the org's list of widget versions could not be read"
                ),
                vec![format!("cause: {e}")],
                "nothing to do if Okta accepts the page; rerun to have the version checked (the token needs okta.brands.read)".into(),
            )),
            Ok(list) if offered(&version, &list) => {}
            // An answer with no version in it (empty, or in a shape this tool does not
            // read) cannot say no: Okta still judges the PUT. Blocking every deploy on
            // it would make a change of Okta's answer stop all work.
            Ok(list) if !list.iter().any(|o| parse(o).is_some()) => {
                report.findings.push(finding(
                    Level::Warning,
                    format!(
                        "widget version `{version}` cannot be checked: the org's list of widget versions holds none signin-pages can read"
                    ),
                    vec![format!(
                        "offered: {}",
                        if list.is_empty() { "(an empty list)".to_string() } else { list.join(", ") }
                    )],
                    "nothing to do if Okta accepts the page; if it refuses `widgetVersion`, compare with the versions the Admin Console offers (Customizations › Brands › the brand › Sign-in page)".into(),
                ));
            }
            Ok(list) => report.findings.push(not_offered(name, &version, &list)),
        }
    }

    match domains::list(client, &brand.id) {
        Err(e) => report.findings.push(finding(
            Level::Warning,
            "cannot list the brand's custom domains, so whether its pages will show is not known".into(),
            vec![format!("cause: {e}")],
            "check in the Admin Console (Customizations › Brands › the brand › Domains) that it has a verified custom domain".into(),
        )),
        Ok(list) => {
            let serving: Vec<String> = list
                .iter()
                .filter(|d| d.serves())
                .map(|d| d.domain.clone())
                .collect();
            if serving.is_empty() {
                report.findings.push(no_domain(name, &list));
            }
            report.domains = serving;
        }
    }
    report
}

/// The version is not on the org's list.
fn not_offered(brand: &str, version: &str, list: &[String]) -> Finding {
    let mut facts = vec![format!("offered: {}", list.join(", "))];
    match crate::widget::resolve(version) {
        Some(facts_of) => facts.push(format!(
            "note: `{version}` is widget {} (the newest release it allows that signin-pages knows)",
            facts_of.version()
        )),
        None => facts.push(format!(
            "note: `{version}` names no widget release signin-pages knows either"
        )),
    }
    let help = match suggestion(list) {
        Some(s) => format!(
            "set `[widget] version` in signin-pages.toml to a version the org offers, e.g. `{s}` (the newest {}.x it offers)",
            s.trim_start_matches('^')
        ),
        None => "set `[widget] version` in signin-pages.toml to a version the org offers".into(),
    };
    Finding {
        brand: brand.to_string(),
        level: Level::Problem,
        what: format!("widget version `{version}` is not one the org offers"),
        facts,
        help,
    }
}

/// The brand has no custom domain that serves pages.
fn no_domain(brand: &str, list: &[domains::BrandDomain]) -> Finding {
    let (what, facts) = if list.is_empty() {
        ("the brand has no custom domain".to_string(), Vec::new())
    } else {
        (
            "none of the brand's custom domains is set up yet".to_string(),
            list.iter()
                .map(|d| {
                    format!(
                        "domain: {} ({})",
                        d.domain,
                        d.status.as_deref().unwrap_or("no status")
                    )
                })
                .collect(),
        )
    };
    let mut facts = facts;
    facts.push(
        "why: Okta shows a customized sign-in or error page only on a custom domain; elsewhere visitors get Okta's default page"
            .into(),
    );
    Finding {
        brand: brand.to_string(),
        level: Level::Warning,
        what,
        facts,
        help: format!(
            "associate a verified custom domain with `{brand}` in Okta (Admin Console › Customizations › Brands › {brand} › Domains); the preview is then seen at https://<that domain>/login/preview"
        ),
    }
}

/// A `widgetVersion` as Okta's `Version` schema reads it: `*`, `^N`, `N`, `N.M`, `N.M.P`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spec {
    /// `*`: the newest version the org offers.
    Any,
    /// `^N` or `N` (Okta's "major version range" and "major-only version"): the newest N.x.
    Major(u32),
    /// `N.M`.
    Minor(u32, u32),
    /// `N.M.P`.
    Exact(u32, u32, u32),
}

fn parse(s: &str) -> Option<Spec> {
    let s = s.trim();
    if s == "*" {
        return Some(Spec::Any);
    }
    let (caret, rest) = match s.strip_prefix('^') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let parts: Option<Vec<u32>> = rest
        .split('.')
        .map(|p| {
            (!p.is_empty() && p.len() <= 9 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect();
    match (caret, parts?.as_slice()) {
        (_, [major]) => Some(Spec::Major(*major)),
        (false, [major, minor]) => Some(Spec::Minor(*major, *minor)),
        (false, [major, minor, patch]) => Some(Spec::Exact(*major, *minor, *patch)),
        _ => None,
    }
}

/// Whether the org's list `offered` lets a page name `version`.
///
/// The list holds the strings Okta accepts. Its spec types them as `N.M` (pattern
/// `^\d+\.\d+$`); real orgs list ranges too (Okta's own SDK integration tests expect
/// `^7` on it). So a version is offered when the list holds it (as text, or as the
/// same version: `7` and `^7` are one), or when it is a range that takes at least one
/// listed version: `*` any, `^7`/`7` any `7.x`, `7.13.1` a listed `7.13`. A listed range
/// (`^7`) does not vouch for a minor (`7.13`): which minors it spans is not said.
pub fn offered(version: &str, offered: &[String]) -> bool {
    if offered.iter().any(|o| o.trim() == version.trim()) {
        return true;
    }
    let Some(wanted) = parse(version) else {
        return false;
    };
    offered
        .iter()
        .filter_map(|o| parse(o))
        .any(|o| match (wanted, o) {
            (Spec::Any, _) => true,
            (Spec::Major(m), Spec::Major(n)) => m == n,
            (Spec::Major(m), Spec::Minor(n, _) | Spec::Exact(n, _, _)) => m == n,
            (Spec::Minor(a, b), Spec::Minor(c, d)) => (a, b) == (c, d),
            (Spec::Minor(a, b), Spec::Exact(c, d, _)) => (a, b) == (c, d),
            (Spec::Exact(a, b, p), Spec::Exact(c, d, q)) => (a, b, p) == (c, d, q),
            (Spec::Exact(a, b, _), Spec::Minor(c, d)) => (a, b) == (c, d),
            _ => false,
        })
}

/// What to suggest instead: `^N` for the newest major on the list (offered by the rule
/// above whenever any N.x is listed), or `*` when the list has something but no version.
fn suggestion(list: &[String]) -> Option<String> {
    let newest = list
        .iter()
        .filter_map(|o| match parse(o)? {
            Spec::Major(n) | Spec::Minor(n, _) | Spec::Exact(n, _, _) => Some(n),
            Spec::Any => None,
        })
        .max();
    newest.map(|n| format!("^{n}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn versions_are_matched_as_okta_reads_them() {
        let spec_form = list(&["7.13", "7.14", "7.40"]);
        let real_form = list(&["^7", "7.40", "7.39", "^6", "6.9"]);
        for (version, on, expected) in [
            ("^7", &spec_form, true),
            ("7", &spec_form, true),
            ("*", &spec_form, true),
            ("7.13", &spec_form, true),
            ("7.12", &spec_form, false),
            ("^8", &spec_form, false),
            ("^6", &spec_form, false),
            ("^7", &real_form, true),
            ("7", &real_form, true),
            ("^6", &real_form, true),
            ("6.9", &real_form, true),
            // A listed range does not say which minors it spans.
            ("7.13", &real_form, false),
            ("^5", &real_form, false),
            ("*", &list(&[]), false),
            ("*", &list(&["string"]), false),
            ("^7", &list(&["string"]), false),
            ("nonsense", &list(&["nonsense"]), true),
        ] {
            assert_eq!(offered(version, on), expected, "{version} on {on:?}");
        }
    }

    #[test]
    fn the_suggestion_is_the_newest_major() {
        assert_eq!(suggestion(&list(&["6.9", "7.13", "^5"])), Some("^7".into()));
        assert_eq!(suggestion(&list(&["string"])), None);
    }
}
