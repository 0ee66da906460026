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

// ---------------------------------------------------------------------------------------
// One harness per `cargo fuzz` target (fuzz/fuzz_targets/*.rs does the same on nightly):
// property tests feed them generated text on stable, and `fuzz_regressions_replay`
// feeds them every crash the fuzzers found (fuzz/regressions/<target>/*).

mod harness {
    use std::path::Path;
    use std::sync::{Arc, OnceLock};

    use signin_pages::check;
    use signin_pages::check::page::stub;
    use signin_pages::config;
    use signin_pages::diag::{ColorChoice, Diagnostics, render_human};
    use signin_pages::okta_tags::{CLOSE, OPEN, find_reserved, find_tags, mask, unmask};
    use signin_pages::payload::{Customizations, PostAuthPrompt, SignInPageBody};
    use signin_pages::project::{self, Project};
    use signin_pages::render::Engine;
    use signin_pages::render::context::SharedContext;
    use signin_pages::source::SourceFile;

    fn acme() -> &'static Project {
        static P: OnceLock<Project> = OnceLock::new();
        P.get_or_init(|| {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
            project::load(&root, &mut Diagnostics::new()).expect("examples/acme loads")
        })
    }

    fn render_diags(diags: impl IntoIterator<Item = signin_pages::diag::Diagnostic>) {
        let diags: Diagnostics = diags.into_iter().collect();
        let _ = render_human(&diags, ColorChoice::Never);
    }

    /// fuzz_targets/okta_tags.rs
    pub(super) fn okta_tags(s: &str) {
        match mask(s) {
            Ok(m) => {
                assert_eq!(m.len(), s.len());
                assert_eq!(unmask(m), s);
            }
            Err(r) => {
                let b = s.as_bytes()[r.offset];
                assert!(b == OPEN || b == CLOSE);
                assert_eq!(find_reserved(s), Some(r));
            }
        }
        for known_only in [true, false] {
            for t in find_tags(s, known_only) {
                assert!(s.get(t.range.clone()).is_some(), "tag range {:?}", t.range);
            }
        }
        assert_eq!(stub(s).len(), s.len());
    }

    /// fuzz_targets/render.rs: `text` as the example project's sign-in.html.
    pub(super) fn render(text: &str) {
        let p = acme();
        let mut templates: Vec<Arc<SourceFile>> = p
            .templates
            .iter()
            .filter(|t| t.path != "templates/sign-in.html")
            .cloned()
            .collect();
        templates.push(Arc::new(SourceFile::new("templates/sign-in.html", text)));
        let diags = match Engine::new(&templates) {
            Ok(engine) => {
                let ctx = SharedContext::new(p)
                    .for_target(&p.config.environments[0], &p.config.brands[0]);
                match engine.render("sign-in.html", &ctx) {
                    Ok(_) => return,
                    Err(d) => d,
                }
            }
            Err(d) => d,
        };
        render_diags(diags);
    }

    /// fuzz_targets/check.rs: `html` as the sign-in page and the error page.
    pub(super) fn check(html: &str) {
        let p = acme();
        let (env, brand) = (&p.config.environments[0], &p.config.brands[0]);
        let body = SignInPageBody {
            page_content: html.to_string(),
            widget_version: p.config.widget_version.get_ref().clone(),
            widget_customizations: Customizations {
                fields: p.config.widget_customizations.clone(),
                widget_generation: p.config.widget_generation,
                post_auth_keep_me_signed_in_prompt: PostAuthPrompt::from_project(p),
            },
            content_security_policy_setting: p.config.csp.clone(),
        };
        let found = check::target(p, env, brand, "fuzz/acme", &body, Some(html));
        render_diags(check::apply_policy(p, found));
    }

    /// fuzz_targets/config.rs
    pub(super) fn config(text: &str) {
        let mut diags = Diagnostics::new();
        let _ = config::parse(
            Arc::new(SourceFile::new("signin-pages.toml", text)),
            &mut diags,
        );
        let _ = render_human(&diags.finish(), ColorChoice::Never);
    }
}

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
    type Replay = (&'static str, fn(&str));
    let targets: [Replay; 4] = [
        ("okta_tags", harness::okta_tags),
        ("render", harness::render),
        ("check", harness::check),
        ("config", harness::config),
    ];
    for (target, run) in targets {
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
            let bytes = std::fs::read(&path).unwrap();
            // The targets ignore input that is not UTF-8.
            if let Ok(s) = std::str::from_utf8(&bytes) {
                eprintln!("replaying {}", path.display());
                run(s);
            }
        }
    }
}
