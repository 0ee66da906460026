//! Pointing a finding back at where its text was written: the designer's template
//! (the same line, or the same text), or the project variable the text came from, or
//! else the rendered page itself. Every check locates through [`super::Page::locate`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use crate::diag::Location;
use crate::project::ValueSite;
use crate::source::SourceFile;

/// Find where a range of the rendered page was written: the same line in a template
/// (indentation aside), or failing that the same text; the k-th repeat in the page maps
/// to the k-th in the template. Falls back to the rendered file.
pub fn locate_in_sources(
    rendered: &Arc<SourceFile>,
    sources: &[Arc<SourceFile>],
    range: std::ops::Range<usize>,
) -> Location {
    locate_in(rendered, sources, &[], range)
}

/// [`locate_in_sources`], with one more step before the rendered file: text that is
/// not in a template but is (or holds) the value of a project variable points at that
/// value in `signin-pages.toml` or the locale file. `values` in the order to prefer
/// (the target's brand, environment, project, locales).
pub fn locate_in(
    rendered: &Arc<SourceFile>,
    sources: &[Arc<SourceFile>],
    values: &[Arc<ValueSite>],
    range: std::ops::Range<usize>,
) -> Location {
    locate_cached(rendered, sources, values, range, None)
}

/// Where whole lines of one rendered page stand in its templates, looked up once per
/// line: a page of one long line can have thousands of findings on it.
#[derive(Default)]
pub(crate) struct LineCache(RefCell<HashMap<usize, Option<(usize, usize)>>>);

/// [`locate_in`], with the lines already looked up in `cache`.
pub(crate) fn locate_cached(
    rendered: &Arc<SourceFile>,
    sources: &[Arc<SourceFile>],
    values: &[Arc<ValueSite>],
    range: std::ops::Range<usize>,
    cache: Option<&LineCache>,
) -> Location {
    let pos = rendered.position(range.start);
    let line_range = rendered.line_range(pos.line);
    let line = &rendered.text[line_range.clone()];
    let trimmed = line.trim();
    if trimmed.len() >= 4 && range.end <= line_range.end {
        let lead = line.len() - line.trim_start().len();
        let offset = range.start - line_range.start;
        if offset >= lead {
            let look_up = || {
                let nth = whole_line_matches(&rendered.text[..line_range.start], trimmed).len();
                nth_in_sources(sources, nth, |t| whole_line_matches(t, trimmed))
            };
            let found = match cache {
                Some(c) => *c.0.borrow_mut().entry(pos.line).or_insert_with(look_up),
                None => look_up(),
            };
            if let Some((i, at)) = found {
                let start = at + (offset - lead);
                return Location::bytes(&sources[i], start..start + range.len());
            }
        }
    }
    let snippet = &rendered.text[range.clone()];
    if snippet.trim().len() >= 6 {
        let nth = rendered.text[..range.start].matches(snippet).count();
        let find_all = |t: &str| t.match_indices(snippet).map(|(i, _)| i).collect::<Vec<_>>();
        if let Some((i, at)) = nth_in_sources(sources, nth, find_all) {
            return Location::bytes(&sources[i], at..at + range.len());
        }
    }
    if let Some(loc) = in_values(&rendered.text, values, range.clone()) {
        return loc;
    }
    Location::bytes(rendered, range)
}

/// The value `range` came from: the first value (in `values` order) that holds the
/// whole range — pointing at the same bytes in it when the value is written without
/// escapes — or else the longest value that the range holds at its start or that makes
/// up at least half of it (a URL made of `{{ vars.cdn }}/app.js`). Values are looked
/// for as written and HTML-escaped (Tera's autoescape).
fn in_values(
    text: &str,
    values: &[Arc<ValueSite>],
    range: std::ops::Range<usize>,
) -> Option<Location> {
    if range.is_empty() {
        return None;
    }
    let mut held: Option<(usize, Location)> = None;
    for v in values {
        if v.value.trim().chars().count() < 4 {
            continue;
        }
        let escaped = escape_html(&v.value);
        let forms = [(v.value.as_str(), true), (escaped.as_str(), false)];
        for (form, exact) in forms
            .into_iter()
            .take(if escaped == v.value { 1 } else { 2 })
        {
            let mut lo = range.start.saturating_sub(form.len());
            while !text.is_char_boundary(lo) {
                lo -= 1;
            }
            let mut hi = (range.end + form.len()).min(text.len());
            while !text.is_char_boundary(hi) {
                hi += 1;
            }
            for (i, _) in text[lo..hi].match_indices(form) {
                let occ = lo + i..lo + i + form.len();
                if occ.start <= range.start && range.end <= occ.end {
                    let loc = match (exact, v.verbatim) {
                        (true, Some(at)) => {
                            let start = at + (range.start - occ.start);
                            Location::bytes(&v.file, start..start + range.len())
                        }
                        _ => Location::bytes(&v.file, v.span()),
                    };
                    return Some(loc);
                }
                let inside = range.start <= occ.start && occ.end <= range.end;
                if inside
                    && (occ.start == range.start || occ.len() * 2 >= range.len())
                    && held.as_ref().is_none_or(|(n, _)| occ.len() > *n)
                {
                    held = Some((occ.len(), Location::bytes(&v.file, v.span())));
                }
            }
        }
    }
    held.map(|(_, loc)| loc)
}

/// What Tera's autoescape makes of a value: Tera's own escaping.
fn escape_html(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    tera::escape_html(s, &mut out).expect("writing to a Vec does not fail");
    String::from_utf8(out).expect("escaping keeps UTF-8")
}

/// The `nth` match (or the first, when a source has fewer) in the first source that has
/// any: the source's index and the offset.
fn nth_in_sources(
    sources: &[Arc<SourceFile>],
    nth: usize,
    find: impl Fn(&str) -> Vec<usize>,
) -> Option<(usize, usize)> {
    sources.iter().enumerate().find_map(|(i, src)| {
        let all = find(&src.text);
        all.get(nth).or(all.first()).map(|&at| (i, at))
    })
}

/// Offsets where `needle` stands alone on a line (indentation aside).
fn whole_line_matches(text: &str, needle: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find(needle) {
        let at = from + found;
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        if text[line_start..at].trim().is_empty()
            && text[at + needle.len()..line_end].trim().is_empty()
        {
            out.push(at);
        }
        from = at + needle.len().max(1);
    }
    out
}
