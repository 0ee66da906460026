//! `/api/v1/brands/{brandId}/themes`: a brand's theme — its colours and the touch-point
//! variants of the sign-in page, error page, emails, dashboard and loading page — and the
//! URLs of its images (uploaded and deleted through [`super::images`]).
//!
//! A PUT (`UpdateThemeRequest`) is a full replace that requires both colours and four of
//! the five variants: [`Theme::request`] always sends every writable field, so a caller
//! changes a theme as read and nothing it did not touch is reset. (Okta keeps one theme
//! per brand today; [`current`] is that one.)

use serde_json::{Map, Value, json};

use super::client::api_path;
use super::{Client, OktaError};

/// A theme as Okta answers it (`ThemeResponse`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub id: String,
    /// `primaryColorHex`, `#rrggbb`.
    pub primary_color: String,
    /// `primaryColorContrastHex`; `None` lets Okta choose.
    pub primary_contrast_color: Option<String>,
    pub secondary_color: String,
    pub secondary_contrast_color: Option<String>,
    /// `signInPageTouchPointVariant`: `OKTA_DEFAULT`, `BACKGROUND_SECONDARY_COLOR`, `BACKGROUND_IMAGE`.
    pub sign_in_page: String,
    /// `errorPageTouchPointVariant` (same values as the sign-in page's).
    pub error_page: String,
    /// `emailTemplateTouchPointVariant`: `OKTA_DEFAULT`, `FULL_THEME`.
    pub email_template: String,
    /// `endUserDashboardTouchPointVariant`: `OKTA_DEFAULT`, `FULL_THEME`,
    /// `LOGO_ON_FULL_WHITE_BACKGROUND`, `WHITE_LOGO_BACKGROUND`.
    pub end_user_dashboard: String,
    /// `loadingPageTouchPointVariant`: `OKTA_DEFAULT`, `NONE`.
    pub loading_page: String,
    /// The image URLs (read-only; Okta's own logo and favicon when none was uploaded).
    pub logo: Option<String>,
    pub favicon: Option<String>,
    pub background_image: Option<String>,
}

/// Okta's variant when an answer leaves one out (the spec's `default`).
const DEFAULT_VARIANT: &str = "OKTA_DEFAULT";

impl Theme {
    /// Read an answer; `what` names the request for the error.
    pub fn from_json(v: &Value, what: &str) -> Result<Theme, OktaError> {
        let bad = |field: &str| OktaError::Transport {
            method: "GET".into(),
            path: what.into(),
            message: format!("Okta's theme has no `{field}` string"),
        };
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(String::from);
        let required = |k: &str| text(k).ok_or_else(|| bad(k));
        let variant = |k: &str| text(k).unwrap_or_else(|| DEFAULT_VARIANT.into());
        Ok(Theme {
            id: required("id")?,
            primary_color: required("primaryColorHex")?,
            primary_contrast_color: text("primaryColorContrastHex"),
            secondary_color: required("secondaryColorHex")?,
            secondary_contrast_color: text("secondaryColorContrastHex"),
            sign_in_page: variant("signInPageTouchPointVariant"),
            error_page: variant("errorPageTouchPointVariant"),
            email_template: variant("emailTemplateTouchPointVariant"),
            end_user_dashboard: variant("endUserDashboardTouchPointVariant"),
            loading_page: variant("loadingPageTouchPointVariant"),
            logo: text("logo"),
            favicon: text("favicon"),
            background_image: text("backgroundImage"),
        })
    }

    /// The `UpdateThemeRequest` a PUT sends: every writable field (the colours and all
    /// five variants; a contrast colour only when set, as Okta's `null` default is not a
    /// string the schema takes). The image URLs are not part of it.
    pub fn request(&self) -> Value {
        let mut body = Map::new();
        let mut put = |k: &str, v: &str| {
            body.insert(k.into(), json!(v));
        };
        put("primaryColorHex", &self.primary_color);
        put("secondaryColorHex", &self.secondary_color);
        put("signInPageTouchPointVariant", &self.sign_in_page);
        put("errorPageTouchPointVariant", &self.error_page);
        put("emailTemplateTouchPointVariant", &self.email_template);
        put(
            "endUserDashboardTouchPointVariant",
            &self.end_user_dashboard,
        );
        put("loadingPageTouchPointVariant", &self.loading_page);
        if let Some(c) = &self.primary_contrast_color {
            put("primaryColorContrastHex", c);
        }
        if let Some(c) = &self.secondary_contrast_color {
            put("secondaryColorContrastHex", c);
        }
        Value::Object(body)
    }
}

pub fn path(brand_id: &str, theme_id: &str) -> String {
    api_path(&["brands", brand_id, "themes", theme_id])
}

/// `GET /api/v1/brands/{brandId}/themes`.
pub fn list(c: &Client, brand_id: &str) -> Result<Vec<Theme>, OktaError> {
    let what = api_path(&["brands", brand_id, "themes"]);
    c.list(&what, &[])?
        .iter()
        .map(|t| Theme::from_json(t, &what))
        .collect()
}

/// The brand's theme (Okta keeps one per brand): the first the list names.
pub fn current(c: &Client, brand_id: &str) -> Result<Theme, OktaError> {
    list(c, brand_id)?.into_iter().next().ok_or_else(|| {
        OktaError::Setup(format!(
            "the brand {brand_id} has no theme (GET {} answered an empty list)",
            api_path(&["brands", brand_id, "themes"])
        ))
    })
}

/// `GET …/themes/{themeId}`; `None` on 404.
pub fn get(c: &Client, brand_id: &str, theme_id: &str) -> Result<Option<Theme>, OktaError> {
    let what = path(brand_id, theme_id);
    c.get(&what, &[])?
        .map(|t| Theme::from_json(&t, &what))
        .transpose()
}

/// `PUT …/themes/{theme.id}` with [`Theme::request`]; the theme as Okta answers it.
pub fn put(c: &Client, brand_id: &str, theme: &Theme) -> Result<Theme, OktaError> {
    let what = path(brand_id, &theme.id);
    let answer = c.put(&what, &theme.request())?;
    Theme::from_json(&answer, &what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_theme_goes_back_with_every_field_the_put_requires() {
        // Okta's own example (`GetThemeResponse`).
        let answer = json!({
            "id": "thdul904tTZ6kWVhP0g3",
            "logo": "https://acme.okta.com/assets/img/logos/okta-logo.png",
            "favicon": "https://acme.okta.com/favicon.ico",
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
        });
        let theme = Theme::from_json(&answer, "GET x").unwrap();
        assert_eq!(theme.background_image, None);
        let body = theme.request();
        let mut expected = answer.as_object().unwrap().clone();
        for read_only in ["id", "logo", "favicon", "backgroundImage"] {
            expected.remove(read_only);
        }
        assert_eq!(body, Value::Object(expected));
        let t = Theme {
            primary_contrast_color: None,
            ..theme
        };
        assert!(t.request().get("primaryColorContrastHex").is_none());
        assert!(
            Theme::from_json(&json!({"id": "t"}), "GET x")
                .unwrap_err()
                .to_string()
                .contains("`primaryColorHex`")
        );
    }
}
