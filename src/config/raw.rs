//! `signin-pages.toml` as written: the serde types the TOML is read into, before any
//! value is checked. Unknown keys and wrong types are refused here (`deny_unknown_fields`,
//! typed fields), with the span toml reports; every value Okta would refuse is left to
//! `validate`. Strings keep their spans so that a finding can point at them.
//!
//! `[kmsi]` has its own raw types, beside its validation (`kmsi/raw.rs`).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::kmsi::RawKmsi;
use super::model::{CspMode, OAuth, PreviewSettings, WidgetGeneration};
use super::theme::{RawSignOut, RawTheme};
use super::tokens::RawTokens;
use super::widget::WidgetCustomizations;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    pub(crate) project: RawProject,
    #[serde(default)]
    pub(crate) widget: RawWidget,
    pub(crate) csp: Option<RawCsp>,
    #[serde(default)]
    pub(crate) vars: toml::Table,
    #[serde(default)]
    pub(crate) widget_customizations: WidgetCustomizations,
    #[serde(default)]
    pub(crate) environments: BTreeMap<Spanned<String>, RawEnvironment>,
    #[serde(default)]
    pub(crate) brands: Vec<RawBrand>,
    #[serde(default)]
    pub(crate) check: RawCheck,
    pub(crate) kmsi: Option<RawKmsi>,
    #[serde(default)]
    pub(crate) render: RawRender,
    #[serde(default)]
    pub(crate) preview: PreviewSettings,
    /// `[theme]` and `[sign_out]`: the brand's theme and sign-out page (`theme.rs`).
    pub(crate) theme: Option<RawTheme>,
    pub(crate) sign_out: Option<RawSignOut>,
}

/// `[project]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProject {
    pub(crate) name: Spanned<String>,
    pub(crate) default_locale: Option<Spanned<String>>,
    pub(crate) locales: Option<Spanned<Vec<Spanned<String>>>>,
}

/// `[widget]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWidget {
    pub(crate) version: Option<Spanned<String>>,
    pub(crate) generation: Option<WidgetGeneration>,
    /// `[widget.tokens]`: Gen3 design tokens.
    #[serde(default)]
    pub(crate) tokens: RawTokens,
}

/// `[csp]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCsp {
    pub(crate) mode: Option<CspMode>,
    pub(crate) report_uri: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) src_list: Option<Spanned<Vec<Spanned<String>>>>,
}

/// `[environments.<name>]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEnvironment {
    pub(crate) org_url: Option<Spanned<String>>,
    pub(crate) token_env: Option<Spanned<String>>,
    pub(crate) oauth: Option<OAuth>,
    #[serde(default)]
    pub(crate) vars: toml::Table,
    /// Overrides `[kmsi]` key by key for this environment.
    pub(crate) kmsi: Option<RawKmsi>,
    /// Overrides `[widget.tokens]` key by key for this environment.
    #[serde(default)]
    pub(crate) tokens: RawTokens,
    /// Override `[theme]` and `[sign_out]` key by key for this environment.
    pub(crate) theme: Option<RawTheme>,
    pub(crate) sign_out: Option<RawSignOut>,
}

/// `[[brands]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBrand {
    pub(crate) name: Spanned<String>,
    #[serde(default)]
    pub(crate) vars: toml::Table,
    #[serde(default)]
    pub(crate) widget_customizations: WidgetCustomizations,
    /// Overrides `[widget.tokens]` (and the environment's) key by key for this brand.
    #[serde(default)]
    pub(crate) tokens: RawTokens,
    /// Override `[theme]` and `[sign_out]` (and the environment's) key by key.
    pub(crate) theme: Option<RawTheme>,
    pub(crate) sign_out: Option<RawSignOut>,
    /// The brand's own settings in Okta (`theme.rs`'s `BrandSettings`).
    pub(crate) remove_powered_by_okta: Option<bool>,
    pub(crate) privacy_policy_url: Option<Spanned<String>>,
    pub(crate) agree_to_custom_privacy_policy: Option<bool>,
    pub(crate) locale: Option<Spanned<String>>,
}

/// `[check]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCheck {
    #[serde(default)]
    pub(crate) allow: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) deny: Vec<Spanned<String>>,
}

/// `[render]`: what one page may cost to render (see [`crate::budget`]).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRender {
    pub(crate) time_budget: Option<Spanned<String>>,
    pub(crate) output_budget: Option<Spanned<toml::Value>>,
}

/// TOML values become JSON values for the template context (dates as strings).
pub fn toml_to_json(v: &toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) => serde_json::Value::String(s.clone()),
        toml::Value::Integer(i) => serde_json::Value::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        toml::Value::Boolean(b) => serde_json::Value::Bool(*b),
        toml::Value::Datetime(d) => serde_json::Value::String(d.to_string()),
        toml::Value::Array(a) => serde_json::Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => serde_json::Value::Object(table_to_json(t)),
    }
}

pub fn table_to_json(t: &toml::Table) -> serde_json::Map<String, serde_json::Value> {
    t.iter()
        .map(|(k, v)| (k.clone(), toml_to_json(v)))
        .collect()
}
