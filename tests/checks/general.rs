//! Rules of the template, HTML and label families, and the clean baselines.

use super::*;

#[test]
fn okta_default_page_and_starter_are_clean() {
    let page = std::fs::read_to_string(shared().join("okta/default-sign-in-page.html")).unwrap();
    expect_clean(&Project::with_page(&page));
    expect_clean(&Project::starter());
    expect_clean(&Project::with_page(&clean_page("", "")));
}

const SIGN_IN: &str = "templates/sign-in.html";

#[test]
fn t001_syntax_error() {
    let p = Project::with_page(&clean_page("", "<p>{% if %}</p>\n"));
    expect_only(&p, "T001", SIGN_IN, 14, Some(10));
}

#[test]
fn t002_undefined_variable() {
    let p = Project::with_page(&clean_page("", "<p>{{ brnad.name }}</p>\n"));
    expect_only(&p, "T002", SIGN_IN, 14, Some(7));
    expect_clean(&Project::with_page(&clean_page(
        "",
        "<p>{{ brand.name }}</p>\n",
    )));
}

#[test]
fn t003_unknown_okta_tag() {
    let p = Project::with_page(&clean_page(
        "",
        "{% raw %}<div class=\"{{{bgImgUrl}}}\"></div>{% endraw %}\n",
    ));
    expect_only(&p, "T003", SIGN_IN, 14, Some(22));
}

#[test]
fn t003_tag_of_the_other_page_and_markup_tag_with_two_braces() {
    let (found, human, _, _) = check_all_formats(&Project::with_page(&clean_page(
        "",
        "<p>{{errorSummary}}</p>\n<p>{{OktaUtil}}</p>\n",
    )));
    let codes: Vec<_> = found.iter().map(|f| (f.code.as_str(), f.line)).collect();
    assert_eq!(codes, [("T003", Some(14)), ("T003", Some(15))], "{human}");
    assert!(human.contains("belongs to the error page"), "{human}");
    assert!(human.contains("needs three braces"), "{human}");
}

#[test]
fn t004_hash_brace_in_script() {
    let p = Project::with_page(&clean_page(
        "",
        "<script nonce=\"{{nonceValue}}\">{% raw %}class A {#x = 1}{% endraw %} class B {#y = 2 #}</script>\n",
    ));
    expect_only(&p, "T004", SIGN_IN, 14, Some(78));
}

#[test]
fn h001_parse_error() {
    let page = clean_page("", "").replacen("<!DOCTYPE html>\n", "", 1);
    expect_only(&Project::with_page(&page), "H001", SIGN_IN, 1, Some(1));
}

#[test]
fn h002_duplicate_id() {
    let p = Project::with_page(&clean_page("", "<p id=\"x\"></p>\n<p id=\"x\"></p>\n"));
    expect_only(&p, "H002", SIGN_IN, 15, Some(8));
}

#[test]
fn h003_missing_title() {
    let page = clean_page("", "").replace("<title>{{pageTitle}}</title>\n", "");
    expect_only(&Project::with_page(&page), "H003", SIGN_IN, 3, Some(1));
}

#[test]
fn h003_missing_lang_with_several_locales() {
    let page = clean_page("", "").replace(" lang=\"en\"", "");
    let p = Project::with_page(&page)
        .file("signin-pages.toml", config("locales = [\"en\", \"fr\"]"))
        .file("locales/fr.toml", "");
    expect_only_as("rule_H003_lang", &p, "H003", SIGN_IN, 2, Some(1));
    // One locale: no language to announce wrongly.
    expect_clean(&Project::with_page(&page));
}

#[test]
fn o005_unclosed_section() {
    let p = Project::with_page(&clean_page(
        "<style nonce=\"{{nonceValue}}\">{{#useSiwGen3}} html { font-size: 87.5%; }</style>\n",
        "",
    ));
    expect_only(&p, "O005", SIGN_IN, 6, Some(31));
}

#[test]
fn o005_stray_and_crossing_sections() {
    let (found, human, _, _) = check_all_formats(&Project::with_page(&clean_page(
        "",
        "<p>{{/useSiwGen3}}</p>\n<p>{{#useSiwGen3}}{{^useSiwGen3}}{{/useSiwGen3}}</p>\n",
    )));
    let codes: Vec<_> = found.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["O005", "O005"], "{human}");
    assert!(human.contains("never opened"), "{human}");
    assert!(human.contains("is never closed"), "{human}");
}

#[test]
fn k004_emoji_in_a_label() {
    let p = Project::with_page(&clean_page("", ""))
        .file("locales/en.toml", "[kmsi]\ntitle = \"Stay \u{1F512}\"\n");
    expect_only(&p, "K004", "locales/en.toml", 2, Some(15));
}

#[test]
fn allow_and_deny_tune_severities() {
    let page = clean_page("", "<p id=\"x\"></p>\n<p id=\"x\"></p>\n");
    // H002 is a warning: exit 0 ...
    let p = Project::with_page(&page);
    assert_eq!(code(&p.run(&["check"])), 0);
    // ... 1 with --deny-warnings ...
    assert_eq!(code(&p.run(&["check", "--deny-warnings"])), 1);
    // ... an error when denied ...
    let denied =
        Project::with_page(&page).file("signin-pages.toml", config("[check]\ndeny = [\"H002\"]"));
    let out = denied.run(&["check", "--format", "json"]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("\"severity\":\"error\""));
    // ... and gone when allowed.
    let allowed =
        Project::with_page(&page).file("signin-pages.toml", config("[check]\nallow = [\"h002\"]"));
    expect_clean(&allowed);
    // Codes that stop a build cannot be allowed; unknown codes are named.
    let bad = Project::with_page(&page).file(
        "signin-pages.toml",
        config("[check]\nallow = [\"K004\", \"X999\"]"),
    );
    let out = bad.run(&["check"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains("`K004` cannot be allowed") && err.contains("signin-pages.toml:4:10"),
        "{err}"
    );
    assert!(
        err.contains("`X999` is not a rule code") && err.contains("signin-pages.toml:4:18"),
        "{err}"
    );
}

#[test]
fn build_refuses_what_check_finds() {
    let p = Project::with_page(&clean_page("", "<p>{{/useSiwGen3}}</p>\n"));
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("O005"));
    assert!(!p.exists("dist"));
}

#[test]
fn colour_only_when_asked() {
    let p = Project::with_page(&clean_page("", "<p>{{/useSiwGen3}}</p>\n"));
    // --color never (the helper's default) and pipes: no escape codes.
    assert!(!stderr(&p.run(&["check"])).contains('\u{1b}'));
    let out = std::process::Command::new(BIN)
        .args(["check", "--color", "always", "--project"])
        .arg(p.path())
        .output()
        .unwrap();
    assert!(stderr(&out).contains('\u{1b}'));
    let out = std::process::Command::new(BIN)
        .args(["check", "--project"])
        .arg(p.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stderr(&out).contains('\u{1b}'));
}

#[test]
fn explain_every_code() {
    for rule in signin_pages::diag::rules::RULES {
        let out = std::process::Command::new(BIN)
            .args(["explain", &rule.code().to_lowercase()])
            .output()
            .unwrap();
        assert_eq!(code(&out), 0);
        let text = stdout(&out);
        assert!(
            text.starts_with(&format!("{}: ", rule.code()))
                && text.contains("Why it matters")
                && text.contains("How to fix it"),
            "{text}"
        );
    }
    let out = std::process::Command::new(BIN)
        .args(["explain", "C01"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("did you mean C001?"));
    insta::assert_snapshot!(
        "explain_c002",
        stdout(
            &std::process::Command::new(BIN)
                .args(["explain", "C002"])
                .output()
                .unwrap()
        )
    );
    // K001 says which text the visitors of a locale without labels really see.
    insta::assert_snapshot!(
        "explain_k001",
        stdout(
            &std::process::Command::new(BIN)
                .args(["explain", "K001"])
                .output()
                .unwrap()
        )
    );
}

/// Text for markdown: `<head>` outside a code span would be read as an HTML tag (and
/// vanish from the page on GitHub and in the book), so angle brackets there are written
/// as entities.
fn markdown_text(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                part.to_string()
            } else {
                part.replace('<', "&lt;").replace('>', "&gt;")
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

/// docs/checks.md is generated from the rules registry; `UPDATE_DOCS=1 cargo test`
/// rewrites it.
#[test]
fn docs_checks_md_is_the_registry() {
    let mut doc = String::from(
        "# Checks\n\n<!-- Generated from src/diag/rules.rs by `UPDATE_DOCS=1 cargo test docs_checks_md`; do not edit by hand. -->\n\n`signin-pages check` (and `build`, which refuses to write when a check finds an error) runs these rules on every target. `signin-pages explain CODE` prints the same text. Severities can be tuned per project:\n\n```toml\n[check]\nallow = [\"C002\"]   # silence\ndeny = [\"H002\"]    # treat as an error\n```\n\nCSP rules (C001, C002, C004) are errors when `[csp] mode = \"enforced\"` and warnings in `report_only` mode or without `[csp]`; C002 runs only when the project has a `[csp]` section.\n\n| code | default | what |\n|---|---|---|\n",
    );
    for r in signin_pages::diag::rules::RULES {
        doc.push_str(&format!(
            "| [{0}](#{1}) | {2} | {3} |\n",
            r.code(),
            r.code().to_lowercase(),
            r.severity().as_str(),
            markdown_text(r.title()).replace('|', "\\|")
        ));
    }
    for r in signin_pages::diag::rules::RULES {
        doc.push_str(&format!("\n## {}\n\n", r.code()));
        doc.push_str(
            &markdown_text(&signin_pages::diag::rules::explain(*r))
                .replacen(&format!("{}: ", r.code()), "**", 1)
                .replacen(" (", "** (", 1)
                .replace("\n\nWhat it catches\n  ", "\n\n*What it catches.* ")
                .replace("\n\nWhy it matters\n  ", "\n\n*Why it matters.* ")
                .replace("\n\nHow to fix it\n  ", "\n\n*How to fix it.* "),
        );
    }
    let path = repo().join("docs/checks.md");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &doc).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap_or_default(),
        doc,
        "docs/checks.md is stale: run `UPDATE_DOCS=1 cargo test docs_checks_md`"
    );
}
