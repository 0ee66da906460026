//! Validation of `signin-pages.toml`, one function per section: each checks the values
//! Okta would refuse (or that would make two targets collide), reports every problem it
//! finds through [`Findings`] — most of them P002 at the value's span, with a sentence
//! of help — and returns the section's validated values. [`validate`] runs them in the
//! order of the file and builds the [`Config`] only when none found an error.

mod brands;
mod check;
mod csp;
mod environments;
mod project;
mod render;
mod widget;

use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;

use super::model::Config;
use super::raw::{RawConfig, table_to_json};
use crate::diag::{Diagnostic, Diagnostics, Location, Rule, Severity};
use crate::source::SourceFile;

pub use csp::MAX_SRC_LIST;
pub use project::valid_locale;
pub use widget::valid_widget_version;

/// Where the sections' problems go: the project file they point into, and the list.
pub(crate) struct Findings<'a> {
    file: &'a Arc<SourceFile>,
    diags: &'a mut Diagnostics,
}

impl<'a> Findings<'a> {
    pub(crate) fn new(file: &'a Arc<SourceFile>, diags: &'a mut Diagnostics) -> Self {
        Findings { file, diags }
    }

    /// P002 (a value Okta would refuse, or that cannot work) at `span`, with `help`.
    pub(crate) fn p002(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let d = Diagnostic::new(Rule::P002, message)
            .at(self.at(span))
            .help(help);
        self.diags.push(d);
    }

    /// Any other finding, as made.
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// `span` of the project file.
    pub(crate) fn at(&self, span: Range<usize>) -> Location {
        Location::bytes(self.file, span)
    }

    /// How many errors have been found so far (every finding, not only this file's).
    pub(crate) fn errors(&self) -> usize {
        self.diags.count(Severity::Error)
    }
}

/// What is wrong with one name of a list.
pub(crate) enum NameProblem {
    /// Empty, or only white space.
    Blank,
    /// The same as a name before it.
    Twice,
}

/// The names of `names` that are blank or written a second time, in order.
pub(crate) fn name_problems(
    names: &[Spanned<String>],
) -> impl Iterator<Item = (&Spanned<String>, NameProblem)> {
    names.iter().enumerate().filter_map(|(i, n)| {
        if n.get_ref().trim().is_empty() {
            Some((n, NameProblem::Blank))
        } else if names[..i].iter().any(|p| p.get_ref() == n.get_ref()) {
            Some((n, NameProblem::Twice))
        } else {
            None
        }
    })
}

/// Check every section; a config comes back only when no section found an error.
pub(crate) fn validate(
    file: Arc<SourceFile>,
    raw: RawConfig,
    diags: &mut Diagnostics,
) -> Option<Config> {
    let mut f = Findings::new(&file, diags);
    let before = f.errors();
    let (default_locale, locales) = project::validate(&mut f, &raw.project);
    let widget_version = widget::version(&mut f, &raw.widget);
    let tokens = widget::tokens(&mut f, &raw.widget.tokens);
    let csp = raw.csp.as_ref().map(|c| csp::validate(&mut f, c));
    widget::customizations(&mut f, &raw.widget_customizations);
    let environments = environments::validate(&mut f, &raw.environments, raw.kmsi.as_ref());
    let brands = brands::validate(&mut f, &raw.brands);
    let (allow, deny) = check::validate(&mut f, &raw.check);
    let render = render::validate(&mut f, &raw.render);
    let theme = super::theme::theme(&mut f, raw.theme.as_ref());
    let sign_out = super::theme::sign_out(&mut f, raw.sign_out.as_ref());
    if f.errors() > before {
        return None;
    }
    Some(Config {
        file,
        name: raw.project.name.get_ref().clone(),
        default_locale,
        locales,
        widget_version,
        widget_generation: raw.widget.generation.unwrap_or_default(),
        tokens,
        csp,
        vars: table_to_json(&raw.vars),
        widget_customizations: raw.widget_customizations,
        environments,
        brands,
        allow,
        deny,
        render,
        preview: raw.preview,
        theme,
        sign_out,
    })
}
