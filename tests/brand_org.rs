//! The rest of the sign-in brand through the commands (issue 14): `diff`, `deploy`,
//! `rollback`, `backups list` and `pull` on the theme (colours, variants, images), the
//! sign-out page and the brand's settings, against the fake Okta on a real socket.

use serde_json::{Value, json};

use crate::support::fake_okta::FakeOkta;
use crate::support::run_with_token as run;
use crate::support::*;

const THEME: &str = "[theme]\nprimary_color = \"#0f5c45\"\nsecondary_color = \"#ebebed\"\nsign_in_page = \"BACKGROUND_IMAGE\"\nlogo = \"static/logo.png\"\nfavicon = \"static/favicon.png\"\nbackground = \"static/background.png\"\n[sign_out]\nurl = \"https://www.acme.example/signed-out\"\n";

/// A project over the fake org with brand Acme, a theme with three images, a sign-out
/// page and `remove_powered_by_okta` on the brand.
fn project(okta: &FakeOkta) -> Project {
    let toml = org_toml(&okta.url(), &["Acme"]) + "remove_powered_by_okta = true\n" + THEME;
    Project::with_page(WIDGET_PAGE)
        .file("signin-pages.toml", toml)
        .file("static/logo.png", png_image(120, 40))
        .file("static/favicon.png", png_image(32, 32))
        .file("static/background.png", png_image(200, 100))
}

fn publish(p: &Project) -> std::process::Output {
    run(p, &["deploy", "--env", "prod", "--publish", "--yes"])
}

fn image_bytes(okta: &FakeOkta, url: &Value) -> Vec<u8> {
    okta.image(url.as_str().expect("an image URL"))
        .expect("an uploaded image")
        .bytes
}

#[test]
fn publish_brings_the_brand_in_line_and_diff_then_exits_0() {
    let okta = FakeOkta::start().with_brands(&["Acme"]);
    let acme = okta.brand_id("Acme").unwrap();
    okta.set_brand_field(&acme, "emailDomainId", json!("OeD114iNkrcN6aR680g4"));
    okta.set_brand_field(&acme, "locale", json!("fr"));
    let p = project(&okta);

    let out = run(&p, &["diff", "--env", "prod"]);
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Acme / theme: changed"), "{text}");
    assert!(
        text.contains("primaryColorHex: \"#1662dd\" → \"#0f5c45\""),
        "{text}"
    );
    assert!(text.contains("Acme / logo: changed"), "{text}");
    assert!(text.contains("Acme / sign-out: changed"), "{text}");
    assert!(text.contains("removePoweredByOkta: false → true"), "{text}");

    let out = publish(&p);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let theme = okta.theme(&acme);
    assert_eq!(theme["primaryColorHex"], "#0f5c45");
    assert_eq!(theme["signInPageTouchPointVariant"], "BACKGROUND_IMAGE");
    // A contrast colour the project leaves to Okta is sent back as it was.
    assert_eq!(theme["primaryColorContrastHex"], "#000000");
    assert_eq!(
        image_bytes(&okta, &theme["logo"]),
        p.read_bytes("static/logo.png")
    );
    assert_eq!(
        image_bytes(&okta, &theme["backgroundImage"]),
        p.read_bytes("static/background.png")
    );
    assert_eq!(
        okta.sign_out(&acme),
        json!({"type": "EXTERNALLY_HOSTED", "url": "https://www.acme.example/signed-out"})
    );
    // The brand PUT is a full replace: what the project does not manage survives.
    let brand = okta.brand(&acme);
    assert_eq!(brand["removePoweredByOkta"], true);
    assert_eq!(brand["emailDomainId"], "OeD114iNkrcN6aR680g4");
    assert_eq!(brand["locale"], "fr");
    assert_eq!(brand["name"], "Acme");

    // In line: diff exits 0, a rerun writes nothing.
    let out = run(&p, &["diff", "--env", "prod"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("Acme / logo: same"),
        "{}",
        stdout(&out)
    );
    okta.clear_requests();
    let out = publish(&p);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let writes: Vec<_> = okta
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(writes.is_empty(), "a rerun wrote: {writes:?}");

    // A colour changed in the project: diff exits 2 and shows old → new.
    let toml = p.read("signin-pages.toml").replace("#0f5c45", "#14532d");
    p.write("signin-pages.toml", toml);
    let out = run(&p, &["diff", "--env", "prod"]);
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("primaryColorHex: \"#0f5c45\" → \"#14532d\""),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("Acme / logo: same"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn preview_leaves_the_brand_alone_and_dry_run_writes_nothing() {
    let okta = FakeOkta::start().with_brands(&["Acme"]);
    let acme = okta.brand_id("Acme").unwrap();
    let p = project(&okta);
    let before = (okta.theme(&acme), okta.sign_out(&acme), okta.brand(&acme));
    let out = run(&p, &["deploy", "--env", "prod", "--preview"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("left alone (Okta has no preview of them"),
        "{}",
        stdout(&out)
    );
    let out = run(&p, &["diff", "--env", "prod", "--against", "preview"]);
    assert!(
        stdout(&out).contains("not compared (Okta has no preview of them"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains("Acme / theme"), "{}", stdout(&out));
    let out = run(&p, &["deploy", "--env", "prod", "--publish", "--dry-run"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("Acme / theme:"), "{}", stdout(&out));
    assert!(stdout(&out).contains("would update"), "{}", stdout(&out));
    assert_eq!(
        (okta.theme(&acme), okta.sign_out(&acme), okta.brand(&acme)),
        before
    );
    assert!(
        p.backups("prod", "Acme")
            .iter()
            .all(|b| b.get("part").is_none())
    );
}

#[test]
fn a_bad_image_is_refused_before_any_request() {
    let okta = FakeOkta::start().with_brands(&["Acme"]);
    let p = project(&okta);
    // A GIF header behind a .png name is fine; text is not an image at all.
    p.write("static/logo.png", "not an image");
    let out = publish(&p);
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    assert!(all(&out).contains("B00"), "{}", all(&out));
    assert!(okta.requests().is_empty(), "{}", okta.requests_text());
}

#[test]
fn rollback_restores_colours_and_images_and_backups_lists_them() {
    let okta = FakeOkta::start().with_brands(&["Acme"]);
    let acme = okta.brand_id("Acme").unwrap();
    let p = project(&okta);
    let out = publish(&p);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let first = okta.theme(&acme);
    // A second publish with another colour and another logo.
    let toml = p.read("signin-pages.toml").replace("#0f5c45", "#14532d");
    p.write("signin-pages.toml", toml);
    p.write("static/logo.png", png_image(90, 30));
    let out = publish(&p);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(okta.theme(&acme)["primaryColorHex"], "#14532d");
    let parts: Vec<Value> = p
        .backups("prod", "Acme")
        .into_iter()
        .filter(|b| b.get("part").is_some())
        .collect();
    assert!(
        parts
            .iter()
            .any(|b| b["part"] == "logo" && b["body"]["base64"].is_string())
    );

    let out = run(&p, &["backups", "list", "--env", "prod"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("theme"), "{}", stdout(&out));
    assert!(stdout(&out).contains("logo"), "{}", stdout(&out));

    let out = run(&p, &["rollback", "--env", "prod", "--brand", "Acme"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let now = okta.theme(&acme);
    assert_eq!(now["primaryColorHex"], "#0f5c45");
    assert_eq!(
        image_bytes(&okta, &now["logo"]),
        image_bytes(&okta, &first["logo"]),
        "the logo is the first publish's again"
    );
    // The project's (second) state differs again.
    let out = run(&p, &["diff", "--env", "prod"]);
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));

    // Back to before the first publish: Okta's own logo again (deleted, not uploaded as
    // ours), Okta's colours, no background.
    let first_run = parts
        .iter()
        .map(|b| b["run"].as_str().unwrap().to_string())
        .min()
        .unwrap();
    let out = run(
        &p,
        &[
            "rollback", "--env", "prod", "--brand", "Acme", "--to", &first_run,
        ],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let now = okta.theme(&acme);
    assert_eq!(now["primaryColorHex"], "#1662dd");
    assert!(okta.image(now["logo"].as_str().unwrap()).is_none(), "{now}");
    assert!(now["backgroundImage"].is_null(), "{now}");
    assert_eq!(okta.requests_matching(Some("DELETE"), "/logo").len(), 1);
}

#[test]
fn pull_on_an_empty_project_round_trips_the_theme_and_its_images() {
    let okta = FakeOkta::start().with_brands(&["Acme"]);
    let p = project(&okta);
    let out = publish(&p);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));

    // A project with nothing but the org, the brand and an empty template.
    let q = Project::empty()
        .file("signin-pages.toml", org_toml(&okta.url(), &["Acme"]))
        .file("templates/sign-in.html", "");
    let out = run(&q, &["pull", "--env", "prod"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    for img in ["logo", "favicon", "background"] {
        assert_eq!(
            q.read_bytes(&format!("static/{img}.png")),
            p.read_bytes(&format!("static/{img}.png")),
            "{img} byte for byte"
        );
    }
    let toml = q.read("signin-pages.toml");
    assert!(
        toml.starts_with(&org_toml(&okta.url(), &["Acme"])),
        "{toml}"
    );
    assert!(toml.contains("primary_color = \"#0f5c45\""), "{toml}");
    assert!(
        toml.contains("sign_in_page = \"BACKGROUND_IMAGE\""),
        "{toml}"
    );
    assert!(
        toml.contains("url = \"https://www.acme.example/signed-out\""),
        "{toml}"
    );
    // The pulled project is what the org holds: diff exits 0.
    let out = run(&q, &["diff", "--env", "prod"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
}

/// 20 brands, every part managed, 30 % of requests faulted (uploads and image downloads
/// included): after every run each brand's theme is as it was or as built, and a changed
/// one has a backup of what it was; reruns converge, and then nothing is written.
#[test]
fn twenty_brands_under_30_percent_faults_converge() {
    use crate::support::fake_okta::Fault;
    const N: usize = 20;
    let names: Vec<String> = (0..N).map(|i| format!("Brand{i:02}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let okta = FakeOkta::start().with_brands(&refs);
    let mut toml = org_toml(&okta.url(), &refs);
    toml = toml.replace(
        "\n[[brands]]",
        "\n[[brands]]\nremove_powered_by_okta = true",
    );
    let toml = toml + THEME;
    let p = Project::with_page(WIDGET_PAGE)
        .file("signin-pages.toml", toml)
        .file("static/logo.png", png_image(120, 40))
        .file("static/favicon.png", png_image(32, 32))
        .file("static/background.png", png_image(200, 100));
    let ids: Vec<String> = refs.iter().map(|n| okta.brand_id(n).unwrap()).collect();
    let before: Vec<Value> = ids.iter().map(|id| okta.theme(id)).collect();
    okta.fault_rate_with(
        30,
        17,
        Fault::every_kind(),
        "/",
        Some(&["GET", "PUT", "DELETE", "POST"]),
    );
    let args = ["deploy", "--env", "prod", "--publish", "--yes"];
    let mut converged = false;
    for _ in 0..6 {
        let out = command_with_token(&p, &args)
            .env("SIGNIN_PAGES_RETRY_BASE_MS", "10")
            .env("SIGNIN_PAGES_TIMEOUT_MS", "500")
            .output()
            .unwrap();
        let c = code(&out);
        assert!(c == 0 || c == 1, "exit {c}: {}", all(&out));
        assert!(!all(&out).contains("panicked"), "{}", all(&out));
        for (i, id) in ids.iter().enumerate() {
            let now = okta.theme(id)["primaryColorHex"].clone();
            let had = before[i]["primaryColorHex"].clone();
            assert!(now == had || now == "#0f5c45", "{}: {now}", names[i]);
            if now != had {
                let b = p.backups("prod", &names[i]);
                assert!(
                    b.iter()
                        .any(|x| x["part"] == "theme" && x["body"]["primaryColorHex"] == had),
                    "{}: the theme changed without a backup of it",
                    names[i]
                );
            }
        }
        if c == 0 {
            converged = true;
            break;
        }
        assert!(stderr(&out).contains("error: "), "{}", all(&out));
    }
    assert!(converged, "did not converge in 6 runs");
    okta.clear_faults();
    for id in &ids {
        let t = okta.theme(id);
        assert_eq!(t["primaryColorHex"], "#0f5c45");
        assert_eq!(
            okta.image(t["logo"].as_str().unwrap()).unwrap().bytes,
            p.read_bytes("static/logo.png")
        );
        assert_eq!(okta.brand(id)["removePoweredByOkta"], true);
    }
    okta.clear_requests();
    let out = run(&p, &args);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(
        okta.requests().iter().all(|r| r.method == "GET"),
        "{}",
        okta.requests_text()
    );
}
