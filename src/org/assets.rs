//! The rest of the sign-in brand in the org: a brand's theme (colours and variants), its
//! images (logo, favicon, background), its sign-out page and the brand's own settings —
//! the [`Part`]s. `diff` compares them, `deploy --publish` brings them in line after the
//! pages, `rollback` puts them back, with the pages' guarantees and the pages' mechanisms:
//! the field-by-field comparison of [`super::fields`] (one renderer), one [`Backup`] type
//! written before every write (images included: their bytes go into the backup), the
//! answer compared with what was sent, unchanged parts not rewritten.
//!
//! Every write is a read-merge-put: the theme PUT starts from the theme as read (a
//! contrast colour the project leaves to Okta is sent back as read), the brand PUT from
//! the brand as read ([`crate::okta::brands::merged`]), so nothing the project does not
//! manage is reset; a part no layer writes (`BrandAssets::theme == None`, …) is not read.
//! Images are compared by content: SHA-256 of the project's file against SHA-256 of the
//! image the org serves.

use std::path::Path;

use base64::Engine as _;
use serde_json::{Value, json};

use super::backup::{self, Backup};
use super::fields::{FieldChange, field_changes, mismatches};
use super::pin::sha256_hex;
use crate::config::{Brand, Config, Environment, ImageKey};
use crate::okta::brands::{self as okta_brands, BrandRef};
use crate::okta::images::{self, Image, Upload};
use crate::okta::sign_out::{self, SignOutPage};
use crate::okta::themes;
use crate::okta::{Client, OktaError};
use crate::theme::{self, BrandAssets};

/// One part of the brand beside its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Theme,
    Image(ImageKey),
    SignOut,
    Brand,
}

impl Part {
    /// Its name in output and in backup file names.
    pub fn segment(self) -> &'static str {
        match self {
            Part::Theme => "theme",
            Part::Image(k) => k.key(),
            Part::SignOut => "sign-out",
            Part::Brand => "brand",
        }
    }

    pub fn from_segment(s: &str) -> Option<Part> {
        [Part::Theme, Part::SignOut, Part::Brand]
            .into_iter()
            .chain(ImageKey::ALL.map(Part::Image))
            .find(|p| p.segment() == s)
    }
}

/// The Okta side's name of an image.
pub fn image(k: ImageKey) -> Image {
    match k {
        ImageKey::Logo => Image::Logo,
        ImageKey::Favicon => Image::Favicon,
        ImageKey::Background => Image::Background,
    }
}

/// Whether an image URL is one the org serves as uploaded (`/bc/image/fileStoreRecord`),
/// not Okta's own logo or favicon.
pub fn uploaded(url: &str) -> bool {
    url.contains("/bc/image/")
}

/// What the project manages of the brand `name` in `env` (`None`: not a brand of the
/// project).
pub fn wanted(config: &Config, env: &Environment, name: &str, root: &Path) -> Option<BrandAssets> {
    let brand = config.brands.iter().find(|b| b.name.get_ref() == name)?;
    Some(theme::resolve(config, env, brand, root))
}

/// The parts `want` manages, in order.
pub fn parts(want: &BrandAssets) -> Vec<Part> {
    let mut out = Vec::new();
    if let Some(t) = &want.theme {
        out.push(Part::Theme);
        out.extend(t.images.keys().map(|k| Part::Image(*k)));
    }
    if want.sign_out.is_some() {
        out.push(Part::SignOut);
    }
    if !want.settings.is_empty() {
        out.push(Part::Brand);
    }
    out
}

/// `v`'s members named in `keys` only.
fn only(v: &Value, keys: &Value) -> Value {
    let keys = keys.as_object().cloned().unwrap_or_default();
    Value::Object(
        v.as_object()
            .map(|m| {
                m.iter()
                    .filter(|(k, _)| keys.contains_key(*k))
                    .map(|(k, x)| (k.clone(), x.clone()))
                    .collect()
            })
            .unwrap_or_default(),
    )
}

/// A short content hash for "old → new".
fn short_hash(bytes: &[u8]) -> Value {
    Value::String(format!("sha256:{}", &sha256_hex(bytes)[..16]))
}

/// A project image, read and its header checked (again: the file may have changed since
/// `check`): its bytes and media type.
fn project_image(path: &Path) -> Result<(Vec<u8>, &'static str), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let header = theme::image::read_header(&mut std::io::Cursor::new(&bytes))
        .map_err(|e| format!("{}: not an image Okta takes ({e})", path.display()))?;
    Ok((bytes, header.format.mime()))
}

/// The org's state of one part, read once: what it holds as JSON (the backup's body),
/// and for an image its bytes.
#[derive(Debug, Clone)]
pub struct Current {
    pub body: Value,
    pub bytes: Option<Vec<u8>>,
}

/// Read one part of a brand from the org. `theme` is the brand's theme, read once.
fn read(
    c: &Client,
    brand_id: &str,
    theme: Option<&themes::Theme>,
    part: Part,
) -> Result<Current, OktaError> {
    let plain = |body| Current { body, bytes: None };
    Ok(match part {
        Part::Theme => {
            let t = theme.expect("the theme is read first");
            let mut body = t.request();
            body["id"] = json!(t.id);
            plain(body)
        }
        Part::Image(k) => {
            let t = theme.expect("the theme is read first");
            match image(k).url_in(t) {
                None => plain(json!({ "url": null })),
                Some(url) => {
                    let bytes = images::download(c, url)?;
                    let ct = theme::image::read_header(&mut std::io::Cursor::new(&bytes))
                        .map(|h| h.format.mime())
                        .unwrap_or("application/octet-stream");
                    Current {
                        body: json!({
                            "url": url,
                            "contentType": ct,
                            "sha256": sha256_hex(&bytes),
                            "base64": base64::engine::general_purpose::STANDARD.encode(&bytes),
                        }),
                        bytes: Some(bytes),
                    }
                }
            }
        }
        Part::SignOut => plain(
            sign_out::get(c, brand_id)?
                .map(|p| p.to_json())
                .unwrap_or(Value::Null),
        ),
        Part::Brand => plain(okta_brands::get(c, brand_id)?.unwrap_or(Value::Null)),
    })
}

/// The project's image `k` (a part only when the project writes it).
fn managed_image(want: &BrandAssets, k: ImageKey) -> &theme::ThemeImage {
    want.theme
        .as_ref()
        .and_then(|t| t.image(k))
        .expect("a part only when managed")
}

/// The differences of one part, the org's `cur` against the project's `want`.
fn changes(want: &BrandAssets, part: Part, cur: &Current) -> Result<Vec<FieldChange>, String> {
    Ok(match part {
        Part::Theme => {
            let ours = want.theme.as_ref().expect("managed").put_body();
            field_changes(Some(&only(&cur.body, &ours)), &ours)
        }
        Part::Image(k) => {
            let img = managed_image(want, k);
            let (bytes, _) = project_image(&img.path)?;
            let old = cur.bytes.as_deref().map_or(Value::Null, short_hash);
            let new = short_hash(&bytes);
            if old == new {
                Vec::new()
            } else {
                vec![FieldChange {
                    field: k.key().to_string(),
                    old,
                    new,
                }]
            }
        }
        Part::SignOut => {
            let ours = want.sign_out.as_ref().expect("managed").put_body();
            field_changes(Some(&cur.body), &ours)
        }
        Part::Brand => {
            let ours = Value::Object(want.settings.fields());
            field_changes(Some(&only(&cur.body, &ours)), &ours)
        }
    })
}

/// One part of one brand: its differences (or why they could not be read).
#[derive(Debug)]
pub struct PartDiff {
    pub brand: String,
    pub part: Part,
    pub changes: Result<Vec<FieldChange>, String>,
}

/// Every managed part of a brand against the org, read once each.
fn read_all(
    c: &Client,
    brand_id: &str,
    want: &BrandAssets,
) -> Vec<(Part, Result<Current, String>)> {
    let ps = parts(want);
    let theme = if want.theme.is_some() {
        Some(themes::current(c, brand_id).map_err(|e| e.to_string()))
    } else {
        None
    };
    ps.into_iter()
        .map(|p| {
            let needs_theme = matches!(p, Part::Theme | Part::Image(_));
            let r = match (&theme, needs_theme) {
                (Some(Err(e)), true) => Err(e.clone()),
                (Some(Ok(t)), _) => read(c, brand_id, Some(t), p).map_err(|e| e.to_string()),
                _ => read(c, brand_id, None, p).map_err(|e| e.to_string()),
            };
            (p, r)
        })
        .collect()
}

/// The differences of every managed part of a brand.
pub fn diff(c: &Client, name: &str, brand: &BrandRef, want: &BrandAssets) -> Vec<PartDiff> {
    read_all(c, &brand.id, want)
        .into_iter()
        .map(|(part, cur)| PartDiff {
            brand: name.to_string(),
            part,
            changes: cur.and_then(|cur| changes(want, part, &cur)),
        })
        .collect()
}

/// What a deploy did to one part: as a page's outcome ("unchanged", "would update",
/// "updated", "failed").
#[derive(Debug, Clone)]
pub struct PartOutcome {
    pub brand: String,
    pub part: Part,
    pub action: &'static str,
    pub detail: String,
    pub changes: Vec<FieldChange>,
    pub ok: bool,
    /// The backup written before the write, relative to the project root.
    pub backup: Option<std::path::PathBuf>,
}

/// Where and as what a part's backups are written.
pub struct Run<'a> {
    pub root: &'a Path,
    pub env: &'a str,
    /// The brand's folder under `backups/<env>/`.
    pub folder: &'a str,
    /// The timestamp every backup of this run shares.
    pub run: String,
}

/// Bring every managed part of a brand in line (`dry_run`: only say what would change).
pub fn deploy(
    c: &Client,
    name: &str,
    brand: &BrandRef,
    want: &BrandAssets,
    run: &Run<'_>,
    dry_run: bool,
) -> Vec<PartOutcome> {
    read_all(c, &brand.id, want)
        .into_iter()
        .map(|(part, cur)| {
            let mut o = PartOutcome {
                brand: name.to_string(),
                part,
                action: "failed",
                detail: String::new(),
                changes: Vec::new(),
                ok: false,
                backup: None,
            };
            let step = cur.and_then(|cur| {
                o.changes = changes(want, part, &cur)?;
                if o.changes.is_empty() {
                    return Ok("unchanged");
                }
                if dry_run {
                    return Ok("would update");
                }
                let saved = Backup::part(run.env, name, &brand.id, part, &run.run, &cur.body);
                let path = backup::write(run.root, run.folder, &saved)
                    .map_err(|e| format!("not written: the backup failed: {e}"))?;
                o.backup = Some(path.strip_prefix(run.root).unwrap_or(&path).to_path_buf());
                write(c, &brand.id, want, part, &cur).map(|()| "updated")
            });
            match step {
                Ok(a) => {
                    o.action = a;
                    o.ok = true;
                }
                Err(e) => o.detail = e,
            }
            o
        })
        .collect()
}

/// Write the project's value of one part over `cur` (read just before), and check the
/// answer.
fn write(
    c: &Client,
    brand_id: &str,
    want: &BrandAssets,
    part: Part,
    cur: &Current,
) -> Result<(), String> {
    match part {
        Part::Theme => {
            let ours = want.theme.as_ref().expect("managed").put_body();
            put_theme(c, brand_id, &cur.body, &ours)
        }
        Part::Image(k) => {
            let img = managed_image(want, k);
            let (bytes, ct) = project_image(&img.path)?;
            upload(c, brand_id, k, &img.rel, ct, &bytes)
        }
        Part::SignOut => {
            let ours = want.sign_out.as_ref().expect("managed").put_body();
            put_sign_out(c, brand_id, &ours)
        }
        Part::Brand => {
            let body = want.settings.brand_put_body(&cur.body);
            let answer = okta_brands::put(c, brand_id, &body).map_err(|e| e.to_string())?;
            answered(&Value::Object(want.settings.fields()), &answer)
        }
    }
}

fn answered(sent: &Value, answer: &Value) -> Result<(), String> {
    let differ = mismatches(sent, answer);
    if differ.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "Okta answered different values for: {}",
            differ.join(", ")
        ))
    }
}

/// PUT the theme `held` (as read: with its `id`) with `ours` over it.
fn put_theme(c: &Client, brand_id: &str, held: &Value, ours: &Value) -> Result<(), String> {
    let mut body = held.clone();
    if let (Some(b), Some(o)) = (body.as_object_mut(), ours.as_object()) {
        b.extend(o.clone());
    }
    let what = themes::path(brand_id, held["id"].as_str().unwrap_or(""));
    let t = themes::Theme::from_json(&body, &what).map_err(|e| e.to_string())?;
    let answer = themes::put(c, brand_id, &t).map_err(|e| e.to_string())?;
    answered(ours, &answer.request())
}

fn put_sign_out(c: &Client, brand_id: &str, body: &Value) -> Result<(), String> {
    let what = sign_out::path(brand_id);
    let page = SignOutPage::from_json(body, "PUT", &what).map_err(|e| e.to_string())?;
    let answer = sign_out::put(c, brand_id, &page).map_err(|e| e.to_string())?;
    answered(body, &answer.to_json())
}

/// Upload an image, then download what the theme now names and compare it byte for byte
/// with what was sent.
fn upload(
    c: &Client,
    brand_id: &str,
    k: ImageKey,
    file_name: &str,
    content_type: &str,
    bytes: &[u8],
) -> Result<(), String> {
    let t = themes::current(c, brand_id).map_err(|e| e.to_string())?;
    let file = Upload {
        file_name,
        content_type,
        bytes,
    };
    let url = images::upload(c, brand_id, &t.id, image(k), &file).map_err(|e| e.to_string())?;
    let back = images::download(c, &url).map_err(|e| e.to_string())?;
    if back != bytes {
        return Err(format!(
            "Okta serves a different {} than was uploaded",
            k.key()
        ));
    }
    Ok(())
}

/// Put one part back as a backup holds it (`held`: the backup's body).
pub fn restore(c: &Client, brand_id: &str, part: Part, held: &Value) -> Result<(), String> {
    match part {
        Part::Theme => {
            let ours = only(held, &themes_writable(held));
            let cur = themes::current(c, brand_id).map_err(|e| e.to_string())?;
            let mut body = cur.request();
            body["id"] = json!(cur.id);
            put_theme(c, brand_id, &body, &ours)
        }
        Part::Image(k) => {
            let t = themes::current(c, brand_id).map_err(|e| e.to_string())?;
            // Okta's own image (or none) at the backup: delete ours, Okta's comes back.
            let was_uploaded = held["url"].as_str().is_some_and(uploaded);
            match held
                .get("base64")
                .and_then(Value::as_str)
                .filter(|_| was_uploaded)
            {
                None => images::delete(c, brand_id, &t.id, image(k)).map_err(|e| e.to_string()),
                Some(b64) => {
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(b64)
                        .map_err(|e| format!("the backup's {} is not base64: {e}", k.key()))?;
                    let ct = held["contentType"].as_str().unwrap_or("image/png");
                    let name = format!("{}.{}", k.key(), ct.rsplit('/').next().unwrap_or("png"));
                    upload(c, brand_id, k, &name, ct, &bytes)
                }
            }
        }
        Part::SignOut => put_sign_out(c, brand_id, held),
        Part::Brand => {
            let cur = okta_brands::get(c, brand_id)
                .map_err(|e| e.to_string())?
                .unwrap_or(Value::Null);
            let managed = only(held, &managed_brand_fields());
            let mut body = okta_brands::merged(&cur, &Default::default());
            if let (Some(b), Some(m)) = (body.as_object_mut(), managed.as_object()) {
                b.extend(m.clone());
            }
            let answer = okta_brands::put(c, brand_id, &body).map_err(|e| e.to_string())?;
            answered(&managed, &answer)
        }
    }
}

/// The writable members of a theme body (everything but `id`).
fn themes_writable(held: &Value) -> Value {
    let mut v = held.clone();
    if let Some(m) = v.as_object_mut() {
        m.remove("id");
    }
    v
}

/// What the org holds of one part now (the body a backup keeps).
pub fn current(c: &Client, brand_id: &str, part: Part) -> Result<Current, String> {
    let theme = match part {
        Part::Theme | Part::Image(_) => {
            Some(themes::current(c, brand_id).map_err(|e| e.to_string())?)
        }
        _ => None,
    };
    read(c, brand_id, theme.as_ref(), part).map_err(|e| e.to_string())
}

/// Whether the org's part already holds what a backup holds.
pub fn holds(c: &Client, brand_id: &str, part: Part, held: &Value) -> Result<bool, String> {
    let cur = current(c, brand_id, part)?;
    Ok(match part {
        Part::Image(_) => {
            cur.body.get("sha256").filter(|v| !v.is_null())
                == held.get("sha256").filter(|v| !v.is_null())
        }
        Part::Theme => {
            let ours = themes_writable(held);
            field_changes(Some(&only(&cur.body, &ours)), &ours).is_empty()
        }
        Part::SignOut => field_changes(Some(&cur.body), held).is_empty(),
        Part::Brand => {
            let keys = managed_brand_fields();
            field_changes(Some(&only(&cur.body, &keys)), &only(held, &keys)).is_empty()
        }
    })
}

/// The brand fields signin-pages manages, as the keys of an object.
fn managed_brand_fields() -> Value {
    json!({
        "removePoweredByOkta": 0, "customPrivacyPolicyUrl": 0,
        "agreeToCustomPrivacyPolicy": 0, "locale": 0
    })
}

/// The brand of the project named `name`, for its backup folder.
pub fn brand<'a>(config: &'a Config, name: &str) -> Option<&'a Brand> {
    config.brands.iter().find(|b| b.name.get_ref() == name)
}
