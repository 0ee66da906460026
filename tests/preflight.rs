//! The org preflight of `deploy` and `diff`, against the fake Okta on a real socket: every
//! brand is checked against what the org says about it (the widget versions it offers,
//! its custom domains, whether it is the org's default brand) before anything is read or
//! written, and a problem with any brand stops every write.

use crate::support::fake_okta::{FakeOkta, Fault};
use crate::support::run_with_token as run;
use crate::support::*;

/// A project whose `prod` environment is the fake org, with `brands` and the widget
/// version `version`.
fn project(okta: &FakeOkta, brands: &[&str], version: &str) -> Project {
    Project::with_page(WIDGET_PAGE)
        .file(
            "signin-pages.toml",
            org_toml(&okta.url(), brands)
                .replace("version = \"^7\"", &format!("version = \"{version}\"")),
        )
        .file("locales/en.toml", "[kmsi]\ntitle = \"Stay signed in?\"\n")
}

/// An org with the default brand "Default", Acme and Beta.
fn org() -> FakeOkta {
    FakeOkta::start().with_brands(&["Acme", "Beta"])
}

fn count(okta: &FakeOkta, method: &str, path_part: &str) -> usize {
    okta.requests_matching(Some(method), path_part).len()
}

fn puts(okta: &FakeOkta) -> usize {
    okta.requests().iter().filter(|r| r.method == "PUT").count()
}

/// Requests that read or write a page (not the preflight's own GETs).
fn page_requests(okta: &FakeOkta) -> Vec<String> {
    okta.requests()
        .into_iter()
        .filter(|r| {
            let p = r.path_only();
            p.contains("/pages/") && !p.ends_with("/widget-versions")
        })
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

#[test]
fn a_version_no_brand_is_offered_stops_deploy_before_any_page_request() {
    let okta = org();
    // The fake offers 7.13, 7.14 and 7.40.
    let p = project(&okta, &["Acme", "Beta"], "7.12");
    for args in [
        &["deploy", "--env", "prod", "--preview"][..],
        &["deploy", "--env", "prod", "--preview", "--dry-run"],
        &["deploy", "--env", "prod", "--publish", "--yes"],
    ] {
        let out = run(&p, args);
        assert_eq!(code(&out), 1, "{args:?}: {}{}", stdout(&out), stderr(&out));
        let err = stderr(&out);
        for brand in ["Acme", "Beta"] {
            assert!(
                err.contains(&format!(
                    "error: {brand}: widget version `7.12` is not one the org offers"
                )),
                "{args:?}: {err}"
            );
        }
        assert!(err.contains("offered: 7.13, 7.14, 7.40"), "{err}");
        assert!(
            err.contains("set `[widget] version` in signin-pages.toml")
                && err.contains("e.g. `^7`"),
            "{err}"
        );
        assert!(err.contains("nothing was sent to Okta"), "{err}");
    }
    assert_eq!(puts(&okta), 0);
    assert_eq!(page_requests(&okta), Vec::<String>::new());
    assert!(!p.exists(".signin-pages"), "no backup, no preview state");
    // Every brand's list was asked for.
    for brand in ["Acme", "Beta"] {
        let id = okta.brand_id(brand).unwrap();
        assert!(
            count(
                &okta,
                "GET",
                &format!("/brands/{id}/pages/sign-in/widget-versions")
            ) > 0
        );
    }
}

#[test]
fn one_brand_that_lacks_the_version_stops_the_writes_of_every_brand() {
    let okta = org();
    let beta = okta.brand_id("Beta").unwrap();
    okta.set_brand_widget_versions(&beta, &["^6", "6.9"]);
    let p = project(&okta, &["Acme", "Beta"], "^7");
    let out = run(&p, &["deploy", "--env", "prod", "--preview"]);
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("error: Beta: widget version `^7` is not one the org offers")
            && err.contains("offered: ^6, 6.9"),
        "{err}"
    );
    assert!(!err.contains("error: Acme"), "{err}");
    // Acme passed its own check, and still nothing of it was read or written.
    assert_eq!(puts(&okta), 0);
    assert_eq!(page_requests(&okta), Vec::<String>::new());
    // With Beta's list fixed, the same command goes through.
    okta.set_brand_widget_versions(&beta, &["^7", "7.40"]);
    let out = run(&p, &["deploy", "--env", "prod", "--preview"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(okta.sign_in(&beta, "preview").is_some());
}

#[test]
fn a_list_with_no_readable_version_warns_and_leaves_the_judgement_to_okta() {
    // Okta's spec types the list as `N.M` strings; an answer with none in it (Prism's
    // schema-made `["string"]`, an empty list) cannot say no, and must not block work.
    let okta = org();
    let p = project(&okta, &["Acme"], "^7");
    for (list, shown) in [
        (&["string"][..], "offered: string"),
        (&[], "offered: (an empty list)"),
    ] {
        okta.set_widget_versions(list);
        p.write("locales/en.toml", format!("[kmsi]\ntitle = \"{shown}\"\n"));
        let out = run(&p, &["deploy", "--env", "prod", "--preview"]);
        assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("warning: Acme: widget version `^7` cannot be checked")
                && err.contains(shown),
            "{err}"
        );
        let acme = okta.brand_id("Acme").unwrap();
        assert_eq!(
            okta.sign_in(&acme, "preview").unwrap()["widgetCustomizations"]["postAuthKeepMeSignedInPrompt"]
                ["title"],
            shown
        );
    }
}

#[test]
fn a_list_okta_does_not_give_warns_and_the_deploy_goes_on() {
    // What could not be learnt is no reason to stop: Okta still judges the PUT.
    let okta = org();
    let p = project(&okta, &["Acme", "Beta"], "^7");
    let beta = okta.brand_id("Beta").unwrap();
    okta.fail_next(
        ("GET", format!("/brands/{beta}/pages/sign-in/widget-versions").as_str()),
        Fault::Status(
            403,
            serde_json::json!({"errorCode": "E0000006", "errorSummary": "You do not have permission to perform the requested action"}),
        ),
    );
    let out = run(&p, &["deploy", "--env", "prod", "--preview"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("warning: Beta: widget version `^7` cannot be checked: the org's list of widget versions could not be read")
            && err.contains("403"),
        "{err}"
    );
    assert!(okta.sign_in(&beta, "preview").is_some());
}

#[test]
fn diff_reports_a_version_the_org_does_not_offer() {
    let okta = org();
    let p = project(&okta, &["Acme", "Beta"], "^8");
    let out = run(&p, &["diff", "--env", "prod"]);
    // Changes alone would exit 2: the problem makes it 1.
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("error: Acme: widget version `^8` is not one the org offers")
            && err.contains("offered: 7.13, 7.14, 7.40")
            && err.contains("`deploy` would write nothing"),
        "{err}"
    );
    // The comparison itself is still shown.
    assert!(
        stdout(&out).contains("Acme / sign-in:") && stdout(&out).contains("Beta / sign-in:"),
        "{}",
        stdout(&out)
    );
    assert_eq!(puts(&okta), 0);
    // An offered version: diff is back to "changes" (2).
    let p = project(&okta, &["Acme", "Beta"], "7.40");
    let out = run(&p, &["diff", "--env", "prod"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(!stderr(&out).contains("not one the org offers"));
}

#[test]
fn a_brand_without_a_custom_domain_warns_and_still_deploys() {
    let okta = org();
    let beta = okta.brand_id("Beta").unwrap();
    okta.set_domains(&beta, &[]);
    let p = project(&okta, &["Acme", "Beta"], "^7");
    let out = run(&p, &["deploy", "--env", "prod", "--preview"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("warning: Beta: the brand has no custom domain")
            && err.contains("only on a custom domain")
            && err.contains("Customizations › Brands › Beta › Domains")
            && err.contains("https://<that domain>/login/preview"),
        "{err}"
    );
    assert!(!err.contains("warning: Acme"), "{err}");
    // Both brands were written; Acme's preview address is given.
    assert!(okta.sign_in(&beta, "preview").is_some());
    let acme = okta.brand_id("Acme").unwrap();
    assert!(okta.sign_in(&acme, "preview").is_some());
    assert!(
        stdout(&out).contains("preview of Acme: https://login.acme.example.com/login/preview"),
        "{}",
        stdout(&out)
    );
    // A domain whose DNS set-up is not finished does not serve pages either.
    okta.set_domains(&beta, &[("login.beta.example.com", "IN_PROGRESS")]);
    let out = run(&p, &["diff", "--env", "prod", "--against", "preview"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains("warning: Beta: none of the brand's custom domains is set up yet")
            && stderr(&out).contains("domain: login.beta.example.com (IN_PROGRESS)"),
        "{}",
        stderr(&out)
    );
    // --quiet keeps warnings out.
    let out = run(&p, &["diff", "--env", "prod", "--against", "preview", "-q"]);
    assert_eq!(code(&out), 0);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
}

#[test]
fn the_default_brand_of_an_org_with_several_brands_is_refused_before_any_request() {
    let okta = org();
    okta.multibrand(true);
    let default = okta.brand_id("Default").unwrap();
    let p = project(&okta, &["Acme", "Default"], "^7");
    let out = run(&p, &["deploy", "--env", "prod", "--preview"]);
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("error: Default: the org's default brand cannot take custom pages")
            && err.contains("this org has 3 brands")
            && err.contains("403")
            && err.contains("put the pages on a brand of their own that has a custom domain"),
        "{err}"
    );
    assert!(err.contains("nothing was sent to Okta"), "{err}");
    // Not one request about the default brand; Acme, checked and fine, was not written.
    let about_default: Vec<String> = okta
        .requests()
        .into_iter()
        .filter(|r| r.path.contains(&default))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(about_default, Vec::<String>::new());
    assert_eq!(puts(&okta), 0);
    assert_eq!(page_requests(&okta), Vec::<String>::new());

    // diff says the same and still compares Acme, without reading the default brand.
    okta.clear_requests();
    let out = run(&p, &["diff", "--env", "prod"]);
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains("error: Default: the org's default brand cannot take custom pages")
    );
    assert!(stdout(&out).contains("Acme / sign-in:"), "{}", stdout(&out));
    assert!(
        okta.requests().iter().all(|r| !r.path.contains(&default)),
        "the default brand was read"
    );
}

#[test]
fn a_lone_default_brand_is_left_to_okta() {
    // An org with one brand may predate multibrand, where that brand's pages can be
    // customized: no refusal up front. With multibrand on, Okta's 403 gets the advice.
    let okta = FakeOkta::start();
    let default = okta.add_brand("Default", true);
    okta.set_domains(&default, &[("login.example.com", "COMPLETED")]);
    let p = project(&okta, &["Default"], "^7");
    let out = run(&p, &["deploy", "--env", "prod", "--preview"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(okta.sign_in(&default, "preview").is_some());
    assert!(
        stdout(&out).contains("preview of Default: https://login.example.com/login/preview"),
        "{}",
        stdout(&out)
    );

    okta.multibrand(true);
    p.write("locales/en.toml", "[kmsi]\ntitle = \"Remember me?\"\n");
    let out = run(&p, &["deploy", "--env", "prod", "--preview"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("403")
            && stdout(&out).contains("default brand's pages cannot be changed"),
        "{}",
        stdout(&out)
    );
}
