//! A rendered page, ready for checks: HTML parsed (html5ever) on a stubbed copy, with
//! the line of every element, and the one way every check points a finding back at
//! where it was written: the designer's template, or the project variable the text
//! came from ([`locate_in`]).
//!
//! The stub replaces each Okta tag with inert text of the same length, so that
//! `{{{SignInWidgetResources}}}` in `<head>` does not close the head and make html5ever
//! report errors the page does not have, and every offset in the stub is an offset in
//! the rendered page. Triple-brace tags and sections become comments (`<!--xx-->`),
//! variables become `~` runs (a relative URL: never an outside origin).

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use ego_tree::NodeId;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{ElementRef, Html, HtmlTreeSink, Selector};

use crate::diag::Location;
use crate::okta_tags;
use crate::project::ValueSite;
use crate::source::SourceFile;

/// Same-length inert stand-ins for every Okta-style tag in `rendered`.
pub fn stub(rendered: &str) -> String {
    let tags = okta_tags::find_tags(rendered, false);
    if tags.is_empty() {
        return rendered.to_string();
    }
    let comments = comment_regions(rendered);
    let mut out = String::with_capacity(rendered.len());
    let mut last = 0;
    for t in tags {
        out.push_str(&rendered[last..t.range.start]);
        let n = t.range.len();
        let in_comment = comments.iter().any(|c| c.contains(&t.range.start));
        if (t.triple || t.sigil.is_some()) && n >= 7 && !in_comment {
            out.push_str("<!--");
            out.extend(std::iter::repeat_n('x', n - 7));
            out.push_str("-->");
        } else {
            out.extend(std::iter::repeat_n('~', n));
        }
        last = t.range.end;
    }
    out.push_str(&rendered[last..]);
    out
}

/// Byte ranges of `<!-- … -->` comments (a comment cannot hold another).
fn comment_regions(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("<!--").map(|i| from + i) {
        let end = text[start + 4..]
            .find("-->")
            .map_or(text.len(), |i| start + 4 + i + 3);
        out.push(start..end);
        from = end;
    }
    out
}

/// A page and its parse.
pub struct Page {
    /// `dist/<env>/<brand>/<page>.html`, holding the rendered text.
    pub rendered: Arc<SourceFile>,
    /// The templates the page may have come from (to point findings at them).
    pub sources: Vec<Arc<SourceFile>>,
    /// The project's string values the page may hold, in the order to prefer.
    pub values: Vec<Arc<ValueSite>>,
    pub html: Html,
    /// Line (1-based) of each element's start tag.
    lines: HashMap<NodeId, usize>,
    /// html5ever's parse errors with the line they were seen on.
    pub errors: Vec<(usize, Cow<'static, str>)>,
    /// The rendered text with Okta's tags stubbed (same length), as it was parsed.
    pub stubbed: String,
}

impl Page {
    pub fn parse(path: &str, rendered: &str, sources: &[Arc<SourceFile>]) -> Page {
        let stubbed = stub(rendered);
        let (html, lines, mut errors) = parse_stubbed(&stubbed, false);
        if !errors.is_empty() {
            // Rare: parse again with html5ever's detailed messages.
            errors = parse_stubbed(&stubbed, true).2;
        }
        Page {
            rendered: Arc::new(SourceFile::new(path, rendered)),
            sources: sources.to_vec(),
            values: Vec::new(),
            html,
            lines,
            errors,
            stubbed,
        }
    }

    /// With the project values the page's text may come from (see [`locate_in`]).
    pub fn with_values(mut self, values: Vec<Arc<ValueSite>>) -> Page {
        self.values = values;
        self
    }

    pub fn select<'a>(
        &'a self,
        selector: &'static str,
    ) -> impl Iterator<Item = ElementRef<'a>> + 'a {
        thread_local! {
            // Parsed once per thread, not once per page.
            static SELECTORS: RefCell<HashMap<&'static str, Selector>> = RefCell::new(HashMap::new());
        }
        let sel = SELECTORS.with(|c| {
            c.borrow_mut()
                .entry(selector)
                .or_insert_with(|| Selector::parse(selector).expect("checks use valid selectors"))
                .clone()
        });
        self.html.select(&sel).collect::<Vec<_>>().into_iter()
    }

    /// Line of an element's start tag in the rendered page.
    pub fn line_of(&self, el: &ElementRef<'_>) -> usize {
        self.lines.get(&el.id()).copied().unwrap_or(1)
    }

    /// Byte range of `needle` on the element's line (or the lines just before, for start
    /// tags spread over several lines), in the rendered page.
    pub fn find_near(&self, el: &ElementRef<'_>, needle: &str) -> Option<std::ops::Range<usize>> {
        let line = self.line_of(el);
        let end = self.rendered.line_range(line).end;
        let start = self
            .rendered
            .line_range(line.saturating_sub(8).max(1))
            .start;
        let hay = &self.rendered.text[start..end];
        hay.rfind(needle)
            .map(|o| start + o..start + o + needle.len())
    }

    /// Where an element's start tag is: `<name` on its line.
    pub fn element_range(&self, el: &ElementRef<'_>) -> std::ops::Range<usize> {
        let name = el.value().name();
        self.find_near(el, &format!("<{name}"))
            .or_else(|| self.find_near(el, &format!("<{}", name.to_uppercase())))
            .unwrap_or_else(|| self.rendered.line_range(self.line_of(el)))
    }

    /// Point at a range of the rendered page — in the designer's template when that line
    /// is found there, at a project variable's value when the text came from one,
    /// otherwise in the rendered file.
    pub fn locate(&self, range: std::ops::Range<usize>) -> Location {
        locate_in(&self.rendered, &self.sources, &self.values, range)
    }

    /// Point at a whole line of the rendered page.
    pub fn locate_line(&self, line: usize) -> Location {
        let r = self.rendered.line_range(line);
        let text = &self.rendered.text[r.clone()];
        let trimmed = text.trim();
        if !trimmed.is_empty() {
            let lead = text.len() - text.trim_start().len();
            return self.locate(r.start + lead..r.start + lead + trimmed.len());
        }
        Location::line(&self.rendered, line)
    }
}

type Parsed = (
    Html,
    HashMap<NodeId, usize>,
    Vec<(usize, Cow<'static, str>)>,
);

fn parse_stubbed(stubbed: &str, exact_errors: bool) -> Parsed {
    let sink = LineSink {
        inner: HtmlTreeSink::new(Html::new_document()),
        line: Cell::new(1),
        lines: RefCell::new(HashMap::new()),
        errors: RefCell::new(Vec::new()),
    };
    let mut opts = html5ever::ParseOpts::default();
    opts.tokenizer.exact_errors = exact_errors;
    html5ever::parse_document(sink, opts).one(stubbed)
}

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
    let pos = rendered.position(range.start);
    let line_range = rendered.line_range(pos.line);
    let line = &rendered.text[line_range.clone()];
    let trimmed = line.trim();
    if trimmed.len() >= 4 && range.end <= line_range.end {
        let lead = line.len() - line.trim_start().len();
        let offset = range.start - line_range.start;
        if offset >= lead {
            let nth = whole_line_matches(&rendered.text[..line_range.start], trimmed).len();
            if let Some((src, at)) =
                nth_in_sources(sources, nth, |t| whole_line_matches(t, trimmed))
            {
                let start = at + (offset - lead);
                return Location::bytes(src, start..start + range.len());
            }
        }
    }
    let snippet = &rendered.text[range.clone()];
    if snippet.trim().len() >= 6 {
        let nth = rendered.text[..range.start].matches(snippet).count();
        let find_all = |t: &str| t.match_indices(snippet).map(|(i, _)| i).collect::<Vec<_>>();
        if let Some((src, at)) = nth_in_sources(sources, nth, find_all) {
            return Location::bytes(src, at..at + range.len());
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

/// What Tera's autoescape makes of a value.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The `nth` match (or the first, when a source has fewer) in the first source that has any.
fn nth_in_sources(
    sources: &[Arc<SourceFile>],
    nth: usize,
    find: impl Fn(&str) -> Vec<usize>,
) -> Option<(&Arc<SourceFile>, usize)> {
    sources.iter().find_map(|src| {
        let all = find(&src.text);
        all.get(nth).or(all.first()).map(|&at| (src, at))
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

/// Scraper's tree sink, plus the line each element started on and the parse errors.
struct LineSink {
    inner: HtmlTreeSink,
    line: Cell<u64>,
    lines: RefCell<HashMap<NodeId, usize>>,
    errors: RefCell<Vec<(usize, Cow<'static, str>)>>,
}

impl TreeSink for LineSink {
    type Handle = NodeId;
    type Output = Parsed;
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Self::Output {
        (
            self.inner.finish(),
            self.lines.into_inner(),
            self.errors.into_inner(),
        )
    }
    fn parse_error(&self, msg: Cow<'static, str>) {
        self.errors
            .borrow_mut()
            .push((self.line.get() as usize, msg));
    }
    fn set_current_line(&self, line: u64) {
        self.line.set(line);
    }
    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let id = self.inner.create_element(name, attrs, flags);
        self.lines.borrow_mut().insert(id, self.line.get() as usize);
        id
    }
    fn create_comment(&self, text: StrTendril) -> NodeId {
        let id = self.inner.create_comment(text);
        self.lines.borrow_mut().insert(id, self.line.get() as usize);
        id
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.inner.append(parent, child)
    }
    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        self.inner
            .append_based_on_parent_node(element, prev_element, child)
    }
    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }
    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }
    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.inner.append_before_sibling(sibling, new_node)
    }
    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }
    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target)
    }
    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stub_keeps_length_and_head() {
        let page = "<!DOCTYPE html><html><head><title>{{pageTitle}}</title>{{{SignInWidgetResources}}}<style nonce=\"{{nonceValue}}\"></style></head><body>{{{OktaUtil}}}</body></html>";
        let s = stub(page);
        assert_eq!(s.len(), page.len());
        let p = Page::parse("p.html", page, &[]);
        assert!(
            p.errors.iter().all(|(_, m)| !m.contains("Unexpected")),
            "{:?}",
            p.errors
        );
        assert_eq!(p.select("head style").count(), 1);
    }

    #[test]
    fn tags_in_comments_stay_text() {
        let page = "<!DOCTYPE html><html><head><title>t</title></head><body><!-- {{{OktaUtil}}} --></body></html>";
        assert!(Page::parse("p.html", page, &[]).errors.is_empty());
    }

    #[test]
    fn elements_know_their_line() {
        let p = Page::parse(
            "p.html",
            "<html>\n<body>\n<div id=a>\n</div>\n<script>x</script></body></html>",
            &[],
        );
        let div = p.select("div").next().unwrap();
        assert_eq!(p.line_of(&div), 3);
        let s = p.select("script").next().unwrap();
        assert_eq!(p.line_of(&s), 5);
        assert_eq!(&p.rendered.text[p.element_range(&s)], "<script");
    }
}
