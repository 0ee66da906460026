//! What html5ever is given to parse: the stubbed page with its text cut down to what
//! can change the parse — the markup, and of each run of text, script or comment only
//! its line breaks and whether it holds anything.
//!
//! The checks read text, scripts, styles and comments from the scanner
//! ([`super::scan`]), never from html5ever's tree; html5ever is there for the page's
//! structure, whether it has parse errors, and the line of each element. Three quarters
//! of a typical sign-in page is script, style, comment and indentation, which html5ever
//! walks a character at a time: cutting it is what lets a check of 1,000 distinct pages
//! cost less than one thread rendering and parsing them (`cargo bench --bench build`).
//!
//! The skeleton keeps everything the checks read from html5ever the same:
//! - every start tag as written, and every end tag, DOCTYPE and bogus comment;
//! - the line of everything it keeps: a run of line breaks in cut text becomes one, and
//!   [`Skeleton::real_line`] maps each line of the skeleton back to the page's (html5ever
//!   counts `\r\n` and a lone `\r` as one break each; so does the map). html5ever
//!   handles each line break as a character of its own, through the tree builder: the
//!   indentation of a page was half of what was left to parse;
//! - whether a run of text is empty, white space, or holds more (one `x` stands for
//!   any other text, on the line of its first character): the tree builder's modes tell
//!   these apart, and the nonce check skips an empty `<script>` or `<style>`;
//! - the text as written wherever it could change the parse or raise a parse error: a
//!   character reference (`&`), a NUL, a `<!` or `</` inside a script, a `-`,
//!   `<`, `>` or `!` inside a comment, anything not closed before the end of the page,
//!   and the whole page when it has `<svg>` or `<math>` (where `<script>` and `<style>`
//!   are markup) or `<frameset>` (where text is an error per character).
//!
//! Whether a page has parse errors is read from the skeleton; their messages come from
//! the page as written (see [`super::page`]), so no message quotes the cut text.

use std::borrow::Cow;
use std::ops::Range;

use super::scan::Scan;

/// The text html5ever parses, and where its lines are in the page.
pub(super) struct Skeleton<'a> {
    pub(super) text: Cow<'a, str>,
    /// The page's line after each of the skeleton's line breaks (empty: the same lines).
    pub(super) lines: Vec<u32>,
}

impl Skeleton<'_> {
    /// The page's line for line `line` (from 1) of the skeleton.
    pub(super) fn real_line(&self, line: u64) -> u64 {
        match line.checked_sub(2) {
            Some(i) if !self.lines.is_empty() => {
                self.lines.get(i as usize).map_or(line, |&l| u64::from(l))
            }
            _ => line,
        }
    }
}

/// The skeleton being written: its text, and the page's line after each of its breaks.
struct Out {
    text: String,
    lines: Vec<u32>,
    /// The page's line at the end of what has been read.
    line: u32,
}

impl Out {
    /// Page text kept as written.
    fn keep(&mut self, text: &str) {
        self.text.push_str(text);
        for_each_break(text.as_bytes(), || {
            self.line += 1;
            self.lines.push(self.line);
        });
    }

    /// Cut text's line breaks: one for all of them.
    fn breaks(&mut self, text: &[u8]) {
        let mut n = 0;
        for_each_break(text, || n += 1);
        if n > 0 {
            self.text.push('\n');
            self.line += n;
            self.lines.push(self.line);
        }
    }
}

/// `stubbed` with its text cut down (see the module's notes), or `stubbed` itself for a
/// page that must be read whole.
pub(super) fn skeleton<'a>(stubbed: &'a str, scan: &Scan) -> Skeleton<'a> {
    if scan
        .tags
        .iter()
        .any(|t| matches!(&*t.name, "svg" | "math" | "frameset"))
    {
        return Skeleton {
            text: Cow::Borrowed(stubbed),
            lines: Vec::new(),
        };
    }
    let b = stubbed.as_bytes();
    let mut out = Out {
        text: String::with_capacity(stubbed.len() / 2),
        lines: Vec::new(),
        line: 1,
    };
    let mut at = 0;
    let mut tags = scan.tags.iter().peekable();
    let mut comments = scan.comments.iter().peekable();
    loop {
        // The next item the scanner knows, in text order: a start tag or a comment.
        let next_tag = tags.peek().map(|t| t.range.start);
        let next_comment = comments.peek().map(|c| c.start);
        let item_start = match (next_tag, next_comment) {
            (None, None) => b.len(),
            (Some(t), None) => t,
            (None, Some(c)) => c,
            (Some(t), Some(c)) => t.min(c),
        };
        gap(stubbed, at..item_start, &mut out);
        if item_start == b.len() {
            break;
        }
        if next_tag == Some(item_start) {
            let tag = tags.next().expect("peeked");
            out.keep(&stubbed[tag.range.clone()]);
            at = tag.range.end;
            if let Some(content) = &tag.content {
                let text = &stubbed[content.clone()];
                if matches!(&*tag.name, "script" | "style")
                    && content.end < b.len()
                    && raw_text_can_be_cut(&tag.name, text.as_bytes())
                {
                    cut_text(text.as_bytes(), &mut out);
                } else {
                    out.keep(text);
                }
                at = content.end;
            }
        } else {
            let comment = comments.next().expect("peeked");
            comment_skeleton(stubbed, comment.clone(), &mut out);
            at = comment.end;
        }
    }
    Skeleton {
        text: Cow::Owned(out.text),
        lines: out.lines,
    }
}

/// What lies between two items the scanner knows: text, end tags, a DOCTYPE, bogus
/// comments. Each run of text (from a `>` to the next `<`) is cut; each piece of markup
/// (from a `<` to its `>`) is kept. An end tag with a quote in it (its `>` may be
/// quoted) or a `<` that starts a tag the scanner did not see ends the cutting: the
/// rest of the gap is kept as written.
fn gap(page: &str, range: Range<usize>, out: &mut Out) {
    let b = page.as_bytes();
    let mut i = range.start;
    while i < range.end {
        let lt = memchr::memchr(b'<', &b[i..range.end]).map_or(range.end, |p| i + p);
        cut_text(&b[i..lt], out);
        if lt == range.end {
            return;
        }
        let Some(gt) = memchr::memchr(b'>', &b[lt..range.end]).map(|p| lt + p + 1) else {
            out.keep(&page[lt..range.end]);
            return;
        };
        let markup = &b[lt..gt];
        let end_tag = markup.starts_with(b"</");
        let unknown_start = markup.get(1).is_some_and(u8::is_ascii_alphabetic);
        if unknown_start || (end_tag && markup.iter().any(|&c| c == b'"' || c == b'\'')) {
            out.keep(&page[lt..range.end]);
            return;
        }
        out.keep(&page[lt..gt]);
        i = gt;
    }
}

/// A comment: `<!---->` with the line breaks of its text, unless its text has a
/// character the comment states treat specially, or it is not closed.
fn comment_skeleton(page: &str, range: Range<usize>, out: &mut Out) {
    let text = &page.as_bytes()[range.clone()];
    let cuttable = text.len() >= 7
        && text.starts_with(b"<!--")
        && text.ends_with(b"-->")
        && !text[4..text.len() - 3]
            .iter()
            .any(|c| matches!(c, b'-' | b'<' | b'>' | b'!' | b'\0'));
    if cuttable {
        out.text.push_str("<!--");
        out.breaks(&text[4..text.len() - 3]);
        out.text.push_str("-->");
    } else {
        out.keep(&page[range]);
    }
}

/// A run of plain text, cut down: its line breaks, with one `x` on the line of its first
/// character that is not white space, or a space for a run of white space without a
/// line break. Kept as written when it holds a character reference or a NUL.
fn cut_text(text: &[u8], out: &mut Out) {
    if text.is_empty() {
        return;
    }
    if memchr::memchr2(b'&', 0, text).is_some() {
        // Not UTF-8 only if the run is cut inside a character, which `<`, `>` and the
        // scanner's ranges never do.
        out.keep(std::str::from_utf8(text).unwrap_or_default());
        return;
    }
    let first = text
        .iter()
        .position(|&c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C'));
    match first {
        Some(p) => {
            out.breaks(&text[..p]);
            out.text.push('x');
            out.breaks(&text[p..]);
        }
        None => {
            let before = out.text.len();
            out.breaks(text);
            if out.text.len() == before {
                out.text.push(' ');
            }
        }
    }
}

/// Whether html5ever reads a script's or style's text as plain characters with no
/// error: no NUL, and in a script no `<!` or `</` (its escapes). A style's text is
/// RAWTEXT, where only its own end tag (which ends the text) means anything.
fn raw_text_can_be_cut(name: &str, text: &[u8]) -> bool {
    if memchr::memchr(0, text).is_some() {
        return false;
    }
    name != "script"
        || memchr::memchr_iter(b'<', text).all(|i| !matches!(text.get(i + 1), Some(b'!' | b'/')))
}

/// `f` once for each line break html5ever counts in `text`.
fn for_each_break(text: &[u8], mut f: impl FnMut()) {
    for i in memchr::memchr2_iter(b'\n', b'\r', text) {
        // `\r\n` is one break: count it at its `\n`.
        if text[i] == b'\r' && text.get(i + 1) == Some(&b'\n') {
            continue;
        }
        f();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(page: &str) -> String {
        skeleton(page, &Scan::new(page)).text.into_owned()
    }

    #[test]
    fn each_line_maps_back_to_the_page() {
        let page = "<p>\n\n  text\n</p>\n<a\nhref=x>\n\n\n<!--\r\n\r-->\n<b>";
        let s = skeleton(page, &Scan::new(page));
        assert_eq!(s.text, "<p>\nx\n</p>\n<a\nhref=x>\n<!--\n-->\n<b>");
        // The skeleton's lines and the page's, for each line break kept.
        let real: Vec<u64> = (1..=8).map(|l| s.real_line(l)).collect();
        assert_eq!(real, [1, 3, 4, 5, 6, 9, 11, 12]);
    }

    #[test]
    fn text_keeps_its_line_breaks_and_whether_it_holds_anything() {
        assert_eq!(
            cut("<style>\n a { color: red }\r\n</style><script>var a = 1;\rb()</script>"),
            "<style>\nx\n</style><script>x\n</script>"
        );
        assert_eq!(
            cut("<p>\n  Need help?\n</p>\n    <div> </div><i></i>"),
            "<p>\nx\n</p>\n<div> </div><i></i>"
        );
        assert_eq!(cut("<script> \n </script>"), "<script>\n</script>");
    }

    #[test]
    fn markup_between_start_tags_is_kept() {
        let page =
            "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\">\n<html><head></head>\n</html>";
        assert_eq!(
            cut(page),
            "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\">\n<html><head></head>\n</html>"
        );
        assert_eq!(cut("<p>a</p  >b<?php x ?>c"), "<p>x</p  >x<?php x ?>x");
    }

    #[test]
    fn comments_keep_their_line_breaks() {
        assert_eq!(cut("<!-- a\n b -->"), "<!--\n-->");
        for page in [
            "<!-- a - b -->",
            "<!-->",
            "<!-- a <!-- b -->",
            "<!-- never closed",
        ] {
            assert_eq!(cut(page), page);
        }
    }

    #[test]
    fn text_that_could_change_the_parse_is_kept() {
        for page in [
            "<script>a = '<!--'; </script>",
            "<script>a = '</div>';</script>",
            "<style>a::after { content: '\0' }</style>",
            "<script>a = '\0';</script>",
            "<script>never closed",
            "<svg><style>a{}</style></svg>",
            "<frameset><script>x</script></frameset>",
            "<p>&amp;</p>",
            "<p>a\0b</p>",
            "</a title='>'>text",
        ] {
            assert_eq!(cut(page), page);
        }
        // In a style, `<!--` and `</` are text.
        assert_eq!(cut("<style><!--x--> a </b></style>"), "<style>x</style>");
        // A `<` that is not markup in script data is cut with the rest.
        assert_eq!(cut("<script>if (a < b) f()</script>"), "<script>x</script>");
        // A `<` in text that starts no tag is kept with the rest of the gap.
        assert_eq!(cut("<p>a <b c</p>"), "<p>x<b c</p>");
    }

    #[test]
    fn other_raw_text_is_left_alone() {
        let page = "<title>Sign in\nnow</title><textarea>a\nb</textarea>";
        assert_eq!(cut(page), page);
    }
}
