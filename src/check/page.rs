//! A rendered page, ready for checks, computed once and read by every check: Okta's
//! tags in it, the page scanner's reading of it ([`Scan`]: tags as written, comments,
//! scripts), the CSS references of its styles, and its HTML parsed by html5ever on a
//! stubbed copy, each element paired with its start tag as written. Findings point back
//! at where the text was written through [`Page::locate`].
//!
//! The stub replaces each Okta tag with inert text of the same length, so that
//! `{{{SignInWidgetResources}}}` in `<head>` does not close the head and make html5ever
//! report errors the page does not have, and every offset in the stub is an offset in
//! the rendered page. Triple-brace tags and sections become comments (`<!--xx-->`),
//! variables become `~` runs (a relative URL: never an outside origin).
//!
//! Each element html5ever creates is paired with the start tag it came from: the
//! scanner's tag with the same name whose `>` is on the element's line, preferring one
//! with the same attributes, in the order written. Elements html5ever makes up (an
//! implied `<head>`) have no tag; findings about them fall back to their line.

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;

use scraper::{ElementRef, Html, Selector};

use super::parse::{Made, Parsed, exact_errors, parse_skeleton};
use super::scan::css::{self, CssRef};
use super::scan::{Attr, Scan, Script, StartTag};
use crate::diag::Location;
use crate::okta_tags::{self, Tag};
use crate::project::ValueSite;
use crate::source::SourceFile;

use super::locate::{LineCache, locate_cached};
pub use super::locate::{locate_in, locate_in_sources};

/// Same-length inert stand-ins for every Okta-style tag in `rendered`.
pub fn stub(rendered: &str) -> String {
    let tags = okta_tags::find_tags(rendered, false);
    stub_tags(rendered, &tags, &Scan::new(rendered))
}

/// [`stub`], with the page's tags and scan already at hand. A tag inside an HTML
/// comment becomes `~`s: a comment cannot hold another.
fn stub_tags(rendered: &str, tags: &[Tag], scan: &Scan) -> String {
    if tags.is_empty() {
        return rendered.to_string();
    }
    let mut out = String::with_capacity(rendered.len());
    let mut last = 0;
    for t in tags {
        out.push_str(&rendered[last..t.range.start]);
        let n = t.range.len();
        if (t.triple || t.sigil.is_some()) && n >= 7 && !scan.in_comment(t.range.start) {
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

/// A page and its parse. `'v`: what the project values it may hold are read from.
pub struct Page<'v> {
    /// `dist/<env>/<brand>/<page>.html`, holding the rendered text.
    pub rendered: Arc<SourceFile>,
    /// The templates the page may have come from (to point findings at them).
    pub sources: Vec<Arc<SourceFile>>,
    /// The project's string values the page may hold, in the order to prefer: read
    /// when a finding is first located (most pages have none).
    values: OnceCell<Vec<Arc<ValueSite>>>,
    values_from: Option<Box<dyn Fn() -> Vec<Arc<ValueSite>> + 'v>>,
    /// The tree html5ever made (shared with the pages of the same skeleton).
    pub html: Rc<Html>,
    /// html5ever's parse errors with the line they were seen on.
    pub errors: Vec<(usize, Cow<'static, str>)>,
    /// The rendered text with Okta's tags stubbed (same length), as it was parsed.
    pub stubbed: String,
    /// Okta's tags (`{{…}}`, `{{{…}}}`, sections) in the rendered text.
    pub okta_tags: Vec<Tag>,
    /// The scanner's reading of the rendered text.
    pub scan: Scan,
    /// What the `<style>` blocks and `style` attributes load (ranges in the page).
    pub css: Vec<CssRef>,
    /// Every element, in the order html5ever made them (the order of its arena, so
    /// sorted by id).
    made: Rc<Vec<Made>>,
    /// Where the page's lines stand in its templates, once looked up.
    lines_found: LineCache,
}

impl<'v> Page<'v> {
    pub fn parse(path: &str, rendered: &str, sources: &[Arc<SourceFile>]) -> Page<'v> {
        let file = Arc::new(SourceFile::new(path, rendered));
        let okta_tags = okta_tags::find_tags(rendered, false);
        let scan = Scan::new(rendered);
        let stubbed = stub_tags(rendered, &okta_tags, &scan);
        // The line of each start tag's `>`, where html5ever sees the tag (counted in one
        // pass: the tags are in text order).
        let mut line = 1;
        let mut counted = 0;
        let tag_lines: Vec<u32> = scan
            .tags
            .iter()
            .map(|t| {
                let gt = t.range.end - 1;
                line +=
                    memchr::memchr_iter(b'\n', &rendered.as_bytes()[counted..gt]).count() as u32;
                counted = gt;
                line
            })
            .collect();
        // html5ever reads the page's skeleton: its markup and line breaks, without the
        // text it walks a character at a time (see `skeleton`).
        let skeleton = super::skeleton::skeleton(&stubbed, &scan);
        let Parsed { html, made, errors } = parse_skeleton(&skeleton, &scan.tags, &tag_lines);
        drop(skeleton);
        let errors = if errors.is_empty() {
            errors
        } else {
            // Rare: parse the page as written again, with html5ever's detailed messages.
            exact_errors(&stubbed, &scan.tags, &tag_lines)
        };
        // CSS is read on the stub: an Okta tag there is not CSS.
        let mut css_refs = Vec::new();
        for tag in &scan.tags {
            if let (true, Some(content)) = (tag.name == "style", &tag.content) {
                css::sheet(&stubbed, content.clone(), &mut css_refs);
            }
            if let Some(Attr { value: Some(v), .. }) = tag.attr("style") {
                css::declarations(&stubbed, v.clone(), &mut css_refs);
            }
        }
        Page {
            rendered: file,
            sources: sources.to_vec(),
            values: OnceCell::new(),
            values_from: None,
            html,
            errors,
            stubbed,
            okta_tags,
            scan,
            css: css_refs,
            made,
            lines_found: LineCache::default(),
        }
    }

    /// With the project values the page's text may come from (see [`locate_in`]).
    pub fn with_values(self, values: Vec<Arc<ValueSite>>) -> Page<'v> {
        let _ = self.values.set(values);
        self
    }

    /// [`Page::with_values`], read only when a finding is located.
    pub fn with_values_from(mut self, values: impl Fn() -> Vec<Arc<ValueSite>> + 'v) -> Page<'v> {
        self.values_from = Some(Box::new(values));
        self
    }

    fn values(&self) -> &[Arc<ValueSite>] {
        self.values
            .get_or_init(|| self.values_from.as_ref().map_or_else(Vec::new, |f| f()))
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

    /// Every element with its start tag, in the order html5ever made them (the order
    /// `select` yields them).
    pub fn elements(&self) -> impl Iterator<Item = Element<'_>> + '_ {
        self.made.iter().filter_map(move |m| {
            let el = ElementRef::wrap(self.html.tree.get(m.id)?)?;
            Some(self.element_of(el, m))
        })
    }

    /// An element with its start tag.
    pub fn element<'p>(&'p self, el: ElementRef<'p>) -> Element<'p> {
        match self.made(&el) {
            Some(m) => self.element_of(el, m),
            None => Element {
                el,
                tag: None,
                index: None,
                line: 1,
                page: self,
            },
        }
    }

    fn made(&self, el: &ElementRef<'_>) -> Option<&Made> {
        let i = self.made.binary_search_by_key(&el.id(), |m| m.id).ok()?;
        Some(&self.made[i])
    }

    fn element_of<'p>(&'p self, el: ElementRef<'p>, m: &Made) -> Element<'p> {
        Element {
            el,
            tag: m.tag.map(|i| &self.scan.tags[i as usize]),
            index: m.tag.map(|i| i as usize),
            line: m.line as usize,
            page: self,
        }
    }

    /// The scanner's script for a `<script>` element.
    pub fn script(&self, e: &Element<'_>) -> Option<&Script> {
        let index = e.index?;
        let scripts = &self.scan.scripts;
        scripts
            .binary_search_by_key(&index, |s| s.tag)
            .ok()
            .map(|i| &scripts[i])
    }

    /// Line of an element's start tag in the rendered page.
    pub fn line_of(&self, el: &ElementRef<'_>) -> usize {
        self.made(el).map_or(1, |m| m.line as usize)
    }

    /// Byte range of `needle` on the element's line (or the lines just before, for start
    /// tags spread over several lines), in the rendered page.
    pub fn find_near(&self, el: &ElementRef<'_>, needle: &str) -> Option<Range<usize>> {
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

    /// Where an element's start tag is: `<name`.
    pub fn element_range(&self, el: &ElementRef<'_>) -> Range<usize> {
        self.element(*el).range()
    }

    /// Point at a range of the rendered page — in the designer's template when that line
    /// is found there, at a project variable's value when the text came from one,
    /// otherwise in the rendered file.
    pub fn locate(&self, range: Range<usize>) -> Location {
        locate_cached(
            &self.rendered,
            &self.sources,
            self.values(),
            range,
            Some(&self.lines_found),
        )
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

    /// Where a finding about the page as a whole points: the first start tag `name`
    /// (`<name`), or line 1.
    pub fn locate_start_tag(&self, name: &str) -> Location {
        match self.scan.first(name) {
            Some(t) => self.locate(t.name_range()),
            None => self.locate_line(1),
        }
    }
}

/// An element of the parse, with its start tag as written when it was found.
#[derive(Clone, Copy)]
pub struct Element<'p> {
    pub el: ElementRef<'p>,
    pub tag: Option<&'p StartTag>,
    /// The tag's index in the scan.
    index: Option<usize>,
    /// The line of its start tag.
    pub line: usize,
    page: &'p Page<'p>,
}

impl<'p> Element<'p> {
    pub fn name(&self) -> &'p str {
        self.el.value().name()
    }

    /// An attribute's value as the browser reads it (character references decoded).
    /// (Found by its local name among the element's few attributes: scraper's own
    /// `attr` makes an atom of the name first, which costs more than the search.)
    pub fn attr(&self, name: &str) -> Option<&'p str> {
        self.el
            .value()
            .attrs()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    /// An attribute as written.
    pub fn written(&self, name: &str) -> Option<&'p Attr> {
        self.tag?.attr(name)
    }

    /// `<name` of the start tag (its line when the tag was not found).
    pub fn range(&self) -> Range<usize> {
        match self.tag {
            Some(t) => t.name_range(),
            None => {
                let name = self.name();
                let page = self.page;
                page.find_near(&self.el, &format!("<{name}"))
                    .or_else(|| page.find_near(&self.el, &format!("<{}", name.to_uppercase())))
                    .unwrap_or_else(|| page.rendered.line_range(self.line))
            }
        }
    }

    /// The value of an attribute as written (its name when the value is empty, the
    /// element when the attribute cannot be found).
    pub fn value_range(&self, name: &str) -> Range<usize> {
        match self.written(name) {
            Some(Attr { value: Some(v), .. }) if !v.is_empty() => v.clone(),
            Some(a) => a.name_range.clone(),
            None => self.range(),
        }
    }

    /// The text of a raw-text element (`<script>`, `<style>`) between its tags.
    pub fn content(&self) -> Option<Range<usize>> {
        self.tag?.content.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_with_one_skeleton_share_a_parse_and_keep_their_lines() {
        let line_of_p = |p: &Page| p.line_of(&p.select("p").next().unwrap());
        let a = Page::parse("a.html", "<style>a{}</style>\n<p>x</p>", &[]);
        let same = Page::parse("b.html", "<style>b { color: red }</style>\n<p>y</p>", &[]);
        let longer = Page::parse("c.html", "<style>a{}\n\n</style>\n<p>x</p>", &[]);
        assert!(Rc::ptr_eq(&a.html, &same.html));
        assert!(!Rc::ptr_eq(&a.html, &longer.html));
        assert_eq!(
            [line_of_p(&a), line_of_p(&same), line_of_p(&longer)],
            [2, 2, 4]
        );
    }

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
    fn elements_know_their_line_and_tag() {
        let p = Page::parse(
            "p.html",
            "<html>\n<body>\n<div id=a>\n</div>\n<script>x</script><P class=b>\n</body></html>",
            &[],
        );
        let div = p.select("div").next().unwrap();
        assert_eq!(p.line_of(&div), 3);
        let s = p.select("script").next().unwrap();
        assert_eq!(p.line_of(&s), 5);
        assert_eq!(&p.rendered.text[p.element_range(&s)], "<script");
        let para = p.element(p.select("p").next().unwrap());
        assert_eq!(&p.rendered.text[para.range()], "<P");
        assert_eq!(&p.rendered.text[para.value_range("class")], "b");
        assert_eq!(&p.rendered.text[para.content().unwrap_or(0..0)], "");
        let script = p.element(s);
        assert_eq!(&p.rendered.text[script.content().unwrap()], "x");
        // <head> is implied: no tag, its line.
        let head = p.element(p.select("head").next().unwrap());
        assert!(head.tag.is_none());
        let names: Vec<&str> = p.elements().map(|e| e.name()).collect();
        assert_eq!(names, ["html", "head", "body", "div", "script", "p"]);
    }
}
