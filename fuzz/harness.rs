//! One harness per fuzz target: what an input is run through and what must hold after.
//!
//! Compiled into each `fuzz/fuzz_targets/*.rs` (libFuzzer, nightly) and into the stable
//! `tests/properties.rs` (proptest, and the replay of `fuzz/regressions/`), both with
//! `#[path]`: the fuzzers and the tests run exactly the same code. Not a module of the
//! library, which ships no test code; not a crate of its own, since the tests cannot
//! depend on the fuzz crate (its own workspace, linked with libFuzzer) and one more
//! crate for four functions is more to build than to read.
//!
//! Every entry point takes `&str`: a target ignores input that is not UTF-8 (`bytes`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use signin_pages::check;
use signin_pages::check::page::stub;
use signin_pages::config;
use signin_pages::diag::{ColorChoice, Diagnostic, Diagnostics, render_human};
use signin_pages::okta_tags::{CLOSE, OPEN, find_reserved, find_tags, mask, unmask};
use signin_pages::payload::{Customizations, PostAuthPrompt, SignInPageBody};
use signin_pages::project::{self, Project};
use signin_pages::render::Engine;
use signin_pages::render::context::SharedContext;
use signin_pages::source::SourceFile;

/// A target: its name (`fuzz_targets/<name>.rs`, `fuzz/regressions/<name>/`) and its
/// harness.
pub type Target = (&'static str, fn(&str));

/// Every target.
pub const TARGETS: [Target; 4] = [
    ("okta_tags", okta_tags),
    ("render", render),
    ("check", check),
    ("config", config),
];

/// `data` through `target`, when it is UTF-8.
pub fn bytes(data: &[u8], target: fn(&str)) {
    if let Ok(s) = std::str::from_utf8(data) {
        target(s);
    }
}

/// The Okta-tag mask: `unmask(mask(s)) == s` at the same length, or the reserved byte
/// it refused; every tag range a valid slice; the checks' stub keeps the length.
pub fn okta_tags(s: &str) {
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
            assert!(
                s.get(t.range.clone()).is_some(),
                "tag range {:?} is not a slice",
                t.range
            );
        }
    }
    assert_eq!(stub(s).len(), s.len());
}

/// `text` as `templates/sign-in.html` of `examples/acme` (its layouts and partials
/// beside it), rendered with a real target's context. Errors are fine; every diagnostic
/// must render.
pub fn render(text: &str) {
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
            let ctx =
                SharedContext::new(p).for_target(&p.config.environments[0], &p.config.brands[0]);
            match engine.render("sign-in.html", &ctx) {
                Ok(_) => return,
                Err(d) => d,
            }
        }
        Err(d) => d,
    };
    render_diags(diags);
}

/// `html` as the sign-in page and as the error page of `examples/acme`: every check
/// (HTML, tags, Okta, CSP, labels, secrets) and the project's policy; every finding must
/// render.
pub fn check(html: &str) {
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

/// `text` as `signin-pages.toml`; every diagnostic must render.
pub fn config(text: &str) {
    let mut diags = Diagnostics::new();
    let _ = config::parse(
        Arc::new(SourceFile::new("signin-pages.toml", text)),
        &mut diags,
    );
    let _ = render_human(&diags.finish(), ColorChoice::Never);
}

fn render_diags(diags: impl IntoIterator<Item = Diagnostic>) {
    let diags: Diagnostics = diags.into_iter().collect();
    let _ = render_human(&diags, ColorChoice::Never);
}

/// `examples/acme`, loaded once.
fn acme() -> &'static Project {
    static P: OnceLock<Project> = OnceLock::new();
    P.get_or_init(|| {
        project::load(&repo().join("examples/acme"), &mut Diagnostics::new())
            .expect("examples/acme loads")
    })
}

/// The repository: the crate this is compiled into is the repository itself (the tests)
/// or `fuzz/` inside it.
fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|d| d.join("examples/acme/signin-pages.toml").is_file())
        .expect("examples/acme in the repository")
        .to_path_buf()
}
