//! Every misspelt name in one run: Tera stops at the first undefined name, so after a
//! failed render the failing `{{ … }}` expression is blanked out (same length, so every
//! later offset holds) and the page rendered again, until it renders, fails the same
//! way, or fails in a way no blanking can pass. Only on the error path: a clean render
//! parses nothing twice.

use std::collections::HashMap;
use std::ops::Range;

use super::{Engine, budgeted, new_tera};
use crate::diag::Diagnostic;
use crate::okta_tags;

/// The most renders one page gets on the error path.
const MAX_RERENDERS: usize = 32;

impl Engine {
    /// The diagnostics of the failed render `first` of `name`, and of every render again
    /// with the expressions that failed blanked out.
    pub(super) fn every_failure(
        &self,
        name: &str,
        context: &tera::Context,
        first: tera::Error,
    ) -> Vec<Diagnostic> {
        let mut diags = self.diagnostics(&first, Some(context));
        let mut patched: HashMap<String, String> = HashMap::new();
        let mut err = first;
        for _ in 0..MAX_RERENDERS {
            let Some((file, range)) = error_span(&err) else {
                break;
            };
            let text = patched
                .entry(file.clone())
                .or_insert_with(|| self.masked(&file));
            if !blank_expression(text, range) {
                break;
            }
            let mut tera = new_tera();
            let all = self.sources.keys().map(|n| {
                let text = patched.get(n).cloned().unwrap_or_else(|| self.masked(n));
                (n.clone(), text)
            });
            if tera.add_raw_templates(all.collect::<Vec<_>>()).is_err() {
                break;
            }
            match budgeted::render(&tera, name, context, &self.limits, self.size_hint) {
                Ok(_) | Err((_, Some(_))) => break,
                Err((e, None)) => {
                    let more = self.diagnostics(&e, Some(context));
                    if more.iter().all(|d| diags.contains(d)) {
                        break;
                    }
                    diags.extend(more);
                    err = e;
                }
            }
        }
        diags
    }

    /// Template `name` as Tera parsed it (masked), or empty.
    fn masked(&self, name: &str) -> String {
        self.sources
            .get(name)
            .and_then(|s| okta_tags::mask(&s.text).ok())
            .unwrap_or_default()
    }
}

/// The template and byte range a rendering error points at.
fn error_span(err: &tera::Error) -> Option<(String, Range<usize>)> {
    match err.kind() {
        tera::ErrorKind::RenderingError(r) => {
            Some((r.filename().to_string(), r.span().range.clone()))
        }
        _ => None,
    }
}

/// Replace the `{{ … }}` around `range` with spaces (same length). False when the
/// range is not inside such an expression.
fn blank_expression(text: &mut String, range: Range<usize>) -> bool {
    let Some(start) = text
        .get(..range.start.min(text.len()))
        .and_then(|t| t.rfind("{{"))
    else {
        return false;
    };
    let Some(end) = text[range.start.min(text.len())..]
        .find("}}")
        .map(|e| range.start + e + 2)
    else {
        return false;
    };
    if text[start..end].contains("%}") || text[start + 2..range.start].contains("}}") {
        return false;
    }
    let blank: String = text[start..end]
        .chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect::<String>();
    // Multi-byte characters become one space each: pad to keep every later offset.
    let pad = (end - start) - blank.len();
    text.replace_range(start..end, &format!("{blank}{}", " ".repeat(pad)));
    true
}
