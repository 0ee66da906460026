//! Labels and strings bound for Okta: K001–K003 (KMSI labels across locales), and
//! K004: Okta refuses 4-byte UTF-8 (emoji and other characters outside the Basic
//! Multilingual Plane) in API strings.

use std::sync::Arc;

use toml::Spanned;

use crate::config::spanned_at;
use crate::diag::{Diagnostic, Location, Rule};
use crate::project::Project;
use crate::source::SourceFile;

/// Byte offsets and characters of every 4-byte UTF-8 character in `s`.
pub fn four_byte_chars(s: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    s.char_indices().filter(|(_, c)| c.len_utf8() == 4)
}

fn k004(c: char, what: &str) -> Diagnostic {
    Diagnostic::new(Rule::K004, format!("{what} holds `{c}` (U+{:X}), a 4-byte UTF-8 character that Okta refuses", c as u32))
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
    missing_kmsi_labels(project, &mut out);
    for l in &project.locales {
        for (key, _, v) in l.kmsi.entries() {
            if let Some(v) = v {
                too_long(&l.file, key, v, &mut out);
                markup(&l.file, &format!("KMSI label `{key}`"), v, &mut out);
            }
        }
        for (key, v) in &l.widget {
            markup(&l.file, &format!("widget string `{key}`"), v, &mut out);
        }
    }
    out
}

/// K001: KMSI labels the default locale sets and another locale does not.
///
/// Okta puts the default locale's `title`, `subtitle`, `accept` and `reject` (sent as
/// `postAuthKeepMeSignedInPrompt`) into the widget's strings for whatever language the
/// visitor has; only a locale's own label, merged into `config.i18n` by the page, wins
/// over them. So visitors of a locale without those labels read the default locale's
/// text, not their own language. `remember` has no API field: without it they see the
/// widget's own text for the checkbox. One finding per locale and kind.
fn missing_kmsi_labels(project: &Project, out: &mut Vec<Diagnostic>) {
    let Some(default) = project
        .locales
        .iter()
        .find(|l| l.tag == project.config.default_locale)
    else {
        return;
    };
    let d = &default.tag;
    for l in project.locales.iter().filter(|l| l.tag != default.tag) {
        let at = kmsi_header(&l.file).map_or_else(
            || Location::line(&l.file, 1),
            |r| Location::bytes(&l.file, r),
        );
        let missing: Vec<(&str, &Spanned<String>)> = default
            .kmsi
            .entries()
            .into_iter()
            .zip(l.kmsi.entries())
            .filter_map(|((key, _, want), (_, _, have))| match (want, have) {
                (Some(want), None) => Some((key, want)),
                _ => None,
            })
            .collect();
        let (api, remember): (Vec<_>, Vec<_>) =
            missing.into_iter().partition(|(key, _)| *key != "remember");
        let t = &l.tag;
        let file = &l.file.path;
        if !api.is_empty() {
            let keys = api
                .iter()
                .map(|(k, _)| format!("`{k}`"))
                .collect::<Vec<_>>();
            let shown = api
                .iter()
                .map(|(k, v)| format!("{k} {:?}", v.get_ref()))
                .collect::<Vec<_>>()
                .join(", ");
            let add = api
                .iter()
                .map(|(k, _)| format!("`{k} = \"…\"`"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                Diagnostic::new(Rule::K001,
                    format!(
                        "locale `{t}` does not set the KMSI {} {}: its visitors see the default locale `{d}`'s text instead of their language",
                        plural(keys.len(), "label", "labels"),
                        keys.join(", "),
                    ),
                )
                .at(at.clone())
                .label(format!("no {} here", keys.join(", ")))
                .help(format!(
                    "Okta shows `{d}`'s labels (sent as postAuthKeepMeSignedInPrompt) in every language the page does not override, so `{t}` visitors read {shown}; add {add} under `[kmsi]` in {file} (the page puts {} in config.i18n for `{t}`), or remove {} from `[kmsi]` in {} so that every language gets the widget's own translation",
                    plural(keys.len(), "it", "them"),
                    plural(keys.len(), "it", "them"),
                    default.file.path,
                )),
            );
        }
        for (key, want) in remember {
            out.push(
                Diagnostic::new(Rule::K001,
                    format!(
                        "locale `{t}` does not set the KMSI label `{key}`: its visitors see the widget's own checkbox text, not the one `{d}` sets"
                    ),
                )
                .at(at.clone())
                .label(format!("no `{key}` here"))
                .help(format!(
                    "add `{key} = \"…\"` under `[kmsi]` in {file} (in {d}: {:?}); `{key}` has no API field, so only the page's config.i18n carries it",
                    want.get_ref()
                )),
            );
        }
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// The `[kmsi]` table header of a locale file.
fn kmsi_header(file: &SourceFile) -> Option<std::ops::Range<usize>> {
    let mut start = 0;
    for line in file.text.split_inclusive('\n') {
        let lead = line.len() - line.trim_start().len();
        let t = line.trim();
        if let Some(inner) = t.strip_prefix('[').filter(|i| !i.starts_with('['))
            && let Some(end) = inner.find(']')
            && inner[..end].trim() == "kmsi"
        {
            let from = start + lead;
            return Some(from..from + 1 + end + 1);
        }
        start += line.len();
    }
    None
}

/// K002: how many characters each KMSI label shows well.
fn limit(key: &str) -> usize {
    match key {
        "title" => 60,
        "subtitle" => 160,
        _ => 40,
    }
}

fn too_long(file: &Arc<SourceFile>, key: &str, v: &Spanned<String>, out: &mut Vec<Diagnostic>) {
    let n = v.get_ref().chars().count();
    let max = limit(key);
    if n <= max {
        return;
    }
    out.push(
        Diagnostic::new(Rule::K002,
            format!("KMSI label `{key}` is {n} characters long; the prompt shows at most {max} well"),
        )
        .at(spanned_at(file, v))
        .label(format!("{n} characters"))
        .help(format!("shorten it to {max} characters or fewer: long labels wrap and push the buttons off small screens")),
    );
}

/// K003: HTML markup or an entity in a label the widget shows as text.
fn markup(file: &Arc<SourceFile>, what: &str, v: &Spanned<String>, out: &mut Vec<Diagnostic>) {
    let Some(found) = find_markup(v.get_ref()) else {
        return;
    };
    out.push(
        Diagnostic::new(Rule::K003,
            format!("{what} holds markup `{found}`: the widget shows labels as text, so it appears literally"),
        )
        .at(spanned_at(file, v))
        .label("shown as text")
        .help("write plain text: `&` and `<` need no escaping in labels"),
    );
}

/// The first `<tag`, `</`, `&name;` or `&#…;` in `s`.
fn find_markup(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'<' if b
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'/' || *n == b'!') =>
            {
                let end = s[i..].find('>').map_or(s.len(), |e| i + e + 1);
                let end = if end - i > 40 {
                    s[i..].char_indices().nth(20).map_or(end, |(o, _)| i + o)
                } else {
                    end
                };
                return Some(&s[i..end]);
            }
            b'&' => {
                let rest = &b[i + 1..];
                let len = if rest.first() == Some(&b'#') {
                    let (hex, from) = if matches!(rest.get(1), Some(b'x' | b'X')) {
                        (true, 2)
                    } else {
                        (false, 1)
                    };
                    let n = rest[from..]
                        .iter()
                        .take_while(|c| {
                            if hex {
                                c.is_ascii_hexdigit()
                            } else {
                                c.is_ascii_digit()
                            }
                        })
                        .count();
                    (n > 0).then_some(from + n)
                } else {
                    let n = rest
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .count();
                    (n >= 2 && rest[0].is_ascii_alphabetic()).then_some(n)
                };
                if let Some(len) = len
                    && rest.get(len) == Some(&b';')
                {
                    return Some(&s[i..i + 1 + len + 1]);
                }
            }
            _ => {}
        }
    }
    None
}

/// 4-byte characters in a rendered page: pointed at the template (or the project file)
/// they came from when it can be found there, otherwise at the rendered file.
pub(super) fn page_content(project: &Project, page: &super::Page) -> Vec<Diagnostic> {
    let html = page.rendered.text.as_str();
    let mut out = Vec::new();
    // A 4-byte UTF-8 character starts with a byte of 0xF0 or more.
    if html.bytes().max().is_none_or(|b| b < 0xF0) {
        return out;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_labels() {
        assert_eq!(find_markup("Sign in to <b>Acme</b>"), Some("<b>"));
        assert_eq!(find_markup("Stay &amp; go"), Some("&amp;"));
        assert_eq!(find_markup("&#8217; &#x2019;"), Some("&#8217;"));
        assert_eq!(find_markup("a </ b"), Some("</ b"));
        for plain in [
            "Terms & conditions",
            "a < b",
            "I <3 it",
            "R&D; later",
            "&;",
            "&#;",
        ] {
            assert_eq!(find_markup(plain), None, "{plain}");
        }
    }

    #[test]
    fn finds_the_kmsi_header() {
        let f = SourceFile::new(
            "locales/fr.toml",
            "# fr\n  [ kmsi ] # labels\ntitle = \"x\"\n",
        );
        let r = kmsi_header(&f).unwrap();
        assert_eq!(&f.text[r], "[ kmsi ]");
        assert_eq!(
            kmsi_header(&SourceFile::new("l.toml", "[[kmsi]]\n[widget]\n")),
            None
        );
    }
}
