//! Okta's page contract (O001–O004, O006, O007) and the KMSI labels (K001–K003).

use super::*;

/// The findings must be exactly these: (code, severity, file, line, column).
fn expect_found(p: &Project, want: &[(&str, &str, &str, u64, Option<u64>)]) {
    let (found, human, _, _) = check_all_formats(p);
    let want: Vec<Found> = want
        .iter()
        .map(|(code, severity, file, line, column)| Found {
            code: code.to_string(),
            severity: severity.to_string(),
            file: Some(file.to_string()),
            line: Some(*line),
            column: *column,
        })
        .collect();
    assert_eq!(found, want, "{human}");
}

/// `clean_page` plus a nonce'd inline script at the end of <body> (from line 14).
fn with_script(js: &str) -> String {
    clean_page(
        "",
        &format!("<script nonce=\"{{{{nonceValue}}}}\">\n{js}\n</script>\n"),
    )
}

const SIWR: &str = "{{{SignInWidgetResources}}}\n";

/// A project whose default locale `en` and second locale `fr` have these files.
fn two_locales(en: &str, fr: &str) -> Project {
    Project::with_page(&clean_page("", ""))
        .file(
            "signin-pages.toml",
            config("default_locale = \"en\"\nlocales = [\"en\", \"fr\"]"),
        )
        .file("locales/en.toml", en)
        .file("locales/fr.toml", fr)
}

/// A project with `[widget] version` and the default locale's file.
fn widget_version(version: &str, en: &str) -> Project {
    Project::with_page(&clean_page("", ""))
        .file(
            "signin-pages.toml",
            config(&format!("[widget]\nversion = \"{version}\"")),
        )
        .file("locales/en.toml", en)
}

const ERROR_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<title>{{pageTitle}}</title>\n</head>\n<body>\n<h1>{{orgName}}</h1>\n<a href=\"{{buttonHref}}\">{{buttonText}}</a>\n</body>\n</html>\n";

// ---- O001

#[test]
fn o001_no_widget_resources() {
    let p = Project::with_page(&clean_page("", "").replace(SIWR, ""));
    expect_only(&p, "O001", "templates/sign-in.html", 3, Some(1));
}

#[test]
fn o001_widget_resources_in_body_is_a_warning() {
    let page = clean_page("", "")
        .replace(SIWR, "")
        .replace("<body>\n", &format!("<body>\n{SIWR}"));
    let p = Project::with_page(&page);
    expect_found(
        &p,
        &[("O001", "warning", "templates/sign-in.html", 7, Some(1))],
    );
}

#[test]
fn o001_is_a_warning_when_nothing_uses_the_widget_or_the_page_loads_it_itself() {
    // A page that only redirects (as The Guardian's does).
    let page = clean_page("", "").replace(SIWR, "").replace(
        "new OktaSignIn(config).renderEl({ el: '#okta-login-container' }, OktaUtil.completeLogin);",
        "window.location.assign(config.baseUrl);",
    );
    expect_found(
        &Project::with_page(&page),
        &[("O001", "warning", "templates/sign-in.html", 3, Some(1))],
    );
    // A page that loads the widget from Okta's CDN itself.
    let page = clean_page("", "").replace(
        SIWR,
        "<script src=\"https://global.oktacdn.com/okta-signin-widget/7.13.0/js/okta-sign-in.min.js\"></script>\n",
    );
    expect_found(
        &Project::with_page(&page),
        &[("O001", "warning", "templates/sign-in.html", 5, Some(1))],
    );
}

#[test]
fn o001_spaced_tag_in_head_is_clean() {
    let page = clean_page("", "").replace(SIWR, "{{{ SignInWidgetResources }}}\n");
    expect_clean(&Project::with_page(&page));
}

// ---- O002

#[test]
fn o002_no_okta_util() {
    let p = Project::with_page(&clean_page("", "").replace("{{{OktaUtil}}}\n", ""));
    expect_only(&p, "O002", "templates/sign-in.html", 10, Some(14));
}

#[test]
fn o002_okta_util_used_before_the_tag() {
    let p = Project::with_page(&clean_page(
        "<script nonce=\"{{nonceValue}}\">\nif (typeof OktaUtil === 'undefined') { console.log('early'); }\n</script>\n",
        "",
    ));
    expect_found(
        &p,
        &[("O002", "error", "templates/sign-in.html", 7, Some(12))],
    );
}

#[test]
fn o002_without_okta_util_is_an_error_only_when_the_page_signs_in() {
    let script = "var config = OktaUtil.getSignInWidgetConfig();\nnew OktaSignIn(config).renderEl({ el: '#okta-login-container' }, OktaUtil.completeLogin);";
    let base = clean_page("", "").replace("{{{OktaUtil}}}\n", "");
    // The widget, configured without OktaUtil: it cannot continue the flow.
    let page = base.replace(
        script,
        "new OktaSignIn({ el: '#okta-login-container' }).showSignIn();",
    );
    expect_found(
        &Project::with_page(&page),
        &[("O002", "error", "templates/sign-in.html", 7, Some(1))],
    );
    // A page that signs no one in (a maintenance page): a warning.
    let page = base.replace(script, "console.log('down for maintenance');");
    expect_found(
        &Project::with_page(&page),
        &[("O002", "warning", "templates/sign-in.html", 7, Some(1))],
    );
}

#[test]
fn o002_mentions_in_comments_are_clean() {
    let p = Project::with_page(&clean_page(
        "<!-- OktaUtil comes later -->\n<script nonce=\"{{nonceValue}}\">\n// OktaUtil is defined later\nvar ready = true; /* OktaUtil */\n</script>\n",
        "",
    ));
    expect_clean(&p);
}

// ---- O003

#[test]
fn o003_mount_element_missing() {
    let p = Project::with_page(&with_script(
        "new OktaSignIn(config).showSignIn({ el: '#missing' });",
    ));
    expect_only(&p, "O003", "templates/sign-in.html", 15, Some(41));
}

#[test]
fn o003_config_el_and_class_selectors() {
    let p = Project::with_page(&with_script(
        "config.el = '#nope';\nnew OktaSignIn({ el: \".gone\", baseUrl: config.baseUrl }).showSignInAndRedirect();",
    ));
    expect_found(
        &p,
        &[
            ("O003", "error", "templates/sign-in.html", 15, Some(13)),
            ("O003", "error", "templates/sign-in.html", 16, Some(22)),
        ],
    );
}

#[test]
fn o003_elements_that_exist_or_cannot_be_resolved_are_clean() {
    let p = Project::with_page(&clean_page(
        "",
        "<div class=\"box\"></div>\n<script nonce=\"{{nonceValue}}\">\nvar mount = '#okta-login-container';\nnew OktaSignIn(config).showSignIn({ el: '.box' });\nnew OktaSignIn(config).showSignIn({ el: mount });\nvar d = document.createElement('div');\nd.id = 'late';\ndocument.body.appendChild(d);\nnew OktaSignIn(config).showSignInToGetTokens({ el: '#late' });\n// new OktaSignIn(config).renderEl({ el: '#gone' });\n</script>\n",
    ));
    expect_clean(&p);
}

// ---- O004

#[test]
fn o004_features_replaced() {
    let p = Project::with_page(&with_script("config.features = { registration: true };"));
    expect_only(&p, "O004", "templates/sign-in.html", 15, Some(1));
}

#[test]
fn o004_bracket_form_and_other_config_names() {
    let p = Project::with_page(&with_script(
        "config[\"features\"]={};\nvar cfg = OktaUtil.getSignInWidgetConfig();\ncfg . features = {\n  router: true\n};",
    ));
    expect_found(
        &p,
        &[
            ("O004", "warning", "templates/sign-in.html", 15, Some(1)),
            ("O004", "warning", "templates/sign-in.html", 17, Some(1)),
        ],
    );
}

#[test]
fn o004_single_flags_and_spreads_are_clean() {
    let p = Project::with_page(&with_script(
        "config.features.registration = true;\nconfig[\"features\"][\"securityImage\"] = false;\nconfig.features = { ...config.features, rememberMe: true };\n// config.features = {};\nvar app = {};\napp.features = { x: 1 };\nif (config.features == null) { console.log('none'); }",
    ));
    expect_clean(&p);
}

// ---- O006

#[test]
fn o006_kmsi_labels_with_an_old_widget() {
    let p = widget_version("7.12", "[kmsi]\ntitle = \"Stay signed in?\"\n");
    expect_only(&p, "O006", "signin-pages.toml", 4, Some(11));
}

#[test]
fn o006_major_below_7() {
    for v in ["^6", "6"] {
        let p = widget_version(v, "[kmsi]\naccept = \"Yes\"\n");
        expect_found(&p, &[("O006", "warning", "signin-pages.toml", 4, Some(11))]);
    }
}

#[test]
fn o006_new_enough_widgets_or_no_prompt_labels_are_clean() {
    for v in ["^7", "7", "7.13", "8.0", "*"] {
        expect_clean(&widget_version(v, "[kmsi]\ntitle = \"Stay signed in?\"\n"));
    }
    // `remember` is the pre-sign-in checkbox, older than 7.13.
    expect_clean(&widget_version(
        "7.12",
        "[kmsi]\nremember = \"Remember me\"\n",
    ));
}

// ---- O007

#[test]
fn o007_error_page_without_the_error() {
    let p = Project::with_page(&clean_page("", "")).file("templates/error.html", ERROR_PAGE);
    expect_only(&p, "O007", "templates/error.html", 6, Some(1));
}

#[test]
fn o007_error_summary_or_description_is_clean() {
    for shown in ["<p>{{errorSummary}}</p>", "<p>{{{errorDescription}}}</p>"] {
        let page = ERROR_PAGE.replace("</h1>\n", &format!("</h1>\n{shown}\n"));
        let p = Project::with_page(&clean_page("", "")).file("templates/error.html", page);
        expect_clean(&p);
    }
}

// ---- K001

#[test]
fn k001_locale_lacks_a_kmsi_label() {
    let p = two_locales(
        "[kmsi]\ntitle = \"Stay signed in?\"\naccept = \"Yes\"\n",
        "# Français\n[kmsi]\ntitle = \"Rester connecté ?\"\n",
    );
    expect_only(&p, "K001", "locales/fr.toml", 2, Some(1));
}

#[test]
fn k001_without_a_kmsi_table_points_at_line_1_once_for_every_label() {
    // One finding names every label the locale lacks, and the text its visitors see.
    let p = two_locales(
        "[kmsi]\ntitle = \"Stay signed in?\"\naccept = \"Yes\"\n",
        "[strings]\nhello = \"Bonjour\"\n",
    );
    expect_only_as(
        "rule_K001_every_label",
        &p,
        "K001",
        "locales/fr.toml",
        1,
        None,
    );
}

#[test]
fn k001_remember_is_not_sent_to_okta() {
    // `remember` has no API field: without it `fr` sees the widget's own text.
    let p = two_locales("[kmsi]\nremember = \"Remember me\"\n", "[kmsi]\n");
    expect_only_as(
        "rule_K001_remember",
        &p,
        "K001",
        "locales/fr.toml",
        1,
        Some(1),
    );
}

#[test]
fn k001_no_labels_in_the_default_locale_is_clean() {
    // Nothing is sent to Okta: every language gets the widget's own translation.
    let p = two_locales("", "[kmsi]\ntitle = \"Rester connecté ?\"\n");
    expect_clean(&p);
}

#[test]
fn k001_every_label_translated_is_clean() {
    let p = two_locales(
        "[kmsi]\ntitle = \"Stay signed in?\"\naccept = \"Yes\"\n",
        "[kmsi]\ntitle = \"Rester connecté ?\"\naccept = \"Oui\"\nreject = \"Non\"\n",
    );
    expect_clean(&p);
}

// ---- K002

#[test]
fn k002_label_too_long() {
    let title = "Would you like to stay signed in on this device for a while?!";
    assert_eq!(title.chars().count(), 61);
    let p = Project::with_page(&clean_page("", ""))
        .file("locales/en.toml", format!("[kmsi]\ntitle = \"{title}\"\n"));
    expect_only(&p, "K002", "locales/en.toml", 2, Some(9));
}

#[test]
fn k002_labels_at_the_limit_are_clean() {
    let title = "t".repeat(60);
    let accept = "é".repeat(40); // 80 bytes, 40 characters
    let subtitle = "s".repeat(160);
    let p = Project::with_page(&clean_page("", "")).file(
        "locales/en.toml",
        format!("[kmsi]\ntitle = \"{title}\"\naccept = \"{accept}\"\nsubtitle = \"{subtitle}\"\n"),
    );
    expect_clean(&p);
}

// ---- K003

#[test]
fn k003_markup_in_a_label() {
    let p = Project::with_page(&clean_page("", "")).file(
        "locales/en.toml",
        "[widget]\n\"primaryauth.title\" = \"Sign in to <b>Acme</b>\"\n",
    );
    expect_only(&p, "K003", "locales/en.toml", 2, Some(23));
}

#[test]
fn k003_entity_in_a_kmsi_label() {
    let p = Project::with_page(&clean_page("", "")).file(
        "locales/en.toml",
        "[kmsi]\nsubtitle = \"Fewer prompts &amp; codes\"\n",
    );
    expect_found(&p, &[("K003", "warning", "locales/en.toml", 2, Some(12))]);
}

#[test]
fn k003_plain_ampersands_and_less_than_are_clean() {
    let p = Project::with_page(&clean_page("", "")).file(
        "locales/en.toml",
        "[kmsi]\ntitle = \"Terms & conditions\"\nsubtitle = \"If 1 < 2, R&D; stays\"\n[widget]\n\"help\" = \"Q&A\"\n",
    );
    expect_clean(&p);
}
