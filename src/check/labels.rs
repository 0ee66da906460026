//! Labels and strings bound for Okta: K001–K003 (KMSI labels across locales), and
//! K004: Okta refuses 4-byte UTF-8 (emoji and other characters outside the Basic
//! Multilingual Plane) in API strings.

use std::sync::Arc;

use toml::Spanned;

use crate::diag::{Diagnostic, Location};
use crate::project::Project;
use crate::source::SourceFile;

/// Byte offsets and characters of every 4-byte UTF-8 character in `s`.
pub fn four_byte_chars(s: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    s.char_indices().filter(|(_, c)| c.len_utf8() == 4)
}

fn k004(c: char, what: &str) -> Diagnostic {
    Diagnostic::error("K004", format!("{what} holds `{c}` (U+{:X}), a 4-byte UTF-8 character that Okta refuses", c as u32))
        .label("Okta refuses this character")
        .help("remove it, or use a character from the Basic Multilingual Plane; in HTML an entity such as `&#x1F600;` reaches the browser without reaching the API as 4 bytes")
}

fn check_spanned(
    file: &Arc<SourceFile>,
    what: &str,
    v: &Spanned<String>,
    out: &mut Vec<Diagnostic>,
) {
    let span = v.span();
    // The span covers the quoted value; find each character in the file text itself.
    let text = file.text.get(span.clone()).unwrap_or("");
    for (off, c) in four_byte_chars(text) {
        let start = span.start + off;
        out.push(k004(c, what).at(Location::bytes(file, start..start + c.len_utf8())));
    }
}

pub(super) fn project_wide(project: &Project) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let config = &project.config;
    let mut customizations = vec![&config.widget_customizations];
    customizations.extend(config.brands.iter().map(|b| &b.widget_customizations));
    for wc in customizations {
        for (key, v) in wc.strings() {
            check_spanned(
                &config.file,
                &format!("widget customization `{key}`"),
                v,
                &mut out,
            );
        }
    }
    for l in &project.locales {
        for (key, _, v) in l.kmsi.entries() {
            if let Some(v) = v {
                check_spanned(&l.file, &format!("KMSI label `{key}`"), v, &mut out);
            }
        }
        for (key, v) in &l.widget {
            check_spanned(&l.file, &format!("widget string `{key}`"), v, &mut out);
        }
        for (key, v) in &l.strings {
            check_spanned(&l.file, &format!("string `{key}`"), v, &mut out);
        }
    }
    out
}

/// 4-byte characters in a rendered page: pointed at the template (or the project file)
/// they came from when it can be found there, otherwise at the rendered file.
pub(super) fn page_content(project: &Project, page: &super::Page) -> Vec<Diagnostic> {
    let html = page.rendered.text.as_str();
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for (off, c) in four_byte_chars(html) {
        if seen.contains(&c) {
            continue;
        }
        seen.push(c);
        let mut s = [0u8; 4];
        let needle: &str = c.encode_utf8(&mut s);
        // Locale strings are reported where they are written, by `project_wide`.
        if project.locales.iter().any(|l| l.file.text.contains(needle)) {
            continue;
        }
        let in_source = project
            .templates
            .iter()
            .chain(std::iter::once(&project.config.file))
            .find_map(|f| f.text.find(needle).map(|o| (f, o)));
        let loc = match in_source {
            Some((f, o)) => Location::bytes(f, o..o + c.len_utf8()),
            None => Location::bytes(&page.rendered, off..off + c.len_utf8()),
        };
        out.push(k004(c, "the page content").at(loc));
    }
    out
}
