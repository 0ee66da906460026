//! Property tests (stable Rust, run in CI).

use proptest::prelude::*;
use signin_pages::okta_tags::{CLOSE, OPEN, mask, unmask};

fn text() -> impl Strategy<Value = String> {
    // Mustache-heavy text: braces, sigils, Okta names, spaces and anything else.
    let pieces = prop::collection::vec(
        prop_oneof![
            Just("{".to_string()),
            Just("}".to_string()),
            Just("{{".to_string()),
            Just("}}}".to_string()),
            Just("#".to_string()),
            Just("/".to_string()),
            Just(" ".to_string()),
            Just("pageTitle".to_string()),
            Just("useSiwGen3".to_string()),
            Just("SignInWidgetResources".to_string()),
            "[a-zA-Z_ ]{0,6}",
            any::<String>(),
        ],
        0..40,
    );
    pieces.prop_map(|p| p.concat().replace([OPEN as char, CLOSE as char], ""))
}

proptest! {
    #[test]
    fn mask_then_unmask_is_the_identity(s in text()) {
        let masked = mask(&s).unwrap();
        prop_assert_eq!(masked.len(), s.len());
        prop_assert_eq!(unmask(masked), s);
    }

    #[test]
    fn masking_keeps_every_offset(s in text()) {
        let masked = mask(&s).unwrap();
        for (a, b) in s.bytes().zip(masked.bytes()) {
            let same = a == b || (a == b'{' && b == OPEN) || (a == b'}' && b == CLOSE);
            prop_assert!(same, "byte {} became {}", a, b);
        }
    }

    #[test]
    fn input_with_a_reserved_byte_is_refused(a in any::<String>(), b in any::<String>(), open in any::<bool>()) {
        let c = if open { OPEN } else { CLOSE } as char;
        let s = format!("{a}{c}{b}");
        prop_assert!(mask(&s).is_err());
    }
}

// The fuzz targets' harness (fuzz/harness.rs, also compiled into fuzz/fuzz_targets/*.rs):
// property tests feed it generated text on stable, and `fuzz_regressions_replay` feeds it
// every crash the fuzzers found (fuzz/regressions/<target>/*).
#[path = "../fuzz/harness.rs"]
mod harness;

fn pieces(words: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(words).prop_map(str::to_string),
            1 => "[a-zA-Z0-9_ .\n]{0,8}",
            1 => any::<String>(),
        ],
        0..max,
    )
    .prop_map(|p| p.concat())
}

const TEMPLATE_WORDS: &[&str] = &[
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "{{{",
    "}}}",
    "{%-",
    "-%}",
    " ",
    "\n",
    "|",
    "(",
    ")",
    "\"",
    "'",
    ",",
    "=",
    ".",
    "[",
    "]",
    "0",
    "1",
    "-1",
    "if",
    "else",
    "endif",
    "for",
    "in",
    "endfor",
    "raw",
    "endraw",
    "set",
    "block",
    "endblock",
    "extends \"layouts/base.html\"",
    "include \"partials/widget.html\"",
    "macro",
    "endmacro",
    "vars",
    "brand",
    "env",
    "locale",
    "strings",
    "widget_i18n",
    "js",
    "safe",
    "length",
    "upper",
    "pageTitle",
    "#useSiwGen3",
    "/useSiwGen3",
    "SignInWidgetResources",
    "nonceValue",
    "bgImgUrl",
    "missing",
];

const HTML_WORDS: &[&str] = &[
    "<!DOCTYPE html>",
    "<html lang=\"en\">",
    "<html>",
    "</html>",
    "<head>",
    "</head>",
    "<body>",
    "</body>",
    "<title>",
    "</title>",
    "<script>",
    "</script>",
    "<script nonce=\"{{nonceValue}}\">",
    "<script src=\"https://cdn.example.com/x.js\">",
    "<style>",
    "</style>",
    "<meta http-equiv=\"Content-Security-Policy\" content=\"",
    "default-src 'self'",
    "\">",
    "<meta charset=\"utf-8\">",
    "<div id=\"okta-login-container\">",
    "</div>",
    "<img src=\"",
    "<a href=\"javascript:",
    "<!--",
    "-->",
    "<input type=\"checkbox\"",
    "{{{SignInWidgetResources}}}",
    "{{{OktaUtil}}}",
    "{{pageTitle}}",
    "{{#useSiwGen3}}",
    "{{/useSiwGen3}}",
    "{{errorSummary}}",
    "OktaSignIn(",
    "apiKey: \"",
    "\n",
    " ",
    "=",
    "\"",
    "<",
    ">",
    "&",
    "\u{feff}",
    "é",
    "😀",
];

const TOML_WORDS: &[&str] = &[
    "[project]",
    "[widget]",
    "[vars]",
    "[csp]",
    "[check]",
    "[kmsi]",
    "[[brands]]",
    "[environments.prod]",
    "[environments.dev.kmsi]",
    "[brands.vars]",
    "\n",
    " ",
    "=",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    ",",
    ".",
    "name",
    "default_locale",
    "locales",
    "version",
    "generation",
    "\"G3\"",
    "\"G2\"",
    "\"^7\"",
    "\"7.13\"",
    "\"*\"",
    "mode",
    "\"enforced\"",
    "\"report_only\"",
    "src_list",
    "org_url",
    "\"https://example.okta.com\"",
    "\"http://[::1]\"",
    "token_env",
    "oauth",
    "allow",
    "deny",
    "\"en\"",
    "\"fr\"",
    "[\"en\"]",
    "1",
    "-1",
    "1.5",
    "true",
    "1979-05-27",
    "#",
    "\"\"\"",
    "dir",
    "widget_customizations",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn okta_tags_harness_holds_on_any_text(s in text()) {
        harness::okta_tags(&s);
    }

    #[test]
    fn rendering_arbitrary_text_never_panics(s in pieces(TEMPLATE_WORDS, 40)) {
        harness::render(&s);
    }

    #[test]
    fn checks_on_arbitrary_pages_never_panic(s in pieces(HTML_WORDS, 40)) {
        harness::check(&s);
    }

    #[test]
    fn config_parse_of_arbitrary_text_never_panics(s in pieces(TOML_WORDS, 60)) {
        harness::config(&s);
    }
}

/// Every crash input the fuzzers found, replayed through its target's harness.
#[test]
fn fuzz_regressions_replay() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    for (target, run) in harness::TARGETS {
        let dir = root.join(target);
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            eprintln!("replaying {}", path.display());
            harness::bytes(&std::fs::read(&path).unwrap(), run);
        }
    }
}

/// Every fuzz target is the shared harness under libFuzzer (so the fuzzers and the tests
/// above run the same code), and every target of the harness has its fuzz target, its
/// `[[bin]]`, its seeds and its regressions folder.
#[test]
fn every_fuzz_target_runs_the_shared_harness() {
    let fuzz = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files: Vec<String> = std::fs::read_dir(fuzz.join("fuzz_targets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut names: Vec<&str> = harness::TARGETS.iter().map(|(n, _)| *n).collect();
    names.sort();
    assert_eq!(files, names, "fuzz/fuzz_targets/*.rs and harness::TARGETS");
    let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).unwrap();
    for name in names {
        let src = std::fs::read_to_string(fuzz.join(format!("fuzz_targets/{name}.rs"))).unwrap();
        assert!(
            src.contains("#[path = \"../harness.rs\"]")
                && src.contains(&format!("harness::bytes(data, harness::{name})")),
            "fuzz_targets/{name}.rs does not run harness::{name}:\n{src}"
        );
        assert!(
            manifest.contains(&format!(
                "name = \"{name}\"\npath = \"fuzz_targets/{name}.rs\""
            )),
            "no [[bin]] {name} in fuzz/Cargo.toml"
        );
        for dir in ["seeds", "regressions"] {
            assert!(fuzz.join(dir).join(name).is_dir(), "no fuzz/{dir}/{name}/");
        }
    }
}
