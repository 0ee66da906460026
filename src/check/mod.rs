//! Checks over a project and its rendered targets: HTML, Okta's page contract, Content
//! Security Policy, labels, secrets and the Gen3 design tokens. Checks collect; they never stop at the first
//! problem. Each finding is a [`Diagnostic`] with a stable code (see [`rules`]).
//!
//! Each rendered page is read once ([`Page`]): html5ever's parse, Okta's tags, and the
//! page scanner's tags, scripts and styles ([`scan`]); every check reads that. The CSP
//! rules and the preview's header share one policy model ([`policy`]).

mod csp;
mod html;
mod labels;
mod locate;
mod okta;
pub mod page;
mod parse;
pub mod policy;
pub mod scan;
mod secrets;
mod siw;
mod skeleton;
mod tags;
mod tokens;

use std::sync::Arc;

use crate::config::{Brand, CspMode, Environment};
use crate::diag::{Diagnostic, Rule, Severity};
use crate::payload::SignInPageBody;
use crate::project::{Project, ValueScope, ValueSite};
use crate::source::SourceFile;

pub use labels::four_byte_chars;
pub use page::Page;

/// Which of Okta's pages a template is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    SignIn,
    Error,
}

/// What a page check needs to know besides the page.
pub struct Ctx<'a> {
    pub project: &'a Project,
    pub env: &'a Environment,
    pub brand: &'a Brand,
    pub kind: PageKind,
}

impl Ctx<'_> {
    /// How serious a CSP finding is: an error when the policy is enforced, a warning
    /// in report_only mode or when the project sets no policy.
    pub fn csp_severity(&self) -> Severity {
        match self.project.config.csp.as_ref().map(|c| c.mode) {
            Some(CspMode::Enforced) => Severity::Error,
            _ => Severity::Warning,
        }
    }
}

/// Checks that do not depend on a target: labels, locales and templates as written.
pub fn project_wide(project: &Project) -> Vec<Diagnostic> {
    let mut out = labels::project_wide(project);
    out.extend(tags::templates(project));
    out.extend(okta::project_wide(project));
    siw::project_wide(project, &mut out);
    out.extend(tokens::project_wide(&project.config));
    out.extend(crate::theme::check_project(project));
    out
}

/// S001 for secrets in the project's files that `found` (the findings so far, page
/// checks included) does not report at the same place already.
pub fn secrets_in_project_files(project: &Project, found: &[Diagnostic]) -> Vec<Diagnostic> {
    let reported: Vec<(String, std::ops::Range<usize>)> = found
        .iter()
        .filter(|d| d.rule == Rule::S001)
        .filter_map(|d| d.location.as_ref())
        .map(|l| (l.file.path.clone(), l.byte_range()))
        .collect();
    secrets::in_project_files(project, &reported)
}

/// The templates a page may have come from, its own first.
fn sources_for(project: &Project, page: &str) -> Vec<Arc<SourceFile>> {
    let own = format!("templates/{page}");
    let mut v: Vec<Arc<SourceFile>> = project
        .templates
        .iter()
        .filter(|t| t.path == own)
        .cloned()
        .collect();
    v.extend(project.templates.iter().filter(|t| t.path != own).cloned());
    v
}

/// The project values a target's pages can hold, in the order its context merges them
/// (brand over environment over project), then the locales (default first), then any
/// other string of the project file. Other brands' and environments' vars are left out.
fn values_for(project: &Project, env: &Environment, brand: &Brand) -> Vec<Arc<ValueSite>> {
    let rank = |s: &ValueScope| match s {
        ValueScope::Brand(b) if b == brand.name.get_ref() => Some(0),
        ValueScope::Env(e) if *e == env.name => Some(1),
        ValueScope::Project => Some(2),
        ValueScope::Locale(l) if *l == project.config.default_locale => Some(3),
        ValueScope::Locale(_) => Some(4),
        ValueScope::Other => Some(5),
        ValueScope::Brand(_) | ValueScope::Env(_) => None,
    };
    let mut v: Vec<(usize, Arc<ValueSite>)> = project
        .values
        .iter()
        .filter_map(|v| rank(&v.scope).map(|r| (r, Arc::clone(v))))
        .collect();
    v.sort_by_key(|(r, _)| *r);
    v.into_iter().map(|(_, v)| v).collect()
}

/// Checks of one target's rendered pages and request body.
pub fn target(
    project: &Project,
    env: &Environment,
    brand: &Brand,
    dir: &str,
    body: &SignInPageBody,
    error_html: Option<&str>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut pages = vec![(PageKind::SignIn, "sign-in.html", body.page_content.as_str())];
    if let Some(html) = error_html {
        pages.push((PageKind::Error, "error.html", html));
    }
    for (kind, name, html) in pages {
        out.extend(page_size(project, name, html));
        let page = Page::parse(
            &format!("dist/{dir}/{name}"),
            html,
            &sources_for(project, name),
        )
        .with_values_from(|| values_for(project, env, brand));
        let ctx = Ctx {
            project,
            env,
            brand,
            kind,
        };
        out.extend(labels::page_content(project, &page));
        html::check(&page, &ctx, &mut out);
        tags::check(&page, &ctx, &mut out);
        okta::check(&page, &ctx, &mut out);
        if kind == PageKind::SignIn {
            siw::page_keys(project, &page, &mut out);
            siw::gen3_page(project, &page, &mut out);
        }
        csp::check(&page, &ctx, &mut out);
        secrets::check(&page, &mut out);
        if kind == PageKind::SignIn {
            let names = okta::config_names(&page.scan);
            tokens::page(&page, &project.config, env, brand, &names, &mut out);
        }
    }
    out
}

/// Past this, a page is refused before any request (O008): Okta documents no limit for
/// `pageContent`; 2 MiB is the largest upload it takes anywhere in a brand (the
/// background image) and three times the largest page known in use.
pub const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;
/// Past this, a page is "very large" (O009): pages are usually a few kilobytes.
pub const LARGE_PAGE_BYTES: usize = 512 * 1024;

/// O008/O009: the size of a rendered page, at the top of its template.
fn page_size(project: &Project, name: &str, html: &str) -> Option<Diagnostic> {
    let size = html.len();
    let (code, limit) = if size > MAX_PAGE_BYTES {
        (Rule::O008, MAX_PAGE_BYTES)
    } else if size > LARGE_PAGE_BYTES {
        (Rule::O009, LARGE_PAGE_BYTES)
    } else {
        return None;
    };
    let human = crate::budget::human_bytes;
    let d = Diagnostic::new(
        code,
        format!(
            "the rendered {name} is {} (more than {})",
            human(size as u64),
            human(limit as u64)
        ),
    )
    .help("move images, fonts and scripts out of the page: images to the theme or a CDN listed in `[csp] src_list`");
    Some(match sources_for(project, name).first() {
        Some(t) if t.path == format!("templates/{name}") => d.at(crate::diag::Location::line(t, 1)),
        _ => d,
    })
}

/// `[check] allow` drops findings, `deny` makes them errors.
pub fn apply_policy(project: &Project, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let config = &project.config;
    diags
        .into_iter()
        .filter(|d| !(config.allow.contains(&d.rule) && d.rule.allowable()))
        .map(|mut d| {
            if config.deny.contains(&d.rule) {
                d.severity = Severity::Error;
            }
            d
        })
        .collect()
}
