//! The page scanner: one pass over a rendered page, reading it the way the HTML
//! tokenizer does, computed once per page ([`super::Page`]) and read by every check.
//!
//! It finds every start tag (name and attributes lower-cased, with the byte range of the
//! tag, of each attribute name and of each value as written), the HTML comments, the
//! text of raw-text elements, and the scripts (what kind each is, and a copy of its text
//! with the JavaScript comments blanked). The checks pair html5ever's elements with these
//! tags ([`super::Page`]) to point at the exact place of an attribute, and read scripts
//! and styles from here rather than each keeping a lexer of its own.
//!
//! What counts as raw text follows the HTML standard's tree construction, as browsers
//! (and html5ever, as the checks run it) apply it in HTML content: see [`RAW_TEXT`].
//! Inside `<svg>` and `<math>` browsers read `<style>`, `<title>` and `<script>` as
//! markup; the scanner does not model foreign content, which makes a difference only
//! when such an element holds a `<`.

use std::borrow::Cow;
use std::ops::Range;

pub mod css;
pub mod js;
mod script;

pub use script::{Script, ScriptKind};

/// Elements whose content the tokenizer reads as text, not markup: RCDATA (`textarea`,
/// `title`), RAWTEXT (`style`, `xmp`, `iframe`, `noembed`, `noframes`, and `noscript`
/// because the scripting flag is on, as in a browser that runs the widget), script
/// data (`script`, with its `<!--` escapes) and PLAINTEXT (`plaintext`: the rest of the
/// page).
pub const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// A tag or attribute name in lower case (the common ones without an allocation).
pub type Name = Cow<'static, str>;

/// `s` in lower case, borrowed when it is one of the names most pages are made of.
fn lower_name(s: &str) -> Name {
    Cow::Borrowed(match s {
        "a" => "a",
        "body" => "body",
        "br" => "br",
        "button" => "button",
        "div" => "div",
        "form" => "form",
        "head" => "head",
        "html" => "html",
        "i" => "i",
        "img" => "img",
        "input" => "input",
        "label" => "label",
        "li" => "li",
        "link" => "link",
        "meta" => "meta",
        "p" => "p",
        "script" => "script",
        "span" => "span",
        "style" => "style",
        "title" => "title",
        "ul" => "ul",
        "action" => "action",
        "alt" => "alt",
        "charset" => "charset",
        "class" => "class",
        "content" => "content",
        "data-string" => "data-string",
        "for" => "for",
        "href" => "href",
        "http-equiv" => "http-equiv",
        "id" => "id",
        "lang" => "lang",
        "name" => "name",
        "nonce" => "nonce",
        "rel" => "rel",
        "src" => "src",
        "type" => "type",
        "value" => "value",
        _ => return Cow::Owned(s.to_ascii_lowercase()),
    })
}

/// One attribute as written: its name (lower case), where the name is, and where the
/// value is (inside the quotes; `None` for an attribute without `=`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    pub name: Name,
    pub name_range: Range<usize>,
    pub value: Option<Range<usize>>,
}

/// One start tag as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartTag {
    /// `<` up to just after `>`.
    pub range: Range<usize>,
    /// The tag name, lower case.
    pub name: Name,
    /// In the order written; of duplicates only the first (as the tokenizer keeps).
    pub attrs: Vec<Attr>,
    /// For a raw-text element: its text, from after this tag to its end tag (or the end
    /// of the page).
    pub content: Option<Range<usize>>,
}

impl StartTag {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// The raw text of an attribute's value (entities not decoded).
    pub fn value<'t>(&self, text: &'t str, name: &str) -> Option<&'t str> {
        self.attr(name)?.value.clone().map(|r| &text[r])
    }

    /// `<name`: where a finding about the element as a whole points.
    pub fn name_range(&self) -> Range<usize> {
        self.range.start..self.range.start + 1 + self.name.len()
    }
}

/// What the scanner found in a page.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// Every start tag outside comments and raw text, in the order written.
    pub tags: Vec<StartTag>,
    /// HTML comments (outside raw text), `<!--` to just after `-->`.
    pub comments: Vec<Range<usize>>,
    /// Every `<script>`, in the order written.
    pub scripts: Vec<Script>,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C')
}

impl Scan {
    pub fn new(text: &str) -> Scan {
        let b = text.as_bytes();
        let mut scan = Scan::default();
        let mut i = 0;
        while let Some(at) = memchr::memchr(b'<', &b[i..]).map(|p| i + p) {
            match b.get(at + 1).copied() {
                Some(b'!') if b[at..].starts_with(b"<!--") => {
                    let end = comment_end(b, at + 4);
                    scan.comments.push(at..end);
                    i = end;
                }
                // A DOCTYPE, a bogus comment, a processing instruction: up to `>`.
                Some(b'!' | b'?') => i = after_gt(b, at),
                Some(b'/') => match b.get(at + 2).copied() {
                    // An end tag: read like a start tag (its attributes may be quoted).
                    Some(c) if c.is_ascii_alphabetic() => match lex_tag(text, at + 1) {
                        Some(t) => i = t.range.end,
                        None => break,
                    },
                    Some(b'>') => i = at + 3,
                    Some(_) => i = after_gt(b, at),
                    None => break,
                },
                Some(c) if c.is_ascii_alphabetic() => {
                    // A tag cut off by the end of the page is dropped, as the tokenizer does.
                    let Some(mut tag) = lex_tag(text, at) else {
                        break;
                    };
                    i = tag.range.end;
                    if RAW_TEXT.contains(&&*tag.name) {
                        let end = raw_text_end(b, i, &tag.name);
                        tag.content = Some(i..end);
                        i = end;
                    }
                    if tag.name == "script" {
                        scan.scripts.push(Script::read(text, scan.tags.len(), &tag));
                    }
                    scan.tags.push(tag);
                }
                _ => i = at + 1,
            }
        }
        scan
    }

    /// Whether `offset` is inside an HTML comment.
    pub fn in_comment(&self, offset: usize) -> bool {
        let i = self.comments.partition_point(|c| c.end <= offset);
        self.comments.get(i).is_some_and(|c| c.contains(&offset))
    }

    /// The first start tag with this name.
    pub fn first(&self, name: &str) -> Option<&StartTag> {
        self.tags.iter().find(|t| t.name == name)
    }

    /// The inline scripts the browser runs as JavaScript.
    pub fn inline_js(&self) -> impl Iterator<Item = &Script> {
        self.scripts.iter().filter(|s| s.runs_inline())
    }
}

/// Just after the `>` that ends a bogus comment or DOCTYPE starting at `at`.
fn after_gt(b: &[u8], at: usize) -> usize {
    memchr::memchr(b'>', &b[at..]).map_or(b.len(), |e| at + e + 1)
}

/// Just after the end of a comment whose text starts at `from` (after `<!--`): `-->`
/// or `--!>`, and the abrupt `<!-->` and `<!--->`; the end of the page when unclosed.
fn comment_end(b: &[u8], from: usize) -> usize {
    if b.get(from) == Some(&b'>') {
        return from + 1;
    }
    if b[from..].starts_with(b"->") {
        return from + 2;
    }
    let mut i = from;
    while let Some(p) = memchr::memmem::find(&b[i..], b"--").map(|p| i + p) {
        match b.get(p + 2) {
            Some(b'>') => return p + 3,
            Some(b'!') if b.get(p + 3) == Some(&b'>') => return p + 4,
            _ => i = p + 1,
        }
    }
    b.len()
}

/// Whether `b[at..]` starts with the tag name `name` (ASCII case-insensitive) followed by
/// white space, `/` or `>` (the end of the page does not count).
fn name_then_delimiter(b: &[u8], at: usize, name: &str) -> bool {
    let end = at + name.len();
    b.get(at..end)
        .is_some_and(|s| s.eq_ignore_ascii_case(name.as_bytes()))
        && b.get(end)
            .is_some_and(|&c| is_space(c) || c == b'/' || c == b'>')
}

/// Where the raw text of the element `name`, starting at `from`, ends: at the `<` of its
/// end tag, or at the end of the page.
fn raw_text_end(b: &[u8], from: usize, name: &str) -> usize {
    if name == "plaintext" {
        return b.len();
    }
    if name == "script" {
        return script_data_end(b, from);
    }
    let mut i = from;
    while let Some(p) = memchr::memmem::find(&b[i..], b"</").map(|p| i + p) {
        if name_then_delimiter(b, p + 2, name) {
            return p;
        }
        i = p + 2;
    }
    b.len()
}

/// The end of a script's text, by the tokenizer's script data states: `<!--` starts an
/// escaped run that `-->` ends; inside it, `<script` starts a double-escaped run in which
/// `</script>` does not end the script (it ends the double escape).
fn script_data_end(b: &[u8], from: usize) -> usize {
    let mut escaped = false;
    let mut double = false;
    let mut i = from;
    loop {
        let next = if escaped {
            memchr::memchr2(b'<', b'-', &b[i..])
        } else {
            memchr::memchr(b'<', &b[i..])
        };
        let Some(p) = next.map(|p| i + p) else {
            return b.len();
        };
        if b[p] == b'-' {
            if b[p..].starts_with(b"-->") {
                escaped = false;
                double = false;
                i = p + 3;
            } else {
                i = p + 1;
            }
            continue;
        }
        if b.get(p + 1) == Some(&b'/') && name_then_delimiter(b, p + 2, "script") {
            if !double {
                return p;
            }
            double = false;
            i = p + 8;
        } else if !escaped && b[p..].starts_with(b"<!--") {
            escaped = true;
            // `<!-->` closes at once: let the `--` be read again.
            i = p + 2;
        } else if escaped && !double && name_then_delimiter(b, p + 1, "script") {
            double = true;
            i = p + 7;
        } else {
            i = p + 1;
        }
    }
}

/// The tag at `at` (its `<`, or for an end tag its `/`), as the tokenizer reads it:
/// `None` when the page ends inside it.
fn lex_tag(text: &str, at: usize) -> Option<StartTag> {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = at + 1;
    while i < n && !(is_space(b[i]) || b[i] == b'/' || b[i] == b'>') {
        i += 1;
    }
    let name = lower_name(&text[at + 1..i]);
    let mut attrs: Vec<Attr> = Vec::new();
    loop {
        while i < n && (is_space(b[i]) || b[i] == b'/') {
            i += 1;
        }
        if i >= n {
            return None;
        }
        if b[i] == b'>' {
            i += 1;
            break;
        }
        // An attribute name (a leading `=` is part of it).
        let ns = i;
        i += 1;
        while i < n && !(is_space(b[i]) || matches!(b[i], b'/' | b'>' | b'=')) {
            i += 1;
        }
        let ne = i;
        while i < n && is_space(b[i]) {
            i += 1;
        }
        let mut value = None;
        if i < n && b[i] == b'=' {
            i += 1;
            while i < n && is_space(b[i]) {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let vs = i + 1;
                    let ve = vs + memchr::memchr(q, &b[vs..])?;
                    value = Some(vs..ve);
                    i = ve + 1;
                }
                // `a=>`: an empty value, and the tag ends.
                Some(b'>') => value = Some(i..i),
                Some(_) => {
                    let vs = i;
                    while i < n && !is_space(b[i]) && b[i] != b'>' {
                        i += 1;
                    }
                    value = Some(vs..i);
                }
                None => return None,
            }
        }
        let attr_name = lower_name(&text[ns..ne]);
        if !attrs.iter().any(|a| a.name == attr_name) {
            attrs.push(Attr {
                name: attr_name,
                name_range: ns..ne,
                value,
            });
        }
    }
    Some(StartTag {
        range: at..i,
        name,
        attrs,
        content: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(t: &str) -> Vec<String> {
        Scan::new(t)
            .tags
            .into_iter()
            .map(|t| t.name.into_owned())
            .collect()
    }

    #[test]
    fn start_tags_and_attributes() {
        let t = "<!-- <img src=x> --><a href='h' onclick=go()>x</a><script>if (a<b) '<img>'</script><IMG SRC=\"y\" alt>";
        let s = Scan::new(t);
        let names: Vec<&str> = s.tags.iter().map(|t| &*t.name).collect();
        assert_eq!(names, ["a", "script", "img"]);
        let a = &s.tags[0];
        assert_eq!(&t[a.attrs[1].name_range.clone()], "onclick");
        assert_eq!(a.value(t, "onclick"), Some("go()"));
        assert_eq!(s.tags[2].value(t, "src"), Some("y"));
        assert!(s.tags[2].attrs[1].value.is_none());
        assert_eq!(&t[s.tags[2].name_range()], "<IMG");
        assert_eq!(s.comments.len(), 1);
        assert_eq!(s.comments[0], 0..20);
        assert!(s.in_comment(5) && !s.in_comment(20));
    }

    #[test]
    fn raw_text_holds_no_tags() {
        for el in RAW_TEXT {
            let t = format!("<{el}><b>x</b></{el}><i>");
            let want: Vec<String> = if *el == "plaintext" {
                vec![el.to_string()]
            } else {
                vec![el.to_string(), "i".to_string()]
            };
            assert_eq!(names(&t), want, "{t}");
        }
        // An end tag needs a delimiter after its name.
        assert_eq!(names("<style></styles><b></style><i>"), ["style", "i"]);
        assert_eq!(names("<TITLE>a</Title ><i>"), ["title", "i"]);
    }

    #[test]
    fn script_escapes() {
        // `<!--` … `<script>` … `</script>` inside a script does not end it.
        let t = "<script><!-- <script> x </script> y --></script><i>";
        let s = Scan::new(t);
        assert_eq!(names(t), ["script", "i"]);
        assert_eq!(
            &t[s.tags[0].content.clone().unwrap()],
            "<!-- <script> x </script> y -->"
        );
        // An escape closed at once, then a plain end tag.
        assert_eq!(names("<script><!--></script><i>"), ["script", "i"]);
        assert_eq!(names("<script><!-- x </script><i>"), ["script", "i"]);
    }

    #[test]
    fn comments_and_declarations() {
        let t = "<!DOCTYPE html><!--><a><!---><b><!-- x --!><c><?php x ?><d></ e><f><!-- open";
        let s = Scan::new(t);
        assert_eq!(names(t), ["a", "b", "c", "d", "f"]);
        assert_eq!(s.comments.len(), 4);
        assert_eq!(s.comments[3].end, t.len());
    }

    #[test]
    fn tags_cut_off_or_odd() {
        assert_eq!(names("<a href='x>"), Vec::<String>::new());
        assert_eq!(names("<a b=>c</a><i>"), ["a", "i"]);
        let t = "<a =x b = 'y' c/ d>";
        let s = Scan::new(t);
        let attrs: Vec<&str> = s.tags[0].attrs.iter().map(|a| &*a.name).collect();
        assert_eq!(attrs, ["=x", "b", "c", "d"]);
        assert_eq!(s.tags[0].value(t, "b"), Some("y"));
        // The first of two attributes wins.
        let t = "<a x=1 X=2>";
        assert_eq!(Scan::new(t).tags[0].value(t, "x"), Some("1"));
    }
}
