//! GitLab Code Quality (`--format gitlab`): one JSON array of findings, the report a
//! merge request shows beside its changes (`artifacts: reports: codequality:`). Each has
//! a fingerprint GitLab uses to tell a finding that is new from one that was there before:
//! a digest of the code, the file, the message, the target and the occurrence, never of
//! the line, so a finding keeps its fingerprint when lines move above it.

use serde::Serialize;

use super::{Diagnostics, Severity};
use crate::redact::mask;

#[derive(Serialize)]
struct Finding {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

/// `prefix`: the project's folder from the repository's root (`pages/`, or empty), as
/// [`super::repository_prefix`] finds it. A finding without a place in a file is placed
/// on the project's `signin-pages.toml`, so that none goes missing from the report.
pub fn render_gitlab(diags: &Diagnostics, prefix: &str) -> String {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let findings: Vec<Finding> = diags
        .iter()
        .map(|d| {
            let (path, line) = match &d.location {
                Some(loc) => (loc.file.path.as_str(), loc.positions().0),
                None => ("signin-pages.toml", 1),
            };
            let mut description = mask(&d.message).into_owned();
            if let (Some(env), Some(brand)) = (&d.env, &d.brand) {
                description.push_str(&format!(" [{env}/{brand}]"));
            }
            if let Some(help) = &d.help {
                description.push_str(" — ");
                description.push_str(&mask(help));
            }
            let key = format!("{}\0{prefix}{path}\0{description}", d.code());
            let n = seen.entry(key.clone()).or_default();
            *n += 1;
            let digest =
                ring::digest::digest(&ring::digest::SHA256, format!("{key}\0{n}").as_bytes());
            Finding {
                description,
                check_name: d.code().to_string(),
                fingerprint: digest.as_ref()[..16]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect(),
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                location: Location {
                    path: format!("{prefix}{path}"),
                    lines: Lines { begin: line },
                },
            }
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&findings).expect("findings serialize");
    out.push('\n');
    out
}
