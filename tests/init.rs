//! `init`: the starter project.

use crate::support::*;

#[test]
fn the_starter_builds_clean() {
    let p = Project::starter();
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains("warning") && !err.contains("error"), "{err}");
    let page = p.read("dist/prod/Example/sign-in.html");
    insta::assert_snapshot!("starter_page", page);
    insta::assert_snapshot!("starter_body", p.read("dist/prod/Example/sign-in.json"));
    // The KMSI labels of every locale reach the widget's config.i18n.
    assert!(page.contains("\"oie.kmsi.title\":\"Rester connecté\""));
    assert!(page.contains("config.i18n[lang] = Object.assign"));
    // The default locale sets no KMSI labels: nothing goes to Okta, so visitors of every
    // language the project does not translate see the widget's own text in their language.
    let body: serde_json::Value = p.read_json("dist/prod/Example/sign-in.json");
    assert!(
        body["widgetCustomizations"]
            .get("postAuthKeepMeSignedInPrompt")
            .is_none(),
        "{body}"
    );
    // The page's own text of every locale is in the page, and the element it fills is
    // marked: French visitors read French (the browser test watches it switch).
    assert!(page.contains("\"fr\":{\"help\":\"Besoin d'aide pour vous connecter ?\"}"));
    assert!(page.contains("<span data-string=\"help\">Need help signing in?</span>"));
    assert!(page.contains("config.language"));
    // The starter's design tokens reach Gen3's config.theme.tokens.
    assert!(
        page.contains("config.theme.tokens = Object.assign({}, config.theme.tokens, {\"BorderRadiusMain\":\"6px\",\"PalettePrimaryMain\":\"#2e3a8c\","),
        "{page}"
    );
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let p = Project::empty().file("keep.txt", "mine");
    let out = p.run(&["init", "."]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("is not empty"));
    assert_eq!(p.read("keep.txt"), "mine");
    assert!(!p.exists("signin-pages.toml"));
}

#[test]
fn the_embedded_starter_is_the_templates_folder() {
    let on_disk: Vec<(String, Vec<u8>)> = tree(&repo().join("templates"))
        .into_iter()
        // The CI workflows are `init --ci`'s (src/ci.rs), not the starter's.
        .filter(|(f, _)| !f.starts_with("ci/"))
        .map(|(f, b)| {
            (
                if f == "gitignore" {
                    ".gitignore".to_string()
                } else {
                    f
                },
                b,
            )
        })
        .collect();
    let mut embedded: Vec<(String, Vec<u8>)> = signin_pages::starter::FILES
        .iter()
        .map(|(f, c)| (f.to_string(), c.as_bytes().to_vec()))
        .collect();
    embedded.sort();
    assert_eq!(
        on_disk, embedded,
        "templates/ and starter::FILES disagree: add new files to src/starter.rs"
    );
}
