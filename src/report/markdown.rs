//! `diff --format markdown`: a job summary (GitHub's `$GITHUB_STEP_SUMMARY`, GitLab's
//! merge request notes) from the same document as `--format json` ([`super::diff`]).
//!
//! What the org holds is not ours to trust: a page, a label or a brand name may hold
//! Markdown or HTML. Every piece of text outside a code block goes through [`inline`]
//! (HTML escaped, Markdown punctuation backslash-escaped, `|` and newlines made safe for
//! a table cell), and every code block is fenced by [`fenced`] with a fence longer than
//! any run of backticks inside, so that no content can close it.

use super::PAGE_CONTENT;
use super::diff::{Document, Status};
use crate::org::fields::show;

/// `s` as text on one Markdown line or in a table cell: no HTML (`<`, `>`, `&` become
/// entities), no Markdown markup (the characters that start it are backslash-escaped),
/// `|` cannot end the cell and a newline cannot end the row (it becomes `<br>`).
pub fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '~' | '!' | '#' | '|' | '$' => {
                out.push('\\');
                out.push(ch);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A fenced code block with `info` (`diff`), its fence one backtick longer than the
/// longest run of backticks in `body` (at least three), so nothing in it closes it.
pub fn fenced(info: &str, body: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for ch in body.chars() {
        if ch == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat((longest + 1).max(3));
    let nl = if body.ends_with('\n') || body.is_empty() {
        ""
    } else {
        "\n"
    };
    format!("{fence}{info}\n{body}{nl}{fence}\n")
}

/// A value in a table cell: `pageContent` by its length, everything else as `diff`
/// prints it.
fn cell(field: &str, v: &serde_json::Value) -> String {
    if field == PAGE_CONTENT {
        return match v.get("bytes") {
            Some(n) => format!("{n} bytes"),
            None => "(unset)".into(),
        };
    }
    inline(&show(v))
}

/// How long the summary may grow with diffs: GitHub refuses a step summary over 1 MiB
/// (and shows none of it), so a diff that would pass this is named, not shown, and the
/// rest (tables and lines) keeps 64 KiB.
const DIFFS_UP_TO: usize = 960 * 1024;

/// The job summary of a `diff`.
pub fn diff(doc: &Document) -> String {
    let mut s = format!(
        "## signin-pages diff: {} against {}\n\n",
        inline(&doc.environment),
        doc.against
    );
    let not_compared = if doc.parts_compared || doc.against == "live" {
        ""
    } else {
        " (pages only: Okta has no preview of the theme, images, sign-out page and brand settings)"
    };
    if doc.status == Status::Equal {
        s.push_str(&format!(
            "No differences: the org holds what the project builds{not_compared}.\n"
        ));
        return s;
    }
    if !doc.errors.is_empty() {
        s.push_str("**Not compared**: nothing was read from the org.\n\n");
        for e in &doc.errors {
            s.push_str(&format!("- {}\n", inline(e)));
        }
        return s;
    }
    let all = || {
        doc.targets
            .iter()
            .map(|t| (t.brand.as_str(), t.page, t.status, &t.fields, &t.error))
            .chain(
                doc.parts
                    .iter()
                    .map(|p| (p.brand.as_str(), p.part, p.status, &p.fields, &p.error)),
            )
    };
    let count = |f: &dyn Fn(Status) -> bool| all().filter(|x| f(x.2)).count();
    let differ = count(&|s| matches!(s, Status::Different | Status::MissingRemote));
    let unread = count(&|s| matches!(s, Status::Error | Status::NotCompared));
    let total = all().count();
    s.push_str(&format!("**{differ} of {total}** pages and parts differ"));
    if unread > 0 {
        s.push_str(&format!(", **{unread} not compared** (below)"));
    }
    s.push_str(&format!("{not_compared}.\n"));

    let problems: Vec<_> = doc.preflight.iter().collect();
    if !problems.is_empty() {
        s.push_str("\n### Org preflight\n\n");
        for f in problems {
            s.push_str(&format!(
                "- {}: {}: {} — {}\n",
                f.level,
                inline(&f.brand),
                inline(&f.message),
                inline(&f.help)
            ));
        }
    }

    let mut brands: Vec<&str> = Vec::new();
    for (b, ..) in all() {
        if !brands.contains(&b) {
            brands.push(b);
        }
    }
    for brand in brands {
        s.push_str(&format!("\n### {}\n\n", inline(brand)));
        let mine: Vec<_> = all().filter(|x| x.0 == brand).collect();
        for (_, what, status, _, error) in &mine {
            match status {
                Status::Error => s.push_str(&format!(
                    "- **{what}**: not read: {}\n",
                    inline(error.as_deref().unwrap_or(""))
                )),
                Status::NotCompared => s.push_str(&format!(
                    "- **{what}**: not compared: the org preflight found a problem with this brand\n"
                )),
                Status::MissingRemote => s.push_str(&format!(
                    "- **{what}**: the {} slot holds no page\n",
                    doc.against
                )),
                _ => {}
            }
        }
        let rows: Vec<_> = mine
            .iter()
            .flat_map(|(_, what, _, fields, _)| fields.iter().map(move |f| (*what, f)))
            .collect();
        if rows.is_empty() {
            if mine.iter().all(|x| x.2 == Status::Equal) {
                s.push_str("No differences.\n");
            }
            continue;
        }
        if mine
            .iter()
            .any(|x| x.2 != Status::Different && x.2 != Status::Equal)
        {
            s.push('\n');
        }
        s.push_str(&format!(
            "| page | field | {} | project |\n| --- | --- | --- | --- |\n",
            doc.against
        ));
        for (what, f) in &rows {
            let new = cell(&f.field, &f.new);
            s.push_str(&format!(
                "| {what} | {} | {} | {}{} |\n",
                inline(&f.field),
                cell(&f.field, &f.old),
                new,
                if f.diff.is_some() {
                    " (diff below)"
                } else {
                    ""
                }
            ));
        }
        for (what, f) in &rows {
            if let Some(d) = &f.diff {
                let block = fenced("diff", d);
                if s.len() + block.len() > DIFFS_UP_TO {
                    s.push_str(&format!(
                        "\n{what} {}: the diff ({} lines, {} KiB) is left out, or the summary would pass the 1 MiB a CI job summary holds: `signin-pages diff` with `--brand` prints it.\n",
                        inline(&f.field),
                        d.lines().count(),
                        d.len().div_ceil(1024),
                    ));
                    continue;
                }
                s.push_str(&format!("\n{what} {}:\n\n", inline(&f.field)));
                s.push_str(&block);
            }
        }
    }
    s
}
