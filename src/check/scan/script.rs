//! What a `<script>` is, decided once for every check by the HTML standard's rules for
//! its `type` and `language` attributes, and its text with the comments blanked.

use std::ops::Range;

use super::{StartTag, js};

/// White space as the HTML tokenizer knows it.
fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C')
}

/// What a `<script>` is, by the HTML standard's rules for its `type` (and the legacy
/// `language`) attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptKind {
    /// A classic script: no type, an empty one, or a JavaScript MIME type.
    Classic,
    /// `type="module"`: JavaScript, run after the page is parsed.
    Module,
    /// `type="importmap"`: JSON the browser reads (and the CSP governs).
    ImportMap,
    /// `type="speculationrules"`: JSON the browser reads (and the CSP governs).
    SpeculationRules,
    /// Anything else (`application/json`, `text/x-template`, `text/babel`…): a data
    /// block the browser never runs.
    Data,
}

/// The JavaScript MIME type essence strings (HTML standard, "JavaScript MIME type").
const JAVASCRIPT_TYPES: &[&str] = &[
    "application/ecmascript",
    "application/javascript",
    "application/x-ecmascript",
    "application/x-javascript",
    "text/ecmascript",
    "text/javascript",
    "text/javascript1.0",
    "text/javascript1.1",
    "text/javascript1.2",
    "text/javascript1.3",
    "text/javascript1.4",
    "text/javascript1.5",
    "text/jscript",
    "text/livescript",
    "text/x-ecmascript",
    "text/x-javascript",
];

impl ScriptKind {
    /// From the `type` and `language` attributes (values decoded): an empty or missing
    /// type (with no or an empty `language`) is JavaScript; otherwise the type, without
    /// leading and trailing white space, or `text/` + `language` when only that is
    /// given, must match a JavaScript MIME type exactly (ignoring case): parameters
    /// count, so `text/javascript; charset=utf-8` is a data block, as in browsers.
    pub fn of(ty: Option<&str>, language: Option<&str>) -> ScriptKind {
        let ty = match (ty, language) {
            (Some(""), _) => return ScriptKind::Classic,
            (Some(t), _) => t.trim_matches(is_html_space).to_string(),
            (None, None) => return ScriptKind::Classic,
            (None, Some("")) => return ScriptKind::Classic,
            (None, Some(l)) => format!("text/{l}"),
        };
        if JAVASCRIPT_TYPES.iter().any(|t| t.eq_ignore_ascii_case(&ty)) {
            ScriptKind::Classic
        } else if ty.eq_ignore_ascii_case("module") {
            ScriptKind::Module
        } else if ty.eq_ignore_ascii_case("importmap") {
            ScriptKind::ImportMap
        } else if ty.eq_ignore_ascii_case("speculationrules") {
            ScriptKind::SpeculationRules
        } else {
            ScriptKind::Data
        }
    }

    /// Whether the browser runs the text as JavaScript.
    pub fn is_javascript(self) -> bool {
        matches!(self, ScriptKind::Classic | ScriptKind::Module)
    }

    /// Whether the Content Security Policy governs the inline text (script-src).
    pub fn is_policed(self) -> bool {
        self != ScriptKind::Data
    }
}

/// One `<script>` element.
#[derive(Debug, Clone)]
pub struct Script {
    /// Its start tag, an index into [`Scan::tags`].
    pub tag: usize,
    pub kind: ScriptKind,
    /// Loaded from `src` (its inline text, if any, is never run).
    pub external: bool,
    /// Its text, between the tags.
    pub body: Range<usize>,
    /// For inline JavaScript: the same text with its comments blanked (same length, same
    /// lines; see [`js::blank_comments`]); empty otherwise.
    pub code: String,
}

impl Script {
    /// The script whose start tag is `tag`, the `index`-th tag of the page.
    pub(super) fn read(text: &str, index: usize, tag: &StartTag) -> Script {
        let decoded = |name: &str| tag.value(text, name).map(decode_type);
        let kind = ScriptKind::of(decoded("type").as_deref(), decoded("language").as_deref());
        let external = tag.attr("src").is_some();
        let body = tag.content.clone().unwrap_or(tag.range.end..tag.range.end);
        let code = if !external && kind.is_javascript() {
            js::blank_comments(&text[body.clone()])
        } else {
            String::new()
        };
        Script {
            tag: index,
            kind,
            external,
            body,
            code,
        }
    }

    /// Inline JavaScript the browser runs.
    pub fn runs_inline(&self) -> bool {
        !self.external && self.kind.is_javascript()
    }
}

/// A `type` or `language` value as the browser sees it: the few character references a
/// MIME type can hold decoded (`&#47;` and `&sol;` for `/`, and the like).
fn decode_type(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').unwrap_or(0);
        let entity = &rest[1..end.max(1)];
        let c = match entity {
            "sol" => Some('/'),
            "period" => Some('.'),
            "amp" => Some('&'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) if end > 0 => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::scan::Scan;

    #[test]
    fn script_kinds() {
        use ScriptKind::*;
        for (ty, lang, want) in [
            (None, None, Classic),
            (Some(""), Some("vbscript"), Classic),
            (None, Some(""), Classic),
            (None, Some("JavaScript1.2"), Classic),
            (None, Some("vbscript"), Data),
            (Some(" TEXT/JavaScript "), None, Classic),
            (Some("text/javascript1.5"), None, Classic),
            (Some("text/javascript; charset=utf-8"), None, Data),
            (Some("module"), None, Module),
            (Some("importmap"), None, ImportMap),
            (Some("speculationrules"), None, SpeculationRules),
            (Some("application/json"), None, Data),
            (Some("text/babel"), None, Data),
            (Some("text/x-javascript-template"), None, Data),
        ] {
            assert_eq!(ScriptKind::of(ty, lang), want, "{ty:?} {lang:?}");
        }
        assert_eq!(decode_type("text&#47;javascript"), "text/javascript");
        assert_eq!(decode_type("a&sol;b&x;"), "a/b&x;");
    }

    #[test]
    fn scripts_are_found_with_their_kind_and_code() {
        let t = "<script type=\"text/template\">x</script><script nonce=\"n\">y // c\n</script><script src=\"a.js\"></script><script type=module>z</script>";
        let s = Scan::new(t);
        let inline: Vec<&str> = s.inline_js().map(|s| &t[s.body.clone()]).collect();
        assert_eq!(inline, ["y // c\n", "z"]);
        assert_eq!(s.scripts[1].code, "y     \n");
        assert_eq!(s.scripts[0].kind, ScriptKind::Data);
        assert!(s.scripts[2].external);
        assert_eq!(s.scripts[3].kind, ScriptKind::Module);
    }
}
