//! Tera over Okta pages: layouts and includes, Okta's tags untouched, and template
//! errors that point into the designer's file with a caret and a suggestion.

use crate::support::*;

#[test]
fn layouts_partials_and_okta_tags_with_inner_spaces() {
    let p = Project::with_page("{% extends \"layouts/base.html\" %}{% block main %}<main>{% include \"partials/p.html\" %}</main>{% endblock main %}")
        .file("templates/layouts/base.html", "<head>{{{ SignInWidgetResources }}}</head>{{ #useSiwGen3 }}<i>{{ pageTitle }}</i>{{ /useSiwGen3 }}{{^useSiwGen3}}g2{{/useSiwGen3}}{% block main %}{% endblock main %}\n")
        .file("templates/partials/p.html", "{{ brand.name }} {{{config}}} {{ nonceValue }}");
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        p.read("dist/prod/B/sign-in.html"),
        "<head>{{{ SignInWidgetResources }}}</head>{{ #useSiwGen3 }}<i>{{ pageTitle }}</i>{{ /useSiwGen3 }}{{^useSiwGen3}}g2{{/useSiwGen3}}<main>B {{{config}}} {{ nonceValue }}</main>\n"
    );
}

#[test]
fn misspelt_variables_are_all_reported_with_suggestions() {
    let p = Project::with_page(
        "<title>{{pageTitle}}</title>\n<p>{{ brnad.name }}</p>\n<div style=\"background: {{ bgImgUrl }}\"></div>\n<p>{{ pageTitle | upper }}</p>\n",
    );
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("--> templates/sign-in.html:2:7"), "{err}");
    assert!(err.contains("did you mean `brand`?"), "{err}");
    assert!(err.contains("--> templates/sign-in.html:3:28"), "{err}");
    assert!(
        err.contains("did you mean the Okta variable `bgImageUrl`?"),
        "{err}"
    );
    assert!(err.contains("`pageTitle` is Okta's"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn syntax_errors_in_every_file_are_reported() {
    let p =
        Project::with_page("{% include \"partials/a.html\" %}{% include \"partials/b.html\" %}\n")
            .file("templates/partials/a.html", "<p>{% if %}</p>\n")
            .file("templates/partials/b.html", "<p>\n{{ brand.name </p>\n");
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("--> templates/partials/a.html:1:10"), "{err}");
    assert!(err.contains("--> templates/partials/b.html:2:"), "{err}");
    assert!(err.contains("2 errors emitted"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn javascript_that_looks_like_tera_suggests_raw() {
    // `{#` opens a Tera comment: JavaScript private fields collide with it.
    let page = "<script nonce=\"{{nonceValue}}\">class A {#secret = 1; get(){ return this.#secret; }}</script>\n";
    let p = Project::with_page(page);
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("{% raw %}"), "{err}");
    assert!(err.contains("templates/sign-in.html:1:"), "{err}");
    // And `{% raw %}` is the escape hatch.
    p.write(
        "templates/sign-in.html",
        format!("{{% raw %}}{page}{{% endraw %}}"),
    );
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(p.read("dist/prod/B/sign-in.html"), page);
}

#[test]
fn include_cycles_and_missing_parents_are_diagnostics() {
    let p = Project::with_page("{% include \"a.html\" %}")
        .file("templates/a.html", "{% include \"sign-in.html\" %}");
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("cycle"), "{}", stderr(&out));
    let p = Project::with_page("{% extends \"nope.html\" %}");
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("`sign-in.html` extends `nope.html`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn json_and_github_formats() {
    let p = Project::with_page("<p>{{ brnad }}</p>\n");
    let out = p.run(&["check", "--format", "json"]);
    assert_eq!(code(&out), 1);
    insta::assert_snapshot!("undefined_json", stdout(&out));
    let out = p.run(&["check", "--format", "github"]);
    assert_eq!(code(&out), 1);
    insta::assert_snapshot!("undefined_github", stdout(&out));
}
