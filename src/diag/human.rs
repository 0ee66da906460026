//! rustc-style output for people, drawn by annotate-snippets.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{Diagnostics, Severity};
use crate::redact::mask;
use crate::source::SourceFile;

/// `--color`: colour on a terminal only, unless told otherwise; `NO_COLOR` wins over `auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output written to stderr.
    pub fn enabled_for_stderr(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stderr().is_terminal()
            }
        }
    }
}

pub fn render_human(diags: &Diagnostics, color: ColorChoice) -> String {
    let renderer = if color.enabled_for_stderr() {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    // Each file's text with its secrets masked, once per file (`crate::redact`).
    let mut masked: HashMap<*const SourceFile, String> = HashMap::new();
    for d in diags.iter() {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Info => Level::INFO,
        };
        let mut message = mask(&d.message).into_owned();
        if let (Some(env), Some(brand)) = (&d.env, &d.brand) {
            message.push_str(&format!(" (target {env}/{brand})"));
        }
        let help = d.help.as_deref().map(mask);
        let label = d.label.as_deref().map(mask);
        let title = level.primary_title(message).id(d.code());
        let mut group = match &d.location {
            Some(loc) => {
                let range = loc.byte_range();
                let mut ann = AnnotationKind::Primary.span(range);
                if let Some(label) = &label {
                    ann = ann.label(label.as_ref());
                }
                let text = masked
                    .entry(Arc::as_ptr(&loc.file))
                    .or_insert_with(|| mask(&loc.file.text).into_owned());
                title.element(
                    Snippet::source(text.as_str())
                        .path(loc.file.path.as_str())
                        .annotation(ann),
                )
            }
            None => Group::with_title(title),
        };
        if let Some(help) = &help {
            group = group.element(Level::HELP.message(help.as_ref()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    let errors = diags.count(Severity::Error);
    let warnings = diags.count(Severity::Warning);
    if errors + warnings > 0 {
        out.push_str(&summary(errors, warnings));
        out.push('\n');
    }
    out
}

fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("1 {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    match (errors, warnings) {
        (0, w) => format!("{} emitted", plural(w, "warning")),
        (e, 0) => format!("{} emitted", plural(e, "error")),
        (e, w) => format!(
            "{} and {} emitted",
            plural(e, "error"),
            plural(w, "warning")
        ),
    }
}
