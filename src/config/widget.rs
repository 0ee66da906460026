//! `widget_customizations`: the labels, links and switches of Okta's Sign-In Widget a
//! project may set, at the top of `signin-pages.toml` and per brand. They are written in
//! snake_case and sent as Okta's `SignInPage.widgetCustomizations` in camelCase; the
//! brand's values overlay the project's key by key.

use serde::{Deserialize, Serialize};
use toml::Spanned;

/// `gracePeriodRequiredSoon`, written as a nested table.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all(serialize = "camelCase"))]
pub struct GracePeriodRequiredSoon {
    #[serde(
        rename(serialize = "gracePeriodRequiredSoonCustomLinkLabel"),
        skip_serializing_if = "Option::is_none"
    )]
    pub custom_link_label: Option<Spanned<String>>,
    #[serde(
        rename(serialize = "gracePeriodRequiredSoonCustomLinkUrl"),
        skip_serializing_if = "Option::is_none"
    )]
    pub custom_link_url: Option<Spanned<String>>,
    #[serde(
        rename(serialize = "gracePeriodRequiredSoonDescription"),
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<Spanned<String>>,
}

/// Every field of `SignInPage.widgetCustomizations` a project may set, in snake_case.
/// `widgetGeneration` comes from `[widget] generation` and
/// `postAuthKeepMeSignedInPrompt` from the default locale's `[kmsi]` labels.
/// Serialized in camelCase, in the order of Okta's schema (the payload adds
/// `widgetGeneration` and `postAuthKeepMeSignedInPrompt` after them).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all(serialize = "camelCase"))]
pub struct WidgetCustomizations {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_in_label: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username_label: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username_info_tip: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_label: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_info_tip: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show_password_visibility_toggle: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show_user_identifier: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forgot_password_label: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forgot_password_url: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unlock_account_label: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unlock_account_url: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_label: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_url: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_link1_label: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_link1_url: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_link2_label: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_link2_url: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authenticator_page_custom_link_label: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authenticator_page_custom_link_url: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classic_recovery_flow_email_or_username_label: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classic_footer_help_title: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grace_period_required_soon: Option<GracePeriodRequiredSoon>,
}

/// `$m!($args; field, …)` with every top-level string field of [`WidgetCustomizations`]
/// in the order of the struct: the one list the methods below go through.
macro_rules! with_string_fields {
    ($m:ident!($($args:tt)*)) => {
        $m!(
            $($args)*;
            sign_in_label,
            username_label,
            username_info_tip,
            password_label,
            password_info_tip,
            forgot_password_label,
            forgot_password_url,
            unlock_account_label,
            unlock_account_url,
            help_label,
            help_url,
            custom_link1_label,
            custom_link1_url,
            custom_link2_label,
            custom_link2_url,
            authenticator_page_custom_link_label,
            authenticator_page_custom_link_url,
            classic_recovery_flow_email_or_username_label,
            classic_footer_help_title
        )
    };
}

/// `$base.f = $over.f` for each field `f` that `$over` sets.
macro_rules! overlay_fields {
    ($base:expr, $over:expr; $($f:ident),* $(,)?) => {
        $( if $over.$f.is_some() { $base.$f = $over.$f.clone(); } )*
    };
}

/// Push `(key, value)` onto `$out` for each string field `f` that `$wc` sets.
macro_rules! push_strings {
    ($wc:expr, $out:expr; $($f:ident),*) => {
        $( if let Some(v) = &$wc.$f { $out.push((stringify!($f), v)); } )*
    };
}

impl WidgetCustomizations {
    /// `self` with every field `over` sets taken from `over`.
    pub fn overlaid(&self, over: &WidgetCustomizations) -> WidgetCustomizations {
        let mut out = self.clone();
        with_string_fields!(overlay_fields!(out, over));
        overlay_fields!(
            out,
            over;
            show_password_visibility_toggle,
            show_user_identifier,
            grace_period_required_soon,
        );
        out
    }

    /// With Okta's defaults for the two switches when the project leaves them unset: a
    /// PUT that omits them stores `false` (both are `true` on Okta's default page), so
    /// they are always sent.
    pub fn with_okta_defaults(mut self) -> Self {
        self.show_password_visibility_toggle.get_or_insert(true);
        self.show_user_identifier.get_or_insert(true);
        self
    }

    /// Every string field with its TOML key, for checks over all of them.
    pub fn strings(&self) -> Vec<(&'static str, &Spanned<String>)> {
        let mut out = Vec::new();
        with_string_fields!(push_strings!(self, out));
        if let Some(g) = &self.grace_period_required_soon {
            for (k, v) in [
                (
                    "grace_period_required_soon.custom_link_label",
                    &g.custom_link_label,
                ),
                (
                    "grace_period_required_soon.custom_link_url",
                    &g.custom_link_url,
                ),
                ("grace_period_required_soon.description", &g.description),
            ] {
                if let Some(v) = v {
                    out.push((k, v));
                }
            }
        }
        out
    }
}
