//! The disk cache of Sign-In Widget versions, filled from Okta's CDN: `<cache>/<version>/`
//! holds what `{{{SignInWidgetResources}}}` loads in Okta (`js/okta-sign-in.min.js`,
//! `css/okta-sign-in.min.css`, the third generation's `okta-sign-in.next.*` when the CDN
//! has them) and the language files the widget fetches from its `assets.baseUrl`
//! (`labels/json/login_<lang>.json`, `country_<lang>.json`).
//!
//! A version is downloaded into a folder beside its own, every file written atomically
//! through [`crate::write`], and the folder renamed into place only once every file
//! arrived: a failed or cut download leaves no half version behind (its folder is
//! removed). Only `https` bases are fetched from (plain `http` only on a loopback
//! address), no redirect is followed, every file has a size cap, and no credential or
//! cookie is ever sent.

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

/// The cached `dist/` of `version` under `cache`, downloaded from `base` first when the
/// cache lacks it (`base` `None`: not downloaded). The error says why, for people.
pub(crate) fn cached(
    cache: &Path,
    version: &str,
    languages: &[String],
    base: Option<&str>,
) -> Result<PathBuf, String> {
    let dir = cache.join(version);
    if super::guard::readable(&dir, &dir, SCRIPT).is_some() {
        return Ok(dir);
    }
    let Some(base) = base else {
        return Err("downloading from Okta's CDN is off".into());
    };
    let base = checked_base(base)?;
    let tmp = write::unique_sibling(&dir, "partial");
    let fetched = fetch_into(&tmp, cache, &base, version, languages).and_then(|()| {
        match std::fs::rename(&tmp, &dir) {
            Ok(()) => write::sync_dir(cache).map_err(|e| e.to_string()),
            // Another preview filled it in meanwhile.
            Err(_) if super::guard::readable(&dir, &dir, SCRIPT).is_some() => Ok(()),
            Err(e) => Err(format!(
                "cannot move the download into {}: {e}",
                dir.display()
            )),
        }
    });
    if tmp.exists() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    fetched.map(|()| dir)
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

/// Download every file of `version` into `tmp`.
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
    for (file, required) in files {
        let url = format!("{base}/{version}/{file}");
        let Some(body) = get(&client, &url, required)? else {
            continue;
        };
        write::atomic_with(cache, &tmp.join(&file), &body, Durability::Cache)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The body of `url`; `None` when an optional file is not there (404).
fn get(
    client: &reqwest::blocking::Client,
    url: &str,
    required: bool,
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
    if response.content_length().is_some_and(|n| n > MAX_FILE) {
        return Err(format!("{url}: larger than {} MB", MAX_FILE >> 20));
    }
    let mut body = Vec::new();
    response
        .take(MAX_FILE + 1)
        .read_to_end(&mut body)
        .map_err(|e| format!("{url}: {e}"))?;
    if body.len() as u64 > MAX_FILE {
        return Err(format!("{url}: larger than {} MB", MAX_FILE >> 20));
    }
    Ok(Some(body))
}
