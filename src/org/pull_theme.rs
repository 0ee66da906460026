//! `pull` for the theme: the brand's colours, the variants that are not Okta's default and
//! the images the org serves as uploaded ones become the project's `[theme]` (written into
//! `signin-pages.toml` in place, like the rest of `pull`) and files under `static/`; an
//! externally hosted sign-out page becomes `[sign_out]`. Contrast colours are left to Okta
//! (the project does not send them unless it sets them, so a pulled project diffs clean).
//! Okta's own logo and favicon (served when none was uploaded) are not pulled: the
//! project would then upload them as its own.

use serde_json::Value;
use toml_edit::{DocumentMut, value};

use super::assets::{image, uploaded};
use crate::config::{ColorKey, ImageKey, OKTA_DEFAULT, TouchPoint};
use crate::okta::brands::BrandRef;
use crate::okta::sign_out::{self, SignOutPage};
use crate::okta::{Client, images, themes};
use crate::project::Project;
use crate::theme::image::{Format, read_header};

/// A brand's theme as pulled: the `[theme]` keys and the image files to write.
#[derive(Debug, Clone, PartialEq)]
pub struct PulledTheme {
    /// `(key, value)` of `[theme]`, in the order written.
    pub keys: Vec<(&'static str, String)>,
    /// `(path relative to the project, bytes)`.
    pub files: Vec<(String, Vec<u8>)>,
    /// The sign-out page's URL, when the org's is externally hosted.
    pub sign_out: Option<String>,
}

fn extension(f: Format) -> &'static str {
    match f {
        Format::Png => "png",
        Format::Jpeg => "jpg",
        Format::Gif => "gif",
        Format::Ico => "ico",
        Format::Svg => "svg",
        Format::Webp => "webp",
        Format::Bmp => "bmp",
    }
}

/// Read the theme and sign-out page of `brand`.
pub fn read(c: &Client, brand: &BrandRef) -> Result<PulledTheme, String> {
    let t = themes::current(c, &brand.id).map_err(|e| e.to_string())?;
    let req = t.request();
    let mut keys = Vec::new();
    for k in [ColorKey::Primary, ColorKey::Secondary] {
        if let Some(v) = req.get(k.field()).and_then(Value::as_str) {
            keys.push((k.key(), v.to_ascii_lowercase()));
        }
    }
    for tp in TouchPoint::ALL {
        if let Some(v) = req.get(tp.field()).and_then(Value::as_str)
            && v != OKTA_DEFAULT
        {
            keys.push((tp.key(), v.to_string()));
        }
    }
    let mut files = Vec::new();
    for k in ImageKey::ALL {
        let Some(url) = image(k).url_in(&t).filter(|u| uploaded(u)) else {
            continue;
        };
        let bytes = images::download(c, url).map_err(|e| e.to_string())?;
        let format = read_header(&mut std::io::Cursor::new(&bytes))
            .map_err(|e| format!("the org's {} is not an image this tool reads: {e}", k.key()))?
            .format;
        let rel = format!("static/{}.{}", k.key(), extension(format));
        keys.push((k.key(), rel.clone()));
        files.push((rel, bytes));
    }
    let sign_out = match sign_out::get(c, &brand.id).map_err(|e| e.to_string())? {
        Some(SignOutPage::External(url)) => Some(url),
        _ => None,
    };
    Ok(PulledTheme {
        keys,
        files,
        sign_out,
    })
}

/// Write the images, and set `[theme]` / `[sign_out]` in `doc`; the files written.
pub fn write(
    project: &Project,
    pulled: &PulledTheme,
    doc: &mut DocumentMut,
) -> Result<Vec<String>, String> {
    let root = &project.root;
    let mut written = Vec::new();
    for (rel, bytes) in &pulled.files {
        crate::write::atomic(root, &root.join(rel), bytes).map_err(|e| e.to_string())?;
        written.push(rel.clone());
    }
    let mut table = toml_edit::Table::new();
    for (k, v) in &pulled.keys {
        table[*k] = value(v.as_str());
    }
    doc["theme"] = toml_edit::Item::Table(table);
    match &pulled.sign_out {
        Some(url) => {
            let mut t = toml_edit::Table::new();
            t["url"] = value(url.as_str());
            doc["sign_out"] = toml_edit::Item::Table(t);
        }
        // Okta's own page: a project that manages the sign-out page says so with a table
        // without `url`; one that does not keeps not managing it.
        None => {
            if let Some(t) = doc.get_mut("sign_out").and_then(|t| t.as_table_like_mut()) {
                t.remove("url");
            }
        }
    }
    Ok(written)
}
