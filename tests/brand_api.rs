//! The Okta client for the rest of the sign-in brand (issue 14): a brand's theme, its
//! images, its sign-out page and the brand itself, each call against the fake Okta on a
//! real socket. What is pinned: a theme PUT carries every field Okta requires, uploads
//! are multipart forms that arrive byte for byte, image downloads never leave the org
//! or Okta's CDN and never carry the token, the brand PUT (a full replace) keeps every
//! field signin-pages does not manage, and faults are retried as for pages.

use std::net::TcpListener;
use std::time::Duration;

use serde_json::{Value, json};
use signin_pages::okta::images::{self, Image, Upload};
use signin_pages::okta::sign_out::{self, SignOutPage};
use signin_pages::okta::{Client, Credentials, OktaError, OrgUrl, Secret, brands, themes};

use crate::support::fake_okta::{DEFAULT_TOKEN, FakeOkta, Fault};

fn client(okta: &FakeOkta) -> Client {
    let creds = Credentials::ApiToken {
        token: Secret::new(DEFAULT_TOKEN),
        source: "the test".into(),
    };
    Client::new(OrgUrl::parse(&okta.url()).unwrap(), creds, 0).unwrap()
}

/// A PNG header (`w` × `h`) and then bytes that look like multipart framing: CR LF,
/// `--`, a boundary-like line, NUL and every byte value.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(b"\x08\x06\0\0\0\r\n--\r\n--signin-pages-0000\r\n\r\n");
    b.extend((0..=255u8).cycle().take(3000));
    b
}

fn gif() -> Vec<u8> {
    let mut b = b"GIF89a\x02\0\x02\0".to_vec();
    b.extend_from_slice(b"\r\n\r\n--x--\r\n\0\xff");
    b
}

#[test]
fn a_theme_is_listed_read_and_replaced_with_every_required_field() {
    let okta = FakeOkta::start().with_brands(&["Acme"]);
    let brand = okta.brand_id("Acme").unwrap();
    let c = client(&okta);

    let listed = themes::list(&c, &brand).unwrap();
    assert_eq!(listed.len(), 1);
    let mut theme = themes::current(&c, &brand).unwrap();
    assert_eq!(theme, listed[0]);
    assert_eq!(theme.primary_color, "#1662dd");
    assert_eq!(theme.sign_in_page, "OKTA_DEFAULT");
    assert_eq!(
        themes::get(&c, &brand, &theme.id).unwrap().as_ref(),
        Some(&theme)
    );
    assert_eq!(themes::get(&c, &brand, "thdnosuchtheme").unwrap(), None);

    theme.primary_color = "#0f5c45".into();
    theme.sign_in_page = "BACKGROUND_IMAGE".into();
    theme.loading_page = "NONE".into();
    let answered = themes::put(&c, &brand, &theme).unwrap();
    assert_eq!(answered, theme);
    // The fake refuses a PUT without a required field (as Okta does): this one passed,
    // and what it stored is what was sent, contrast colours included.
    let stored = okta.theme(&brand);
    assert_eq!(stored["primaryColorHex"], "#0f5c45");
    assert_eq!(stored["signInPageTouchPointVariant"], "BACKGROUND_IMAGE");
    assert_eq!(stored["loadingPageTouchPointVariant"], "NONE");
    assert_eq!(stored["primaryColorContrastHex"], "#000000");
    let put = okta.requests_matching(Some("PUT"), "/themes/");
    let body = put.last().unwrap().json().unwrap();
    for field in [
        "primaryColorHex",
        "secondaryColorHex",
        "signInPageTouchPointVariant",
        "endUserDashboardTouchPointVariant",
        "errorPageTouchPointVariant",
        "emailTemplateTouchPointVariant",
        "loadingPageTouchPointVariant",
    ] {
        assert!(body[field].is_string(), "the PUT lacks {field}: {body}");
    }
    for read_only in ["id", "logo", "favicon", "backgroundImage", "_links"] {
        assert!(body.get(read_only).is_none(), "the PUT sends {read_only}");
    }

    // Okta's refusal comes back as Okta's error, with its cause.
    theme.email_template = "SOMETHING_NEW".into();
    let e = themes::put(&c, &brand, &theme).unwrap_err();
    assert_eq!(e.status(), Some(400), "{e}");
    assert!(
        e.to_string().contains("emailTemplateTouchPointVariant"),
        "{e}"
    );
}

#[test]
fn every_image_uploads_as_multipart_and_comes_back_byte_for_byte() {
    let okta = FakeOkta::start().with_brands(&["Acme"]);
    let brand = okta.brand_id("Acme").unwrap();
    let c = client(&okta);
    let theme = themes::current(&c, &brand).unwrap();

    // Okta's defaults first: its logo and favicon are served from the org.
    assert_eq!(
        images::download(&c, theme.logo.as_deref().unwrap()).unwrap(),
        FakeOkta::DEFAULT_LOGO
    );
    assert_eq!(
        images::download(&c, theme.favicon.as_deref().unwrap()).unwrap(),
        FakeOkta::DEFAULT_FAVICON
    );
    assert_eq!(theme.background_image, None);

    for (image, bytes, name, ct) in [
        (Image::Logo, png(300, 50), "static/logo.png", "image/png"),
        (Image::Favicon, png(64, 64), "favicon.png", "image/png"),
        (Image::Background, gif(), "bg.gif", "image/gif"),
    ] {
        let file = Upload {
            file_name: name,
            content_type: ct,
            bytes: &bytes,
        };
        let url = images::upload(&c, &brand, &theme.id, image, &file).unwrap();
        let stored = okta.image(&url).expect("the fake stored the upload");
        assert_eq!(
            stored.bytes, bytes,
            "{image:?}: the bytes arrived unchanged"
        );
        assert_eq!(stored.content_type, ct);
        assert_eq!(stored.file_name, name.rsplit('/').next().unwrap());
        let sent = okta.requests_matching(Some("POST"), image.segment());
        let ct_header = sent
            .last()
            .unwrap()
            .header("content-type")
            .unwrap()
            .to_string();
        assert!(
            ct_header.starts_with("multipart/form-data; boundary=signin-pages-"),
            "{ct_header}"
        );
        // The theme names the new image, and it downloads byte for byte.
        let now = themes::current(&c, &brand).unwrap();
        assert_eq!(image.url_in(&now), Some(url.as_str()));
        assert_eq!(images::download(&c, &url).unwrap(), bytes);
    }
    // Deleting brings Okta's defaults back (no background at all).
    for image in Image::ALL {
        images::delete(&c, &brand, &theme.id, image).unwrap();
    }
    let after = themes::current(&c, &brand).unwrap();
    assert_eq!(after.logo, theme.logo);
    assert_eq!(after.favicon, theme.favicon);
    assert_eq!(after.background_image, None);

    // No image download carried the token; every API call did.
    let downloads: Vec<_> = okta
        .requests()
        .into_iter()
        .filter(|r| !r.path.starts_with("/api/"))
        .collect();
    assert_eq!(downloads.len(), 5);
    for r in &downloads {
        assert_eq!(r.header("authorization"), None, "{} {}", r.method, r.path);
    }
    assert!(
        okta.requests()
            .iter()
            .filter(|r| r.path.starts_with("/api/"))
            .all(|r| r.header("authorization").is_some())
    );
}

#[test]
fn a_wrong_image_is_refused_by_okta_with_its_cause() {
    let okta = FakeOkta::start().with_brands(&["Acme"]);
    let brand = okta.brand_id("Acme").unwrap();
    let c = client(&okta);
    let theme = themes::current(&c, &brand).unwrap();
    let not_square = png(64, 32);
    let e = images::upload(
        &c,
        &brand,
        &theme.id,
        Image::Favicon,
        &Upload {
            file_name: "favicon.png",
            content_type: "image/png",
            bytes: &not_square,
        },
    )
    .unwrap_err();
    assert_eq!(e.status(), Some(400), "{e}");
    assert!(e.to_string().contains("square"), "{e}");
}

/// A listener that counts the connections it was offered (none are served).
struct Elsewhere(TcpListener);

impl Elsewhere {
    fn start() -> Elsewhere {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.set_nonblocking(true).unwrap();
        Elsewhere(l)
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.0.local_addr().unwrap())
    }

    /// Connections waiting: the client connects before a download returns, so one
    /// made would be queued here.
    fn connections(&self) -> usize {
        std::iter::from_fn(|| self.0.accept().ok()).count()
    }
}

#[test]
fn an_image_url_off_the_org_is_never_fetched_and_never_gets_the_token() {
    let okta = FakeOkta::start().with_brands(&["Acme"]);
    let brand = okta.brand_id("Acme").unwrap();
    let c = client(&okta);
    let elsewhere = Elsewhere::start();

    // A theme that names an image on another origin (another port of the same host).
    okta.patch_theme(&brand, json!({"logo": elsewhere.url("/logo.png")}));
    let theme = themes::current(&c, &brand).unwrap();
    let e = images::download(&c, theme.logo.as_deref().unwrap()).unwrap_err();
    assert!(matches!(e, OktaError::Foreign { .. }), "{e}");
    let text = e.to_string();
    assert!(
        text.contains("the theme's image URL points at http://127.0.0.1:"),
        "{text}"
    );
    assert!(text.contains("oktacdn.com"), "{text}");
    assert_eq!(elsewhere.connections(), 0);

    // An image on the org that redirects elsewhere: the redirect is not followed.
    let url = images::upload(
        &c,
        &brand,
        &theme.id,
        Image::Logo,
        &Upload {
            file_name: "logo.png",
            content_type: "image/png",
            bytes: &png(300, 50),
        },
    )
    .unwrap();
    for status in [302, 307] {
        okta.fail_next(
            ("GET", "/bc/image/"),
            Fault::Redirect {
                status,
                location: elsewhere.url("/stolen"),
            },
        );
        let e = images::download(&c, &url).unwrap_err();
        assert!(matches!(e, OktaError::Foreign { .. }), "{e}");
        assert!(e.to_string().contains("redirect"), "{e}");
    }
    assert_eq!(elsewhere.connections(), 0);
    // Hosts that only look like the org, or like Okta's CDN, are refused before any
    // lookup; so are credentials in the URL.
    let port = okta.addr().port();
    for url in [
        format!("http://127.0.0.1:{port}@{}", &elsewhere.url("/x")[7..]),
        "https://ok12static.oktacdn.com.evil.example/x.png".to_string(),
        "https://169.254.169.254/latest/meta-data/".to_string(),
    ] {
        let e = images::download(&c, &url).unwrap_err();
        assert!(matches!(e, OktaError::Foreign { .. }), "{url}: {e}");
    }
    assert_eq!(elsewhere.connections(), 0);
    assert!(!okta.requests_text().contains("stolen"));
}

#[test]
fn an_image_larger_than_the_cap_is_not_read_whole() {
    let okta = FakeOkta::start().with_brands(&["Acme"]);
    let brand = okta.brand_id("Acme").unwrap();
    let c = client(&okta);
    let logo = themes::current(&c, &brand).unwrap().logo.unwrap();
    for declared in [true, false] {
        okta.fail_next(
            ("GET", "/assets/"),
            Fault::HugeBody {
                bytes: images::MAX_IMAGE + 1,
                declared,
            },
        );
        let e = images::download(&c, &logo).unwrap_err();
        assert!(e.to_string().contains("larger than 4 MiB"), "{e}");
    }
}

#[test]
fn the_sign_out_page_is_read_and_replaced() {
    let okta = FakeOkta::start().with_brands(&["Acme"]);
    let brand = okta.brand_id("Acme").unwrap();
    let c = client(&okta);
    assert_eq!(
        sign_out::get(&c, &brand).unwrap(),
        Some(SignOutPage::OktaDefault)
    );
    let ours = SignOutPage::External("https://www.acme.example/signed-out".into());
    assert_eq!(sign_out::put(&c, &brand, &ours).unwrap(), ours);
    assert_eq!(sign_out::get(&c, &brand).unwrap(), Some(ours));
    assert_eq!(
        okta.sign_out(&brand),
        json!({"type": "EXTERNALLY_HOSTED", "url": "https://www.acme.example/signed-out"})
    );
    assert_eq!(
        sign_out::put(&c, &brand, &SignOutPage::OktaDefault).unwrap(),
        SignOutPage::OktaDefault
    );
    let last = okta.requests_matching(Some("PUT"), "/sign-out/customized");
    assert_eq!(
        last.last().unwrap().json().unwrap(),
        json!({"type": "OKTA_DEFAULT"})
    );
    assert_eq!(sign_out::get(&c, "bndnosuchbrand").unwrap(), None);
}

/// Terraform's okta_brand detached a brand's email domain (#1902): a PUT that leaves a
/// field out resets it. The fake's PUT is such a full replace.
#[test]
fn a_brand_put_keeps_the_email_domain_and_fields_it_does_not_know() {
    let okta = FakeOkta::start().with_brands(&["Acme"]);
    let brand = okta.brand_id("Acme").unwrap();
    okta.set_brand_field(&brand, "emailDomainId", json!("OeD114iNkrcN6aR680g4"));
    okta.set_brand_field(&brand, "locale", json!("en"));
    okta.set_brand_field(
        &brand,
        "defaultApp",
        json!({"appInstanceId": "0oa1a2b3c4", "appLinkName": "acme_portal", "classicApplicationUri": null}),
    );
    okta.set_brand_field(&brand, "futureSetting", json!({"on": true, "list": [1, 2]}));
    let before = okta.brand(&brand);
    let c = client(&okta);

    let settings = brands::Settings {
        remove_powered_by_okta: Some(true),
        custom_privacy_policy_url: Some(Some("https://acme.example/privacy".into())),
        agree_to_custom_privacy_policy: Some(true),
        locale: Some(Some("fr".into())),
    };
    let (read, answered) = brands::update(&c, &brand, &settings).unwrap();
    assert_eq!(read["emailDomainId"], "OeD114iNkrcN6aR680g4");
    let after = okta.brand(&brand);
    assert_eq!(answered["emailDomainId"], after["emailDomainId"]);
    for kept in ["name", "emailDomainId", "futureSetting", "isDefault", "id"] {
        assert_eq!(after[kept], before[kept], "{kept} changed: {after}");
    }
    assert_eq!(after["defaultApp"]["appInstanceId"], "0oa1a2b3c4");
    assert_eq!(after["defaultApp"]["appLinkName"], "acme_portal");
    assert_eq!(after["removePoweredByOkta"], true);
    assert_eq!(
        after["customPrivacyPolicyUrl"],
        "https://acme.example/privacy"
    );
    assert_eq!(after["locale"], "fr");

    // Managing nothing changes nothing.
    brands::update(&c, &brand, &brands::Settings::default()).unwrap();
    let again = okta.brand(&brand);
    let strip = |v: &Value| {
        let mut v = v.clone();
        v["defaultApp"]
            .as_object_mut()
            .unwrap()
            .retain(|_, x| !x.is_null());
        v
    };
    assert_eq!(strip(&again), strip(&after));

    // Back to Okta's privacy policy: the URL goes, the rest stays.
    let reset = brands::Settings {
        custom_privacy_policy_url: Some(None),
        ..Default::default()
    };
    brands::update(&c, &brand, &reset).unwrap();
    let last = okta.brand(&brand);
    assert_eq!(last["customPrivacyPolicyUrl"], Value::Null);
    assert_eq!(last["emailDomainId"], "OeD114iNkrcN6aR680g4");
    assert_eq!(last["futureSetting"], before["futureSetting"]);
}

#[test]
fn theme_calls_and_uploads_are_retried_through_faults() {
    let okta = FakeOkta::start().with_brands(&["Acme"]);
    let brand = okta.brand_id("Acme").unwrap();
    let c = client(&okta);
    okta.fail_next(("GET", "/themes"), Fault::Reset);
    let mut theme = themes::current(&c, &brand).unwrap();
    theme.secondary_color = "#ebebec".into();
    okta.fail_next(
        ("PUT", "/themes/"),
        Fault::Status429 {
            reset_in: Duration::from_secs(1),
        },
    );
    themes::put(&c, &brand, &theme).unwrap();
    assert_eq!(okta.theme(&brand)["secondaryColorHex"], "#ebebec");

    // An upload replaces the image whole, so it is sent again after a 503 or a reset.
    okta.fail_next(("POST", "/logo"), Fault::Status503);
    okta.fail_next(("POST", "/logo"), Fault::Reset);
    let bytes = png(300, 50);
    let url = images::upload(
        &c,
        &brand,
        &theme.id,
        Image::Logo,
        &Upload {
            file_name: "logo.png",
            content_type: "image/png",
            bytes: &bytes,
        },
    )
    .unwrap();
    assert_eq!(okta.requests_matching(Some("POST"), "/logo").len(), 3);
    assert_eq!(okta.image(&url).unwrap().bytes, bytes);
    okta.fail_next(("GET", "/bc/image/"), Fault::Status500);
    assert_eq!(images::download(&c, &url).unwrap(), bytes);
    okta.fail_next(("PUT", "/sign-out/"), Fault::Status500);
    let page = SignOutPage::External("https://acme.example/bye".into());
    assert_eq!(sign_out::put(&c, &brand, &page).unwrap(), page);
    okta.fail_next(("PUT", &format!("/brands/{brand}") as &str), Fault::Reset);
    brands::update(&c, &brand, &brands::Settings::default()).unwrap();
    assert_eq!(okta.pending_faults(), 0);
    assert!(c.stats.retries.load(std::sync::atomic::Ordering::Relaxed) >= 7);
}
