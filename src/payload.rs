//! The exact request bodies Okta receives: `SignInPage` and `ErrorPage`.
//!
//! Keys come out in a fixed order (the struct order), so `sign-in.json` is byte-identical
//! across runs and machines.

use serde::Serialize;

use crate::config::{Csp, WidgetCustomizations, WidgetGeneration};
use crate::project::Project;

/// `widgetCustomizations.postAuthKeepMeSignedInPrompt`: only the labels the project sets.
///
/// Okta's hosted page puts these labels into the widget's strings for whatever language
/// the visitor has, so a label sent here replaces the widget's own translation in every
/// language the page does not override in `config.i18n`. A label left out lets the
/// widget show its own text, in the visitor's language. (The spec declares the fields as
/// plain strings, so an unset label is left out, never sent as null; a PUT replaces the
/// whole object, so Okta forgets a label that is not sent.)
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostAuthPrompt {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_button_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reject_button_text: Option<String>,
}

impl PostAuthPrompt {
    /// The labels the default locale's `[kmsi]` sets; `None` when it sets none (the body
    /// then has no `postAuthKeepMeSignedInPrompt` at all).
    pub fn from_project(project: &Project) -> Option<Self> {
        let k = &project.default_locale().kmsi;
        let text = |v: &Option<toml::Spanned<String>>| v.as_ref().map(|s| s.get_ref().clone());
        let prompt = PostAuthPrompt {
            title: text(&k.title),
            subtitle: text(&k.subtitle),
            accept_button_text: text(&k.accept),
            reject_button_text: text(&k.reject),
        };
        let any = prompt.title.is_some()
            || prompt.subtitle.is_some()
            || prompt.accept_button_text.is_some()
            || prompt.reject_button_text.is_some();
        any.then_some(prompt)
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Customizations {
    #[serde(flatten)]
    pub fields: WidgetCustomizations,
    pub widget_generation: WidgetGeneration,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_auth_keep_me_signed_in_prompt: Option<PostAuthPrompt>,
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
