//! Where findings point when the offending text came from a variable, and secrets
//! anywhere in the project (S001), never shown in any output format.

use super::*;

const TOKEN: &str = "00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789_-ab";
/// Parts of the secrets below that must never be printed (their first four characters
/// may be).
const TAILS: &[&str] = &["cDeFgHiJ", "b2Lq7Rz0", "MIIEvQIBADANBg"];

/// Every finding as `CODE file:line:col`, from `check --format json`, with the three
/// formats checked to agree and to hold no secret.
fn located(p: &Project) -> Vec<String> {
    let (found, human, json, github) = check_all_formats(p);
    for (format, out) in [("human", &human), ("json", &json), ("github", &github)] {
        for tail in TAILS {
            assert!(
                !out.contains(tail),
                "the {format} output shows a secret ({tail}):\n{out}"
            );
        }
        assert!(
            !out.contains("dist/"),
            "the {format} output points into dist/:\n{out}"
        );
    }
    let mut v: Vec<String> = found
        .into_iter()
        .map(|f| {
            format!(
                "{} {}:{}:{}",
                f.code,
                f.file.unwrap_or_default(),
                f.line.unwrap_or(0),
                f.column.unwrap_or(0)
            )
        })
        .collect();
    v.sort();
    v
}

/// A token in `[vars]` that a page shows points at the variable's value, not at
/// `dist/` (which `check` never writes); so does a C002 origin that came from a var.
#[test]
fn findings_about_a_variable_point_at_its_value() {
    let toml = format!(
        "[project]\nname = \"t\"\n\n[csp]\nsrc_list = [\"https://cdn.example.com\"]\n\n[vars]\ntoken = \"{TOKEN}\"\ncdn = \"https://evil.example.net\"\n\n[environments.prod]\norg_url = \"https://t.okta.com\"\n\n[[brands]]\nname = \"B\"\n"
    );
    let p = Project::with_page(&clean_page(
        "<script src=\"{{ vars.cdn }}/app.js\"></script>\n",
        "<script nonce=\"{{nonceValue}}\">var t = \"{{ vars.token }}\";</script>\n",
    ))
    .file("signin-pages.toml", toml);
    assert_eq!(
        located(&p),
        [
            "C002 signin-pages.toml:9:8",
            // Once: the page's finding, not again as a secret in the project's files.
            "S001 signin-pages.toml:8:10",
        ]
    );
    let err = stderr(&p.run(&["check"]));
    assert!(
        err.contains("the page holds an Okta API token (00aB…, 42 characters)"),
        "{err}"
    );
    assert!(err.contains("8 | token = \"00aB*****"), "{err}");
}

/// Each target's finding points at the value that target used: the brand's over the
/// environment's over the project's.
#[test]
fn a_variable_finding_points_at_the_value_the_target_used() {
    let toml = "[project]\nname = \"t\"\n\n[csp]\nsrc_list = [\"https://cdn.example.com\"]\n\n[vars]\ncdn = \"https://cdn.example.com\"\n\n[environments.dev]\nvars = { cdn = \"https://dev.example.net\" }\n\n[environments.prod]\n\n[[brands]]\nname = \"A\"\n\n[[brands]]\nname = \"B\"\nvars.cdn = \"https://b.example.net\"\n";
    let p = Project::with_page(&clean_page(
        "<script src=\"{{ vars.cdn }}/app.js\"></script>\n",
        "",
    ))
    .file("signin-pages.toml", toml);
    assert_eq!(
        located(&p),
        [
            "C002 signin-pages.toml:11:17",
            "C002 signin-pages.toml:20:13",
        ]
    );
}

/// A locale's `[strings]` are variables too (here a plain-http image, C005).
#[test]
fn a_locale_string_finding_points_at_the_locale_file() {
    let p = Project::with_page(&clean_page(
        "",
        "<img src=\"{{ strings.logo }}\" alt=\"\">\n",
    ))
    .file("signin-pages.toml", config(""))
    .file(
        "locales/en.toml",
        "[strings]\nlogo = \"http://img.example.com/logo.png\"\n",
    );
    assert_eq!(located(&p), ["C005 locales/en.toml:2:9"]);
}

/// A secret that no page shows is still in the repository: in `[vars]`, a locale
/// file, a Tera comment, a template no page includes, and any text file under
/// `static/`. Each is S001 at its file, line and column, redacted.
#[test]
fn secrets_anywhere_in_the_project_are_found() {
    let p = Project::with_page(&clean_page(
        "",
        &format!("{{# debug: SSWS {TOKEN} #}}\n<p>hello</p>\n"),
    ))
    .file(
        "signin-pages.toml",
        config(&format!("[vars]\nunused = \"{TOKEN}\"\n")),
    )
    .file(
        "locales/en.toml",
        format!("[strings]\nnever_shown = \"SSWS {TOKEN}\"\n"),
    )
    .file(
        "templates/old.html",
        format!("<p>old</p>\n<script>var k = \"{TOKEN}\";</script>\n"),
    )
    .file(
        "static/js/app.js",
        "// app\nconst auth = { clientSecret: \"kX9_b2Lq7Rz0VtY4wHs8\" };\n",
    )
    .file(
        "static/keys/app.pem",
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n",
    )
    .file("static/logo.png", b"\x89PNG\r\n\x1a\n\0\0\0SSWS 00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789_-ab");
    assert_eq!(
        located(&p),
        [
            "S001 locales/en.toml:2:21",
            "S001 signin-pages.toml:4:11",
            "S001 static/js/app.js:2:31",
            "S001 static/keys/app.pem:1:1",
            "S001 templates/old.html:2:18",
            "S001 templates/sign-in.html:14:16",
        ]
    );
    let err = stderr(&p.run(&["check"]));
    assert!(
        err.contains("`static/js/app.js` holds a client secret (kX9_…, 20 characters): it is in the project's files"),
        "{err}"
    );
    // `build` refuses to write pages from a project that holds a secret.
    assert_eq!(code(&p.run(&["build"])), 1);
    assert!(!p.exists("dist"));
}

/// The source line under a finding is masked whatever the finding is about: here a
/// plain-http image (C005) on the line of a token, and a private key whose body is on
/// the same line as its marker.
#[test]
fn source_lines_are_masked_for_every_finding() {
    let p = Project::with_page(&clean_page(
        "",
        &format!(
            "<img src=\"http://img.example.com/a.png\" alt=\"SSWS {TOKEN}\">\n<script nonce=\"{{{{nonceValue}}}}\">var key = \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----\"; var c = {{ clientSecret: \"kX9_b2Lq7Rz0VtY4wHs8\" }};</script>\n"
        ),
    ))
    .file(
        "signin-pages.toml",
        config("[csp]\nsrc_list = [\"https://cdn.example.com\"]"),
    );
    assert_eq!(
        located(&p),
        [
            "C005 templates/sign-in.html:14:11",
            "S001 templates/sign-in.html:14:51",
            // Sorted as text: column 141 (the client secret) before 43 (the key).
            "S001 templates/sign-in.html:15:141",
            "S001 templates/sign-in.html:15:43",
        ]
    );
    let err = stderr(&p.run(&["check"]));
    assert!(
        err.contains("alt=\"SSWS 00aB**************************************\">"),
        "{err}"
    );
}
