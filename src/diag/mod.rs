//! The one diagnostic model every stage reports in, and its renderers.
//!
//! Stages never print and never stop at the first problem: they push [`Diagnostic`]s
//! into a [`Diagnostics`] list. The command decides how to show them (`human`,
//! `json`, `github`) and what exit code they mean.

mod github;
mod gitlab;
mod human;
mod json;
pub mod rules;
pub mod suggest;

use std::ops::Range;
use std::sync::Arc;

pub use github::render_github;
pub use gitlab::render_gitlab;
pub use human::{ColorChoice, render_human};
pub use json::render_json;
pub use rules::Rule;

use crate::source::{Position, SourceFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Where in a file a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    /// A byte range of the file's text.
    Bytes(Range<usize>),
    /// A whole line (1-based) when no column is known.
    Line(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: Arc<SourceFile>,
    pub span: Span,
}

impl Location {
    pub fn bytes(file: &Arc<SourceFile>, range: Range<usize>) -> Self {
        Location {
            file: Arc::clone(file),
            span: Span::Bytes(range),
        }
    }

    pub fn line(file: &Arc<SourceFile>, line: usize) -> Self {
        Location {
            file: Arc::clone(file),
            span: Span::Line(line),
        }
    }

    /// Start and end positions; the column is `None` for line-only spans.
    pub fn positions(&self) -> (usize, Option<usize>, usize, Option<usize>) {
        match &self.span {
            Span::Bytes(r) => {
                let Position { line, column } = self.file.position(r.start);
                let end = self.file.position(r.end.max(r.start));
                (line, Some(column), end.line, Some(end.column))
            }
            Span::Line(l) => (*l, None, *l, None),
        }
    }

    /// The byte range to underline, whole line for line-only spans.
    pub fn byte_range(&self) -> Range<usize> {
        match &self.span {
            Span::Bytes(r) => r.clone(),
            Span::Line(l) => self.file.line_range(*l),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    pub location: Option<Location>,
    /// A short label under the caret.
    pub label: Option<String>,
    pub help: Option<String>,
    pub env: Option<String>,
    pub brand: Option<String>,
}

impl Diagnostic {
    /// A finding of `rule`, with the rule's default severity.
    pub fn new(rule: Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.severity(),
            message: message.into(),
            location: None,
            label: None,
            help: None,
            env: None,
            brand: None,
        }
    }

    /// Another severity than the rule's default (a CSP finding in report_only mode).
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// The rule's code: `C002`.
    pub fn code(&self) -> &'static str {
        self.rule.code()
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn at_opt(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn target(mut self, env: &str, brand: &str) -> Self {
        self.env = Some(env.to_string());
        self.brand = Some(brand.to_string());
        self
    }

    fn sort_key(&self) -> (String, usize, usize, &'static str, &str) {
        match &self.location {
            Some(loc) => {
                let (line, col, _, _) = loc.positions();
                (
                    loc.file.path.clone(),
                    line,
                    col.unwrap_or(0),
                    self.code(),
                    &self.message,
                )
            }
            None => (String::new(), 0, 0, self.code(), &self.message),
        }
    }

    /// Same finding, whatever target it was found in.
    fn same_finding(&self, other: &Diagnostic) -> bool {
        self.rule == other.rule
            && self.severity == other.severity
            && self.message == other.message
            && self.location == other.location
            && self.help == other.help
    }
}

/// A list of diagnostics, collected across stages and targets.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sort by file and position, and fold a finding reported by several targets into one.
    /// A finding seen in more than one target keeps `env`/`brand` only where all agree.
    pub fn finish(mut self) -> Self {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let mut out: Vec<Diagnostic> = Vec::with_capacity(self.items.len());
        for d in self.items {
            if let Some(prev) = out
                .iter_mut()
                .rev()
                .take_while(|p| p.sort_key() == d.sort_key())
                .find(|p| p.same_finding(&d))
            {
                if prev.env != d.env {
                    prev.env = None;
                }
                if prev.brand != d.brand {
                    prev.brand = None;
                }
                continue;
            }
            out.push(d);
        }
        Diagnostics { items: out }
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

/// Where the project is in the repository a CI system checked out (the folder
/// `GITHUB_WORKSPACE` or `CI_PROJECT_DIR` names), as a prefix for the paths of annotations
/// and reports: `pages/` for a project in `pages/`; empty at the root, outside CI, or when
/// the project is not inside that folder (then the paths stay the project's own).
pub fn repository_prefix(project: &std::path::Path, format: Format) -> String {
    let var = match format {
        Format::Github => "GITHUB_WORKSPACE",
        Format::Gitlab => "CI_PROJECT_DIR",
        Format::Human | Format::Json => return String::new(),
    };
    let Some(root) = std::env::var_os(var) else {
        return String::new();
    };
    let (Ok(root), Ok(project)) = (std::fs::canonicalize(root), std::fs::canonicalize(project))
    else {
        return String::new();
    };
    match project.strip_prefix(&root) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            let parts: Vec<_> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            format!("{}/", parts.join("/"))
        }
        _ => String::new(),
    }
}

/// Output format chosen by `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    /// A GitLab Code Quality report (one JSON array).
    Gitlab,
}

/// Render diagnostics in the chosen format.
pub fn render(diags: &Diagnostics, format: Format, color: ColorChoice) -> String {
    match format {
        Format::Human => render_human(diags, color),
        Format::Json => render_json(diags),
        Format::Github => render_github(diags, ""),
        Format::Gitlab => render_gitlab(diags, ""),
    }
}
