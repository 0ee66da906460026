//! Bad project files: a diagnostic with file, line and column, never a serde backtrace.

use crate::support::*;

/// Build a project whose signin-pages.toml is `toml`; expect exit 1 and return stderr.
fn fails_with(toml: &str) -> String {
    let p = Project::with_page("<p></p>\n").file("signin-pages.toml", toml);
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 1, "expected exit 1, stderr: {}", stderr(&out));
    assert!(!p.exists("dist"));
    stderr(&out)
}

fn base(extra: &str) -> String {
    format!(
        "[project]\nname = \"t\"\n{extra}\n[environments.prod]\norg_url = \"https://t.okta.com\"\n\n[[brands]]\nname = \"B\"\n"
    )
}

#[test]
fn unknown_key() {
    let err = fails_with(&base("[widget]\nversoin = \"^7\"\n"));
    assert!(err.contains("--> signin-pages.toml:4:1"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn wrong_type() {
    let err = fails_with(&base("[csp]\nsrc_list = \"https://cdn.example.com\"\n"));
    assert!(err.contains("--> signin-pages.toml:4:12"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn widget_version_okta_refuses() {
    let err = fails_with(&base("[widget]\nversion = \"^7.13\"\n"));
    assert!(err.contains("--> signin-pages.toml:4:11"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn csp_mode_that_does_not_exist() {
    let err = fails_with(&base("[csp]\nmode = \"strict\"\n"));
    assert!(err.contains("--> signin-pages.toml:4:8"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn more_than_twenty_src_list_entries() {
    let list: Vec<String> = (0..21)
        .map(|i| format!("\"https://cdn{i}.example.com\""))
        .collect();
    let err = fails_with(&base(&format!("[csp]\nsrc_list = [{}]\n", list.join(", "))));
    assert!(
        err.contains("`src_list` has 21 entries; Okta accepts at most 20"),
        "{err}"
    );
    assert!(err.contains("--> signin-pages.toml:4:12"), "{err}");
}

#[test]
fn unknown_widget_customization() {
    let err = fails_with(&base(
        "[widget_customizations]\nhelp_link = \"https://x.example.com\"\n",
    ));
    assert!(err.contains("unknown field `help_link`"), "{err}");
    assert!(err.contains("--> signin-pages.toml:4:1"), "{err}");
}

#[test]
fn http_org_url_and_credentials() {
    let err = fails_with(
        "[project]\nname = \"t\"\n[environments.prod]\norg_url = \"http://t.okta.com\"\n[environments.dev]\norg_url = \"https://u:p@t.okta.com\"\n[[brands]]\nname = \"B\"\n",
    );
    assert!(err.contains("must use https://"), "{err}");
    assert!(err.contains("must not carry credentials"), "{err}");
    assert!(err.contains("--> signin-pages.toml:4:11"), "{err}");
    assert!(err.contains("--> signin-pages.toml:6:11"), "{err}");
}

#[test]
fn duplicate_brand() {
    let err = fails_with(
        "[project]\nname = \"t\"\n[environments.prod]\n[[brands]]\nname = \"B\"\n[[brands]]\nname = \"B\"\n",
    );
    assert!(err.contains("brand `B` is listed twice"), "{err}");
    assert!(err.contains("--> signin-pages.toml:7:8"), "{err}");
}

#[test]
fn malformed_toml() {
    let err = fails_with("[project\nname = \"t\"\n");
    assert!(err.contains("--> signin-pages.toml:1:"), "{err}");
    assert!(err.contains("P001"), "{err}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let err = fails_with(&base(
        "[widget]\nversion = \"latest\"\n[csp]\nreport_uri = \"http://r.example.com\"\nsrc_list = [\"not a url\"]\n",
    ));
    assert!(err.contains("widget version `latest`"), "{err}");
    assert!(
        err.contains("`report_uri` must be an https:// URL"),
        "{err}"
    );
    assert!(err.contains("`not a url` is not a CSP source"), "{err}");
    assert!(err.contains("3 errors emitted"), "{err}");
}

#[test]
fn locale_file_not_listed_and_listed_locale_missing() {
    let p = Project::with_page("<p></p>\n")
        .file("signin-pages.toml", "[project]\nname = \"t\"\nlocales = [\"en\", \"de\"]\n[environments.prod]\n[[brands]]\nname = \"B\"\n")
        .file("locales/ja.toml", "[kmsi]\ntitle = \"x\"\n");
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains(
            "`locales/ja.toml` is for locale `ja`, which `[project] locales` does not list"
        ),
        "{err}"
    );
    assert!(
        err.contains("locale `de` is listed but `locales/de.toml` does not exist"),
        "{err}"
    );
    assert!(err.contains("--> signin-pages.toml:3:18"), "{err}");
}

#[test]
fn unknown_locale_key() {
    let p = Project::with_page("<p></p>\n").file("locales/en.toml", "[kmsi]\ntitel = \"x\"\n");
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("--> locales/en.toml:2:1"), "{err}");
    assert!(err.contains("unknown field `titel`"), "{err}");
}

#[test]
fn no_project_file() {
    let p = Project::empty();
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("signin-pages init"),
        "{}",
        stderr(&out)
    );
}

/// `Acme` and `acme` get folders that macOS and Windows take for one: P002 at the
/// second brand, naming the first.
#[test]
fn brands_whose_folders_differ_only_in_case() {
    let err = fails_with(
        "[project]\nname = \"t\"\n[environments.prod]\n[[brands]]\nname = \"Acme\"\n[[brands]]\nname = \"B\"\n[[brands]]\nname = \"acme\"\n",
    );
    assert!(
        err.contains("error[P002]: brands `Acme` and `acme` would share a folder on a file system that ignores case"),
        "{err}"
    );
    assert!(err.contains("--> signin-pages.toml:9:8"), "{err}");
    // Unicode lowercase, not ASCII only.
    let err = fails_with(
        "[project]\nname = \"t\"\n[environments.prod]\n[[brands]]\nname = \"ÄCME\"\n[[brands]]\nname = \"äcme\"\n",
    );
    assert!(
        err.contains("brands `ÄCME` and `äcme` would share a folder"),
        "{err}"
    );
    assert!(err.contains("--> signin-pages.toml:7:8"), "{err}");
}

/// `prod` and `Prod` likewise, at the later one in the file (not in name order).
#[test]
fn environments_whose_folders_differ_only_in_case() {
    let err = fails_with(
        "[project]\nname = \"t\"\n[environments.prod]\n[environments.dev]\n[environments.Prod]\n[[brands]]\nname = \"B\"\n",
    );
    assert!(
        err.contains("error[P002]: environments `prod` and `Prod` would share a folder on a file system that ignores case"),
        "{err}"
    );
    assert!(err.contains("--> signin-pages.toml:5:15"), "{err}");
}

/// `[widget.tokens]` values are strings or numbers: a boolean, an array or a table is
/// P001 at the value, naming what a token takes; so in a brand's and an environment's
/// `tokens`. An empty value is P002 at the value.
#[test]
fn design_tokens_of_the_wrong_type() {
    let err = fails_with(&base(
        "[widget.tokens]\nPalettePrimaryMain = \"#546be7\"\nBorderRadiusMain = true\n",
    ));
    assert!(err.contains("error[P001]"), "{err}");
    assert!(err.contains("--> signin-pages.toml:5:20"), "{err}");
    assert!(err.contains("expected a string (or a number"), "{err}");
    let err = fails_with(&format!(
        "{}tokens = {{ Spacing4 = [\"1rem\"] }}\n",
        base("")
    ));
    assert!(err.contains("error[P001]"), "{err}");
    assert!(err.contains("--> signin-pages.toml:9:23"), "{err}");
    let err = fails_with(&base(
        "[widget.tokens]\nPalettePrimaryMain = \"\"\n[environments.dev.tokens]\nSpacing4 = \" \"\n",
    ));
    assert!(
        err.contains("error[P002]: design token `PalettePrimaryMain` has an empty value"),
        "{err}"
    );
    assert!(err.contains("--> signin-pages.toml:4:22"), "{err}");
    assert!(err.contains("--> signin-pages.toml:6:12"), "{err}");
}
