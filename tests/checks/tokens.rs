//! The Gen3 design tokens (W020–W022): in the project file at the key, in a page's
//! script where it writes them; and the near misses that stay clean.

use super::*;

/// `clean_page` plus a nonce'd script at the end of <body>: `js` is line 15.
fn with_script(js: &str) -> String {
    clean_page(
        "",
        &format!("<script nonce=\"{{{{nonceValue}}}}\">\n{js}\n</script>\n"),
    )
}

/// A G3 project (widget `^7`, so 7.49.0) whose `[widget.tokens]` (line 8 on) are
/// `tokens`, with `page` as its sign-in page.
fn g3(tokens: &str, page: &str) -> Project {
    Project::with_page(page).file(
        "signin-pages.toml",
        config(&format!(
            "[widget]\nversion = \"^7\"\ngeneration = \"G3\"\n\n[widget.tokens]\n{tokens}\n"
        )),
    )
}

// ---- W020

#[test]
fn w020_a_token_the_widget_does_not_know_in_the_project_file() {
    let p = g3(
        "PalettePrimaryMain = \"#2e3a8c\"\nPaletteDangerMian = \"#c00\"",
        &clean_page("", ""),
    );
    expect_only(&p, "W020", "signin-pages.toml", 9, Some(1));
    let out = p.run(&["check"]);
    assert!(
        stderr(&out).contains("did you mean `PaletteDangerMain`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn w020_a_token_the_widget_does_not_know_in_the_page() {
    let p = g3(
        "",
        &with_script("config.theme = { tokens: { PalettePrimaryMian: '#2e3a8c' } };"),
    );
    expect_only_as(
        "rule_W020_page",
        &p,
        "W020",
        "templates/sign-in.html",
        15,
        Some(28),
    );
}

/// Tokens with a G2 project, or a version before 7.11, do nothing: one finding per
/// table (at its first key) or per script (at `tokens`).
#[test]
fn w020_tokens_where_the_widget_reads_none() {
    let g2 = Project::with_page(&with_script(
        "config.theme.tokens = { PalettePrimaryMain: '#111111' };",
    ))
    .file(
        "signin-pages.toml",
        config("[widget.tokens]\nPalettePrimaryMain = \"#2e3a8c\"\nBorderRadiusMain = \"4px\"\n\n[environments.dev.tokens]\nBorderRadiusMain = \"2px\""),
    );
    let (found, human, _, _) = check_all_formats(&g2);
    let at: Vec<String> = found
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}:{}",
                f.code,
                f.file.as_deref().unwrap_or("-"),
                f.line.unwrap_or(0),
                f.column.unwrap_or(0)
            )
        })
        .collect();
    assert_eq!(
        at,
        [
            "W020 signin-pages.toml:4:1",
            "W020 signin-pages.toml:8:1",
            "W020 templates/sign-in.html:15:14",
        ],
        "{human}"
    );
    assert!(human.contains("`[widget] generation` is G2"), "{human}");
    assert!(
        human.contains("the 2 tokens set here do nothing"),
        "{human}"
    );
    let old = Project::with_page(&clean_page("", "")).file(
        "signin-pages.toml",
        config("[widget]\nversion = \"7.10\"\ngeneration = \"G3\"\n[widget.tokens]\nPalettePrimaryMain = \"#2e3a8c\""),
    );
    let (found, human, _, _) = check_all_formats(&old);
    assert_eq!(found.len(), 1, "{human}");
    assert_eq!(
        (found[0].line, found[0].column),
        (Some(7), Some(1)),
        "{human}"
    );
    assert!(
        human.contains("widget 7.10.1 reads no design tokens"),
        "{human}"
    );
}

// ---- W021

#[test]
fn w021_a_value_of_the_wrong_kind_in_the_project_file() {
    let p = g3("PalettePrimaryMain = \"greenish\"", &clean_page("", ""));
    expect_only(&p, "W021", "signin-pages.toml", 8, Some(22));
    let out = p.run(&["check"]);
    assert!(
        stderr(&out).contains("takes a colour such as `#1662dd`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn w021_a_value_of_the_wrong_kind_in_the_page() {
    let p = g3(
        "",
        &with_script("config.theme = {\n  tokens: { BorderRadiusMain: '4' }\n};"),
    );
    expect_only_as(
        "rule_W021_page",
        &p,
        "W021",
        "templates/sign-in.html",
        16,
        Some(31),
    );
}

// ---- W022

#[test]
fn w022_white_button_text_on_a_light_primary_colour() {
    let p = g3("PalettePrimaryMain = \"#7fb3ff\"", &clean_page("", ""));
    expect_only(&p, "W022", "signin-pages.toml", 8, Some(22));
    let out = p.run(&["check"]);
    assert!(
        stderr(&out).contains("button (variant primary): `HueNeutralWhite` (`#ffffff`) text on `PalettePrimaryMain` (`#7fb3ff`) is 2.14:1, WCAG AA needs 4.5:1"),
        "{}",
        stderr(&out)
    );
}

/// The page's own token, composed with its alpha over the card's white.
#[test]
fn w022_a_page_token_with_alpha() {
    let p = g3(
        "",
        &with_script(
            "var c = OktaUtil.getSignInWidgetConfig();\nc.theme = { tokens: { TypographyColorHeading: 'rgba(0, 0, 0, 0.4)' } };",
        ),
    );
    expect_only_as(
        "rule_W022_page",
        &p,
        "W022",
        "templates/sign-in.html",
        16,
        Some(47),
    );
}

// ---- near misses

/// Known names, values of their kind (numbers where the kind is a number, `var(--x)`
/// anywhere), colours that pass; tokens of a G2 page inside `{{#useSiwGen3}}`; a version
/// nothing is known of; the project's tokens written into the page.
#[test]
fn design_tokens_near_misses_are_clean() {
    let page = with_script(
        "config.theme = { tokens: {{ widget.tokens | js }} };\nconfig.theme.tokens.PalettePrimaryDark = 'var(--brand-dark)';",
    );
    expect_clean(&g3(
        "PalettePrimaryMain = \"#2e3a8c\"\nBorderRadiusMain = \"4px\"\nTypographyLineHeightBody = 1.5\nTypographyFamilyBody = \"'Inter', sans-serif\"\nTypographyColorBody = \"var(--ink)\"",
        &page,
    ));
    expect_clean(&g3(
        "",
        &with_script(
            "config.theme = { tokens: { PalettePrimaryMain: '#1d4ed8', TypographyColorHeading: 'rgba(0,0,0,0.9)' } };",
        ),
    ));
    let gen3_section = clean_page(
        "",
        "{{#useSiwGen3}}\n<script nonce=\"{{nonceValue}}\">config.theme = { tokens: { PalettePrimaryMain: '#2e3a8c' } };</script>\n{{/useSiwGen3}}\n",
    );
    expect_clean(&Project::with_page(&gen3_section).file("signin-pages.toml", config("")));
    expect_clean(
        &Project::with_page(&clean_page("", "")).file(
            "signin-pages.toml",
            config("[widget]\nversion = \"7.22\"\ngeneration = \"G3\"\n[widget.tokens]\nNoSuchToken = \"x\""),
        ),
    );
}
