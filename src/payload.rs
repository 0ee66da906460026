//! The exact request bodies Okta receives: `SignInPage` and `ErrorPage`.
//!
//! Keys come out in a fixed order (the struct order), so `sign-in.json` is byte-identical
//! across runs and machines.

use serde::Serialize;

use crate::config::{Csp, WidgetCustomizations, WidgetGeneration};
use crate::project::{OKTA_KMSI_DEFAULTS, Project};

/// `widgetCustomizations.postAuthKeepMeSignedInPrompt`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostAuthPrompt {
    pub title: String,
    pub subtitle: String,
    pub accept_button_text: String,
    pub reject_button_text: String,
}

impl PostAuthPrompt {
    /// The default locale's `[kmsi]` labels, Okta's defaults where unset: a PUT replaces
    /// the whole object, so every label is sent explicitly.
    pub fn from_project(project: &Project) -> Self {
        let k = &project.default_locale().kmsi;
        let or = |v: &Option<toml::Spanned<String>>, d: &str| {
            v.as_ref().map_or(d.to_string(), |s| s.get_ref().clone())
        };
        PostAuthPrompt {
            title: or(&k.title, OKTA_KMSI_DEFAULTS.title),
            subtitle: or(&k.subtitle, OKTA_KMSI_DEFAULTS.subtitle),
            accept_button_text: or(&k.accept, OKTA_KMSI_DEFAULTS.accept),
            reject_button_text: or(&k.reject, OKTA_KMSI_DEFAULTS.reject),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Customizations {
    #[serde(flatten)]
    pub fields: WidgetCustomizations,
    pub widget_generation: WidgetGeneration,
    pub post_auth_keep_me_signed_in_prompt: PostAuthPrompt,
}

/// `SignInPage`, as PUT to `…/pages/sign-in/{preview,customized}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInPageBody {
    pub page_content: String,
    pub widget_version: String,
    pub widget_customizations: Customizations,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_security_policy_setting: Option<Csp>,
}

/// `ErrorPage`, as PUT to `…/pages/error/{preview,customized}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorPageBody {
    pub page_content: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_security_policy_setting: Option<Csp>,
}

/// Pretty JSON with a final newline: reads well in a pull request.
pub fn to_json<T: Serialize>(body: &T) -> String {
    let mut s = serde_json::to_string_pretty(body).expect("request bodies serialize");
    s.push('\n');
    s
}
