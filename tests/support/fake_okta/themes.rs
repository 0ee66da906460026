//! A brand's theme, its images and its sign-out page: what a test sets up and reads back,
//! and the endpoints. The theme PUT is a full replace that requires what Okta's
//! `UpdateThemeRequest` requires; uploads are `multipart/form-data`, parsed here and
//! stored by content, their URLs (`/bc/image/fileStoreRecord?id=…`, as real orgs name
//! them) served back without credentials, like Okta's default logo and favicon.

use serde_json::{Map, Value, json};

use super::*;

/// An uploaded image as the fake stores it.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredImage {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Okta's default logo and favicon, as the fake serves them (a 1×1 PNG; an ICO header).
const DEFAULT_LOGO: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\x04\0\x09\xfb\x03\xfd\xe3U\xf2\x9c\0\0\0\0IEND\xaeB`\x82";
const DEFAULT_FAVICON: &[u8] = b"\0\0\x01\0\x01\0\x10\x10\0\0\x01\0\x20\0fake-favicon";
const DEFAULT_LOGO_PATH: &str = "/assets/img/logos/okta-logo.47066819ac7db5c13f4c431b2687cef6.png";
const DEFAULT_FAVICON_PATH: &str = "/favicon.ico";

const SIGN_IN_VARIANTS: [&str; 3] = [
    "BACKGROUND_IMAGE",
    "BACKGROUND_SECONDARY_COLOR",
    "OKTA_DEFAULT",
];
const EMAIL_VARIANTS: [&str; 2] = ["FULL_THEME", "OKTA_DEFAULT"];
const DASHBOARD_VARIANTS: [&str; 4] = [
    "FULL_THEME",
    "LOGO_ON_FULL_WHITE_BACKGROUND",
    "OKTA_DEFAULT",
    "WHITE_LOGO_BACKGROUND",
];
const LOADING_VARIANTS: [&str; 2] = ["NONE", "OKTA_DEFAULT"];

/// `(field, allowed values, required on PUT)` for each touch-point variant.
const VARIANTS: [(&str, &[&str], bool); 5] = [
    ("signInPageTouchPointVariant", &SIGN_IN_VARIANTS, true),
    ("errorPageTouchPointVariant", &SIGN_IN_VARIANTS, true),
    ("emailTemplateTouchPointVariant", &EMAIL_VARIANTS, true),
    (
        "endUserDashboardTouchPointVariant",
        &DASHBOARD_VARIANTS,
        true,
    ),
    ("loadingPageTouchPointVariant", &LOADING_VARIANTS, false),
];

impl FakeOkta {
    /// The bytes of Okta's default logo, as the fake serves it.
    pub const DEFAULT_LOGO: &[u8] = DEFAULT_LOGO;
    /// The bytes of Okta's default favicon, as the fake serves it.
    pub const DEFAULT_FAVICON: &[u8] = DEFAULT_FAVICON;

    /// The brand's theme as `GET …/themes/{id}` answers it.
    pub fn theme(&self, brand_id: &str) -> Value {
        self.org()
            .brand(brand_id)
            .expect("theme: no such brand")
            .theme
            .clone()
    }

    /// Changes fields of the brand's theme as they are stored (an image URL anywhere, a
    /// colour), without the PUT's checks.
    pub fn patch_theme(&self, brand_id: &str, fields: Value) {
        let mut org = self.org();
        let t = &mut org
            .brand_mut(brand_id)
            .expect("patch_theme: no such brand")
            .theme;
        for (k, v) in fields.as_object().expect("an object") {
            t[k] = v.clone();
        }
    }

    /// The image an URL of the fake serves (`/bc/image/fileStoreRecord?id=…`).
    pub fn image(&self, url: &str) -> Option<StoredImage> {
        let id = url.split_once("fileStoreRecord?id=")?.1;
        self.org().images.get(id).cloned()
    }

    /// The brand's sign-out page setting (`HostedPage`).
    pub fn sign_out(&self, brand_id: &str) -> Value {
        self.org()
            .brand(brand_id)
            .expect("sign_out: no such brand")
            .sign_out
            .clone()
    }

    /// The brand object as stored (what `GET /api/v1/brands/{id}` answers, without `_links`).
    pub fn brand(&self, brand_id: &str) -> Value {
        self.org()
            .brand(brand_id)
            .expect("brand: no such brand")
            .brand
            .clone()
    }

    /// Sets (or with `Value::Null`, removes) one field of the stored brand.
    pub fn set_brand_field(&self, brand_id: &str, key: &str, value: Value) {
        let mut org = self.org();
        let b = &mut org.brand_mut(brand_id).expect("no such brand").brand;
        let m = b.as_object_mut().unwrap();
        if value.is_null() {
            m.remove(key);
        } else {
            m.insert(key.into(), value);
        }
    }
}

/// A new brand's theme: Okta's defaults (the spec's `GetThemeResponse`).
pub(super) fn default_theme(id: &str, base: &str) -> Value {
    json!({
        "id": id,
        "logo": format!("{base}{DEFAULT_LOGO_PATH}"),
        "favicon": format!("{base}{DEFAULT_FAVICON_PATH}"),
        "backgroundImage": null,
        "primaryColorHex": "#1662dd",
        "primaryColorContrastHex": "#000000",
        "secondaryColorHex": "#ebebed",
        "secondaryColorContrastHex": "#000000",
        "signInPageTouchPointVariant": "OKTA_DEFAULT",
        "endUserDashboardTouchPointVariant": "OKTA_DEFAULT",
        "errorPageTouchPointVariant": "OKTA_DEFAULT",
        "emailTemplateTouchPointVariant": "OKTA_DEFAULT",
        "loadingPageTouchPointVariant": "OKTA_DEFAULT"
    })
}

fn theme_json(theme: &Value, brand_id: &str, base: &str) -> Value {
    let mut t = theme.clone();
    let id = theme["id"].as_str().unwrap_or("");
    t["_links"] = json!({
        "self": {
            "href": format!("{base}/api/v1/brands/{brand_id}/themes/{id}"),
            "hints": {"allow": ["GET", "PUT"]}
        }
    });
    t
}

/// Unauthenticated GETs outside `/api/v1`: the images the fake's themes name.
pub(super) fn asset(shared: &Shared, req: &Req, path: &str) -> Option<Response> {
    if req.method != "GET" {
        return None;
    }
    let bytes = |ct: &str, b: Vec<u8>| Response {
        status: 200,
        headers: vec![("Content-Type".into(), ct.into())],
        body: b,
    };
    match path {
        DEFAULT_LOGO_PATH => Some(bytes("image/png", DEFAULT_LOGO.to_vec())),
        DEFAULT_FAVICON_PATH => Some(bytes("image/x-icon", DEFAULT_FAVICON.to_vec())),
        "/bc/image/fileStoreRecord" => {
            let org = lock(&shared.org);
            Some(match req.q("id").and_then(|id| org.images.get(id)) {
                Some(img) => bytes(&img.content_type, img.bytes.clone()),
                None => not_found(shared, path),
            })
        }
        _ => None,
    }
}

/// `…/themes`, `…/themes/{id}` and `…/themes/{id}/{logo|favicon|background-image}`.
pub(super) fn theme_endpoint(
    shared: &Shared,
    org: &mut Org,
    req: &Req,
    brand_id: &str,
    rest: &[&str],
    body: Option<&Value>,
) -> Response {
    let base = shared.base.clone();
    let Some(theme) = org.brand(brand_id).map(|b| b.theme.clone()) else {
        return brand_not_found(shared, brand_id);
    };
    let theme_id = theme["id"].as_str().unwrap_or("").to_string();
    match rest {
        [] => match req.method {
            "GET" => Response::json(200, &json!([theme_json(&theme, brand_id, &base)])),
            _ => method_not_allowed(shared),
        },
        [tid, ..] if *tid != theme_id => not_found_resource(shared, tid, "Theme"),
        [_] => match req.method {
            "GET" => Response::json(200, &theme_json(&theme, brand_id, &base)),
            "PUT" => match replace_theme(&theme, body.expect("PUT has a body")) {
                Ok(t) => {
                    org.brand_mut(brand_id).unwrap().theme = t.clone();
                    Response::json(200, &theme_json(&t, brand_id, &base))
                }
                Err((field, causes)) => validation_failed(shared, &field, &causes),
            },
            _ => method_not_allowed(shared),
        },
        [_, kind @ ("logo" | "favicon" | "background-image")] => {
            let field = match *kind {
                "logo" => "logo",
                "favicon" => "favicon",
                _ => "backgroundImage",
            };
            match req.method {
                "POST" => match parse_upload(req, kind) {
                    Ok(img) => {
                        let id = org.new_id("fs0");
                        org.images.insert(id.clone(), img);
                        let url = format!("{base}/bc/image/fileStoreRecord?id={id}");
                        org.brand_mut(brand_id).unwrap().theme[field] = json!(url);
                        // Okta answers the logo upload 200, the other two 201.
                        let status = if *kind == "logo" { 200 } else { 201 };
                        Response::json(status, &json!({"url": url}))
                    }
                    Err(Upload::MediaType) => Response::json(
                        415,
                        &okta_error(
                            shared,
                            "E0000001",
                            "Unsupported Media Type: the request body must be multipart/form-data",
                            &[],
                        ),
                    ),
                    Err(Upload::Invalid(cause)) => validation_failed(shared, "file", &[cause]),
                },
                "DELETE" => {
                    let default = match *kind {
                        "logo" => json!(format!("{base}{DEFAULT_LOGO_PATH}")),
                        "favicon" => json!(format!("{base}{DEFAULT_FAVICON_PATH}")),
                        _ => Value::Null,
                    };
                    org.brand_mut(brand_id).unwrap().theme[field] = default;
                    Response::no_content()
                }
                _ => method_not_allowed(shared),
            }
        }
        _ => not_found(shared, &format!("/api/v1/brands/{brand_id}/themes")),
    }
}

fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// An `UpdateThemeRequest` → the theme stored: a full replace (an optional field left
/// out comes back as Okta's default), images kept.
fn replace_theme(current: &Value, body: &Value) -> Result<Value, Invalid> {
    let Some(obj) = body.as_object() else {
        return Err((
            "body".into(),
            vec!["The body must be a theme object".into()],
        ));
    };
    let mut t = Map::new();
    for k in ["id", "logo", "favicon", "backgroundImage"] {
        t.insert(k.into(), current[k].clone());
    }
    let mut causes = Vec::new();
    for (k, required) in [
        ("primaryColorHex", true),
        ("secondaryColorHex", true),
        ("primaryColorContrastHex", false),
        ("secondaryColorContrastHex", false),
    ] {
        match obj.get(k) {
            Some(Value::String(s)) if is_hex_colour(s) => {
                t.insert(k.into(), json!(s.to_lowercase()));
            }
            None | Some(Value::Null) if !required => {
                t.insert(k.into(), Value::Null);
            }
            None | Some(Value::Null) => causes.push(format!("{k}: The field cannot be left blank")),
            Some(v) => causes.push(format!("{k}: Invalid hex code: {v}")),
        }
    }
    for (k, allowed, required) in VARIANTS {
        match obj.get(k).and_then(Value::as_str) {
            Some(v) if allowed.contains(&v) => {
                t.insert(k.into(), json!(v));
            }
            None if !required => {
                t.insert(k.into(), json!("OKTA_DEFAULT"));
            }
            None => causes.push(format!("{k}: The field cannot be left blank")),
            Some(v) => causes.push(format!("{k}: '{v}' must be one of {allowed:?}")),
        }
    }
    if let Some(first) = causes.first() {
        let field = first.split(':').next().unwrap_or("theme").to_string();
        return Err((field, causes));
    }
    Ok(Value::Object(t))
}

enum Upload {
    MediaType,
    Invalid(String),
}

/// The image format of a file's first bytes.
fn format_of(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if b.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpeg")
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Some("gif")
    } else if b.starts_with(&[0, 0, 1, 0]) {
        Some("ico")
    } else {
        None
    }
}

/// The `file` part of a `multipart/form-data` upload, checked as Okta checks each image.
fn parse_upload(req: &Req, kind: &str) -> Result<StoredImage, Upload> {
    let ct = req.header("content-type").unwrap_or("");
    let (media, params) = ct.split_once(';').unwrap_or((ct, ""));
    if !media.trim().eq_ignore_ascii_case("multipart/form-data") {
        return Err(Upload::MediaType);
    }
    let boundary = params
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim_matches('"').to_string())
        .ok_or(Upload::MediaType)?;
    let part = multipart_parts(req.body, &boundary)
        .ok_or_else(|| Upload::Invalid("file: The multipart body is not well-formed".into()))?
        .into_iter()
        .find(|p| p.name == "file")
        .ok_or_else(|| Upload::Invalid("file: The field cannot be left blank".into()))?;
    let format = format_of(&part.bytes);
    let (formats, max): (&[&str], usize) = match kind {
        "logo" => (&["png", "jpeg", "gif"], 100_000),
        "favicon" => (&["png", "ico"], 2_000_000),
        _ => (&["png", "jpeg", "gif"], 2_000_000),
    };
    if !format.is_some_and(|f| formats.contains(&f)) {
        return Err(Upload::Invalid(format!(
            "file: The {kind} must be in one of these formats: {formats:?}"
        )));
    }
    if part.bytes.len() >= max {
        return Err(Upload::Invalid(format!(
            "file: The {kind} must be less than {max} bytes"
        )));
    }
    if kind == "favicon" && format == Some("png") && part.bytes.len() >= 24 {
        let dim = |at: usize| u32::from_be_bytes(part.bytes[at..at + 4].try_into().unwrap());
        let (w, h) = (dim(16), dim(20));
        if w != h || w > 512 {
            return Err(Upload::Invalid(format!(
                "file: The favicon must be square and at most 512 x 512 (got {w} x {h})"
            )));
        }
    }
    Ok(StoredImage {
        file_name: part.file_name.unwrap_or_default(),
        content_type: part.content_type.unwrap_or_default(),
        bytes: part.bytes,
    })
}

struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// The parts of a multipart body (RFC 7578): `--boundary` CRLF, headers, CRLF CRLF,
/// bytes, CRLF `--boundary`, … `--boundary--`. `None` when it is not well-formed.
fn multipart_parts(body: &[u8], boundary: &str) -> Option<Vec<Part>> {
    let delim = format!("--{boundary}").into_bytes();
    let mut at = find(body, &delim, 0)? + delim.len();
    let mut parts = Vec::new();
    loop {
        if body.get(at..at + 2)? == b"--" {
            return Some(parts);
        }
        if body.get(at..at + 2)? != b"\r\n" {
            return None;
        }
        at += 2;
        let head_end = find(body, b"\r\n\r\n", at)?;
        let head = std::str::from_utf8(&body[at..head_end]).ok()?;
        let mut closing = b"\r\n".to_vec();
        closing.extend_from_slice(&delim);
        let end = find(body, &closing, head_end + 4)?;
        let mut part = Part {
            name: String::new(),
            file_name: None,
            content_type: None,
            bytes: body[head_end + 4..end].to_vec(),
        };
        for line in head.split("\r\n") {
            let (k, v) = line.split_once(':')?;
            match k.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for p in v.split(';').skip(1) {
                        let (pk, pv) = p.trim().split_once('=')?;
                        let pv = pv.trim_matches('"').to_string();
                        match pk {
                            "name" => part.name = pv,
                            "filename" => part.file_name = Some(pv),
                            _ => {}
                        }
                    }
                }
                "content-type" => part.content_type = Some(v.trim().to_string()),
                _ => {}
            }
        }
        parts.push(part);
        at = end + closing.len();
    }
}

/// `GET`/`PUT …/pages/sign-out/customized`.
pub(super) fn sign_out_endpoint(
    shared: &Shared,
    org: &mut Org,
    req: &Req,
    brand_id: &str,
    body: Option<&Value>,
) -> Response {
    let Some(brand) = org.brand_mut(brand_id) else {
        return brand_not_found(shared, brand_id);
    };
    match req.method {
        "GET" => Response::json(200, &brand.sign_out),
        "PUT" => {
            let body = body.expect("PUT has a body");
            let url = body.get("url").and_then(Value::as_str);
            let stored = match body.get("type").and_then(Value::as_str) {
                Some("OKTA_DEFAULT") => json!({"type": "OKTA_DEFAULT", "url": null}),
                Some("EXTERNALLY_HOSTED") => match url {
                    Some(u) if u.starts_with("https://") || u.starts_with("http://") => {
                        json!({"type": "EXTERNALLY_HOSTED", "url": u})
                    }
                    _ => {
                        return validation_failed(
                            shared,
                            "url",
                            &["url: An EXTERNALLY_HOSTED page needs an absolute URL".into()],
                        );
                    }
                },
                _ => {
                    return validation_failed(
                        shared,
                        "type",
                        &["type: must be one of [EXTERNALLY_HOSTED, OKTA_DEFAULT]".into()],
                    );
                }
            };
            brand.sign_out = stored.clone();
            Response::json(200, &stored)
        }
        _ => method_not_allowed(shared),
    }
}

/// `PUT /api/v1/brands/{id}`: a full replace. What the body leaves out is gone (the email
/// domain is detached, `defaultApp` cleared, an unknown field dropped); `id` and
/// `isDefault` are Okta's. A custom privacy policy URL needs the consent flag.
pub(super) fn replace_brand(
    shared: &Shared,
    org: &mut Org,
    brand_id: &str,
    body: &Value,
) -> Response {
    let Some(b) = org.brand_mut(brand_id) else {
        return brand_not_found(shared, brand_id);
    };
    let Some(obj) = body.as_object() else {
        return validation_failed(shared, "body", &["The body must be a brand object".into()]);
    };
    if obj
        .get("name")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return validation_failed(
            shared,
            "name",
            &["name: The field cannot be left blank".into()],
        );
    }
    for k in ["removePoweredByOkta", "agreeToCustomPrivacyPolicy"] {
        if obj.get(k).is_some_and(|v| !v.is_boolean() && !v.is_null()) {
            return validation_failed(shared, k, &[format!("{k}: must be a boolean")]);
        }
    }
    let url = obj.get("customPrivacyPolicyUrl").and_then(Value::as_str);
    if url.is_some()
        && url != b.brand["customPrivacyPolicyUrl"].as_str()
        && obj.get("agreeToCustomPrivacyPolicy") != Some(&Value::Bool(true))
    {
        return validation_failed(
            shared,
            "agreeToCustomPrivacyPolicy",
            &["agreeToCustomPrivacyPolicy: Consent is required to update the custom privacy policy URL".into()],
        );
    }
    let mut stored = Map::new();
    stored.insert("id".into(), b.brand["id"].clone());
    stored.insert("isDefault".into(), b.brand["isDefault"].clone());
    stored.insert("removePoweredByOkta".into(), json!(false));
    stored.insert("customPrivacyPolicyUrl".into(), Value::Null);
    for (k, v) in obj {
        if !matches!(k.as_str(), "id" | "isDefault" | "_links" | "_embedded") {
            stored.insert(k.clone(), v.clone());
        }
    }
    b.brand = Value::Object(stored);
    Response::json(200, &brand_json(&b.brand, &shared.base))
}
