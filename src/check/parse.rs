//! html5ever on a page's skeleton, with the line each element started on, the start tag
//! it came from (an index into the page's scan) and the parse errors; and a memo of the
//! last few parses on each thread.
//!
//! Pages of one project usually share their markup: brands differ in colours, strings
//! and scripts, which the skeleton cuts ([`super::skeleton`]). A parse depends only on
//! the skeleton's text and its line map, so a page whose skeleton matches one parsed
//! recently on the same thread takes that parse (the tree is shared, not copied). For
//! 1,000 pages that differ only in their styles, that is two parses instead of 1,000
//! (one per core).

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ego_tree::NodeId;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{Html, HtmlTreeSink};

use super::scan::StartTag;
use super::skeleton::Skeleton;

/// One element html5ever made: its line and its start tag (an index into the scan).
#[derive(Debug, Clone, Copy)]
pub(super) struct Made {
    pub id: NodeId,
    pub line: u32,
    pub tag: Option<u32>,
}

/// Parse errors with the page line they were seen on.
pub(super) type Errors = Vec<(usize, Cow<'static, str>)>;

/// A parse: the tree, its elements in the order made, and the errors (with html5ever's
/// short messages).
#[derive(Clone)]
pub(super) struct Parsed {
    pub html: Rc<Html>,
    pub made: Rc<Vec<Made>>,
    pub errors: Errors,
}

/// How many recent parses each thread keeps.
const MEMO: usize = 4;

thread_local! {
    /// The last parses on this thread, newest first: what a parse depends on (the
    /// skeleton's text, its line map, the lines of the start tags), and the parse.
    static RECENT: RefCell<Vec<(Key, Parsed)>> = const { RefCell::new(Vec::new()) };
}

/// What a parse depends on.
#[derive(PartialEq, Eq)]
struct Key {
    text: String,
    lines: Vec<u32>,
    tag_lines: Vec<u32>,
}

impl Key {
    fn is(&self, skeleton: &Skeleton<'_>, tag_lines: &[u32]) -> bool {
        *self.text == *skeleton.text && self.lines == skeleton.lines && self.tag_lines == tag_lines
    }
}

/// The parse of `skeleton`, from this thread's memo or fresh.
pub(super) fn parse_skeleton(
    skeleton: &Skeleton<'_>,
    tags: &[StartTag],
    tag_lines: &[u32],
) -> Parsed {
    let text: &str = &skeleton.text;
    let hit = RECENT.with(|r| {
        r.borrow()
            .iter()
            .find(|(key, _)| key.is(skeleton, tag_lines))
            .map(|(_, p)| p.clone())
    });
    if let Some(p) = hit {
        return p;
    }
    let (html, made, errors) =
        parse_stubbed(text, &|l| skeleton.real_line(l), tags, tag_lines, false);
    let parsed = Parsed {
        html: Rc::new(html),
        made: Rc::new(made),
        errors,
    };
    RECENT.with(|r| {
        let mut r = r.borrow_mut();
        r.insert(
            0,
            (
                Key {
                    text: text.to_string(),
                    lines: skeleton.lines.clone(),
                    tag_lines: tag_lines.to_vec(),
                },
                parsed.clone(),
            ),
        );
        r.truncate(MEMO);
    });
    parsed
}

/// The errors of the page as written (`stubbed`), with html5ever's detailed messages.
pub(super) fn exact_errors(stubbed: &str, tags: &[StartTag], tag_lines: &[u32]) -> Errors {
    parse_stubbed(stubbed, &|l| l, tags, tag_lines, true).2
}

/// Parse `stubbed` (the page's skeleton, or the page), whose line `l` is the page's line
/// `real_line(l)`.
fn parse_stubbed(
    stubbed: &str,
    real_line: &dyn Fn(u64) -> u64,
    tags: &[StartTag],
    tag_lines: &[u32],
    exact_errors: bool,
) -> (Html, Vec<Made>, Errors) {
    let sink = LineSink {
        inner: HtmlTreeSink::new(Html::new_document()),
        line: Cell::new(1),
        real_line,
        made: RefCell::new(Vec::new()),
        errors: RefCell::new(Vec::new()),
        tags,
        tag_lines,
        unclaimed: RefCell::new((0..=tags.len() as u32).collect()),
    };
    let mut opts = html5ever::ParseOpts::default();
    opts.tokenizer.exact_errors = exact_errors;
    html5ever::parse_document(sink, opts).one(stubbed)
}

/// Scraper's tree sink, plus the line each element started on, its start tag, and the
/// parse errors.
struct LineSink<'s> {
    inner: HtmlTreeSink,
    /// The page's line html5ever is on.
    line: Cell<u64>,
    real_line: &'s dyn Fn(u64) -> u64,
    made: RefCell<Vec<Made>>,
    errors: RefCell<Vec<(usize, Cow<'static, str>)>>,
    tags: &'s [StartTag],
    tag_lines: &'s [u32],
    /// Which tags no element has claimed yet (see [`unclaimed_from`]); one more entry
    /// than tags, the end.
    unclaimed: RefCell<Vec<u32>>,
}

impl LineSink<'_> {
    /// The start tag of an element html5ever makes on `line`: the first unclaimed tag
    /// with its name there, one with the same attributes first.
    fn pair(&self, line: u32, name: &str, attrs: &[Attribute]) -> Option<u32> {
        let lo = self.tag_lines.partition_point(|&l| l < line);
        let hi = lo + self.tag_lines[lo..].partition_point(|&l| l == line);
        let mut next = self.unclaimed.borrow_mut();
        let same_attrs = |t: &StartTag| {
            t.attrs.len() == attrs.len()
                && attrs
                    .iter()
                    .all(|a| t.attrs.iter().any(|b| b.name == *a.name.local))
        };
        let mut first = None;
        let mut i = unclaimed_from(&mut next, lo);
        while i < hi {
            let t = &self.tags[i];
            if t.name.eq_ignore_ascii_case(name) {
                if same_attrs(t) {
                    first = Some(i);
                    break;
                }
                first = first.or(Some(i));
            }
            i = unclaimed_from(&mut next, i + 1);
        }
        let pick = first?;
        next[pick] = pick as u32 + 1;
        Some(pick as u32)
    }
}

/// The first unclaimed tag at or after `i`: `next[j] == j` for an unclaimed tag, else a
/// later index to look at (followed and shortened, so that a page of one long line of
/// tags pairs in linear time).
fn unclaimed_from(next: &mut [u32], i: usize) -> usize {
    let mut j = i;
    while next[j] as usize != j {
        j = next[j] as usize;
    }
    let mut k = i;
    while next[k] as usize != k {
        let after = next[k] as usize;
        next[k] = j as u32;
        k = after;
    }
    j
}

impl TreeSink for LineSink<'_> {
    type Handle = NodeId;
    type Output = (Html, Vec<Made>, Errors);
    type ElemName<'a>
        = <HtmlTreeSink as TreeSink>::ElemName<'a>
    where
        Self: 'a;

    fn finish(self) -> Self::Output {
        (
            self.inner.finish(),
            self.made.into_inner(),
            self.errors.into_inner(),
        )
    }
    fn parse_error(&self, msg: Cow<'static, str>) {
        self.errors
            .borrow_mut()
            .push((self.line.get() as usize, msg));
    }
    fn set_current_line(&self, line: u64) {
        self.line.set((self.real_line)(line));
    }
    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let line = self.line.get() as u32;
        let tag = self.pair(line, &name.local, &attrs);
        let id = self.inner.create_element(name, attrs, flags);
        self.made.borrow_mut().push(Made { id, line, tag });
        id
    }
    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
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
