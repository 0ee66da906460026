//! Writing values into a page safely: the `js` filter (a value as a JavaScript literal
//! that can sit inside `<script>`), and what Tera's autoescape makes of text in HTML,
//! for the code that writes HTML beside the templates (the preview's pages).

use tera::{Kwargs, State, Value};

/// The filter that writes a value as a JavaScript literal safe inside `<script>`.
pub const JS_FILTER: &str = "js";

/// `value` as JSON, with `<`, `>`, `&`, U+2028 and U+2029 escaped so that it can sit
/// inside a `<script>` element without ending it. (Not for HTML attributes: JSON's
/// quotes would end a double-quoted attribute.)
pub fn js_literal(value: &serde_json::Value) -> String {
    let json = serde_json::to_string(value).expect("JSON values serialize");
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The `js` filter Tera calls.
pub(super) fn js_filter(value: Value, _: Kwargs, _: &State) -> tera::TeraResult<Value> {
    if value.is_undefined() {
        // Tera hands filters undefined values: a misspelt name must not become `null`.
        return Err(tera::Error::message(
            "Invalid type for the value, expected `any` but got `undefined`",
        ));
    }
    let json = serde_json::to_value(&value).unwrap_or(serde_json::Value::Null);
    Ok(Value::safe_string(&js_literal(&json)))
}

/// Text as Tera's autoescape writes it into HTML (`&`, `<`, `>`, `"` and `'` as
/// entities): safe in element content and in quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    tera::escape_html(text, &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("escaping keeps UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_literal_is_safe_in_script() {
        let v = serde_json::json!({"a": "</script><b>&\u{2028}"});
        let s = js_literal(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert!(s.contains("\\u2028"));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn escape_html_covers_quotes() {
        assert_eq!(
            escape_html("<a href='x'>\"&é"),
            "&lt;a href=&#39;x&#39;&gt;&quot;&amp;é"
        );
    }
}
