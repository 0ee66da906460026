//! Content Security Policy (C001, C002, C004, C005, C006) and secrets (S001).

use super::*;

const PAGE: &str = "templates/sign-in.html";

/// `[csp]` enforced, listing one CDN.
fn enforced() -> String {
    config("[csp]\nmode = \"enforced\"\nsrc_list = [\"https://cdn.example.com\"]")
}

fn project(head: &str, body: &str) -> Project {
    Project::with_page(&clean_page(head, body)).file("signin-pages.toml", enforced())
}

/// Run `check` (all formats) and return the findings as (code, severity, line, column).
fn findings(p: &Project) -> Vec<(String, String, Option<u64>, Option<u64>)> {
    let (found, _, _, _) = check_all_formats(p);
    found
        .into_iter()
        .map(|f| (f.code, f.severity, f.line, f.column))
        .collect()
}

fn one(
    code: &str,
    severity: &str,
    line: u64,
    column: u64,
) -> Vec<(String, String, Option<u64>, Option<u64>)> {
    vec![(
        code.to_string(),
        severity.to_string(),
        Some(line),
        Some(column),
    )]
}

// The page from `clean_page`: head_extra starts on line 6; with an empty head_extra,
// body_extra starts on line 14.

#[test]
fn c001_inline_script_without_nonce() {
    let p = project(
        "<script>document.documentElement.classList.add('js');</script>\n",
        "",
    );
    expect_only(&p, "C001", PAGE, 6, Some(1));
}

#[test]
fn c001_is_an_error_when_enforced_and_a_warning_otherwise() {
    let head = "<style>body { margin: 0; }</style>\n";
    let page = clean_page(head, "");
    let enforced = Project::with_page(&page).file("signin-pages.toml", enforced());
    assert_eq!(findings(&enforced), one("C001", "error", 6, 1));
    assert_eq!(code(&enforced.run(&["check"])), 1);

    let report_only = Project::with_page(&page).file(
        "signin-pages.toml",
        config("[csp]\nmode = \"report_only\"\nsrc_list = [\"https://cdn.example.com\"]"),
    );
    assert_eq!(findings(&report_only), one("C001", "warning", 6, 1));
    assert_eq!(code(&report_only.run(&["check"])), 0);
    assert_eq!(code(&report_only.run(&["check", "--deny-warnings"])), 1);

    // Without [csp] Okta's default policy applies: a warning too.
    let default = Project::with_page(&page);
    assert_eq!(findings(&default), one("C001", "warning", 6, 1));
    assert_eq!(code(&default.run(&["check"])), 0);
}

#[test]
fn c001_hard_coded_nonce_is_reported_at_the_value() {
    let p = project("<style nonce=\"r4nd0m\">body { margin: 0; }</style>\n", "");
    assert_eq!(findings(&p), one("C001", "error", 6, 15));
    let out = stderr(&p.run(&["check"]));
    assert!(out.contains("hard-coded nonce"), "{out}");
}

#[test]
fn c002_origin_not_in_src_list_once_per_origin() {
    let p = project(
        "<script src=\"https://code.jquery.com/jquery-3.7.1.min.js\"></script>\n",
        "<img src=\"https://code.jquery.com/logo.png\" alt=\"\">\n",
    );
    expect_only(&p, "C002", PAGE, 6, Some(14));
}

#[test]
fn c002_follows_csp_source_matching() {
    let toml = config(
        "[csp]\nmode = \"enforced\"\nsrc_list = [\"https://*.example.org\", \"https://static.example.net/libs/\", \"https://api.example.com\"]",
    );
    let covered = Project::with_page(&clean_page(
        "<script src=\"https://static.example.net/libs/x.js\"></script>\n",
        "<img src=\"https://img.example.org/a.png\" alt=\"\">\n<script nonce=\"{{nonceValue}}\">\nfetch(\"https://api.example.com/v1/me\");\nvar ws = new WebSocket(\"wss://api.example.com/socket\");\n</script>\n",
    ))
    .file("signin-pages.toml", toml.clone());
    expect_clean(&covered);

    // Outside the listed path, the bare parent domain, and a connection from a script.
    let p = Project::with_page(&clean_page(
        "<script src=\"https://static.example.net/other/y.js\"></script>\n",
        "<img src=\"https://example.org/a.png\" alt=\"\">\n<script nonce=\"{{nonceValue}}\">\nfetch('https://telemetry.example.com/hit');\n</script>\n",
    ))
    .file("signin-pages.toml", toml);
    assert_eq!(
        findings(&p),
        [
            one("C002", "error", 6, 14),
            one("C002", "error", 15, 11),
            one("C002", "error", 17, 8),
        ]
        .concat()
    );
}

#[test]
fn c002_needs_a_csp_section_and_allows_the_org_and_okta() {
    // Without [csp], Okta's default policy applies, which the project cannot know.
    let page = clean_page(
        "<script src=\"https://code.jquery.com/jquery-3.7.1.min.js\"></script>\n",
        "",
    );
    expect_clean(&Project::with_page(&page));

    // The org's own (custom) domain and Okta's CDNs are always allowed.
    let toml = "[project]\nname = \"t\"\n[csp]\nsrc_list = []\n\n[environments.prod]\norg_url = \"https://login.acme.test\"\n\n[[brands]]\nname = \"B\"\n";
    let p = Project::with_page(&clean_page(
        "<script src=\"https://ok12static.oktacdn.com/assets/js/x.js\"></script>\n",
        "<img src=\"https://login.acme.test/logo.png\" alt=\"\">\n<img src=\"https://acme.okta.com/bg.png\" alt=\"\">\n",
    ))
    .file("signin-pages.toml", toml);
    expect_clean(&p);
}

#[test]
fn c004_inline_event_handler() {
    let p = project("", "<button type=\"button\" onclick=\"go()\">Go</button>\n");
    expect_only(&p, "C004", PAGE, 14, Some(23));
}

#[test]
fn c004_javascript_url() {
    let p = project("", "<a href=\"javascript:void(0)\">Help</a>\n");
    assert_eq!(findings(&p), one("C004", "error", 14, 10));
}

#[test]
fn c005_stylesheet_over_http() {
    let p = project(
        "<link rel=\"stylesheet\" href=\"http://cdn.example.com/site.css\">\n",
        "",
    );
    expect_only(&p, "C005", PAGE, 6, Some(30));
}

#[test]
fn c006_csp_meta_tag() {
    let p = project(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'\">\n",
        "",
    );
    expect_only(&p, "C006", PAGE, 6, Some(1));
}

#[test]
fn s001_okta_api_token() {
    let p = project(
        "",
        "<script nonce=\"{{nonceValue}}\">\nvar headers = { Authorization: \"SSWS 00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789_-ab\" };\n</script>\n",
    );
    expect_only(&p, "S001", PAGE, 15, Some(38));
    let out = stderr(&p.run(&["check"]));
    let message = out.lines().find(|l| l.contains("[S001]")).unwrap();
    assert!(message.contains("00aB…, 42 characters"), "{message}");
    assert!(
        !message.contains("00aBc"),
        "the message repeats the secret: {message}"
    );
}

#[test]
fn s001_private_key_and_client_secret() {
    let p = project(
        "",
        "<script nonce=\"{{nonceValue}}\">\nvar key = \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\";\nvar auth = { clientSecret: \"kX9_b2Lq7Rz0VtY4wHs8\" };\n</script>\n",
    );
    assert_eq!(
        findings(&p),
        [one("S001", "error", 15, 12), one("S001", "error", 16, 29)].concat()
    );
    let out = stderr(&p.run(&["check"]));
    assert!(
        !out.lines()
            .any(|l| l.contains("[S001]") && l.contains("kX9_b")),
        "{out}"
    );
}

#[test]
fn csp_and_secret_near_misses_are_clean() {
    let head = concat!(
        "<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">\n",
        "<link rel=\"stylesheet\" href=\"https://cdn.example.com/site.css\">\n",
        "<link rel=\"icon\" href=\"data:image/png;base64,iVBORw0KGgo=\">\n",
        "<style nonce=\"{{nonceValue}}\">\n",
        "/* url(http://old.example.com/bg.png) */\n",
        "body { background: url(/img/bg.png) }\n",
        ".logo { background-image: url(\"data:image/png;base64,AAAA00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789_-abAAAA==\") }\n",
        "@font-face { font-family: X; src: url(https://cdn.example.com/x.woff2) }\n",
        "</style>\n",
        "<script type=\"application/json\" id=\"data\">{\"a\": 1}</script>\n",
        "<script type=\"text/x-template\" id=\"tpl\"><button onclick=\"x()\">x</button></script>\n",
        "<script src=\"https://cdn.example.com/lib.js\"></script>\n",
        "<script src=\"https://ok12static.oktacdn.com/assets/js/x.js\"></script>\n",
    );
    let body = concat!(
        "<a href=\"http://www.example.com/help\">Help</a>\n",
        "<a href=\"#\">Top</a>\n",
        "<img src=\"https://t.okta.com/logo.png\" alt=\"\">\n",
        "<img src=\"img/local.png\" alt=\"\" style=\"background: url(data:image/gif;base64,R0lGOD==)\">\n",
        "<div x-on:click=\"open = true\" data-onclick=\"x\">.</div>\n",
        "<script nonce=\"{{nonceValue}}\">\n",
        "var label = 'onclick=\"go()\"';\n",
        "// fetch('https://commented.example.com/x');\n",
        "fetch('/api/v1/sessions/me');\n",
        "window.open('https://www.example.com/help');\n",
        "var auth = 'SSWS ' + token;\n",
        "var opts = { clientSecret: process.env.CLIENT_SECRET, client_secret: 'short' };\n",
        "</script>\n",
        "<script></script>\n",
    );
    expect_clean(&project(head, body));
}
