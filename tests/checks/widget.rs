//! What the pinned Sign-In Widget has (W001–W005): string keys, languages, Gen3's
//! minimum version, Gen2 CSS and `afterRender` surgery on a Gen3 page.

use super::*;

/// A project with `extra` in `[project]` (tables may follow) and this page.
fn project(extra: &str, page: &str) -> Project {
    Project::with_page(page).file("signin-pages.toml", config(extra))
}

const G3: &str = "[widget]\ngeneration = \"G3\"";

/// `clean_page` with a nonce'd style block in <head> (`<style` on line 6, the CSS from 7).
fn with_style(css: &str) -> String {
    clean_page(
        &format!("<style nonce=\"{{{{nonceValue}}}}\">\n{css}\n</style>\n"),
        "",
    )
}

/// `clean_page` plus a nonce'd inline script at the end of <body> (its code from line 15).
fn with_script(js: &str) -> String {
    clean_page(
        "",
        &format!("<script nonce=\"{{{{nonceValue}}}}\">\n{js}\n</script>\n"),
    )
}

// ---- W001

#[test]
fn w001_locale_key_the_widget_does_not_have() {
    let p = Project::with_page(&clean_page("", "")).file(
        "locales/en.toml",
        "[widget]\n\"primaryauth.title\" = \"Sign in\"\n\"primaryauth.titel\" = \"Sign in\"\n",
    );
    expect_only_as(
        "rule_W001_locale",
        &p,
        "W001",
        "locales/en.toml",
        3,
        Some(1),
    );
}

#[test]
fn w001_page_key_the_widget_does_not_have() {
    let p = Project::with_page(&with_script(
        "config.i18n.en = { 'primaryauth.title': 'Sign in', 'forgotpasword': 'Lost it?' };",
    ));
    expect_only_as(
        "rule_W001_page",
        &p,
        "W001",
        "templates/sign-in.html",
        15,
        Some(52),
    );
}

#[test]
fn w001_every_way_of_writing_i18n_and_country_names_are_known() {
    // Known keys in each form the rule reads, and a country name (routed to country.json).
    let p = Project::with_page(&with_script(
        "config.i18n = { en: { 'primaryauth.title': 'Sign in', 'country.JP': 'Japan' } };\nconfig.i18n['fr']['help'] = 'Aide';\nnew OktaSignIn({ i18n: { de: { needhelp: 'Hilfe?' } } });",
    ))
    .file(
        "locales/en.toml",
        "[widget]\n\"country.FR\" = \"France\"\n\"oie.remember\" = \"Keep me signed in\"\n",
    );
    expect_clean(&p);
}

// ---- W002

#[test]
fn w002_a_locale_the_widget_does_not_ship() {
    let p = project(
        "default_locale = \"en\"\nlocales = [\"en\", \"tlh\"]",
        &clean_page("", ""),
    )
    .file("locales/tlh.toml", "");
    expect_only(&p, "W002", "signin-pages.toml", 4, Some(18));
}

#[test]
fn w002_regional_tags_map_to_the_widgets_languages() {
    let p = project(
        "default_locale = \"en-US\"\nlocales = [\"en-US\", \"pt-BR\", \"zh-TW\", \"fr-CA\"]",
        &clean_page("", ""),
    )
    .file("locales/pt-BR.toml", "")
    .file("locales/zh-TW.toml", "")
    .file("locales/fr-CA.toml", "");
    expect_clean(&p);
}

// ---- W003

#[test]
fn w003_g3_with_a_widget_older_than_7_8() {
    let p = project(
        "[widget]\nversion = \"7.7\"\ngeneration = \"G3\"",
        &clean_page("", ""),
    );
    expect_only(&p, "W003", "signin-pages.toml", 4, Some(11));
}

#[test]
fn w003_g3_from_7_8_and_g2_before_are_clean() {
    for extra in [
        "[widget]\nversion = \"7.8\"\ngeneration = \"G3\"",
        "[widget]\nversion = \"7.7\"\ngeneration = \"G2\"",
    ] {
        expect_clean(&project(extra, &clean_page("", "")));
    }
}

// ---- W004

#[test]
fn w004_gen2_selector_on_a_gen3_page() {
    let p = project(
        G3,
        &with_style("body { margin: 0 }\nmain, .o-form-head { color: #222 }"),
    );
    expect_only(&p, "W004", "templates/sign-in.html", 8, Some(7));
}

#[test]
fn w004_gen2_css_in_the_gen2_section_or_the_pages_own_class_is_clean() {
    // Gen2 rules kept for Gen2 inside `{{^useSiwGen3}}`, and the page's own
    // `.button-primary` (an element carries it; not scoped under #okta-sign-in).
    let page = clean_page(
        "<style nonce=\"{{nonceValue}}\">\n{{^useSiwGen3}}\n#okta-sign-in .o-form-head { color: #222 }\n{{/useSiwGen3}}\n.button-primary { color: #fff }\n</style>\n",
        "<a class=\"button-primary\" href=\"/help\">Help</a>\n",
    );
    expect_clean(&project(G3, &page));
    // The same Gen2 CSS on a Gen2 page.
    expect_clean(&project(
        "",
        &with_style("#okta-sign-in .o-form-head { color: #222 }"),
    ));
}

// ---- W005

#[test]
fn w005_after_render_surgery_on_a_gen3_page() {
    let p = project(
        G3,
        &with_script(
            "var w = new OktaSignIn(config);\nw.on('afterRender', function () {\n  document.querySelector('.o-form-head').textContent = 'Welcome';\n});",
        ),
    );
    expect_only(&p, "W005", "templates/sign-in.html", 16, Some(3));
}

#[test]
fn w005_gen2_section_and_the_pages_own_elements_are_clean() {
    let page = with_script(
        "var w = new OktaSignIn(config);\n{{^useSiwGen3}}\nw.on('afterRender', function () { document.querySelector('.o-form-head').textContent = 'Welcome'; });\n{{/useSiwGen3}}\nw.on('afterRender', function () { document.getElementById('okta-login-container').focus(); });",
    );
    expect_clean(&project(G3, &page));
}
