//! W001 on the page: string keys a script writes into the widget's `config.i18n`.
//!
//! Read from the page scanner's inline scripts (comments blanked): `X.i18n = { lang: {
//! key: … } }`, `X.i18n.lang = { key: … }`, `X.i18n['lang']['key'] = …` and an object
//! literal's `i18n: { lang: { key: … } }` (the configuration given to `new OktaSignIn`).
//! Keys written by a computed member (`config.i18n[lang]`) are not read; keys a locale
//! file's `[widget]` table holds are reported there, not again on the page.

use std::ops::Range;

use super::{facts, unknown_key};
use crate::check::Page;
use crate::check::scan::js::{idents, is_ident_byte, object_entries, skip_ws, string_literal};
use crate::diag::Diagnostic;
use crate::project::Project;

pub(in crate::check) fn page_keys(project: &Project, page: &Page, out: &mut Vec<Diagnostic>) {
    let Some(facts) = facts(project) else {
        return;
    };
    for s in page.scan.inline_js() {
        let code = s.code.as_str();
        let mut keys: Vec<(String, String, Range<usize>)> = Vec::new();
        for at in idents(code, "i18n") {
            written_keys(code, at, &mut keys);
        }
        for (lang, key, range) in keys {
            let in_locale_file = project.locales.iter().any(|l| l.widget.contains_key(&key));
            if facts.has_key(&key) || in_locale_file {
                continue;
            }
            let abs = s.body.start + range.start..s.body.start + range.end;
            out.push(unknown_key(facts, &key, &lang).at(page.locate(abs)));
        }
    }
}

/// The `(language, key, where the key is written)` of what the `i18n` at `at` is given.
fn written_keys(code: &str, at: usize, out: &mut Vec<(String, String, Range<usize>)>) {
    let b = code.as_bytes();
    let before = code[..at].trim_end();
    let after = skip_ws(b, at + "i18n".len());
    if !before.ends_with('.') {
        // `i18n: { … }` as a key of an object literal.
        if b.get(after) == Some(&b':') && before.ends_with(['{', ',']) {
            languages(code, skip_ws(b, after + 1), out);
        }
        return;
    }
    // `.i18n` then up to two members: the language and the key.
    let mut chain: Vec<(String, Range<usize>)> = Vec::new();
    let mut p = after;
    while chain.len() < 2 {
        match member(code, p) {
            Some((name, range, end)) => {
                chain.push((name, range));
                p = skip_ws(b, end);
            }
            None => break,
        }
    }
    if b.get(p) != Some(&b'=') || matches!(b.get(p + 1), Some(b'=' | b'>')) {
        return;
    }
    let rhs = skip_ws(b, p + 1);
    match &chain[..] {
        [] => languages(code, rhs, out),
        [(lang, _)] => keys_of(code, rhs, lang, out),
        [(lang, _), (key, range)] => out.push((lang.clone(), key.clone(), range.clone())),
        _ => {}
    }
}

/// `.name` or `['name']` at `p` (after white space): the name, where it is written, and
/// the offset after the member.
fn member(code: &str, p: usize) -> Option<(String, Range<usize>, usize)> {
    let b = code.as_bytes();
    match b.get(p)? {
        b'.' => {
            let s = skip_ws(b, p + 1);
            let mut e = s;
            while e < b.len() && is_ident_byte(b[e]) {
                e += 1;
            }
            (e > s).then(|| (code[s..e].to_string(), s..e, e))
        }
        b'[' => {
            let s = skip_ws(b, p + 1);
            let lit = string_literal(code, s)?;
            if b[lit.start] == b'`' {
                return None;
            }
            let close = skip_ws(b, lit.end);
            (b.get(close) == Some(&b']')).then(|| {
                (
                    code[lit.start + 1..lit.end - 1].to_string(),
                    lit.clone(),
                    close + 1,
                )
            })
        }
        _ => None,
    }
}

/// `{ lang: { key: … }, … }` at `open`.
fn languages(code: &str, open: usize, out: &mut Vec<(String, String, Range<usize>)>) {
    if code.as_bytes().get(open) != Some(&b'{') {
        return;
    }
    for lang in object_entries(code, open) {
        keys_of(code, lang.value_range.start, &lang.key, out);
    }
}

/// `{ key: …, … }` at `open`, the strings of `lang`.
fn keys_of(code: &str, open: usize, lang: &str, out: &mut Vec<(String, String, Range<usize>)>) {
    if code.as_bytes().get(open) != Some(&b'{') {
        return;
    }
    for e in object_entries(code, open) {
        out.push((lang.to_string(), e.key, e.key_range));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(code: &str) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for at in idents(code, "i18n") {
            written_keys(code, at, &mut out);
        }
        out.into_iter()
            .map(|(l, k, r)| (l, k, code[r].to_string()))
            .collect()
    }

    #[test]
    fn keys_written_into_i18n() {
        let t = |l: &str, k: &str, w: &str| (l.to_string(), k.to_string(), w.to_string());
        assert_eq!(
            keys("config.i18n = { fr: { 'a.b': 'x' }, en: { c: 1 } };"),
            [t("fr", "a.b", "'a.b'"), t("en", "c", "c")]
        );
        assert_eq!(
            keys("config.i18n.fr = { \"a\": 'x' }"),
            [t("fr", "a", "\"a\"")]
        );
        assert_eq!(
            keys("config.i18n['fr'] ['a.b'] = 'x'"),
            [t("fr", "a.b", "'a.b'")]
        );
        assert_eq!(
            keys("new OktaSignIn({ el: '#x', i18n: { de: { k: 'v' } } })"),
            [t("de", "k", "k")]
        );
        // Computed members, comparisons, reads and other names are not written keys.
        for code in [
            "config.i18n[lang] = {a: 1}",
            "config.i18n.fr == {a: 1}",
            "x = config.i18n.fr.a",
            "var i18n = { fr: { a: 1 } }",
            "config.i18n.fr.a.b = 1",
        ] {
            assert!(keys(code).is_empty(), "{code}: {:?}", keys(code));
        }
    }
}
