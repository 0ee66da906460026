//! Merging the layers, and the request bodies by Okta's field names.

use std::sync::Arc;

use serde_json::json;

use super::*;
use crate::config;
use crate::diag::Diagnostics;
use crate::source::SourceFile;

fn parse(toml: &str) -> Config {
    let mut d = Diagnostics::new();
    let c = config::parse(Arc::new(SourceFile::new("signin-pages.toml", toml)), &mut d);
    c.unwrap_or_else(|| panic!("{d:?}"))
}

const LAYERED: &str = r##"
[project]
name = "t"
[theme]
primary_color = "#0F5C45"
secondary_color = "#ebebed"
sign_in_page = "BACKGROUND_IMAGE"
logo = "static/logo.png"
[sign_out]
url = "https://www.acme.example/signed-out"
[environments.dev.theme]
primary_color = "#112233"
[environments.prod]
[[brands]]
name = "A"
remove_powered_by_okta = true
privacy_policy_url = "https://acme.example/privacy"
agree_to_custom_privacy_policy = true
locale = "fr"
[brands.theme]
error_page = "BACKGROUND_SECONDARY_COLOR"
primary_contrast_color = "#ffffff"
[[brands]]
name = "B"
"##;

#[test]
fn layers_merge_key_by_key() {
    let c = parse(LAYERED);
    let root = Path::new("/p");
    let dev = c.environments.iter().find(|e| e.name == "dev").unwrap();
    let prod = c.environments.iter().find(|e| e.name == "prod").unwrap();
    let a = resolve(&c, dev, &c.brands[0], root);
    let t = a.theme.unwrap();
    assert_eq!(t.color(ColorKey::Primary), Some("#112233"));
    assert_eq!(t.color(ColorKey::PrimaryContrast), Some("#ffffff"));
    assert_eq!(t.variant(TouchPoint::SignInPage), "BACKGROUND_IMAGE");
    assert_eq!(
        t.variant(TouchPoint::ErrorPage),
        "BACKGROUND_SECONDARY_COLOR"
    );
    assert_eq!(t.variant(TouchPoint::LoadingPage), "OKTA_DEFAULT");
    assert_eq!(
        t.image(ImageKey::Logo).unwrap().path,
        Path::new("/p/static/logo.png")
    );
    let b = resolve(&c, prod, &c.brands[1], root);
    let t = b.theme.unwrap();
    // Lower-cased as Okta answers; no contrast colour unless written.
    assert_eq!(t.color(ColorKey::Primary), Some("#0f5c45"));
    assert_eq!(t.color(ColorKey::PrimaryContrast), None);
    assert_eq!(t.variant(TouchPoint::ErrorPage), "OKTA_DEFAULT");
    assert_eq!(
        b.sign_out.unwrap().put_body(),
        json!({"type": "EXTERNALLY_HOSTED", "url": "https://www.acme.example/signed-out"})
    );
    assert!(b.settings.is_empty());
}

#[test]
fn nothing_written_manages_nothing() {
    let c = parse("[project]\nname = \"t\"\n[environments.prod]\n[[brands]]\nname = \"A\"\n");
    let a = resolve(&c, &c.environments[0], &c.brands[0], Path::new("/p"));
    assert_eq!(a.theme, None);
    assert_eq!(a.sign_out, None);
    // An empty table manages the theme with Okta's defaults.
    let c = parse(
        "[project]\nname = \"t\"\n[theme]\n[sign_out]\n[environments.prod]\n[[brands]]\nname = \"A\"\n",
    );
    let a = resolve(&c, &c.environments[0], &c.brands[0], Path::new("/p"));
    assert_eq!(
        a.theme.unwrap().put_body(),
        json!({
            "primaryColorHex": "#1662dd",
            "secondaryColorHex": "#ebebed",
            "signInPageTouchPointVariant": "OKTA_DEFAULT",
            "errorPageTouchPointVariant": "OKTA_DEFAULT",
            "emailTemplateTouchPointVariant": "OKTA_DEFAULT",
            "endUserDashboardTouchPointVariant": "OKTA_DEFAULT",
            "loadingPageTouchPointVariant": "OKTA_DEFAULT",
        })
    );
    assert_eq!(
        a.sign_out.unwrap().put_body(),
        json!({"type": "OKTA_DEFAULT"})
    );
}

#[test]
fn brand_put_keeps_what_the_project_does_not_manage() {
    let c = parse(LAYERED);
    let a = resolve(&c, &c.environments[0], &c.brands[0], Path::new("/p"));
    let current = json!({
        "id": "bnd1", "isDefault": false, "name": "A", "emailDomainId": "OeD1",
        "defaultApp": {"appInstanceId": "0oa1"}, "removePoweredByOkta": false,
        "customPrivacyPolicyUrl": null, "locale": "en",
        "_links": {"self": {"href": "x"}}
    });
    assert_eq!(
        a.settings.brand_put_body(&current),
        json!({
            "name": "A", "emailDomainId": "OeD1", "defaultApp": {"appInstanceId": "0oa1"},
            "removePoweredByOkta": true, "customPrivacyPolicyUrl": "https://acme.example/privacy",
            "agreeToCustomPrivacyPolicy": true, "locale": "fr"
        })
    );
}
