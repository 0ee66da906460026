//! `[theme]`, `[sign_out]` and a brand's settings: the rest of the sign-in brand, as
//! written. A theme table and a sign-out table sit at three levels — the project, an
//! environment (`[environments.E.theme]`) and a brand (`[brands.theme]`) — and merge key
//! by key like `vars` (project < environment < brand); the `theme` module resolves them
//! per target and checks what needs the files (images) or the merged values (contrast).
//!
//! Here each layer is read (unknown keys and wrong types are P001 at the key, as
//! everywhere) and its values checked on their own: colours are `#rrggbb` (B001),
//! variants are Okta's (B002), addresses are https (P002). The tables of keys below are
//! the one description of the theme: the checks, the merge and Okta's JSON field names
//! are all read from them.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::validate::Findings;
use crate::diag::{Diagnostic, Rule, suggest};

/// A colour of the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ColorKey {
    Primary,
    PrimaryContrast,
    Secondary,
    SecondaryContrast,
}

impl ColorKey {
    pub const ALL: [ColorKey; 4] = [
        ColorKey::Primary,
        ColorKey::PrimaryContrast,
        ColorKey::Secondary,
        ColorKey::SecondaryContrast,
    ];

    /// The key in `signin-pages.toml`.
    pub const fn key(self) -> &'static str {
        match self {
            ColorKey::Primary => "primary_color",
            ColorKey::PrimaryContrast => "primary_contrast_color",
            ColorKey::Secondary => "secondary_color",
            ColorKey::SecondaryContrast => "secondary_contrast_color",
        }
    }

    /// The field of Okta's theme (`UpdateThemeRequest`, `ThemeResponse`).
    pub const fn field(self) -> &'static str {
        match self {
            ColorKey::Primary => "primaryColorHex",
            ColorKey::PrimaryContrast => "primaryColorContrastHex",
            ColorKey::Secondary => "secondaryColorHex",
            ColorKey::SecondaryContrast => "secondaryColorContrastHex",
        }
    }

    /// Okta's value when the theme is managed and the project leaves the colour unset
    /// (the two main colours are required on PUT; the contrast colours Okta derives).
    pub const fn okta_default(self) -> Option<&'static str> {
        match self {
            ColorKey::Primary => Some("#1662dd"),
            ColorKey::Secondary => Some("#ebebed"),
            ColorKey::PrimaryContrast | ColorKey::SecondaryContrast => None,
        }
    }

    /// The contrast colour drawn on this one, for the two main colours.
    pub const fn contrast(self) -> Option<ColorKey> {
        match self {
            ColorKey::Primary => Some(ColorKey::PrimaryContrast),
            ColorKey::Secondary => Some(ColorKey::SecondaryContrast),
            ColorKey::PrimaryContrast | ColorKey::SecondaryContrast => None,
        }
    }
}

/// A touch point of the theme, and its variants exactly as Okta's spec lists them
/// (`SignInPageTouchPointVariant` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TouchPoint {
    SignInPage,
    ErrorPage,
    EmailTemplate,
    EndUserDashboard,
    LoadingPage,
}

impl TouchPoint {
    pub const ALL: [TouchPoint; 5] = [
        TouchPoint::SignInPage,
        TouchPoint::ErrorPage,
        TouchPoint::EmailTemplate,
        TouchPoint::EndUserDashboard,
        TouchPoint::LoadingPage,
    ];

    /// The key in `signin-pages.toml`.
    pub const fn key(self) -> &'static str {
        match self {
            TouchPoint::SignInPage => "sign_in_page",
            TouchPoint::ErrorPage => "error_page",
            TouchPoint::EmailTemplate => "email_template",
            TouchPoint::EndUserDashboard => "end_user_dashboard",
            TouchPoint::LoadingPage => "loading_page",
        }
    }

    /// The field of Okta's theme.
    pub const fn field(self) -> &'static str {
        match self {
            TouchPoint::SignInPage => "signInPageTouchPointVariant",
            TouchPoint::ErrorPage => "errorPageTouchPointVariant",
            TouchPoint::EmailTemplate => "emailTemplateTouchPointVariant",
            TouchPoint::EndUserDashboard => "endUserDashboardTouchPointVariant",
            TouchPoint::LoadingPage => "loadingPageTouchPointVariant",
        }
    }

    /// The variants Okta's spec lists, in its order.
    pub const fn variants(self) -> &'static [&'static str] {
        match self {
            TouchPoint::SignInPage | TouchPoint::ErrorPage => &[
                "BACKGROUND_IMAGE",
                "BACKGROUND_SECONDARY_COLOR",
                "OKTA_DEFAULT",
            ],
            TouchPoint::EmailTemplate => &["FULL_THEME", "OKTA_DEFAULT"],
            TouchPoint::EndUserDashboard => &[
                "FULL_THEME",
                "LOGO_ON_FULL_WHITE_BACKGROUND",
                "OKTA_DEFAULT",
                "WHITE_LOGO_BACKGROUND",
            ],
            TouchPoint::LoadingPage => &["NONE", "OKTA_DEFAULT"],
        }
    }
}

/// Okta's default variant of every touch point.
pub const OKTA_DEFAULT: &str = "OKTA_DEFAULT";

/// An image of the theme, uploaded on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ImageKey {
    Logo,
    Favicon,
    Background,
}

impl ImageKey {
    pub const ALL: [ImageKey; 3] = [ImageKey::Logo, ImageKey::Favicon, ImageKey::Background];

    /// The key in `signin-pages.toml`.
    pub const fn key(self) -> &'static str {
        match self {
            ImageKey::Logo => "logo",
            ImageKey::Favicon => "favicon",
            ImageKey::Background => "background",
        }
    }

    /// The field of `ThemeResponse` holding the image's URL (read-only: images are
    /// uploaded to `…/themes/{themeId}/<upload>`).
    pub const fn field(self) -> &'static str {
        match self {
            ImageKey::Logo => "logo",
            ImageKey::Favicon => "favicon",
            ImageKey::Background => "backgroundImage",
        }
    }

    /// The last segment of the upload (and delete) path under the theme.
    pub const fn upload(self) -> &'static str {
        match self {
            ImageKey::Logo => "logo",
            ImageKey::Favicon => "favicon",
            ImageKey::Background => "background-image",
        }
    }
}

/// `[theme]` (or an environment's or brand's `theme`) as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTheme {
    primary_color: Option<Spanned<String>>,
    primary_contrast_color: Option<Spanned<String>>,
    secondary_color: Option<Spanned<String>>,
    secondary_contrast_color: Option<Spanned<String>>,
    sign_in_page: Option<Spanned<String>>,
    error_page: Option<Spanned<String>>,
    email_template: Option<Spanned<String>>,
    end_user_dashboard: Option<Spanned<String>>,
    loading_page: Option<Spanned<String>>,
    logo: Option<Spanned<String>>,
    favicon: Option<Spanned<String>>,
    background: Option<Spanned<String>>,
}

impl RawTheme {
    fn color(&self, k: ColorKey) -> Option<&Spanned<String>> {
        match k {
            ColorKey::Primary => self.primary_color.as_ref(),
            ColorKey::PrimaryContrast => self.primary_contrast_color.as_ref(),
            ColorKey::Secondary => self.secondary_color.as_ref(),
            ColorKey::SecondaryContrast => self.secondary_contrast_color.as_ref(),
        }
    }

    fn variant(&self, t: TouchPoint) -> Option<&Spanned<String>> {
        match t {
            TouchPoint::SignInPage => self.sign_in_page.as_ref(),
            TouchPoint::ErrorPage => self.error_page.as_ref(),
            TouchPoint::EmailTemplate => self.email_template.as_ref(),
            TouchPoint::EndUserDashboard => self.end_user_dashboard.as_ref(),
            TouchPoint::LoadingPage => self.loading_page.as_ref(),
        }
    }

    fn image(&self, i: ImageKey) -> Option<&Spanned<String>> {
        match i {
            ImageKey::Logo => self.logo.as_ref(),
            ImageKey::Favicon => self.favicon.as_ref(),
            ImageKey::Background => self.background.as_ref(),
        }
    }
}

/// `[sign_out]` (or an environment's or brand's `sign_out`) as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSignOut {
    url: Option<Spanned<String>>,
}

/// One layer of the theme, checked: the keys it writes, each with its span. Colours are
/// lower-cased (Okta answers them so), variants are Okta's own strings.
#[derive(Debug, Clone, Default)]
pub struct ThemeLayer {
    pub colors: BTreeMap<ColorKey, Spanned<String>>,
    pub variants: BTreeMap<TouchPoint, Spanned<&'static str>>,
    /// Paths relative to the project, as written.
    pub images: BTreeMap<ImageKey, Spanned<String>>,
}

/// One layer of `[sign_out]`: `url` when written.
#[derive(Debug, Clone, Default)]
pub struct SignOutLayer {
    pub url: Option<Spanned<String>>,
}

/// A brand's own settings in Okta (`PUT /api/v1/brands/{brandId}`): each `None` when
/// the project leaves it to the org.
#[derive(Debug, Clone, Default)]
pub struct BrandSettings {
    /// `removePoweredByOkta`.
    pub remove_powered_by_okta: Option<bool>,
    /// `customPrivacyPolicyUrl`.
    pub privacy_policy_url: Option<Spanned<String>>,
    /// `agreeToCustomPrivacyPolicy`: the consent Okta asks for with a privacy URL.
    pub agree_to_custom_privacy_policy: Option<bool>,
    /// `locale`: the brand's language (a BCP 47 tag).
    pub locale: Option<Spanned<String>>,
}

/// `#rrggbb`: the one form Okta's theme takes.
pub fn valid_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Check one theme table; `None` in, `None` out.
pub(crate) fn theme(f: &mut Findings<'_>, raw: Option<&RawTheme>) -> Option<ThemeLayer> {
    let raw = raw?;
    let mut layer = ThemeLayer::default();
    for k in ColorKey::ALL {
        let Some(v) = raw.color(k) else { continue };
        if valid_hex_color(v.get_ref()) {
            layer
                .colors
                .insert(k, Spanned::new(v.span(), v.get_ref().to_ascii_lowercase()));
        } else {
            let hint = short_hex(v.get_ref()).map_or(String::new(), |long| {
                format!(" (`{}` written in full is `{long}`)", v.get_ref())
            });
            f.push(
                Diagnostic::new(
                    Rule::B001,
                    format!(
                        "`{}` is `{}`: Okta's theme takes a colour as `#rrggbb`{hint}",
                        k.key(),
                        v.get_ref()
                    ),
                )
                .at(f.at(v.span()))
                .help("write six hexadecimal digits after `#`, e.g. `#0f5c45`"),
            );
        }
    }
    for t in TouchPoint::ALL {
        let Some(v) = raw.variant(t) else { continue };
        match t.variants().iter().find(|x| **x == v.get_ref()) {
            Some(known) => {
                layer.variants.insert(t, Spanned::new(v.span(), *known));
            }
            None => {
                let listed = t
                    .variants()
                    .iter()
                    .map(|x| format!("`{x}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut message = format!(
                    "`{}` is not a variant Okta knows for `{}`",
                    v.get_ref(),
                    t.key()
                );
                if let Some(near) = suggest::closest(v.get_ref(), t.variants().iter().copied()) {
                    message.push_str(&format!("; did you mean `{near}`?"));
                }
                f.push(
                    Diagnostic::new(Rule::B002, message)
                        .at(f.at(v.span()))
                        .help(format!("use one of {listed}")),
                );
            }
        }
    }
    for i in ImageKey::ALL {
        if let Some(v) = raw.image(i) {
            layer.images.insert(i, v.clone());
        }
    }
    Some(layer)
}

/// `#abc` → `#aabbcc`, for the hint.
fn short_hex(s: &str) -> Option<String> {
    let digits = s.strip_prefix('#')?;
    (digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_hexdigit())).then(|| {
        format!(
            "#{}",
            digits.chars().flat_map(|c| [c, c]).collect::<String>()
        )
    })
}

/// Check one `[sign_out]` table.
pub(crate) fn sign_out(f: &mut Findings<'_>, raw: Option<&RawSignOut>) -> Option<SignOutLayer> {
    let raw = raw?;
    if let Some(u) = &raw.url {
        https_url(
            f,
            u,
            "sign_out.url",
            "the page visitors land on after signing out",
        );
    }
    Some(SignOutLayer {
        url: raw.url.clone(),
    })
}

/// A brand's settings.
pub(crate) fn brand_settings(
    f: &mut Findings<'_>,
    remove_powered_by_okta: Option<bool>,
    privacy_policy_url: Option<&Spanned<String>>,
    agree: Option<bool>,
    locale: Option<&Spanned<String>>,
) -> BrandSettings {
    if let Some(u) = privacy_policy_url {
        https_url(f, u, "privacy_policy_url", "your privacy policy");
        if agree != Some(true) {
            f.p002(
                u.span(),
                "Okta changes a brand's privacy policy URL only with the consent flag `agreeToCustomPrivacyPolicy`",
                "add `agree_to_custom_privacy_policy = true` to the brand",
            );
        }
    }
    if let Some(l) = locale
        && !super::valid_locale(l.get_ref())
    {
        f.p002(
            l.span(),
            format!("`{}` is not a locale tag", l.get_ref()),
            "write a BCP 47 language tag such as `en`, `fr` or `pt-BR`",
        );
    }
    BrandSettings {
        remove_powered_by_okta,
        privacy_policy_url: privacy_policy_url.cloned(),
        agree_to_custom_privacy_policy: agree,
        locale: locale.cloned(),
    }
}

fn https_url(f: &mut Findings<'_>, u: &Spanned<String>, key: &str, what: &str) {
    let ok = url::Url::parse(u.get_ref())
        .is_ok_and(|p| p.scheme() == "https" && p.host_str().is_some_and(|h| !h.is_empty()));
    if !ok {
        f.p002(
            u.span(),
            format!("`{key}` must be an https:// address"),
            format!("write the full https:// address of {what}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_colors() {
        for ok in ["#0f5c45", "#FFFFFF", "#abcdef"] {
            assert!(valid_hex_color(ok), "{ok}");
        }
        for bad in [
            "", "#fff", "0f5c45", "#0f5c4", "#0f5c455", "#0g5c45", "red", "#ééé",
        ] {
            assert!(!valid_hex_color(bad), "{bad}");
        }
        assert_eq!(short_hex("#fA0").as_deref(), Some("#ffAA00"));
    }
}
