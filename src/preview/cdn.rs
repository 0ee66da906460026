//! The disk cache of Sign-In Widget versions, filled from Okta's CDN: `<cache>/<version>/`
//! holds what `{{{SignInWidgetResources}}}` loads in Okta (`js/okta-sign-in.min.js`,
//! `css/okta-sign-in.min.css`, the third generation's `okta-sign-in.next.*` when the CDN
//! has them) and the language files the widget fetches from its `assets.baseUrl`
//! (`labels/json/login_<lang>.json`, `country_<lang>.json`), and the images and fonts
//! those stylesheets name by relative `url(…)` (Gen2's `../img/…`, `../font/…`): without
//! them the cached widget would lack its icons and typefaces ([`css_references`]: only
//! relative references that stay inside the version's folder; never `data:`, absolute or
//! foreign URLs; at most [`MAX_ASSETS`] files and [`MAX_ASSETS_BYTES`] bytes).
//!
//! A version is downloaded into a folder beside its own, every file written atomically
//! through [`crate::write`], a marker ([`COMPLETE`]) written last, and the folder renamed
//! into place only once every file arrived: a failed or cut download leaves no half
//! version behind (its folder is removed). A version cached by an older signin-pages
//! (without the marker) is downloaded again and replaced when the CDN can be reached, and
//! used as it is when not. Only `https` bases are fetched from (plain `http` only on a
//! loopback address), no redirect is followed, every file has a size cap, and no
//! credential or cookie is ever sent.

use std::collections::BTreeSet;
use std::io::Read;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::write::{self, Durability};

/// Where Okta's CDN serves the widget (`<base>/<version>/js/okta-sign-in.min.js`).
pub(super) const DEFAULT_BASE: &str = "https://global.oktacdn.com/okta-signin-widget";

/// The largest file taken from the CDN (the widget's largest bundle is a few MB).
const MAX_FILE: u64 = 16 * 1024 * 1024;

/// The file every cached version holds (what [`super::idx::widget_dist`] looks for).
const SCRIPT: &str = "js/okta-sign-in.min.js";

/// Files a version must have, and files it may lack on the CDN.
const REQUIRED: &[&str] = &[SCRIPT, "css/okta-sign-in.min.css"];
const OPTIONAL: &[&str] = &["js/okta-sign-in.next.js", "css/okta-sign-in.next.css"];

/// Written last into a complete version's folder; its name says what a complete version
/// holds (2: the stylesheets' images and fonts too), so that a version an older
/// signin-pages cached is filled again.
const COMPLETE: &str = ".complete-2";

/// The most images and fonts the stylesheets may make the cache fetch (Gen2 7.49 names
/// about 170, some 1.4 MB), and their bytes in all.
const MAX_ASSETS: usize = 512;
const MAX_ASSETS_BYTES: u64 = 32 * 1024 * 1024;
/// The largest one image or font.
const MAX_ASSET: u64 = 4 * 1024 * 1024;

/// Whether `dir` holds a version cached completely, as this signin-pages caches one.
fn complete(dir: &Path) -> bool {
    super::guard::readable(dir, dir, SCRIPT).is_some()
        && super::guard::readable(dir, dir, COMPLETE).is_some()
}

/// The cached `dist/` of `version` under `cache`, downloaded from `base` first when the
/// cache lacks it (`base` `None`: not downloaded). The error says why, for people.
pub(crate) fn cached(
    cache: &Path,
    version: &str,
    languages: &[String],
    base: Option<&str>,
) -> Result<PathBuf, String> {
    let dir = cache.join(version);
    if complete(&dir) {
        return Ok(dir);
    }
    // Cached by an older signin-pages: better than nothing when no download can be had.
    let older = super::guard::readable(&dir, &dir, SCRIPT).is_some();
    let fetched = match base {
        None => Err("downloading from Okta's CDN is off".to_string()),
        Some(base) => checked_base(base).and_then(|base| {
            let tmp = write::unique_sibling(&dir, "partial");
            let fetched = fetch_into(&tmp, cache, &base, version, languages)
                .and_then(|()| put_in_place(&tmp, &dir, cache));
            if tmp.exists() {
                let _ = std::fs::remove_dir_all(&tmp);
            }
            fetched
        }),
    };
    match fetched {
        Ok(()) => Ok(dir),
        Err(_) if older && super::guard::readable(&dir, &dir, SCRIPT).is_some() => Ok(dir),
        Err(why) => Err(why),
    }
}

/// Rename the complete download `tmp` to `dir`, moving aside (and then removing) what an
/// older signin-pages cached there.
fn put_in_place(tmp: &Path, dir: &Path, cache: &Path) -> Result<(), String> {
    let stale = if dir.exists() && !complete(dir) {
        let stale = write::unique_sibling(dir, "stale");
        std::fs::rename(dir, &stale)
            .map_err(|e| format!("cannot move the older {} aside: {e}", dir.display()))?;
        Some(stale)
    } else {
        None
    };
    let moved = match std::fs::rename(tmp, dir) {
        Ok(()) => write::sync_dir(cache).map_err(|e| e.to_string()),
        // Another preview filled it in meanwhile.
        Err(_) if complete(dir) => Ok(()),
        Err(e) => Err(format!(
            "cannot move the download into {}: {e}",
            dir.display()
        )),
    };
    if let Some(stale) = stale {
        let _ = std::fs::remove_dir_all(stale);
    }
    moved
}

/// `base` as a URL the cache may be filled from: `https`, or `http` on a loopback
/// address.
fn checked_base(base: &str) -> Result<String, String> {
    let url = url::Url::parse(base).map_err(|e| format!("the CDN address `{base}`: {e}"))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(a)) => IpAddr::V4(a).is_loopback(),
        Some(url::Host::Ipv6(a)) => IpAddr::V6(a).is_loopback(),
        None => false,
    };
    let allowed = url.scheme() == "https" || (url.scheme() == "http" && loopback);
    if !allowed || !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "the CDN address `{}` is refused: only https (plain http on a loopback address), without credentials",
            url.scheme()
        ));
    }
    Ok(base.trim_end_matches('/').to_string())
}

/// Download every file of `version` into `tmp`, the stylesheets' images and fonts
/// after them, and the [`COMPLETE`] marker last.
fn fetch_into(
    tmp: &Path,
    cache: &Path,
    base: &str,
    version: &str,
    languages: &[String],
) -> Result<(), String> {
    write::create_dirs(cache, tmp).map_err(|e| e.to_string())?;
    let client = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| format!("cannot make an HTTP client: {e}"))?;
    let labels: Vec<String> = languages
        .iter()
        .filter(|l| *l != "en")
        .flat_map(|l| {
            [
                format!("labels/json/login_{l}.json"),
                format!("labels/json/country_{l}.json"),
            ]
        })
        .collect();
    let files = REQUIRED
        .iter()
        .map(|f| (f.to_string(), true))
        .chain(OPTIONAL.iter().map(|f| (f.to_string(), false)))
        .chain(labels.into_iter().map(|f| (f, false)));
    let mut fetched = BTreeSet::new();
    let mut assets = BTreeSet::new();
    let put = |file: &str, body: &[u8]| {
        write::atomic_with(cache, &tmp.join(file), body, Durability::Cache)
            .map_err(|e| e.to_string())
    };
    for (file, required) in files {
        let url = format!("{base}/{version}/{file}");
        let Some(body) = get(&client, &url, required, MAX_FILE)? else {
            continue;
        };
        if file.ends_with(".css") {
            assets.extend(css_references(&String::from_utf8_lossy(&body), &file));
        }
        put(&file, &body)?;
        fetched.insert(file);
    }
    let assets: Vec<String> = assets.difference(&fetched).cloned().collect();
    if assets.len() > MAX_ASSETS {
        return Err(format!(
            "the widget's stylesheets name {} images and fonts; at most {MAX_ASSETS} are fetched",
            assets.len()
        ));
    }
    let mut total = 0u64;
    for file in assets {
        let url = format!("{base}/{version}/{file}");
        // What the CDN lacks, Okta's own page lacks too.
        let Some(body) = get(&client, &url, false, MAX_ASSET)? else {
            continue;
        };
        total += body.len() as u64;
        if total > MAX_ASSETS_BYTES {
            return Err(format!(
                "the widget's stylesheets name more than {} MB of images and fonts",
                MAX_ASSETS_BYTES >> 20
            ));
        }
        put(&file, &body)?;
    }
    put(COMPLETE, b"")
}

/// The files the `url(…)`s of the stylesheet at `css_path` (below the version's folder)
/// name, as paths below that folder: relative references only (no scheme — `data:`,
/// `https:` —, no `/` or `//` start), their `?query` and `#fragment` dropped, resolved
/// against the stylesheet's folder, and only those that stay inside the version's folder
/// and are written with plain characters (no `%` escapes, no `\`, no hidden segment).
/// Anything else is left out, never fetched.
fn css_references(css: &str, css_path: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = css.to_ascii_lowercase();
    let mut at = 0;
    while let Some(i) = lower[at..].find("url(") {
        let start = at + i + "url(".len();
        let rest = css[start..].trim_start();
        let (reference, len) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => match rest[1..].find(q) {
                Some(end) => (&rest[1..1 + end], end + 2),
                None => break,
            },
            _ => match rest.find(')') {
                Some(end) => (rest[..end].trim_end(), end),
                None => break,
            },
        };
        at = start + (css[start..].len() - rest.len()) + len;
        if let Some(path) = resolve(reference.trim(), css_path) {
            found.push(path);
        }
    }
    found
}

/// `reference`, written in the file at `from`, as a path below the version's folder.
fn resolve(reference: &str, from: &str) -> Option<String> {
    let path = reference.split(['?', '#']).next().unwrap_or_default();
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '/');
    if path.is_empty() || path.starts_with('/') || !path.chars().all(plain) {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            hidden if hidden.starts_with('.') => return None,
            name => parts.push(name),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The body of `url` (at most `limit` bytes); `None` when an optional file is not there
/// (404).
fn get(
    client: &reqwest::blocking::Client,
    url: &str,
    required: bool,
    limit: u64,
) -> Result<Option<Vec<u8>>, String> {
    let response = client
        .get(url)
        .send()
        .map_err(|e| format!("{url}: {}", e.without_url()))?;
    let status = response.status();
    if status == reqwest::StatusCode::NOT_FOUND && !required {
        return Ok(None);
    }
    if !status.is_success() {
        return Err(format!("{url}: HTTP {}", status.as_u16()));
    }
    let too_large = || format!("{url}: larger than {} MB", limit >> 20);
    if response.content_length().is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    response
        .take(limit + 1)
        .read_to_end(&mut body)
        .map_err(|e| format!("{url}: {e}"))?;
    if body.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(Some(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_relative_references_inside_the_version_are_taken() {
        let css = r#"
            a { background: url(../img/a.png) }
            b { background: URL( "../img/b@2x.png" ) }
            @font-face { src: url('../font/f.eot?#iefix') format('eot'), url(../font/f.svg#F) }
            c { background: url(img/inside-css.png) url(./d.png) }
            e { behavior: url(#default#VML) }
            f { background: url(data:image/png;base64,AAAA) url(https://evil.example/x.png) }
            g { background: url(//evil.example/x.png) url(/abs.png) url(http:x.png) }
            h { background: url(../../escape.png) url(../img/../../escape.png) }
            i { background: url(../img/%2e%2e/x.png) url(..\\x.png) url(../.git/config) }
            j { background: url(../img/j.png
        "#;
        assert_eq!(
            css_references(css, "css/okta-sign-in.min.css"),
            [
                "img/a.png",
                "img/b@2x.png",
                "font/f.eot",
                "font/f.svg",
                "css/img/inside-css.png",
                "css/d.png",
            ]
        );
    }
}
