//! GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=CODE::message`).

use super::{Diagnostics, Severity};
use crate::redact::mask;

/// Escape a workflow-command message (`%`, CR, LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow-command property (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `prefix`: the project's folder relative to the repository's root (`pages/`), when
/// the project is not at the root: GitHub places an annotation by its path from the root.
pub fn render_github(diags: &Diagnostics, prefix: &str) -> String {
    let mut out = String::new();
    for d in diags.iter() {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(loc) = &d.location {
            let (line, col, end_line, end_col) = loc.positions();
            props.push(format!(
                "file={}",
                escape_property(&format!("{prefix}{}", loc.file.path))
            ));
            props.push(format!("line={line}"));
            if let Some(c) = col {
                props.push(format!("col={c}"));
            }
            props.push(format!("endLine={end_line}"));
            if let Some(c) = end_col {
                props.push(format!("endColumn={c}"));
            }
        }
        props.push(format!("title={}", escape_property(d.code())));
        let mut message = mask(&d.message).into_owned();
        if let (Some(env), Some(brand)) = (&d.env, &d.brand) {
            message.push_str(&format!(" [{env}/{brand}]"));
        }
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(&mask(help));
        }
        out.push_str(&format!(
            "::{kind} {}::{}\n",
            props.join(","),
            escape_data(&message)
        ));
    }
    out
}
