//! Real pages Okta customers wrote, each used as templates/sign-in.html: each builds
//! byte-identically, or exits 1 naming what Tera objected to and suggesting `{% raw %}`.

use crate::support::*;

#[test]
fn every_real_world_page_builds_byte_identically_or_explains() {
    let pages = corpus_pages();
    let mut summary = String::new();
    for page in pages {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&page).unwrap();
        // Rendering is what this test is about: the checks' findings on these pages are
        // pinned by checks::corpus_findings.
        let p = Project::with_page(&text).file(
            "signin-pages.toml",
            format!("{MINIMAL_TOML}\n[check]\nallow = [{}]\n", allowable_codes()),
        );
        let out = p.run(&["build"]);
        match code(&out) {
            0 => {
                assert_eq!(
                    p.read("dist/prod/B/sign-in.html"),
                    text,
                    "{name} changed in the build"
                );
                summary.push_str(&format!("{name}: byte-identical\n"));
            }
            1 => {
                let err = stderr(&out);
                assert!(
                    err.contains("{% raw %}") && err.contains("templates/sign-in.html:"),
                    "{name}: {err}"
                );
                summary.push_str(&format!("{name}: refused\n{err}\n"));
            }
            c => panic!("{name}: exit {c}: {}", stderr(&out)),
        }
    }
    insta::assert_snapshot!(summary);
}

/// Every code `[check] allow` accepts, quoted and comma-separated.
pub(crate) fn allowable_codes() -> String {
    signin_pages::diag::rules::RULES
        .iter()
        .filter(|r| r.allowable())
        .map(|r| format!("\"{}\"", r.code()))
        .collect::<Vec<_>>()
        .join(", ")
}
