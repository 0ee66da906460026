//! What a page's CSS loads: `url(…)` and `@import` in `<style>` blocks and `style`
//! attributes, read with a real CSS tokenizer (`cssparser`), so comments, strings and
//! escapes are what browsers take them for.

use std::ops::Range;

use cssparser::{ParseError, Parser, Token};

/// One URL the CSS loads, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CssRef {
    /// The URL as written, without its quotes (in the text the CSS was read from).
    pub range: Range<usize>,
    /// The URL, escapes resolved.
    pub url: String,
    /// `stylesheet` (`@import`), `font` (in `@font-face`) or `image`.
    pub what: &'static str,
}

/// The references of a style sheet (a `<style>` block) at `range` of `text`. An
/// `@import` after a rule is ignored, as browsers ignore it.
pub fn sheet(text: &str, range: Range<usize>, out: &mut Vec<CssRef>) {
    read(text, range, true, out);
}

/// The references of a `style` attribute's declarations at `range` of `text`.
pub fn declarations(text: &str, range: Range<usize>, out: &mut Vec<CssRef>) {
    read(text, range, false, out);
}

fn read(text: &str, range: Range<usize>, top: bool, out: &mut Vec<CssRef>) {
    let css = &text[range.clone()];
    if !css.contains(['(', '@']) {
        return;
    }
    let mut parser = Parser::new(css);
    let mut walk = Walk {
        css,
        base: range.start,
        out,
    };
    walk.block(&mut parser, top, false);
}

struct Walk<'a, 'o> {
    css: &'a str,
    base: usize,
    out: &'o mut Vec<CssRef>,
}

impl Walk<'_, '_> {
    /// The tokens of one block (or of the whole sheet, `top`), `font` inside
    /// `@font-face`.
    fn block(&mut self, p: &mut Parser<'_>, top: bool, font: bool) {
        // Only `@charset`, `@layer` and other `@import`s may come before an `@import`.
        let mut rule_seen = false;
        // The current rule's prelude names `@font-face`.
        let mut font_face = false;
        // After `@import`, before its URL; after one that browsers ignore.
        let mut import = false;
        let mut ignored = false;
        loop {
            p.skip_whitespace();
            let start = p.position().byte_index();
            let Ok(token) = p.next().cloned() else {
                break;
            };
            let end = p.position().byte_index();
            let what = if import {
                "stylesheet"
            } else if font {
                "font"
            } else {
                "image"
            };
            match token {
                Token::AtKeyword(k) => {
                    let is_import = k.eq_ignore_ascii_case("import");
                    import = is_import && top && !rule_seen;
                    ignored = is_import && !import;
                    font_face |= k.eq_ignore_ascii_case("font-face");
                }
                Token::QuotedString(url) if import => {
                    self.push(start + 1..end - 1, &url, what);
                    import = false;
                }
                Token::UnquotedUrl(_) | Token::Function(_) if ignored => {}
                Token::UnquotedUrl(url) => {
                    // `url( x )`: the URL itself, where it is written unescaped.
                    let written = &self.css[start..end];
                    let range = match written.find(url.as_ref()) {
                        Some(o) => start + o..start + o + url.len(),
                        None => start + 4..end - 1,
                    };
                    self.push(range, &url, what);
                    import = false;
                }
                Token::Function(name) if name.eq_ignore_ascii_case("url") => {
                    let _ = p.parse_nested_block(|p| {
                        p.skip_whitespace();
                        let start = p.position().byte_index();
                        if let Ok(Token::QuotedString(url)) = p.next().cloned() {
                            let end = p.position().byte_index();
                            self.push(start + 1..end - 1, &url, what);
                        }
                        Ok::<(), ParseError<()>>(())
                    });
                    import = false;
                }
                Token::Function(_) | Token::ParenthesisBlock | Token::SquareBracketBlock => {
                    let _ = p.parse_nested_block(|p| {
                        self.block(p, false, font);
                        Ok::<(), ParseError<()>>(())
                    });
                }
                Token::CurlyBracketBlock => {
                    let inner_font = font || font_face;
                    let _ = p.parse_nested_block(|p| {
                        self.block(p, false, inner_font);
                        Ok::<(), ParseError<()>>(())
                    });
                    rule_seen = true;
                    font_face = false;
                    import = false;
                    ignored = false;
                }
                Token::Semicolon => {
                    font_face = false;
                    import = false;
                    ignored = false;
                }
                _ => {}
            }
        }
    }

    fn push(&mut self, range: Range<usize>, url: &str, what: &'static str) {
        self.out.push(CssRef {
            range: self.base + range.start..self.base + range.end,
            url: url.to_string(),
            what,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(css: &str) -> Vec<(String, &'static str, String)> {
        let mut out = Vec::new();
        sheet(css, 0..css.len(), &mut out);
        out.into_iter()
            .map(|r| (r.url, r.what, css[r.range].to_string()))
            .collect()
    }

    #[test]
    fn urls_imports_and_fonts() {
        let css = "/* url(http://no) */ @import 'https://a.test/x.css'; @import url(https://b.test/y.css); @font-face { src: url(\"https://f.test/f.woff2\") } .x{background:url( https://i.test/i.png ) image-set(url('https://s.test/2x.png') 2x)}";
        let got = refs(css);
        let want = [
            ("https://a.test/x.css", "stylesheet"),
            ("https://b.test/y.css", "stylesheet"),
            ("https://f.test/f.woff2", "font"),
            ("https://i.test/i.png", "image"),
            ("https://s.test/2x.png", "image"),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for ((url, what, written), (w_url, w_what)) in got.iter().zip(want) {
            assert_eq!((url.as_str(), *what), (w_url, w_what));
            assert_eq!(written, url, "the range is the URL as written");
        }
    }

    #[test]
    fn late_imports_are_ignored() {
        let css = "a { color: red } @import url(https://late.test/x.css); @import 'https://late.test/y.css';";
        assert!(refs(css).is_empty());
        let css = "@charset 'utf-8'; @import 'https://early.test/x.css';";
        assert_eq!(refs(css)[0].0, "https://early.test/x.css");
    }

    #[test]
    fn not_urls() {
        // A function that ends in `url`, a string that says url(, a comment.
        let css = ".a { background: my-url(https://no.test/a); content: 'url(https://no.test/b)' } /* url(https://no.test/c) */";
        assert!(refs(css).is_empty());
        let mut out = Vec::new();
        let attr = "x background: url(https://i.test/a.png) y";
        declarations(attr, 2..attr.len() - 2, &mut out);
        assert_eq!(&attr[out[0].range.clone()], "https://i.test/a.png");
    }
}
