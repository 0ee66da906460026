//! The brand's theme in the preview: the images Okta's tags point at (`{{bgImageUrl}}`,
//! `{{faviconUrl}}`, the widget's `logo`, the error page's `{{orgLogo}}`) and the
//! `{{themedStylesUrl}}` stand-in, per target and page, as Okta serves them for the
//! page's variant (`sign_in_page` for the sign-in page, `error_page` for the error page):
//!
//! - `BACKGROUND_IMAGE`: the theme's logo, favicon and background; the primary colour
//!   on the primary button, with the primary contrast colour as its text;
//! - `BACKGROUND_SECONDARY_COLOR`: the theme's logo and favicon; the secondary colour
//!   instead of a background image; the primary button as above;
//! - `OKTA_DEFAULT`, or no `[theme]`: what the preview showed before themes (Okta's look:
//!   the project's `static/logo.*`, `static/favicon.*`, `static/background.*`, else the
//!   neutral stand-ins).
//!
//! An image the theme names is served from its path in the project under
//! `/__preview/theme/<env>/<brand>/<logo|favicon|background>` (a link out of the project
//! is refused, as for `static/`), typed by its header; the stylesheet under
//! `/__preview/theme/<env>/<brand>/<sign-in|error>.css?v=<hash of its text>`.

use std::hash::{Hash, Hasher};

use super::assets;
use super::site::{PageKind, ProjectInfo, TargetPages};
use super::url::percent_encode;
use crate::config::{ColorKey, ImageKey, OKTA_DEFAULT, TouchPoint};
use crate::theme::Theme;

/// The theme as this page shows it: `None` for Okta's own look.
fn shown(target: &TargetPages, kind: PageKind) -> Option<(&Theme, &'static str)> {
    let theme = target.theme.as_ref()?;
    let variant = theme.variant(touch_point(kind));
    (variant != OKTA_DEFAULT).then_some((theme, variant))
}

fn touch_point(kind: PageKind) -> TouchPoint {
    match kind {
        PageKind::SignIn => TouchPoint::SignInPage,
        PageKind::Error => TouchPoint::ErrorPage,
    }
}

/// `/__preview/theme/<env>/<brand folder>/`.
fn base(target: &TargetPages) -> String {
    let (env, brand) = target.dir.split_once('/').unwrap_or((&target.dir, ""));
    format!(
        "/__preview/theme/{}/{}/",
        percent_encode(env),
        percent_encode(brand)
    )
}

/// The URL of an image of the page: the theme's when its variant shows it, else the
/// project's `static/` one, else the neutral stand-in.
pub(super) fn image_url(
    target: &TargetPages,
    project: &ProjectInfo,
    kind: PageKind,
    image: ImageKey,
) -> String {
    if let Some((theme, variant)) = shown(target, kind)
        && theme.image(image).is_some()
        && (image != ImageKey::Background || variant == "BACKGROUND_IMAGE")
    {
        return format!("{}{}", base(target), image.key());
    }
    let (fallback, neutral) = match image {
        ImageKey::Logo => (&project.logo, "logo.svg"),
        ImageKey::Favicon => (&project.favicon, "favicon.svg"),
        ImageKey::Background => (&project.background, "background.svg"),
    };
    fallback.clone().unwrap_or_else(|| assets::url(neutral))
}

/// `{{themedStylesUrl}}`: the theme's stylesheet for the page, versioned by its text.
pub(super) fn styles_url(target: &TargetPages, kind: PageKind) -> String {
    match shown(target, kind) {
        Some((theme, variant)) => {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            themed_css(theme, variant).hash(&mut h);
            format!("{}{}.css?v={:x}", base(target), kind.name(), h.finish())
        }
        None => assets::url("themed.css"),
    }
}

/// The stylesheet of a page with this theme and variant: the neutral one, then the
/// theme's colours over it.
pub(super) fn themed_css(theme: &Theme, variant: &str) -> String {
    let color = |k: ColorKey| theme.color(k).unwrap_or("");
    let primary = color(ColorKey::Primary);
    let mut css = format!(
        "{}\n/* The theme's colours (variant {variant}). */\n\
         #okta-sign-in .button-primary, #okta-sign-in .button.button-primary {{ background: {primary}; background-color: {primary}; border-color: {primary};",
        assets::get("themed.css")
            .map_or("", |(_, body)| body)
            .trim_end()
    );
    if let Some(text) = theme.color(ColorKey::PrimaryContrast) {
        css.push_str(&format!(" color: {text};"));
    }
    css.push_str(" }\n");
    if variant == "BACKGROUND_SECONDARY_COLOR" {
        let secondary = color(ColorKey::Secondary);
        css.push_str(&format!(
            ".login-bg-image {{ background-image: none !important; background-color: {secondary}; }}\nbody {{ background-color: {secondary}; }}\n"
        ));
    }
    css
}

/// What `/__preview/theme/<env>/<brand>/<name>` names: the target's folder and the file.
pub(super) fn parse_path(rest: &str) -> Option<(String, &str)> {
    let mut parts = rest.split('/');
    let (env, brand, name) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (env, brand) = (
        super::url::percent_decode(env),
        super::url::percent_decode(brand),
    );
    if env.is_empty() || brand.is_empty() || env.contains('/') || brand.contains('/') {
        return None;
    }
    Some((format!("{env}/{brand}"), name))
}

/// What a request under a target's theme folder is.
pub(super) enum ThemeFile {
    /// An image of the theme: its path in the project.
    Image(String),
    /// The stylesheet of a page.
    Css(String),
}

/// The file `name` of the target's theme, when the target has it.
pub(super) fn file(target: &TargetPages, name: &str) -> Option<ThemeFile> {
    let theme = target.theme.as_ref()?;
    if let Some(page) = name.strip_suffix(".css") {
        let kind = [PageKind::SignIn, PageKind::Error]
            .into_iter()
            .find(|k| k.name() == page)?;
        let (theme, variant) = shown(target, kind)?;
        return Some(ThemeFile::Css(themed_css(theme, variant)));
    }
    let image = ImageKey::ALL.into_iter().find(|i| i.key() == name)?;
    theme.image(image).map(|i| ThemeFile::Image(i.rel.clone()))
}
