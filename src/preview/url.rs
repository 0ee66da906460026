//! What the preview reads from URLs and writes into them: percent-encoded path segments
//! (an environment, a brand folder, a static file) and the query a page reads (the
//! widget state and the locale).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// What a path segment keeps as written: letters, digits and `-`, `_`, `.`, `~`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `%XX` and `+` decoding of a URL component (invalid escapes are kept as written).
pub(crate) fn percent_decode(s: &str) -> String {
    // `+` first: a `%2B` decodes to a `+` that stays one.
    percent_decode_str(&s.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// A URL path segment, percent-encoded.
pub(crate) fn percent_encode(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// The query parameters a page reads.
pub(super) struct Query {
    pub(super) state: Option<String>,
    pub(super) locale: Option<String>,
}

pub(super) fn parse_query(q: &str) -> Query {
    let mut out = Query {
        state: None,
        locale: None,
    };
    for pair in q.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_decode(v);
        match k {
            "state" => out.state = Some(v),
            "locale" => out.locale = Some(v),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_round_trips_and_keeps_bad_escapes() {
        assert_eq!(percent_decode("fr"), "fr");
        assert_eq!(percent_decode("pt%2DBR"), "pt-BR");
        assert_eq!(percent_decode("a+b%20c"), "a b c");
        assert_eq!(percent_decode("a%2Bb"), "a+b");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%e9%FF"), "\u{fffd}\u{fffd}");
        assert_eq!(
            percent_decode(&percent_encode("Acme Health/é")),
            "Acme Health/é"
        );
        assert_eq!(percent_encode("a b~é"), "a%20b~%C3%A9");
    }

    #[test]
    fn query_reads_state_and_locale() {
        let q = parse_query("state=kmsi&locale=fr&x=1");
        assert_eq!(q.state.as_deref(), Some("kmsi"));
        assert_eq!(q.locale.as_deref(), Some("fr"));
    }
}
