//! One page scanner for every check: where two lexers once disagreed (what is raw
//! text, which scripts run, what a JavaScript comment is, which start tag an element
//! came from), one fixture page per case (`pages/`) pins the answer the HTML standard
//! and browsers give. Each runs through `check` in all three formats with `[csp]`
//! enforced and `https://cdn.example.com` in `src_list`.

use super::*;

/// The findings of one fixture page, as (code, line, column).
fn found(page: &str) -> Vec<(String, u64, u64)> {
    found_with(page, "")
}

/// [`found`], with `extra` in the project file too (and `locales/fr.toml` when it lists
/// locales).
fn found_with(page: &str, extra: &str) -> Vec<(String, u64, u64)> {
    let mut p = Project::with_page(page).file(
        "signin-pages.toml",
        config(&format!(
            "{extra}\n[csp]\nmode = \"enforced\"\nsrc_list = [\"https://cdn.example.com\"]"
        )),
    );
    if extra.contains("locales") {
        p = p.file("locales/fr.toml", "");
    }
    let (found, _, _, _) = check_all_formats(&p);
    found
        .into_iter()
        .map(|f| (f.code, f.line.unwrap_or(0), f.column.unwrap_or(0)))
        .collect()
}

fn want(list: &[(&str, u64, u64)]) -> Vec<(String, u64, u64)> {
    list.iter()
        .map(|(c, l, col)| (c.to_string(), *l, *col))
        .collect()
}

// ---- Raw text: markup inside these elements is text, so its tags are not elements
// and its scripts never run.

#[test]
fn noscript_holds_text_not_a_script() {
    // The scripting flag is on (a browser that runs the widget): <noscript> is raw
    // text. The Okta rules once read a script in it that uses OktaUtil too early.
    assert_eq!(found(include_str!("pages/raw-noscript.html")), want(&[]));
}

#[test]
fn iframe_holds_text_not_a_script() {
    assert_eq!(found(include_str!("pages/raw-iframe.html")), want(&[]));
}

#[test]
fn noframes_holds_text_not_a_script() {
    assert_eq!(found(include_str!("pages/raw-noframes.html")), want(&[]));
}

#[test]
fn xmp_holds_text_not_a_script_or_a_handler() {
    assert_eq!(found(include_str!("pages/raw-xmp.html")), want(&[]));
}

#[test]
fn a_comment_opener_in_the_title_is_text() {
    // `<!--` inside <title> does not comment out `{{{SignInWidgetResources}}}` below
    // it: the stub once treated it as a comment, and the tag as text in <head>.
    assert_eq!(
        found(include_str!("pages/raw-title-comment.html")),
        want(&[])
    );
}

#[test]
fn a_script_escape_does_not_end_at_the_first_end_tag() {
    // `<!--` … `<script>` … `</script>` … `-->`: the script runs to its real end tag, so
    // the OktaUtil after the quoted `</script>` is code, run before {{{OktaUtil}}}.
    assert_eq!(
        found(include_str!("pages/js-script-escape.html")),
        want(&[("O002", 9, 1)])
    );
}

// ---- Which scripts run: the type attribute, by the HTML standard's rules.

#[test]
fn a_module_is_javascript_run_after_the_page() {
    // It needs the nonce; it runs after `{{{OktaUtil}}}` has defined OktaUtil.
    assert_eq!(
        found(include_str!("pages/type-module.html")),
        want(&[("C001", 6, 1)])
    );
}

#[test]
fn javascript1_5_is_javascript() {
    assert_eq!(
        found(include_str!("pages/type-javascript1.5.html")),
        want(&[("C001", 6, 1), ("O002", 6, 35)])
    );
}

#[test]
fn babel_and_json_blocks_are_data() {
    assert_eq!(found(include_str!("pages/type-babel.html")), want(&[]));
    assert_eq!(found(include_str!("pages/type-json.html")), want(&[]));
}

#[test]
fn a_type_with_parameters_is_data() {
    // Browsers compare the whole type: `text/javascript; charset=utf-8` is never run.
    assert_eq!(found(include_str!("pages/type-charset.html")), want(&[]));
}

#[test]
fn a_type_that_mentions_javascript_is_data() {
    // `text/x-javascript-template` is a data block (a template), not JavaScript.
    assert_eq!(found(include_str!("pages/type-template.html")), want(&[]));
}

#[test]
fn without_a_type_the_language_attribute_decides() {
    assert_eq!(found(include_str!("pages/type-language.html")), want(&[]));
}

// ---- JavaScript comments: one lexer for every rule.

#[test]
fn a_regex_holding_slashes_is_not_a_comment() {
    // `/^https?:\/\//` and `/a\/*b/` are regular expressions: the fetches after them
    // on the same line are code.
    assert_eq!(
        found(include_str!("pages/js-regex.html")),
        want(&[("C002", 15, 39)])
    );
}

#[test]
fn html_like_comments_in_scripts_are_comments() {
    // `<!--` and a line-leading `-->` comment out the rest of their line.
    assert_eq!(found(include_str!("pages/js-html-comment.html")), want(&[]));
}

#[test]
fn a_language_set_in_a_comment_is_not_set() {
    // H003 with two locales: `<html>` has no lang, and only a comment sets it.
    let locales = "locales = [\"en\", \"fr\"]";
    assert_eq!(
        found_with(include_str!("pages/lang-in-a-comment.html"), locales),
        want(&[("H003", 2, 1)])
    );
    assert_eq!(
        found_with(include_str!("pages/lang-set-by-script.html"), locales),
        want(&[])
    );
}

// ---- CSS, read by a CSS tokenizer.

#[test]
fn url_in_a_css_string_is_not_loaded() {
    assert_eq!(found(include_str!("pages/css-string.html")), want(&[]));
}

// ---- Which start tag an element came from, in one place.

#[test]
fn unclosed_and_nested_elements_point_at_their_own_tags() {
    // The second `<p id="note">` (the first is left open): its id, not the `note` in
    // its title after it; each handler on its own <span>.
    assert_eq!(
        found(include_str!("pages/nested-unclosed.html")),
        want(&[
            ("H002", 14, 24),
            ("H001", 15, 1),
            ("C004", 15, 12),
            ("C004", 15, 32)
        ])
    );
}

#[test]
fn the_head_is_its_own_tag_not_one_in_a_comment() {
    assert_eq!(
        found(include_str!("pages/head-range.html")),
        want(&[("H003", 3, 1)])
    );
}
