//! JSON Lines: one object per diagnostic, fixed field order, nothing else. Secrets in
//! messages are masked ([`crate::redact`]); no source text is carried.

use std::borrow::Cow;

use serde::Serialize;

use super::Diagnostics;
use crate::redact::mask;

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: &'a str,
    message: Cow<'a, str>,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    help: Option<Cow<'a, str>>,
    env: Option<&'a str>,
    brand: Option<&'a str>,
}

pub fn render_json(diags: &Diagnostics) -> String {
    let mut out = String::new();
    for d in diags.iter() {
        let (line, column, end_line, end_column) = match &d.location {
            Some(loc) => {
                let (l, c, el, ec) = loc.positions();
                (Some(l), c, Some(el), ec)
            }
            None => (None, None, None, None),
        };
        let obj = JsonDiagnostic {
            code: d.code(),
            severity: d.severity.as_str(),
            message: mask(&d.message),
            file: d.location.as_ref().map(|l| l.file.path.as_str()),
            line,
            column,
            end_line,
            end_column,
            help: d.help.as_deref().map(mask),
            env: d.env.as_deref(),
            brand: d.brand.as_deref(),
        };
        out.push_str(&serde_json::to_string(&obj).expect("diagnostics serialize"));
        out.push('\n');
    }
    out
}
