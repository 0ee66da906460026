//! Undefined names: which piece of a dotted name (`vars.primary`) the template context
//! lacks, and what to suggest instead — a name of the context, a field its parent has,
//! an Okta tag (which Tera cannot read: Okta fills it in when it serves the page), or
//! where to define it.

use std::ops::Range;

use super::context::CONTEXT_NAMES;
use crate::diag::suggest::closest;
use crate::diag::{Diagnostic, Rule};
use crate::okta_tags;

/// What a render found missing.
#[derive(Debug, PartialEq)]
pub(super) enum Missing {
    Variable(String),
    Field {
        parent: String,
        field: String,
        available: Vec<String>,
    },
}

impl Missing {
    /// T002, with a suggestion drawn from `ctx`.
    pub(super) fn diagnostic(self, ctx: &tera::Context) -> Diagnostic {
        let (message, help) = match self {
            Missing::Variable(var) => (
                format!("undefined variable `{var}`"),
                suggest(&var, &context_names(ctx)),
            ),
            Missing::Field {
                parent,
                field,
                available,
            } => (
                format!("undefined field `{field}` of `{parent}`"),
                suggest_field(&parent, &field, &available),
            ),
        };
        Diagnostic::new(Rule::T002, message)
            .label("not defined")
            .help(help)
    }
}

fn context_names(ctx: &tera::Context) -> Vec<String> {
    CONTEXT_NAMES
        .iter()
        .filter(|n| ctx.contains_key(n))
        .map(|s| s.to_string())
        .collect()
}

/// The dotted name around `offset`: `vars.primary` → ["vars", "primary"]. Tera points
/// at the field of a dotted name, and at the filter when a filter was handed an
/// undefined value (`{{ x | js }}`): then the name is the one before the `|`.
pub(super) fn dotted_path_at(text: &str, offset: usize) -> (usize, Vec<&str>) {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    let offset = offset.min(text.len());
    let start = text[..offset]
        .rfind(|c: char| !is_name(c))
        .map_or(0, |i| i + 1);
    let before = text[..start].trim_end();
    if before.ends_with('|') && !before.ends_with("||") {
        let lhs = before[..before.len() - 1].trim_end();
        return dotted_path_at(lhs, lhs.len());
    }
    let end = text[offset..]
        .find(|c: char| !is_name(c))
        .map_or(text.len(), |i| offset + i);
    (start, text[start..end].split('.').collect())
}

/// Byte range of segment `i` of a dotted name that starts at `start`.
pub(super) fn segment_range(start: usize, path: &[&str], i: usize) -> Range<usize> {
    let from = start + path[..i].iter().map(|s| s.len() + 1).sum::<usize>();
    from..from + path[i].len()
}

/// The first piece of `path` the context does not have, and its index.
pub(super) fn missing_in_context(ctx: &tera::Context, path: &[&str]) -> Option<(usize, Missing)> {
    let (first, rest) = path.split_first()?;
    if first.is_empty() || first.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let Some(value) = ctx.get(first) else {
        return Some((0, Missing::Variable(first.to_string())));
    };
    let mut cur = serde_json::to_value(value).ok()?;
    for (i, seg) in rest.iter().enumerate() {
        match cur.get(seg) {
            Some(next) => cur = next.clone(),
            None => {
                let available = cur
                    .as_object()
                    .map(|o| o.keys().cloned().collect())
                    .unwrap_or_default();
                return Some((
                    i + 1,
                    Missing::Field {
                        parent: path[..=i].join("."),
                        field: seg.to_string(),
                        available,
                    },
                ));
            }
        }
    }
    None
}

fn suggest(var: &str, known: &[String]) -> String {
    if okta_tags::is_okta_name(var) {
        return format!(
            "`{var}` is Okta's: Okta fills it in when it serves the page, so Tera cannot read it; write it exactly `{{{{{var}}}}}` (no filters), or wrap the construct in `{{% raw %}}…{{% endraw %}}`"
        );
    }
    let okta = closest(var, okta_tags::OKTA_TAGS.iter().map(|(n, _)| *n));
    let ours = closest(var, known.iter().map(String::as_str));
    match (ours, okta) {
        (Some(o), _) => format!("did you mean `{o}`?"),
        (None, Some(o)) => format!(
            "did you mean the Okta variable `{o}`? Okta's tags pass through untouched when written `{{{{{o}}}}}`"
        ),
        (None, None) => format!(
            "define `{var}` under `[vars]` in signin-pages.toml and write `vars.{var}`; the context has: {}",
            known.join(", ")
        ),
    }
}

fn suggest_field(parent: &str, field: &str, available: &[String]) -> String {
    if let Some(c) = closest(field, available.iter().map(String::as_str)) {
        return format!("did you mean `{parent}.{c}`?");
    }
    let listed = if available.is_empty() {
        "none".to_string()
    } else {
        available.join(", ")
    };
    match parent {
        "strings" => format!(
            "add `{field}` to `[strings]` in the default locale's file (locales/<lang>.toml); it has: {listed}"
        ),
        "vars" => format!(
            "define `{field}` under `[vars]` in signin-pages.toml (or an environment's or brand's `vars`); defined: {listed}"
        ),
        _ => format!("`{parent}` has: {listed}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(
            closest("bgImgUrl", okta_tags::OKTA_TAGS.iter().map(|(n, _)| *n)),
            Some("bgImageUrl")
        );
        assert_eq!(closest("brnad", ["brand", "env"]), Some("brand"));
        assert_eq!(closest("zzzzzz", ["brand"]), None);
    }
}
