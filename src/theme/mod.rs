//! The rest of the sign-in brand: the theme (colours, touch-point variants, logo,
//! favicon, background), the sign-out page and the brand's own settings.
//!
//! `signin-pages.toml` writes them in layers (`config::ThemeLayer`: the project's
//! `[theme]`, an environment's, a brand's — and the same for `[sign_out]`); [`resolve`]
//! merges them key by key for one target into [`BrandAssets`], the plain values the
//! deploy side turns into Okta's request bodies ([`Theme::put_body`],
//! [`SignOut::put_body`], [`Settings::brand_put_body`]) and the preview shows. The checks
//! that need the files or the merged values (images by their headers, contrast) are
//! `check`'s; the header reader is `image`'s.

mod check;
pub mod image;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::config::{
    BrandSettings, ColorKey, Config, Environment, ImageKey, OKTA_DEFAULT, SignOutLayer, ThemeLayer,
    TouchPoint,
};

pub use check::{ImageRule, check_project, image_rule};

/// Everything of one target's brand the project manages.
#[derive(Debug, Clone, PartialEq)]
pub struct BrandAssets {
    /// `None` when no layer writes a `theme` table: the org's theme is left alone.
    pub theme: Option<Theme>,
    /// `None` when no layer writes a `sign_out` table.
    pub sign_out: Option<SignOut>,
    pub settings: Settings,
}

/// A target's theme, every field Okta's PUT requires filled in (Okta's defaults where
/// the project is silent).
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Lower-case `#rrggbb`. Always holds the primary and secondary colours; the
    /// contrast colours only when written (Okta derives them otherwise).
    pub colors: BTreeMap<ColorKey, String>,
    /// Every touch point: the variant written, or `OKTA_DEFAULT`.
    pub variants: BTreeMap<TouchPoint, &'static str>,
    /// The images written, by path.
    pub images: BTreeMap<ImageKey, ThemeImage>,
}

/// An image of the theme: where the project writes it, and the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeImage {
    /// As written in `signin-pages.toml`, relative to the project.
    pub rel: String,
    /// The project's root joined with `rel`.
    pub path: PathBuf,
}

/// The sign-out page: Okta's own, or an address of the project's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOut {
    pub url: Option<String>,
}

/// A brand's own settings, each `None` when left to the org.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub remove_powered_by_okta: Option<bool>,
    pub privacy_policy_url: Option<String>,
    pub agree_to_custom_privacy_policy: Option<bool>,
    pub locale: Option<String>,
}

impl Theme {
    pub fn color(&self, k: ColorKey) -> Option<&str> {
        self.colors.get(&k).map(String::as_str)
    }

    pub fn variant(&self, t: TouchPoint) -> &'static str {
        self.variants.get(&t).copied().unwrap_or(OKTA_DEFAULT)
    }

    pub fn image(&self, i: ImageKey) -> Option<&ThemeImage> {
        self.images.get(&i)
    }

    /// The body of `PUT /api/v1/brands/{brandId}/themes/{themeId}` (`UpdateThemeRequest`,
    /// the writable fields of `ThemeResponse`). Contrast colours the project leaves unset
    /// are left out (the spec types them as strings, not nullable). Images are uploaded
    /// on their own (`ImageKey::upload`).
    pub fn put_body(&self) -> Value {
        let mut body = Map::new();
        for k in ColorKey::ALL {
            if let Some(c) = self.color(k) {
                body.insert(k.field().into(), Value::String(c.into()));
            }
        }
        for t in TouchPoint::ALL {
            body.insert(t.field().into(), Value::String(self.variant(t).into()));
        }
        Value::Object(body)
    }
}

impl SignOut {
    /// The body of `PUT /api/v1/brands/{brandId}/pages/sign-out/customized` (`HostedPage`).
    pub fn put_body(&self) -> Value {
        match &self.url {
            Some(url) => json!({ "type": "EXTERNALLY_HOSTED", "url": url }),
            None => json!({ "type": "OKTA_DEFAULT" }),
        }
    }
}

impl Settings {
    pub fn is_empty(&self) -> bool {
        *self == Settings::default()
    }

    /// The brand's fields this project sets, by Okta's names.
    pub fn fields(&self) -> Map<String, Value> {
        let mut m = Map::new();
        if let Some(b) = self.remove_powered_by_okta {
            m.insert("removePoweredByOkta".into(), Value::Bool(b));
        }
        if let Some(u) = &self.privacy_policy_url {
            m.insert("customPrivacyPolicyUrl".into(), Value::String(u.clone()));
        }
        if let Some(b) = self.agree_to_custom_privacy_policy {
            m.insert("agreeToCustomPrivacyPolicy".into(), Value::Bool(b));
        }
        if let Some(l) = &self.locale {
            m.insert("locale".into(), Value::String(l.clone()));
        }
        m
    }

    /// The same settings as the Okta side's brand merge takes them
    /// ([`crate::okta::brands::merged`]): `None` leaves a field as read.
    pub fn okta(&self) -> crate::okta::brands::Settings {
        crate::okta::brands::Settings {
            remove_powered_by_okta: self.remove_powered_by_okta,
            custom_privacy_policy_url: self.privacy_policy_url.clone().map(Some),
            agree_to_custom_privacy_policy: self.agree_to_custom_privacy_policy,
            locale: self.locale.clone().map(Some),
        }
    }

    /// The body of `PUT /api/v1/brands/{brandId}` (`BrandRequest`) from the brand as
    /// read (`GET`): Okta's PUT is a full replace, so the brand goes back as read (a
    /// missing `emailDomainId` would detach the email domain, a missing `name` rename the
    /// brand) with this project's fields over it — the Okta side's one merge,
    /// [`crate::okta::brands::merged`] (read-only fields and nulls dropped).
    pub fn brand_put_body(&self, current: &Value) -> Value {
        crate::okta::brands::merged(current, &self.okta())
    }
}

/// The layers of one target, bottom to top.
fn layers<'a, T>(project: Option<&'a T>, env: Option<&'a T>, brand: Option<&'a T>) -> Vec<&'a T> {
    [project, env, brand].into_iter().flatten().collect()
}

/// The theme layers of a target (the project's, the environment's, the brand's, each
/// when written).
pub(crate) fn theme_layers<'a>(
    config: &'a Config,
    env: &'a Environment,
    brand: &'a crate::config::Brand,
) -> Vec<&'a ThemeLayer> {
    layers(
        config.theme.as_ref(),
        env.theme.as_ref(),
        brand.theme.as_ref(),
    )
}

fn sign_out_layers<'a>(
    config: &'a Config,
    env: &'a Environment,
    brand: &'a crate::config::Brand,
) -> Vec<&'a SignOutLayer> {
    layers(
        config.sign_out.as_ref(),
        env.sign_out.as_ref(),
        brand.sign_out.as_ref(),
    )
}

/// `maps` merged key by key, each over the ones before it.
pub(crate) fn merged<'a, K: Ord + Copy + 'a, V: 'a>(
    maps: impl IntoIterator<Item = &'a BTreeMap<K, V>>,
) -> BTreeMap<K, &'a V> {
    let mut out = BTreeMap::new();
    for m in maps {
        for (k, v) in m {
            out.insert(*k, v);
        }
    }
    out
}

/// The brand of one target as the project manages it; image paths under `root`.
pub fn resolve(
    config: &Config,
    env: &Environment,
    brand: &crate::config::Brand,
    root: &Path,
) -> BrandAssets {
    let themes = theme_layers(config, env, brand);
    let theme = (!themes.is_empty()).then(|| {
        let written = merged(themes.iter().map(|l| &l.colors));
        let colors = ColorKey::ALL
            .into_iter()
            .filter_map(|k| {
                let c = written
                    .get(&k)
                    .map(|s| s.get_ref().clone())
                    .or_else(|| k.okta_default().map(String::from))?;
                Some((k, c))
            })
            .collect();
        let written = merged(themes.iter().map(|l| &l.variants));
        let variants = TouchPoint::ALL
            .into_iter()
            .map(|t| (t, written.get(&t).map_or(OKTA_DEFAULT, |v| *v.get_ref())))
            .collect();
        let images = merged(themes.iter().map(|l| &l.images))
            .into_iter()
            .map(|(k, rel)| {
                let rel = rel.get_ref().clone();
                let path = root.join(&rel);
                (k, ThemeImage { rel, path })
            })
            .collect();
        Theme {
            colors,
            variants,
            images,
        }
    });
    let outs = sign_out_layers(config, env, brand);
    let sign_out = (!outs.is_empty()).then(|| SignOut {
        url: outs
            .iter()
            .rev()
            .find_map(|l| l.url.as_ref())
            .map(|u| u.get_ref().clone()),
    });
    BrandAssets {
        theme,
        sign_out,
        settings: settings(&brand.settings),
    }
}

fn settings(s: &BrandSettings) -> Settings {
    Settings {
        remove_powered_by_okta: s.remove_powered_by_okta,
        privacy_policy_url: s.privacy_policy_url.as_ref().map(|u| u.get_ref().clone()),
        agree_to_custom_privacy_policy: s.agree_to_custom_privacy_policy,
        locale: s.locale.as_ref().map(|l| l.get_ref().clone()),
    }
}

#[cfg(test)]
mod tests;
