//! The offset-preserving mask that keeps Okta's Mustache tags away from Tera.
//!
//! Okta renders the uploaded page itself, with Mustache: `{{pageTitle}}`,
//! `{{{SignInWidgetResources}}}`, `{{#useSiwGen3}}…{{/useSiwGen3}}` and friends must
//! reach Okta byte for byte. Before Tera parses a template, the braces of those tags are
//! swapped for two reserved control bytes ([`OPEN`], [`CLOSE`]); after rendering they
//! are swapped back. Nothing moves, so every byte offset Tera reports is an offset into
//! the designer's file. Input that already holds a reserved byte is refused, because
//! unmasking would turn it into a brace.

/// Stands in for `{` inside a masked Okta tag.
pub const OPEN: u8 = 0x0E;
/// Stands in for `}` inside a masked Okta tag.
pub const CLOSE: u8 = 0x0F;

/// What an Okta tag is for: the sign-in page, the error page, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagPage {
    SignIn,
    Error,
    Both,
}

/// Every name Okta fills in on a custom page, with the page it belongs to.
pub const OKTA_TAGS: &[(&str, TagPage)] = &[
    ("pageTitle", TagPage::Both),
    ("SignInWidgetResources", TagPage::SignIn),
    ("OktaUtil", TagPage::SignIn),
    ("bgImageUrl", TagPage::SignIn),
    ("themedStylesUrl", TagPage::Both),
    ("faviconUrl", TagPage::Both),
    ("nonceValue", TagPage::Both),
    ("useSiwGen3", TagPage::SignIn),
    // The legacy `var config = {{{config}}};` macro that older pages still carry.
    ("config", TagPage::SignIn),
    ("orgName", TagPage::Error),
    ("errorSummary", TagPage::Error),
    ("errorDescription", TagPage::Error),
    ("orgLogo", TagPage::Error),
    ("back", TagPage::Error),
    ("technicalDetails", TagPage::Error),
    ("buttonText", TagPage::Error),
    ("buttonHref", TagPage::Error),
    // Okta's error-page resources (scripts and styles), the error page's counterpart of
    // SignInWidgetResources; seen in customers' error pages and SDK documentation.
    ("ErrorPageResources", TagPage::Error),
];

/// Whether `name` is one of Okta's tags.
pub fn is_okta_name(name: &str) -> bool {
    OKTA_TAGS.iter().any(|(n, _)| *n == name)
}

/// A reserved byte found in input: its byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReservedByte {
    pub offset: usize,
}

/// One Okta-style tag found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Byte range of the whole tag, braces included.
    pub range: std::ops::Range<usize>,
    /// `{{{name}}}` rather than `{{name}}`.
    pub triple: bool,
    /// `#`, `/` or `^` for Mustache sections, `None` for variables.
    pub sigil: Option<u8>,
    pub name: String,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// Try to read a Mustache tag starting at `start` (which holds `{{`).
fn read_tag(bytes: &[u8], start: usize) -> Option<Tag> {
    let triple = bytes.get(start + 2) == Some(&b'{');
    let mut i = skip_spaces(bytes, start + if triple { 3 } else { 2 });
    let mut sigil = None;
    if !triple && matches!(bytes.get(i), Some(b'#' | b'/' | b'^')) {
        sigil = Some(bytes[i]);
        i = skip_spaces(bytes, i + 1);
    }
    let name_start = i;
    if !bytes.get(i).copied().is_some_and(is_ident_start) {
        return None;
    }
    while i < bytes.len() && is_ident(bytes[i]) {
        i += 1;
    }
    let name = std::str::from_utf8(&bytes[name_start..i]).ok()?.to_string();
    i = skip_spaces(bytes, i);
    let close: &[u8] = if triple { b"}}}" } else { b"}}" };
    if !bytes[i..].starts_with(close) {
        return None;
    }
    Some(Tag {
        range: start..i + close.len(),
        triple,
        sigil,
        name,
    })
}

/// Every Okta-style tag in `text`: any `{{{name}}}`, and `{{name}}`, `{{#name}}`,
/// `{{/name}}`, `{{^name}}` (inner spaces allowed). `known_only` keeps the double-brace
/// forms to Okta's names, as the mask does.
pub fn find_tags(text: &str, known_only: bool) -> Vec<Tag> {
    let bytes = text.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(at) = memchr::memmem::find(&bytes[i..], b"{{").map(|p| i + p) {
        if let Some(tag) = read_tag(bytes, at)
            && (tag.triple || !known_only || is_okta_name(&tag.name))
        {
            i = tag.range.end;
            tags.push(tag);
            continue;
        }
        i = at + 1;
    }
    tags
}

/// The first reserved byte in `text`, if any.
pub fn find_reserved(text: &str) -> Option<ReservedByte> {
    text.bytes()
        .position(|b| b == OPEN || b == CLOSE)
        .map(|offset| ReservedByte { offset })
}

/// Swap the braces of Okta's tags for the reserved bytes. Same length, same offsets.
pub fn mask(text: &str) -> Result<String, ReservedByte> {
    if let Some(r) = find_reserved(text) {
        return Err(r);
    }
    let tags = find_tags(text, true);
    if tags.is_empty() {
        return Ok(text.to_string());
    }
    let mut bytes = text.as_bytes().to_vec();
    for tag in tags {
        for b in &mut bytes[tag.range] {
            match *b {
                b'{' => *b = OPEN,
                b'}' => *b = CLOSE,
                _ => {}
            }
        }
    }
    // Only ASCII braces were swapped for ASCII control bytes: still UTF-8.
    Ok(String::from_utf8(bytes).expect("masking keeps UTF-8"))
}

/// Put the braces back.
pub fn unmask(text: String) -> String {
    if find_reserved(&text).is_none() {
        return text;
    }
    let mut bytes = text.into_bytes();
    for b in &mut bytes {
        match *b {
            OPEN => *b = b'{',
            CLOSE => *b = b'}',
            _ => {}
        }
    }
    String::from_utf8(bytes).expect("unmasking keeps UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_okta_tags_only() {
        let src = "<title>{{pageTitle}}</title>{{{SignInWidgetResources}}}{{ #useSiwGen3 }}x{{ /useSiwGen3 }}{{ brand.name }}";
        let masked = mask(src).unwrap();
        assert_eq!(masked.len(), src.len());
        assert!(!masked.contains("{{pageTitle"));
        assert!(!masked.contains("{{{"));
        assert!(!masked.contains("{{ #"));
        assert!(masked.contains("{{ brand.name }}"));
        assert_eq!(unmask(masked), src);
    }

    #[test]
    fn refuses_reserved_bytes() {
        assert_eq!(mask("ab\u{e}c"), Err(ReservedByte { offset: 2 }));
    }

    #[test]
    fn unknown_double_brace_names_stay_for_tera() {
        assert_eq!(mask("{{bgImgUrl}}").unwrap(), "{{bgImgUrl}}");
        assert_eq!(find_tags("{{bgImgUrl}}", false).len(), 1);
    }
}
