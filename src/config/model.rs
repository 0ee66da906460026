//! The validated project file: what `config::parse` hands the rest of the tool once
//! every section has passed its checks. Values that need no checking beyond their type
//! (`[environments.E.oauth]`, the two enums) are read into these types directly.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::kmsi::Kmsi;
use super::theme::{BrandSettings, SignOutLayer, ThemeLayer};
use super::tokens::Tokens;
use super::widget::WidgetCustomizations;
use crate::diag::Rule;
use crate::source::SourceFile;

/// A validated project file.
#[derive(Debug, Clone)]
pub struct Config {
    pub file: Arc<SourceFile>,
    pub name: String,
    pub default_locale: String,
    pub locales: Vec<String>,
    pub widget_version: Spanned<String>,
    pub widget_generation: WidgetGeneration,
    /// `[widget.tokens]`: the project's Gen3 design tokens.
    pub tokens: Tokens,
    pub csp: Option<Csp>,
    pub vars: serde_json::Map<String, serde_json::Value>,
    pub widget_customizations: WidgetCustomizations,
    pub environments: Vec<Environment>,
    pub brands: Vec<Brand>,
    /// `[check] allow` / `deny`: rules to silence / to treat as errors.
    pub allow: Vec<Rule>,
    pub deny: Vec<Rule>,
    /// `[render]`: the time and output budgets of one page.
    pub render: crate::budget::Limits,
    /// `[preview]`: what the preview's mock org offers.
    pub preview: PreviewSettings,
    /// `[theme]` and `[sign_out]`, when written (the `theme` module merges the layers).
    pub theme: Option<ThemeLayer>,
    pub sign_out: Option<SignOutLayer>,
}

/// `[preview]`: the org features the preview's mock Identity Engine offers, as a real
/// org offers them only when they are switched on there (self-service registration in
/// a profile enrollment policy, self-service unlock in a password policy). Never sent
/// to Okta. Nothing to check beyond the types, so read directly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewSettings {
    /// The identify screen offers "Sign up" (a `select-enroll-profile` remediation).
    #[serde(default)]
    pub registration: bool,
    /// The identify screen offers "Unlock account?" (an `unlock-account` remediation).
    #[serde(default)]
    pub unlock: bool,
}

/// `widgetCustomizations.widgetGeneration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
pub enum WidgetGeneration {
    /// Okta's default for a page that does not say.
    #[default]
    G2,
    G3,
}

/// `contentSecurityPolicySetting.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CspMode {
    #[default]
    Enforced,
    ReportOnly,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Csp {
    pub mode: CspMode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_uri: Option<String>,
    pub src_list: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Environment {
    pub name: String,
    pub org_url: Option<Spanned<String>>,
    /// The variable holding this environment's API token (default `OKTA_API_TOKEN`).
    pub token_env: Option<Spanned<String>>,
    pub oauth: Option<OAuth>,
    pub vars: serde_json::Map<String, serde_json::Value>,
    /// `[kmsi]` merged with `[environments.<name>.kmsi]`; `None` when neither exists.
    pub kmsi: Option<Kmsi>,
    /// `[environments.<name>.tokens]`: overrides `[widget.tokens]`.
    pub tokens: Tokens,
    /// `[environments.<name>.theme]` / `.sign_out`: override the project's.
    pub theme: Option<ThemeLayer>,
    pub sign_out: Option<SignOutLayer>,
}

/// `[environments.E.oauth]`: an OAuth 2.0 service app (client credentials with a
/// `private_key_jwt` assertion) instead of an API token.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuth {
    pub client_id: Spanned<String>,
    /// A PEM file (relative to the project) holding the app's private key.
    pub private_key_file: Option<Spanned<String>>,
    /// Or the name of an environment variable holding the PEM.
    pub private_key_env: Option<Spanned<String>>,
    /// The `kid` of the key registered with the app, when it has several.
    pub key_id: Option<String>,
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
}

fn default_scopes() -> Vec<String> {
    [
        "okta.brands.read",
        "okta.brands.manage",
        "okta.policies.read",
        "okta.policies.manage",
    ]
    .map(String::from)
    .to_vec()
}

#[derive(Debug, Clone)]
pub struct Brand {
    pub name: Spanned<String>,
    /// The brand's folder under `dist/` and `snapshots/`.
    pub dir: String,
    pub vars: serde_json::Map<String, serde_json::Value>,
    pub widget_customizations: WidgetCustomizations,
    /// The brand's `tokens`: overrides `[widget.tokens]` and the environment's.
    pub tokens: Tokens,
    /// The brand's `theme` / `sign_out`: override the project's and the environment's.
    pub theme: Option<ThemeLayer>,
    pub sign_out: Option<SignOutLayer>,
    /// `remove_powered_by_okta`, `privacy_policy_url`, … : the brand itself in Okta.
    pub settings: BrandSettings,
}

impl Config {
    /// The design tokens of one target: `[widget.tokens]` < the environment's < the
    /// brand's, key by key (name → the token that wins, with where it is written).
    pub fn tokens_for<'a>(
        &'a self,
        env: &'a Environment,
        brand: &'a Brand,
    ) -> std::collections::BTreeMap<&'a str, &'a super::tokens::Token> {
        Tokens::merged(&[&self.tokens, &env.tokens, &brand.tokens])
    }
}
