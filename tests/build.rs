//! `build`: byte-exact pages, request bodies, atomic and deterministic output.

use crate::support::*;

#[test]
fn okta_default_page_builds_byte_identical() {
    let page = std::fs::read_to_string(shared().join("okta/default-sign-in-page.html")).unwrap();
    let p = Project::with_page(&page);
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(p.read("dist/prod/B/sign-in.html"), page);
    let body: serde_json::Value = p.read_json("dist/prod/B/sign-in.json");
    assert_eq!(body["pageContent"], serde_json::Value::String(page));
}

const TWO_BY_TWO: &str = r#"[project]
name = "t"
default_locale = "en"
locales = ["en", "fr"]

[widget]
version = "7.13"
generation = "G3"

[csp]
mode = "report_only"
report_uri = "https://csp.example.com/r"
src_list = ["https://cdn.example.com"]

[vars]
greeting = "hello"
cdn = "https://cdn.example.com"

[widget_customizations]
help_label = "Help"
help_url = "https://example.com/help"

[environments.dev]
org_url = "https://dev.okta.com"
vars = { cdn = "https://cdn.dev.example.com" }

[environments.prod]
org_url = "https://prod.okta.com"

[[brands]]
name = "Acme"
vars = { greeting = "hi from acme" }
widget_customizations = { help_url = "https://acme.example.com/help", show_user_identifier = false }

[[brands]]
name = "Acme Health"
"#;

const PAGE: &str = "<!DOCTYPE html><html lang=\"{{ locale }}\"><head><title>{{pageTitle}}</title>{{{SignInWidgetResources}}}</head>\n<body>{{ brand.name }}|{{ env.name }}|{{ vars.greeting }}|{{ vars.cdn }}\n<div id=\"okta-login-container\"></div>{{{OktaUtil}}}<script nonce=\"{{nonceValue}}\">var i18n = {{ widget_i18n | js }};</script></body></html>\n";

fn two_by_two() -> Project {
    Project::empty()
        .file("signin-pages.toml", TWO_BY_TWO)
        .file("templates/sign-in.html", PAGE)
        .file("locales/en.toml", "[kmsi]\ntitle = \"Stay?\"\naccept = \"Yes\"\n\n[widget]\n\"primaryauth.title\" = \"Sign in\"\n")
        .file("locales/fr.toml", "[kmsi]\ntitle = \"Rester ?\"\nremember = \"Se souvenir de moi\"\n")
}

#[test]
fn every_target_gets_its_page_and_body() {
    let p = two_by_two();
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let files: Vec<String> = tree(&p.path().join("dist"))
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(
        files,
        [
            "dev/Acme-Health/sign-in.html",
            "dev/Acme-Health/sign-in.json",
            "dev/Acme/sign-in.html",
            "dev/Acme/sign-in.json",
            "prod/Acme-Health/sign-in.html",
            "prod/Acme-Health/sign-in.json",
            "prod/Acme/sign-in.html",
            "prod/Acme/sign-in.json",
        ]
    );
    // vars merge project < environment < brand.
    assert!(
        p.read("dist/dev/Acme/sign-in.html")
            .contains("Acme|dev|hi from acme|https://cdn.dev.example.com")
    );
    assert!(
        p.read("dist/prod/Acme-Health/sign-in.html")
            .contains("Acme Health|prod|hello|https://cdn.example.com")
    );
    insta::assert_snapshot!(
        "two_by_two_dev_acme_page",
        p.read("dist/dev/Acme/sign-in.html")
    );
    insta::assert_snapshot!(
        "two_by_two_dev_acme_body",
        p.read("dist/dev/Acme/sign-in.json")
    );
    insta::assert_snapshot!(
        "two_by_two_prod_health_body",
        p.read("dist/prod/Acme-Health/sign-in.json")
    );
}

#[test]
fn kmsi_labels_reach_the_body_and_every_locale() {
    let p = two_by_two();
    assert_eq!(code(&p.run(&["build"])), 0);
    let body: serde_json::Value = p.read_json("dist/prod/Acme/sign-in.json");
    let prompt = &body["widgetCustomizations"]["postAuthKeepMeSignedInPrompt"];
    // Set in en.toml:
    assert_eq!(prompt["title"], "Stay?");
    assert_eq!(prompt["acceptButtonText"], "Yes");
    // Unset: not sent, so the widget shows its own text in the visitor's language.
    assert_eq!(
        prompt.as_object().unwrap().len(),
        2,
        "only the labels en.toml sets: {prompt}"
    );
    let page = p.read("dist/prod/Acme/sign-in.html");
    assert!(
        page.contains(r#""fr":{"oie.kmsi.title":"Rester ?","oie.remember":"Se souvenir de moi"}"#),
        "{page}"
    );
    assert!(page.contains(r#""oie.kmsi.accept":"Yes""#));
    assert!(page.contains(r#""primaryauth.title":"Sign in""#));
}

#[test]
fn customizations_merge_project_then_brand() {
    let p = two_by_two();
    assert_eq!(code(&p.run(&["build"])), 0);
    let acme: serde_json::Value = p.read_json("dist/prod/Acme/sign-in.json");
    let wc = &acme["widgetCustomizations"];
    assert_eq!(wc["helpUrl"], "https://acme.example.com/help");
    assert_eq!(wc["helpLabel"], "Help");
    assert_eq!(wc["showUserIdentifier"], false);
    assert_eq!(wc["widgetGeneration"], "G3");
    let health: serde_json::Value = p.read_json("dist/prod/Acme-Health/sign-in.json");
    assert_eq!(
        health["widgetCustomizations"]["helpUrl"],
        "https://example.com/help"
    );
    // Unset switches go out as Okta's defaults: a PUT that omits them stores false.
    assert_eq!(health["widgetCustomizations"]["showUserIdentifier"], true);
    assert_eq!(
        health["contentSecurityPolicySetting"]["mode"],
        "report_only"
    );
    assert_eq!(health["widgetVersion"], "7.13");
}

#[test]
fn output_is_deterministic() {
    let a = two_by_two();
    let b = two_by_two();
    assert_eq!(code(&a.run(&["build"])), 0);
    assert_eq!(code(&b.run(&["build"])), 0);
    let first = tree(&a.path().join("dist"));
    assert_eq!(first, tree(&b.path().join("dist")));
    assert_eq!(code(&a.run(&["build"])), 0);
    assert_eq!(first, tree(&a.path().join("dist")));
    // Keys in Okta's order, not alphabetical.
    let json = a.read("dist/prod/Acme/sign-in.json");
    let pos = |k: &str| json.find(&format!("\"{k}\"")).unwrap();
    assert!(pos("pageContent") < pos("widgetVersion"));
    assert!(pos("widgetVersion") < pos("widgetCustomizations"));
    assert!(pos("widgetCustomizations") < pos("contentSecurityPolicySetting"));
}

#[test]
fn a_failed_build_leaves_dist_untouched() {
    let p = two_by_two();
    assert_eq!(code(&p.run(&["build"])), 0);
    let before = tree(&p.path().join("dist"));
    p.write(
        "templates/sign-in.html",
        PAGE.replace("{{ brand.name }}", "{{ brand.nmae }}"),
    );
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("nothing was written"));
    assert_eq!(before, tree(&p.path().join("dist")));
    // Nothing left behind but the spare generation.
    let leftovers: Vec<String> = std::fs::read_dir(p.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with(".dist")
                && ![".dist.spare", ".dist.manifest", ".dist.spare.manifest"].contains(&n.as_str())
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_filtered_build_keeps_the_other_targets() {
    let p = two_by_two();
    assert_eq!(code(&p.run(&["build"])), 0);
    p.write(
        "templates/sign-in.html",
        PAGE.replace("{{ env.name }}", "{{ env.name }}!"),
    );
    let out = p.run(&["build", "--env", "dev", "--brand", "Acme"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(p.read("dist/dev/Acme/sign-in.html").contains("|dev!|"));
    assert!(p.read("dist/prod/Acme/sign-in.html").contains("|prod|"));
    assert!(p.exists("dist/dev/Acme-Health/sign-in.json"));
}

#[test]
fn an_unknown_environment_is_named_with_a_suggestion() {
    let p = two_by_two();
    let out = p.run(&["build", "--env", "prd"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("no environment named `prd`"), "{err}");
    assert!(err.contains("did you mean `prod`?"), "{err}");
    assert!(!p.exists("dist"));
}

#[test]
fn the_js_filter_keeps_script_closed() {
    let p = Project::with_page(
        "<script nonce=\"{{nonceValue}}\">var v = {{ vars.evil | js }};</script>\n",
    );
    p.write(
        "signin-pages.toml",
        "[project]\nname = \"t\"\n[vars]\nevil = \"</script><script>alert(1)</script>&\u{2028}\"\n[environments.prod]\n[[brands]]\nname = \"B\"\n",
    );
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let page = p.read("dist/prod/B/sign-in.html");
    assert_eq!(
        page,
        "<script nonce=\"{{nonceValue}}\">var v = \"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u0026\\u2028\";</script>\n"
    );
}

#[test]
fn variables_are_html_escaped_by_default() {
    let p = Project::with_page("<p>{{ vars.x }}</p>\n");
    p.write("signin-pages.toml", "[project]\nname = \"t\"\n[vars]\nx = \"<b>&\"\n[environments.prod]\n[[brands]]\nname = \"B\"\n");
    assert_eq!(code(&p.run(&["build"])), 0);
    assert_eq!(
        p.read("dist/prod/B/sign-in.html"),
        "<p>&lt;b&gt;&amp;</p>\n"
    );
}

#[test]
fn the_error_page_gets_its_own_body() {
    let p = Project::with_page("<p>{{pageTitle}}</p>\n").file(
        "templates/error.html",
        "<h1>{{errorSummary}}</h1>{{{errorDescription}}} {{ brand.name }}\n",
    );
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        p.read("dist/prod/B/error.html"),
        "<h1>{{errorSummary}}</h1>{{{errorDescription}}} B\n"
    );
    let body: serde_json::Value = p.read_json("dist/prod/B/error.json");
    assert_eq!(
        body.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["pageContent"]
    );
}

#[test]
fn emoji_bound_for_okta_are_errors_that_name_their_source() {
    let p = Project::with_page("<p>ok \u{1F600}</p>\n")
        .file("locales/en.toml", "[kmsi]\ntitle = \"Stay \u{1F512}\"\n");
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("--> locales/en.toml:2:15"), "{err}");
    assert!(err.contains("--> templates/sign-in.html:1:7"), "{err}");
    assert!(err.contains("K004"), "{err}");
    assert!(!p.exists("dist"));
}

#[test]
fn includes_cannot_leave_templates() {
    let p = Project::with_page("{% include \"../signin-pages.toml\" %}\n");
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains("Unknown template `../signin-pages.toml`"),
        "{err}"
    );
    assert!(err.contains("templates/sign-in.html:1:"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_link_out_of_templates_is_refused() {
    let p =
        Project::with_page("<p>{% include \"secret.html\" %}</p>\n").file("outside.html", "secret");
    std::os::unix::fs::symlink(
        p.path().join("outside.html"),
        p.path().join("templates/secret.html"),
    )
    .unwrap();
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("`templates/secret.html` is a link that leads outside `templates/`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn reserved_mask_bytes_in_a_template_are_refused() {
    let p = Project::with_page("<p>a\u{e}b</p>\n");
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("--> templates/sign-in.html:1:5"),
        "{}",
        stderr(&out)
    );
}

/// A rebuild rewrites the spare generation in place: no new files, so thousands of
/// targets do not cost thousands of inode allocations.
#[cfg(unix)]
#[test]
fn rebuilds_reuse_files_instead_of_creating_them() {
    use std::os::unix::fs::MetadataExt;
    let p = two_by_two();
    let inode = |p: &Project| {
        std::fs::metadata(p.path().join("dist/prod/Acme/sign-in.html"))
            .unwrap()
            .ino()
    };
    assert_eq!(code(&p.run(&["build"])), 0);
    let first = inode(&p);
    assert_eq!(code(&p.run(&["build"])), 0);
    assert_eq!(code(&p.run(&["build"])), 0);
    assert_eq!(
        inode(&p),
        first,
        "the third build should write into the first build's files"
    );
    // Stale targets disappear from the spare too.
    p.write("signin-pages.toml", TWO_BY_TWO.replace("[environments.dev]\norg_url = \"https://dev.okta.com\"\nvars = { cdn = \"https://cdn.dev.example.com\" }\n", ""));
    assert_eq!(code(&p.run(&["build"])), 0);
    assert!(!p.exists("dist/dev"));
    assert_eq!(code(&p.run(&["build"])), 0);
    assert!(!p.exists("dist/dev"));
    assert!(p.exists("dist/prod/Acme/sign-in.html"));
}

#[cfg(unix)]
#[test]
fn a_templates_or_locale_link_out_of_the_project_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("tpl")).unwrap();
    std::fs::write(
        outside.path().join("tpl/sign-in.html"),
        "<p>from elsewhere</p>\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("fr.toml"), "[kmsi]\ntitle = \"x\"\n").unwrap();
    let p = Project::empty().file("signin-pages.toml", "[project]\nname = \"t\"\nlocales = [\"en\", \"fr\"]\n[environments.prod]\n[[brands]]\nname = \"B\"\n");
    std::fs::create_dir_all(p.path().join("locales")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("tpl"), p.path().join("templates")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("fr.toml"),
        p.path().join("locales/fr.toml"),
    )
    .unwrap();
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains("`templates` is a link that leads outside the project"),
        "{err}"
    );
    assert!(
        err.contains("`locales/fr.toml` is a link that leads outside the project"),
        "{err}"
    );
    assert!(!p.exists("dist"));
}

/// Folder names keep letters of every script: `東京` and `大阪` used to both become
/// `--` and collide; `Äcme Ωmega 東京` became `-cme--mega---`. Characters a file system
/// refuses still become `-`, and the example project's ASCII names are unchanged
/// (its snapshots pin them).
#[test]
fn brand_folders_keep_non_ascii_letters() {
    let p = Project::with_page("<p>{{ brand.name }}</p>\n").file(
        "signin-pages.toml",
        "[project]\nname = \"t\"\n[environments.prod]\n[[brands]]\nname = \"東京\"\n[[brands]]\nname = \"大阪\"\n[[brands]]\nname = \"Äcme Ωmega 東京\"\n[[brands]]\nname = \"a:b|c?d*e\\\\f\"\n[[brands]]\nname = \"NUL\"\n",
    );
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    for (dir, name) in [
        ("東京", "東京"),
        ("大阪", "大阪"),
        ("Äcme-Ωmega-東京", "Äcme Ωmega 東京"),
        ("a-b-c-d-e-f", "a:b|c?d*e\\f"),
        ("_NUL", "NUL"),
    ] {
        assert_eq!(
            p.read(&format!("dist/prod/{dir}/sign-in.html")),
            format!("<p>{name}</p>\n")
        );
    }
}

/// `[widget.tokens]` reaches each target's template as `widget.tokens`, overridden key
/// by key by the environment's `tokens` and then the brand's; numbers stay numbers.
#[test]
fn design_tokens_merge_project_environment_brand_into_widget_tokens() {
    let toml = r##"[project]
name = "t"

[widget]
version = "^7"
generation = "G3"

[widget.tokens]
PalettePrimaryMain = "#2e3a8c"
BorderRadiusMain = "4px"
TypographyLineHeightBody = 1.5

[environments.dev]
tokens = { BorderRadiusMain = "8px" }

[environments.prod]

[[brands]]
name = "A"
tokens = { PalettePrimaryMain = "#0f5c45" }

[[brands]]
name = "B"
"##;
    let page = "<!DOCTYPE html><html lang=\"en\"><head><title>{{pageTitle}}</title>{{{SignInWidgetResources}}}</head>\n<body><div id=\"okta-login-container\"></div>{{{OktaUtil}}}<script nonce=\"{{nonceValue}}\">var config = OktaUtil.getSignInWidgetConfig();\nconfig.theme = { tokens: {{ widget.tokens | js }} };\nnew OktaSignIn(config).renderEl({ el: '#okta-login-container' }, OktaUtil.completeLogin);</script></body></html>\n";
    let p = Project::empty()
        .file("signin-pages.toml", toml)
        .file("templates/sign-in.html", page);
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let tokens = |target: &str| {
        let html = p.read(&format!("dist/{target}/sign-in.html"));
        html.lines()
            .find(|l| l.starts_with("config.theme"))
            .unwrap()
            .to_string()
    };
    assert_eq!(
        tokens("dev/A"),
        r##"config.theme = { tokens: {"BorderRadiusMain":"8px","PalettePrimaryMain":"#0f5c45","TypographyLineHeightBody":1.5} };"##
    );
    assert_eq!(
        tokens("prod/B"),
        r##"config.theme = { tokens: {"BorderRadiusMain":"4px","PalettePrimaryMain":"#2e3a8c","TypographyLineHeightBody":1.5} };"##
    );
}
