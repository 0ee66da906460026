//! deploy, diff, pull, rollback against a fake Okta on a real loopback socket.

use serde_json::{Value, json};

use crate::support::fake_okta::{DEFAULT_TOKEN, FakeOkta, Fault};
use crate::support::run_with_token as run;
use crate::support::*;

/// A project whose `prod` environment is the fake org, with brands Acme and Beta.
fn project(okta: &FakeOkta) -> Project {
    Project::with_page(WIDGET_PAGE)
        .file(
            "signin-pages.toml",
            org_toml(&okta.url(), &["Acme", "Beta"]),
        )
        .file("locales/en.toml", "[kmsi]\ntitle = \"Stay signed in?\"\n")
}

fn org() -> FakeOkta {
    FakeOkta::start().with_brands(&["Acme", "Beta"])
}

fn built_body(p: &Project, brand: &str) -> Value {
    assert_eq!(code(&p.run(&["build"])), 0);
    p.read_json(&format!("dist/prod/{brand}/sign-in.json"))
}

fn puts(okta: &FakeOkta) -> usize {
    okta.requests().iter().filter(|r| r.method == "PUT").count()
}

#[test]
fn preview_then_publish() {
    let okta = org();
    let p = project(&okta);
    let acme = okta.brand_id("Acme").unwrap();
    let out = run(&p, &["deploy", "--env", "prod", "--preview"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("Acme") && stdout(&out).contains("updated"),
        "{}",
        stdout(&out)
    );
    // Okta holds exactly what was built, and a backup records that the slot was empty.
    let sent = built_body(&p, "Acme");
    let held = okta.sign_in(&acme, "preview").unwrap();
    assert_eq!(held["pageContent"], sent["pageContent"]);
    assert_eq!(
        held["widgetCustomizations"]["postAuthKeepMeSignedInPrompt"]["title"],
        "Stay signed in?"
    );
    let b = p.backups("prod", "Acme");
    assert_eq!(b.len(), 1);
    assert_eq!(b[0]["slot"], "preview");
    assert!(b[0]["body"].is_null());
    // Again: nothing to do, nothing written.
    let before = puts(&okta);
    let out = run(&p, &["deploy", "--env", "prod", "--preview"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("unchanged"), "{}", stdout(&out));
    assert_eq!(puts(&okta), before);
    // Publish sends the previewed payload to the live page.
    let out = run(&p, &["deploy", "--env", "prod", "--publish"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(
        okta.sign_in(&acme, "customized").unwrap()["pageContent"],
        sent["pageContent"]
    );
}

#[test]
fn publish_refuses_what_was_not_previewed() {
    let okta = org();
    let p = project(&okta);
    let out = run(&p, &["deploy", "--env", "prod", "--publish"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("never sent to preview"),
        "{}",
        stdout(&out)
    );
    assert_eq!(puts(&okta), 0);
    assert_eq!(code(&run(&p, &["deploy", "--env", "prod", "--preview"])), 0);
    p.write(
        "templates/sign-in.html",
        WIDGET_PAGE.replace("<p>", "<p class=\"x\">"),
    );
    let out = run(&p, &["deploy", "--env", "prod", "--publish"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("changed since it went to preview"),
        "{}",
        stdout(&out)
    );
    let out = run(&p, &["deploy", "--env", "prod", "--publish", "--yes"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

#[test]
fn publish_refuses_to_reset_what_the_org_set() {
    let okta = org();
    let p = project(&okta);
    let acme = okta.brand_id("Acme").unwrap();
    let mut live = built_body(&p, "Acme");
    live["widgetCustomizations"]["helpUrl"] = json!("https://help.example.com");
    okta.set_sign_in(&acme, "customized", Some(live));
    assert_eq!(code(&run(&p, &["deploy", "--env", "prod", "--preview"])), 0);
    let out = run(&p, &["deploy", "--env", "prod", "--publish"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("widgetCustomizations.helpUrl"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        okta.sign_in(&acme, "customized").unwrap()["widgetCustomizations"]["helpUrl"],
        "https://help.example.com"
    );
    let out = run(
        &p,
        &["deploy", "--env", "prod", "--publish", "--allow-reset"],
    );
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        okta.sign_in(&acme, "customized").unwrap()["widgetCustomizations"]["helpUrl"].is_null()
    );
    // The backup holds what was reset.
    let b = p.backups("prod", "Acme");
    assert_eq!(
        b.last().unwrap()["body"]["widgetCustomizations"]["helpUrl"],
        "https://help.example.com"
    );
}

#[test]
fn dry_run_writes_nothing() {
    let okta = org();
    let p = project(&okta);
    let out = run(&p, &["deploy", "--env", "prod", "--preview", "--dry-run"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("would update"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(
            "widgetCustomizations.postAuthKeepMeSignedInPrompt.title: (unset) → \"Stay signed in?\""
        ),
        "{}",
        stdout(&out)
    );
    assert_eq!(puts(&okta), 0);
    assert!(!p.exists(".signin-pages"));
}

#[test]
fn okta_refusal_is_shown_as_okta_says_and_loses_nothing() {
    let okta = org();
    let p = project(&okta);
    let acme = okta.brand_id("Acme").unwrap();
    let before = json!({"pageContent": "<p>old</p>", "widgetVersion": "^7"});
    okta.set_sign_in(&acme, "preview", Some(before.clone()));
    okta.fail_next(
        ("PUT", &*format!("{acme}/pages/sign-in/preview")),
        Fault::Status(400, json!({"errorCode": "E0000001", "errorSummary": "Api validation failed: pageContent", "errorLink": "E0000001", "errorId": "oaeXYZ", "errorCauses": [{"errorSummary": "pageContent: The page must include {{{SignInWidgetResources}}}"}]})),
    );
    let out = run(
        &p,
        &["deploy", "--env", "prod", "--preview", "--brand", "Acme"],
    );
    assert_eq!(code(&out), 1);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        text.contains("E0000001")
            && text.contains("cause: pageContent: The page must include")
            && text.contains("oaeXYZ"),
        "{text}"
    );
    assert!(
        stderr(&out).contains("not done for: Acme"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        okta.sign_in(&acme, "preview").unwrap()["pageContent"],
        "<p>old</p>"
    );
    assert_eq!(
        p.backups("prod", "Acme")[0]["body"]["pageContent"],
        "<p>old</p>"
    );
    // A rerun converges.
    assert_eq!(
        code(&run(
            &p,
            &["deploy", "--env", "prod", "--preview", "--brand", "Acme"]
        )),
        0
    );
}

#[test]
fn unknown_brand_is_named() {
    let okta = org();
    let p = project(&okta);
    p.write(
        "signin-pages.toml",
        p.read("signin-pages.toml")
            .replace("name = \"Beta\"", "name = \"Betta\""),
    );
    let out = run(&p, &["deploy", "--env", "prod", "--preview"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("no brand named `Betta` (did you mean `Beta`?)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(puts(&okta), 0);
}

#[test]
fn rate_limits_server_errors_and_hangs_are_retried() {
    let okta = org();
    let p = project(&okta);
    okta.fail_next(
        ("GET", "/api/v1/brands"),
        Fault::Status429 {
            reset_in: std::time::Duration::from_secs(1),
        },
    );
    okta.fail_next(("PUT", "/sign-in/preview"), Fault::Status500);
    okta.fail_next(
        ("GET", "/sign-in/preview"),
        Fault::Hang(std::time::Duration::from_secs(3)),
    );
    okta.fail_next(("GET", "/sign-in/preview"), Fault::Reset);
    let out = run(&p, &["deploy", "--env", "prod", "--preview", "-v"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("429 (rate limit); waiting"), "{err}");
    assert!(err.contains("500 from Okta; retry 1/4"), "{err}");
    assert!(err.contains("no answer before the timeout"), "{err}");
    assert_eq!(okta.pending_faults(), 0);
    for b in ["Acme", "Beta"] {
        assert!(
            okta.sign_in(&okta.brand_id(b).unwrap(), "preview")
                .is_some()
        );
    }
}

#[test]
fn brands_are_found_across_pages() {
    let okta = FakeOkta::start();
    for i in 0..45 {
        okta.add_brand(&format!("Filler {i:02}"), i == 0);
    }
    okta.add_brand("Acme", false);
    okta.add_brand("Beta", false);
    let p = project(&okta);
    let out = run(&p, &["deploy", "--env", "prod", "--preview"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(okta.requests_matching(Some("GET"), "/api/v1/brands").len() >= 3);
}

#[test]
fn diff_reports_fields_and_exit_codes() {
    let okta = org();
    let p = project(&okta);
    let out = run(&p, &["diff", "--env", "prod", "--against", "preview"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(code(&run(&p, &["deploy", "--env", "prod", "--preview"])), 0);
    let out = run(&p, &["diff", "--env", "prod", "--against", "preview"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    p.write(
        "templates/sign-in.html",
        WIDGET_PAGE.replace(
            "<p>{{ brand.name }}</p>",
            "<p>Welcome to {{ brand.name }}</p>",
        ),
    );
    p.write("locales/en.toml", "[kmsi]\ntitle = \"Remember me?\"\n");
    let out = run(
        &p,
        &[
            "diff",
            "--env",
            "prod",
            "--against",
            "preview",
            "--brand",
            "Acme",
        ],
    );
    assert_eq!(code(&out), 2);
    let text = stdout(&out);
    assert!(
        text.contains("-<p>Acme</p>") && text.contains("+<p>Welcome to Acme</p>"),
        "{text}"
    );
    assert!(text.contains("widgetCustomizations.postAuthKeepMeSignedInPrompt.title: \"Stay signed in?\" → \"Remember me?\""), "{text}");
    insta::assert_snapshot!("diff_output", text);
}

#[test]
fn the_token_appears_nowhere() {
    let okta = org();
    let p = project(&okta);
    okta.fail_next(("PUT", "/sign-in/preview"), Fault::Status(400, json!({"errorCode": "E0000001", "errorSummary": "Api validation failed", "errorCauses": []})));
    okta.fail_next(("GET", "/sign-in/preview"), Fault::Status500);
    let mut all = String::new();
    for args in [
        &["deploy", "--env", "prod", "--preview", "-vv"][..],
        &["deploy", "--env", "prod", "--preview", "-vv"],
        &["deploy", "--env", "prod", "--publish", "-vv"],
        &["diff", "--env", "prod", "-vv"],
        &["rollback", "--env", "prod", "--brand", "Acme", "-vv"],
        &["backups", "list"],
    ] {
        let out = run(&p, args);
        all.push_str(&stdout(&out));
        all.push_str(&stderr(&out));
    }
    // The token did reach Okta ...
    assert!(
        okta.requests()
            .iter()
            .any(|r| r.header("authorization") == Some(&format!("SSWS {DEFAULT_TOKEN}")))
    );
    // ... and nowhere else.
    assert!(!all.contains(DEFAULT_TOKEN), "{all}");
    for (name, bytes) in tree(p.path()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(DEFAULT_TOKEN),
            "the token is in {name}"
        );
    }
}

#[test]
fn rollback_restores_the_latest_backup() {
    let okta = org();
    let p = project(&okta);
    let acme = okta.brand_id("Acme").unwrap();
    okta.set_sign_in(
        &acme,
        "preview",
        Some(json!({"pageContent": "<p>before</p>", "widgetVersion": "^7"})),
    );
    assert_eq!(
        code(&run(
            &p,
            &["deploy", "--env", "prod", "--preview", "--brand", "Acme"]
        )),
        0
    );
    assert_ne!(
        okta.sign_in(&acme, "preview").unwrap()["pageContent"],
        "<p>before</p>"
    );
    let out = run(&p, &["backups", "list", "--env", "prod"]);
    assert!(stdout(&out).contains("preview"), "{}", stdout(&out));
    let out = run(&p, &["rollback", "--env", "prod", "--brand", "Acme"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        okta.sign_in(&acme, "preview").unwrap()["pageContent"],
        "<p>before</p>"
    );
    // The state before the rollback was backed up too.
    assert_eq!(p.backups("prod", "Acme").len(), 2);
}

#[test]
fn pull_then_build_then_diff_shows_no_change_for_every_corpus_page() {
    let pages = corpus_pages();
    for page in pages {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let html = std::fs::read_to_string(&page).unwrap();
        let okta = org();
        let acme = okta.brand_id("Acme").unwrap();
        okta.set_sign_in(
            &acme,
            "customized",
            Some(json!({
                "pageContent": html,
                "widgetVersion": "7.13",
                "contentSecurityPolicySetting": {"mode": "report_only", "reportUri": "https://csp.example.com/r", "srcList": ["https://cdn.example.com"]},
                "widgetCustomizations": {"widgetGeneration": "G2", "helpUrl": "https://help.example.com", "showUserIdentifier": false,
                    "postAuthKeepMeSignedInPrompt": {"title": "Stay?", "subtitle": null, "acceptButtonText": "Yes", "rejectButtonText": "No"}}
            })),
        );
        let p = project(&okta);
        p.write(
            "signin-pages.toml",
            p.read("signin-pages.toml")
                .replace("[[brands]]\nname = \"Beta\"\n", "")
                + "[check]\nallow = ["
                + &crate::corpus::allowable_codes()
                + "]\n",
        );
        let out = run(&p, &["pull", "--env", "prod", "--brand", "Acme"]);
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
        let out = run(&p, &["build"]);
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
        assert_eq!(p.read("dist/prod/Acme/sign-in.html"), html, "{name}");
        let out = run(&p, &["diff", "--env", "prod", "--brand", "Acme"]);
        assert_eq!(code(&out), 0, "{name}: {}{}", stdout(&out), stderr(&out));
    }
}

#[test]
fn a_service_app_gets_one_token_for_the_run() {
    let okta = org();
    okta.oauth_client("0oaservice");
    let p = project(&okta);
    std::fs::create_dir_all(p.path().join("keys")).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/keys/test-service-app.pem"),
        p.path().join("keys/app.pem"),
    )
    .unwrap();
    let toml = p.read("signin-pages.toml").replace(
        "[[brands]]\nname = \"Acme\"",
        "[environments.prod.oauth]\nclient_id = \"0oaservice\"\nprivate_key_file = \"keys/app.pem\"\nscopes = [\"okta.brands.read\", \"okta.brands.manage\"]\n\n[[brands]]\nname = \"Acme\"",
    );
    p.write("signin-pages.toml", toml);
    let out = std::process::Command::new(BIN)
        .args(["deploy", "--env", "prod", "--preview", "-vv", "--project"])
        .arg(p.path())
        .env_remove("OKTA_API_TOKEN")
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(
        okta.token_requests(),
        1,
        "the access token is cached for the run"
    );
    let bearer = okta
        .requests()
        .iter()
        .filter(|r| {
            r.header("authorization")
                .is_some_and(|a| a.starts_with("Bearer "))
        })
        .count();
    assert!(bearer >= 5, "{bearer}");
    // Neither the key nor the access token is printed.
    let key = std::fs::read_to_string(p.path().join("keys/app.pem")).unwrap();
    let body = key.lines().nth(1).unwrap();
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        !all.contains(body) && !all.contains(&okta.access_token()),
        "{all}"
    );
}

#[test]
fn okta_sdk_variables_are_honoured() {
    let okta = org();
    let p = project(&okta);
    p.write(
        "signin-pages.toml",
        p.read("signin-pages.toml")
            .replace(&format!("org_url = \"{}\"\n", okta.url()), ""),
    );
    let out = std::process::Command::new(BIN)
        .args(["diff", "--env", "prod", "--project"])
        .arg(p.path())
        .env_remove("OKTA_API_TOKEN")
        .env("OKTA_CLIENT_ORGURL", okta.url())
        .env("OKTA_CLIENT_TOKEN", DEFAULT_TOKEN)
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let out = std::process::Command::new(BIN)
        .args(["diff", "--env", "prod", "--project"])
        .arg(p.path())
        .env_remove("OKTA_API_TOKEN")
        .env_remove("OKTA_CLIENT_TOKEN")
        .env("OKTA_CLIENT_ORGURL", okta.url())
        .output()
        .unwrap();
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("set OKTA_API_TOKEN or OKTA_CLIENT_TOKEN"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn https_only_except_loopback() {
    let p = Project::with_page(WIDGET_PAGE).file("signin-pages.toml", "[project]\nname = \"t\"\n[environments.prod]\norg_url = \"http://example.okta.com\"\n[[brands]]\nname = \"Acme\"\n");
    let out = run(&p, &["diff", "--env", "prod"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("must use https://"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn low_remaining_paces_instead_of_hitting_429() {
    let okta = org();
    okta.rate_limit(4, std::time::Duration::from_secs(4));
    let p = project(&okta);
    let out = run(&p, &["deploy", "--env", "prod", "--preview", "-vv"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains("pacing"),
        "{}\n{}",
        stderr(&out),
        okta.requests_text()
    );
    let limited = okta
        .requests()
        .iter()
        .filter(|r| r.status == Some(429))
        .count();
    assert_eq!(limited, 0, "{}", okta.requests_text());
}

#[test]
fn two_brands_with_one_name_are_refused() {
    let okta = org();
    okta.add_brand("Beta", false);
    let p = project(&okta);
    let out = run(&p, &["deploy", "--env", "prod", "--preview"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("2 brands in the org are named `Beta`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(puts(&okta), 0);
}

#[test]
fn no_backup_no_write() {
    let okta = org();
    let p = project(&okta);
    // A file where the brand's backup folder should be: the backup cannot be written.
    p.write(".signin-pages/backups/prod/Acme", "in the way");
    let out = run(&p, &["deploy", "--env", "prod", "--preview"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("not written: the backup failed"),
        "{}",
        stdout(&out)
    );
    assert!(
        okta.sign_in(&okta.brand_id("Acme").unwrap(), "preview")
            .is_none()
    );
    // The other brand went out.
    assert!(
        okta.sign_in(&okta.brand_id("Beta").unwrap(), "preview")
            .is_some()
    );
}

// ---- KMSI labels: only the ones the project sets are sent -------------------------------------

/// The `postAuthKeepMeSignedInPrompt` of every sign-in PUT the fake received for `slot`.
fn sent_prompts(okta: &FakeOkta, brand_id: &str, slot: &str) -> Vec<Option<Value>> {
    okta.requests_matching(Some("PUT"), &format!("{brand_id}/pages/sign-in/{slot}"))
        .iter()
        .map(|r| {
            let body = r.json().expect("a JSON body");
            body["widgetCustomizations"]
                .get("postAuthKeepMeSignedInPrompt")
                .cloned()
        })
        .collect()
}

#[test]
fn kmsi_labels_the_project_leaves_unset_are_not_sent() {
    let okta = org();
    let p = project(&okta);
    let acme = okta.brand_id("Acme").unwrap();
    // No [kmsi] labels at all: no prompt object, so the widget shows its own text in
    // every language.
    p.write("locales/en.toml", "[strings]\nhello = \"Hello\"\n");
    let deploy = ["deploy", "--env", "prod", "--preview", "--brand", "Acme"];
    let out = run(&p, &deploy);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(sent_prompts(&okta, &acme, "preview"), [None]);
    let held = okta.sign_in(&acme, "preview").unwrap();
    let prompt = &held["widgetCustomizations"]["postAuthKeepMeSignedInPrompt"];
    for f in ["title", "subtitle", "acceptButtonText", "rejectButtonText"] {
        assert!(prompt[f].is_null(), "{f}: {held}");
    }
    // The org's nulls are what the project asks for: nothing to do.
    let out = run(
        &p,
        &[
            "diff",
            "--env",
            "prod",
            "--against",
            "preview",
            "--brand",
            "Acme",
        ],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));

    // Only a title: only the title goes out.
    p.write("locales/en.toml", "[kmsi]\ntitle = \"Stay signed in?\"\n");
    let out = run(&p, &deploy);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(
        sent_prompts(&okta, &acme, "preview").last().unwrap(),
        &Some(json!({"title": "Stay signed in?"}))
    );
    let held = okta.sign_in(&acme, "preview").unwrap();
    assert_eq!(
        held["widgetCustomizations"]["postAuthKeepMeSignedInPrompt"],
        json!({"title": "Stay signed in?", "subtitle": null, "acceptButtonText": null, "rejectButtonText": null})
    );
    let out = run(
        &p,
        &[
            "diff",
            "--env",
            "prod",
            "--against",
            "preview",
            "--brand",
            "Acme",
        ],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn diff_shows_kmsi_labels_the_org_has_and_the_project_does_not() {
    let okta = org();
    let p = project(&okta);
    let acme = okta.brand_id("Acme").unwrap();
    p.write("locales/en.toml", "");
    let mut live = built_body(&p, "Acme");
    let diff = ["diff", "--env", "prod", "--brand", "Acme"];
    // Null labels in the org, none in the project: equal.
    live["widgetCustomizations"]["postAuthKeepMeSignedInPrompt"] = json!({"title": null, "subtitle": null, "acceptButtonText": null, "rejectButtonText": null});
    okta.set_sign_in(&acme, "customized", Some(live.clone()));
    let out = run(&p, &diff);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    // A label the org has and the project does not set: the next PUT clears it.
    live["widgetCustomizations"]["postAuthKeepMeSignedInPrompt"]["title"] = json!("Stay?");
    okta.set_sign_in(&acme, "customized", Some(live.clone()));
    let out = run(&p, &diff);
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains(
            "widgetCustomizations.postAuthKeepMeSignedInPrompt.title: \"Stay?\" → (unset)"
        ),
        "{}",
        stdout(&out)
    );
    // Okta's English text set explicitly is not the same as null: null lets the widget
    // speak the visitor's language.
    live["widgetCustomizations"]["postAuthKeepMeSignedInPrompt"]["title"] = Value::Null;
    okta.set_sign_in(&acme, "customized", Some(live));
    p.write("locales/en.toml", "[kmsi]\ntitle = \"Keep me signed in\"\n");
    let out = run(&p, &diff);
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains(
            "widgetCustomizations.postAuthKeepMeSignedInPrompt.title: (unset) → \"Keep me signed in\""
        ),
        "{}",
        stdout(&out)
    );
}

#[test]
fn publish_refuses_to_drop_kmsi_labels_the_org_has() {
    let okta = org();
    let p = project(&okta);
    let acme = okta.brand_id("Acme").unwrap();
    let mut live = built_body(&p, "Acme");
    live["widgetCustomizations"]["postAuthKeepMeSignedInPrompt"] =
        json!({"title": "Stay signed in?", "subtitle": "Fewer prompts on this device."});
    okta.set_sign_in(&acme, "customized", Some(live));
    let deploy = ["deploy", "--env", "prod", "--brand", "Acme"];
    assert_eq!(code(&run(&p, &[&deploy[..], &["--preview"]].concat())), 0);
    let out = run(&p, &[&deploy[..], &["--publish"]].concat());
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains(
            "widgetCustomizations.postAuthKeepMeSignedInPrompt.subtitle (\"Fewer prompts on this device.\")"
        ) && stdout(&out).contains("--allow-reset"),
        "{}",
        stdout(&out)
    );
    assert!(sent_prompts(&okta, &acme, "customized").is_empty());
    let out = run(&p, &[&deploy[..], &["--publish", "--allow-reset"]].concat());
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(
        sent_prompts(&okta, &acme, "customized"),
        [Some(json!({"title": "Stay signed in?"}))]
    );
    let held = okta.sign_in(&acme, "customized").unwrap();
    assert!(held["widgetCustomizations"]["postAuthKeepMeSignedInPrompt"]["subtitle"].is_null());
    assert_eq!(
        p.backups("prod", "Acme").last().unwrap()["body"]["widgetCustomizations"]["postAuthKeepMeSignedInPrompt"]
            ["subtitle"],
        "Fewer prompts on this device."
    );
}

#[test]
fn pull_takes_the_orgs_kmsi_labels_exactly() {
    let okta = org();
    let p = project(&okta);
    let acme = okta.brand_id("Acme").unwrap();
    p.write(
        "locales/en.toml",
        "[kmsi]\ntitle = \"Old\"\nsubtitle = \"Gone from the org\"\nremember = \"Remember me\"\n",
    );
    let mut live = built_body(&p, "Acme");
    live["widgetCustomizations"]["postAuthKeepMeSignedInPrompt"] = json!({"title": "Stay?", "subtitle": null, "acceptButtonText": "Yes", "rejectButtonText": null});
    okta.set_sign_in(&acme, "customized", Some(live));
    let out = run(&p, &["pull", "--env", "prod", "--brand", "Acme"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // The label the org does not have leaves the project; `remember` has no API field.
    let en = p.read("locales/en.toml");
    assert!(
        en.contains("title = \"Stay?\"")
            && en.contains("accept = \"Yes\"")
            && en.contains("remember = \"Remember me\"")
            && !en.contains("subtitle"),
        "{en}"
    );
    let out = run(&p, &["diff", "--env", "prod", "--brand", "Acme"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
}

/// Brands with non-ASCII names got ASCII-only folders before (`東京` and `大阪` both
/// `--`): their backups there are still listed, each under its own brand.
#[test]
fn backups_in_the_old_ascii_folder_are_still_found() {
    let p = Project::with_page(WIDGET_PAGE).file(
        "signin-pages.toml",
        "[project]\nname = \"t\"\n[environments.prod]\n[[brands]]\nname = \"東京\"\n[[brands]]\nname = \"大阪\"\n",
    );
    for (brand, file) in [
        ("東京", "20250101T000000.000Z-sign-in-preview.json"),
        ("大阪", "20250102T000000.000Z-sign-in-customized.json"),
    ] {
        let doc = json!({"brand": brand, "brandId": "b", "environment": "prod", "page": "sign-in", "slot": if file.contains("preview") { "preview" } else { "customized" }, "takenAt": "x", "body": null});
        p.write(
            &format!(".signin-pages/backups/prod/--/{file}"),
            serde_json::to_string(&doc).unwrap(),
        );
    }
    let out = p.run(&["backups", "list", "--env", "prod"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let rows: Vec<String> = stdout(&out)
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        rows,
        [
            "prod 東京 sign-in preview absent 20250101T000000.000Z-sign-in-preview.json",
            "prod 大阪 sign-in customized absent 20250102T000000.000Z-sign-in-customized.json",
        ],
        "{}",
        stdout(&out)
    );
}

/// A preview-state file that holds JSON but not an object (damaged, or written by hand)
/// is started afresh: the preview is recorded and `--publish` works. Indexing the old
/// `[…]` as an object panicked the deploy after its PUT.
#[test]
fn a_damaged_preview_state_file_is_started_afresh() {
    let okta = org();
    let p = project(&okta);
    let acme = okta.brand_id("Acme").unwrap();
    p.write(
        ".signin-pages/state/prod/Acme.json",
        "[\"not\", \"an object\"]\n",
    );
    let out = run(
        &p,
        &["deploy", "--env", "prod", "--brand", "Acme", "--preview"],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    let state: Value = serde_json::from_str(&p.read(".signin-pages/state/prod/Acme.json")).unwrap();
    assert!(state["sign-in"]["previewedSha256"].is_string(), "{state}");
    let out = run(
        &p,
        &["deploy", "--env", "prod", "--brand", "Acme", "--publish"],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(
        okta.sign_in(&acme, "customized").unwrap()["pageContent"],
        built_body(&p, "Acme")["pageContent"]
    );
}

/// A page backup exactly as earlier versions wrote it (by hand here, not by this build)
/// is restored: the one backup type reads the shape already on disk, and what the
/// rollback replaced is saved in that same shape.
#[test]
fn a_page_backup_written_by_an_earlier_version_is_restored() {
    let okta = org();
    let p = project(&okta);
    let acme = okta.brand_id("Acme").unwrap();
    okta.set_sign_in(
        &acme,
        "customized",
        Some(json!({"pageContent": "<p>now</p>", "widgetVersion": "^7"})),
    );
    let doc = json!({
        "body": {"pageContent": "<p>then</p>", "widgetVersion": "^7", "contentSecurityPolicySetting": null},
        "brand": "Acme", "brandId": acme, "environment": "prod",
        "page": "sign-in", "slot": "customized", "takenAt": "20250101T000000.000Z"
    });
    p.write(
        ".signin-pages/backups/prod/Acme/20250101T000000.000Z-sign-in-customized.json",
        serde_json::to_string_pretty(&doc).unwrap(),
    );
    let out = run(&p, &["rollback", "--env", "prod", "--brand", "Acme"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(
        okta.sign_in(&acme, "customized").unwrap()["pageContent"],
        "<p>then</p>"
    );
    let b = p.backups("prod", "Acme");
    assert_eq!(b.len(), 2);
    assert_eq!(b[0], doc);
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&b[1]), keys(&doc));
    assert_eq!(b[1]["body"]["pageContent"], "<p>now</p>");
    assert_eq!(
        (&b[1]["brand"], &b[1]["slot"]),
        (&json!("Acme"), &json!("customized"))
    );
}
