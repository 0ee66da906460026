//! Rendering: Tera 2 over masked templates, one shared engine for every target.
//!
//! Templates are parsed once; each target renders its pages with its own context
//! ([`context`]), under the page's time and output budgets (`budgeted`). Tera's errors
//! become diagnostics that point into the designer's file — the mask keeps offsets —
//! (`diagnose`), with suggestions for misspelt names (`missing`); a failed render is
//! tried again with the failing expression blanked so that one run reports every
//! misspelt name (`recover`). Values are written into pages by the `js` filter and
//! Tera's HTML escape (`escape`).

mod budgeted;
pub mod context;
mod diagnose;
mod escape;
mod missing;
mod recover;

use std::collections::HashMap;
use std::sync::Arc;

use tera::{ErrorKind, Tera};

use crate::budget::{self, Limits};
use crate::diag::{Diagnostic, Location, Rule};
use crate::okta_tags;
use crate::source::SourceFile;

pub use escape::{JS_FILTER, escape_html, js_literal};

/// Parsed templates, ready to render any target.
pub struct Engine {
    tera: Tera,
    /// Tera template name → the source file it came from.
    sources: HashMap<String, Arc<SourceFile>>,
    /// What one page may cost to render.
    limits: Limits,
    /// Room to reserve for a page's output: twice every template's size together (a
    /// page is its template plus the layouts and partials it pulls in, plus what the
    /// context adds), and at least 16 KiB, so that a page is written without regrowing.
    size_hint: usize,
}

/// The template name Tera knows a `templates/…` file by.
pub fn template_name(path: &str) -> &str {
    path.strip_prefix("templates/").unwrap_or(path)
}

fn new_tera() -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".htm", ".xml"]);
    tera.register_filter(JS_FILTER, escape::js_filter);
    tera.set_interrupt(Some(budget::interrupt));
    tera
}

impl Engine {
    /// Parse every template. Syntax errors of every file are collected.
    pub fn new(templates: &[Arc<SourceFile>]) -> Result<Engine, Vec<Diagnostic>> {
        let mut sources = HashMap::new();
        let mut masked = Vec::with_capacity(templates.len());
        let mut diags = Vec::new();
        for t in templates {
            let name = template_name(&t.path).to_string();
            match okta_tags::mask(&t.text) {
                Ok(m) => masked.push((name.clone(), m)),
                Err(r) => diags.push(
                    Diagnostic::new(Rule::P008, "reserved control byte in template")
                        .at(Location::bytes(t, r.offset..r.offset + 1)),
                ),
            }
            sources.insert(name, Arc::clone(t));
        }
        let mut engine = Engine {
            tera: new_tera(),
            sources,
            limits: Limits::default(),
            size_hint: (2 * templates.iter().map(|t| t.text.len()).sum::<usize>()).max(16 * 1024),
        };
        if !diags.is_empty() {
            return Err(diags);
        }
        if let Err(e) = engine
            .tera
            .add_raw_templates(masked.iter().map(|(n, m)| (n.as_str(), m.as_str())))
        {
            // Parse each file alone to report the syntax errors of all of them, then
            // the errors that need every file (missing parents, unknown includes).
            for (name, text) in &masked {
                let mut one = new_tera();
                if let Err(e) = one.add_raw_template(name, text)
                    && matches!(e.kind(), ErrorKind::SyntaxError(_))
                {
                    diags.extend(engine.diagnostics(&e, None));
                }
            }
            if diags.is_empty() {
                diags.extend(engine.diagnostics(&e, None));
            }
            return Err(diags);
        }
        Ok(engine)
    }

    /// Render every page under `limits` instead of the defaults.
    pub fn with_limits(mut self, limits: Limits) -> Engine {
        self.limits = limits;
        self
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Render `name`. A render that fails is reported with every misspelt name of the
    /// page, not only the first (`recover`); one that runs out of budget as T006.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Vec<Diagnostic>> {
        match budgeted::render(&self.tera, name, context, &self.limits, self.size_hint) {
            Ok(out) => Ok(okta_tags::unmask(out)),
            Err((e, Some(stopped))) => Err(vec![self.over_budget(name, &e, &stopped)]),
            Err((e, None)) => Err(self.every_failure(name, context, e)),
        }
    }
}
