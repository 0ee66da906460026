//! O006: post-sign-in KMSI labels with a widget version older than 7.13.

use toml::Spanned;

use crate::config::spanned_at;
use crate::diag::{Diagnostic, Rule};
use crate::project::Project;

/// Whether a `[widget] version` can resolve to a widget older than 7.13: `N.M` below
/// 7.13, or any form whose major is below 7. `*`, `^7` and `7` take the newest 7.x.
fn below_7_13(v: &str) -> bool {
    let v = v.trim();
    if v == "*" {
        return false;
    }
    let (caret, rest) = match v.strip_prefix('^') {
        Some(r) => (true, r),
        None => (false, v),
    };
    let (major, minor) = match rest.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (rest, None),
    };
    let Ok(major) = major.parse::<u32>() else {
        return false;
    };
    match minor {
        Some(m) if !caret => m.parse::<u32>().is_ok_and(|m| (major, m) < (7, 13)),
        _ => major < 7,
    }
}

pub(super) fn kmsi_needs_7_13(project: &Project, out: &mut Vec<Diagnostic>) {
    let config = &project.config;
    let version = config.widget_version.get_ref();
    if !below_7_13(version) {
        return;
    }
    let Some(default) = project
        .locales
        .iter()
        .find(|l| l.tag == config.default_locale)
    else {
        return;
    };
    let k = &default.kmsi;
    let set: Vec<(&str, &Spanned<String>)> = [
        ("title", &k.title),
        ("subtitle", &k.subtitle),
        ("accept", &k.accept),
        ("reject", &k.reject),
    ]
    .into_iter()
    .filter_map(|(n, v)| v.as_ref().map(|v| (n, v)))
    .collect();
    let Some((_, first)) = set.first() else {
        return;
    };
    let (line, _, _, _) = spanned_at(&default.file, *first).positions();
    let keys = set
        .iter()
        .map(|(n, _)| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    out.push(
        Diagnostic::new(Rule::O006,
            format!(
                "widget version `{version}` is older than 7.13, but the default locale sets post-sign-in KMSI labels: the prompt never shows"
            ),
        )
        .at(spanned_at(&config.file, &config.widget_version))
        .label("the post-sign-in KMSI prompt needs 7.13")
        .help(format!(
            "use `version = \"^7\"` or `\"7.13\"` or later; the labels ({keys}) are set in {}:{line}",
            default.file.path
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_below_7_13() {
        for v in ["7.12", "7.0", "6", "^6", "6.99", "5.9"] {
            assert!(below_7_13(v), "{v}");
        }
        for v in ["*", "^7", "7", "7.13", "7.20", "8.0", "^8", "8"] {
            assert!(!below_7_13(v), "{v}");
        }
    }
}
