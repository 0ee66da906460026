//! The request bodies validate against `SignInPage` / `ErrorPage` of Okta's official
//! OpenAPI spec (v2026.06.3), read from the spec file itself. The validator is strict: a
//! property the schema does not declare is an error, so a misspelt key cannot pass.

use std::sync::OnceLock;

use serde_json::Value;

use crate::support::*;

fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = std::fs::read_to_string(shared().join("okta/management-oneOfInheritance.yaml"))
            .expect("Okta's spec in ../shared/okta");
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("spec parses");
        serde_json::to_value(yaml).expect("spec converts to JSON")
    })
}

fn resolve(schema: &Value) -> &Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r
                .strip_prefix("#/components/schemas/")
                .expect("local schema ref");
            resolve(&spec()["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// Every property name an object schema declares, through allOf and $ref.
fn declared(schema: &Value, out: &mut Vec<String>) {
    let schema = resolve(schema);
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        out.extend(props.keys().cloned());
    }
    for s in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        declared(s, out);
    }
}

/// `strict`: refuse undeclared properties (off for the members of an allOf, which each
/// declare only part of the object).
fn validate(schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    validate_inner(schema, value, path, errors, true);
}

fn validate_inner(
    schema: &Value,
    value: &Value,
    path: &str,
    errors: &mut Vec<String>,
    strict: bool,
) {
    let schema = resolve(schema);
    for s in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        validate_inner(s, value, path, errors, false);
    }
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        let ok = match t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            _ => true,
        };
        if !ok {
            errors.push(format!("{path}: expected {t}, got {value}"));
            return;
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(value)
    {
        errors.push(format!("{path}: {value} is not one of {e:?}"));
    }
    if let (Some(p), Some(s)) = (
        schema.get("pattern").and_then(Value::as_str),
        value.as_str(),
    ) && !regex::Regex::new(p).unwrap().is_match(s)
    {
        errors.push(format!("{path}: {s:?} does not match {p}"));
    }
    if let (true, Some(obj)) = (strict, value.as_object()) {
        let mut names = Vec::new();
        declared(schema, &mut names);
        if !names.is_empty() || schema.get("properties").is_some() {
            for (k, v) in obj {
                if !names.contains(k) {
                    errors.push(format!("{path}.{k}: not declared by the schema"));
                    continue;
                }
                if let Some(ps) = property_schema(schema, k) {
                    validate(ps, v, &format!("{path}.{k}"), errors);
                }
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            validate(items, v, &format!("{path}[{i}]"), errors);
        }
    }
}

fn property_schema<'a>(schema: &'a Value, key: &str) -> Option<&'a Value> {
    let schema = resolve(schema);
    if let Some(p) = schema.get("properties").and_then(|p| p.get(key)) {
        return Some(p);
    }
    schema
        .get("allOf")
        .and_then(Value::as_array)?
        .iter()
        .find_map(|s| property_schema(s, key))
}

fn check(schema_name: &str, json: &str) -> Vec<String> {
    let value: Value = serde_json::from_str(json).unwrap();
    let schema = &spec()["components"]["schemas"][schema_name];
    assert!(schema.is_object(), "{schema_name} not in the spec");
    let mut errors = Vec::new();
    validate(schema, &value, "$", &mut errors);
    errors
}

const EVERYTHING: &str = r#"[project]
name = "t"
[widget]
version = "7.13"
generation = "G3"
[csp]
mode = "enforced"
report_uri = "https://csp.example.com/r"
src_list = ["https://cdn.example.com", "https://*.example.org/path"]
[widget_customizations]
sign_in_label = "Sign in"
username_label = "User"
username_info_tip = "Your email"
password_label = "Password"
password_info_tip = "Your password"
show_password_visibility_toggle = true
show_user_identifier = false
forgot_password_label = "Forgot?"
forgot_password_url = "https://example.com/forgot"
unlock_account_label = "Unlock"
unlock_account_url = "https://example.com/unlock"
help_label = "Help"
help_url = "https://example.com/help"
custom_link1_label = "One"
custom_link1_url = "https://example.com/1"
custom_link2_label = "Two"
custom_link2_url = "https://example.com/2"
authenticator_page_custom_link_label = "Auth"
authenticator_page_custom_link_url = "https://example.com/auth"
classic_recovery_flow_email_or_username_label = "Email or username"
classic_footer_help_title = "Footer"
grace_period_required_soon = { description = "Enroll soon", custom_link_label = "How", custom_link_url = "https://example.com/how" }
[environments.prod]
[[brands]]
name = "B"
"#;

#[test]
fn every_customization_field_validates() {
    let p = Project::with_page("<p>{{pageTitle}}</p>\n")
        .file("signin-pages.toml", EVERYTHING)
        .file("templates/error.html", "<p>{{errorSummary}}</p>\n")
        .file(
            "locales/en.toml",
            "[kmsi]\ntitle = \"T\"\nsubtitle = \"S\"\naccept = \"A\"\nreject = \"R\"\n",
        );
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let body = p.read("dist/prod/B/sign-in.json");
    assert_eq!(check("SignInPage", &body), Vec::<String>::new());
    assert_eq!(
        check("ErrorPage", &p.read("dist/prod/B/error.json")),
        Vec::<String>::new()
    );
    // Every widgetCustomizations property of the schema but none is set here by hand.
    let v: Value = serde_json::from_str(&body).unwrap();
    let mut names = Vec::new();
    declared(
        property_schema(
            &spec()["components"]["schemas"]["SignInPage"],
            "widgetCustomizations",
        )
        .unwrap(),
        &mut names,
    );
    let mut sent: Vec<String> = v["widgetCustomizations"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    sent.sort();
    names.sort();
    assert_eq!(
        sent, names,
        "a widgetCustomizations field of Okta's schema cannot be set"
    );
}

#[test]
fn the_starter_validates() {
    let p = Project::starter();
    assert_eq!(code(&p.run(&["build"])), 0);
    assert_eq!(
        check("SignInPage", &p.read("dist/prod/Example/sign-in.json")),
        Vec::<String>::new()
    );
}

#[test]
fn bodies_with_no_or_some_kmsi_labels_validate() {
    // The spec's four prompt fields are plain strings (not nullable): unset labels are
    // left out, and with none set so is the whole object.
    for (en, want) in [
        ("", None),
        (
            "[kmsi]\nsubtitle = \"Fewer prompts\"\nremember = \"Remember me\"\n",
            Some(serde_json::json!({"subtitle": "Fewer prompts"})),
        ),
    ] {
        let p = Project::with_page("<p>{{pageTitle}}</p>\n").file("locales/en.toml", en);
        let out = p.run(&["build"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let files = tree(&p.path().join("dist"));
        let (_, body) = files
            .iter()
            .find(|(f, _)| f.ends_with("sign-in.json"))
            .unwrap();
        let body = String::from_utf8(body.clone()).unwrap();
        assert_eq!(check("SignInPage", &body), Vec::<String>::new(), "{en}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            v["widgetCustomizations"]
                .get("postAuthKeepMeSignedInPrompt")
                .cloned(),
            want,
            "{en}"
        );
    }
}

#[test]
fn the_example_project_validates() {
    let p = Project::empty();
    copy_tree(&repo().join("examples/acme"), p.path());
    let _ = std::fs::remove_dir_all(p.path().join("dist"));
    let out = p.run(&["build"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let files = tree(&p.path().join("dist"));
    assert!(files.len() >= 8);
    for (name, bytes) in files {
        let json = String::from_utf8(bytes).unwrap();
        let errors = match name.rsplit('/').next().unwrap() {
            "sign-in.json" => check("SignInPage", &json),
            "error.json" => check("ErrorPage", &json),
            _ => continue,
        };
        assert_eq!(errors, Vec::<String>::new(), "{name}");
    }
}

#[test]
fn the_validator_catches_a_bad_body() {
    let bad = r#"{"pageContent": "x", "widgetVersion": "latest", "widgetCustomizations": {"widgetGeneration": "G4", "helpLink": "x"}, "contentSecurityPolicySetting": {"mode": "strict"}}"#;
    let errors = check("SignInPage", bad);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("widgetVersion") && e.contains("does not match")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("widgetGeneration")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("helpLink: not declared")),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| e.contains("mode")), "{errors:?}");
}

/// The theme's PUT body, the sign-out page's and the brand's (from a brand as Okta
/// answers it) validate against `UpdateThemeRequest`, `HostedPage` and `BrandRequest`,
/// with every property each schema requires; every variant the project may write is one
/// of the spec's enum.
#[test]
fn theme_sign_out_and_brand_bodies_validate() {
    let toml = r##"[project]
name = "t"
[theme]
primary_color = "#0f5c45"
primary_contrast_color = "#ffffff"
secondary_contrast_color = "#000000"
sign_in_page = "BACKGROUND_SECONDARY_COLOR"
end_user_dashboard = "WHITE_LOGO_BACKGROUND"
[sign_out]
url = "https://www.example.com/bye"
[environments.prod]
[environments.dev.sign_out]
[[brands]]
name = "B"
remove_powered_by_okta = true
privacy_policy_url = "https://example.com/privacy"
agree_to_custom_privacy_policy = true
locale = "fr"
"##;
    let p = Project::with_page("<p>{{pageTitle}}</p>\n").file("signin-pages.toml", toml);
    let mut diags = signin_pages::diag::Diagnostics::new();
    let project = signin_pages::project::load(p.path(), &mut diags).expect("loads");
    let c = &project.config;
    let required = |name: &str, body: &Value| -> Vec<String> {
        spec()["components"]["schemas"][name]["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|r| body.get(*r).is_none())
            .map(|r| format!("{name}: required `{r}` missing"))
            .collect()
    };
    for env in &c.environments {
        let a = signin_pages::theme::resolve(c, env, &c.brands[0], p.path());
        let theme = a.theme.unwrap().put_body();
        let mut errors = check("UpdateThemeRequest", &theme.to_string());
        errors.extend(required("UpdateThemeRequest", &theme));
        let out = a.sign_out.unwrap().put_body();
        errors.extend(check("HostedPage", &out.to_string()));
        errors.extend(required("HostedPage", &out));
        let answered = serde_json::json!({
            "id": "bnd1", "name": "B", "isDefault": false, "emailDomainId": "OeD1",
            "removePoweredByOkta": false, "customPrivacyPolicyUrl": null,
            "_links": {"self": {"href": "https://t.okta.com/api/v1/brands/bnd1"}}
        });
        let brand = a.settings.brand_put_body(&answered);
        errors.extend(check("BrandRequest", &brand.to_string()));
        errors.extend(required("BrandRequest", &brand));
        assert_eq!(errors, Vec::<String>::new(), "{}", env.name);
        assert_eq!(brand["emailDomainId"], "OeD1");
    }
    // Every variant a project may write is the spec's, and every one of the spec's can be
    // written.
    for t in signin_pages::config::TouchPoint::ALL {
        let schema =
            &spec()["components"]["schemas"]["UpdateThemeRequest"]["properties"][t.field()];
        let listed: Vec<&str> = resolve(schema)["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{} has no enum", t.field()))
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(listed, t.variants(), "{}", t.field());
    }
}
