//! `signin-pages.toml`: the project file, parsed with spans so that every problem
//! names the file, line and column.
//!
//! Parsing is two steps: serde reads the TOML into `Raw*` types (unknown keys and wrong
//! types are refused there, with the span toml reports), then [`validate`] checks the
//! values Okta would refuse and builds the [`Config`] the rest of the tool uses.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diag::{Diagnostic, Diagnostics, Location, Rule};
use crate::duration::IsoDuration;
use crate::source::SourceFile;

pub const CONFIG_FILE: &str = "signin-pages.toml";

/// Okta's limit on `contentSecurityPolicySetting.srcList`.
pub const MAX_SRC_LIST: usize = 20;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    project: RawProject,
    #[serde(default)]
    widget: RawWidget,
    csp: Option<RawCsp>,
    #[serde(default)]
    vars: toml::Table,
    #[serde(default)]
    widget_customizations: WidgetCustomizations,
    #[serde(default)]
    environments: BTreeMap<Spanned<String>, RawEnvironment>,
    #[serde(default)]
    brands: Vec<RawBrand>,
    #[serde(default)]
    check: RawCheck,
    kmsi: Option<RawKmsi>,
    #[serde(default)]
    render: RawRender,
}

/// `[render]`: what one page may cost to render (see [`crate::budget`]).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRender {
    time_budget: Option<Spanned<String>>,
    output_budget: Option<Spanned<toml::Value>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    #[serde(default)]
    allow: Vec<Spanned<String>>,
    #[serde(default)]
    deny: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    name: Spanned<String>,
    default_locale: Option<Spanned<String>>,
    locales: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWidget {
    version: Option<Spanned<String>>,
    generation: Option<WidgetGeneration>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCsp {
    mode: Option<CspMode>,
    report_uri: Option<Spanned<String>>,
    #[serde(default)]
    src_list: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvironment {
    org_url: Option<Spanned<String>>,
    token_env: Option<Spanned<String>>,
    oauth: Option<OAuth>,
    #[serde(default)]
    vars: toml::Table,
    /// Overrides `[kmsi]` key by key for this environment.
    kmsi: Option<RawKmsi>,
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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBrand {
    name: Spanned<String>,
    #[serde(default)]
    vars: toml::Table,
    #[serde(default)]
    widget_customizations: WidgetCustomizations,
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

macro_rules! overlay_fields {
    ($base:expr, $over:expr, $($f:ident),* $(,)?) => {
        $( if $over.$f.is_some() { $base.$f = $over.$f.clone(); } )*
    };
}

impl WidgetCustomizations {
    /// `self` with every field `over` sets taken from `over`.
    pub fn overlaid(&self, over: &WidgetCustomizations) -> WidgetCustomizations {
        let mut out = self.clone();
        overlay_fields!(
            out,
            over,
            sign_in_label,
            username_label,
            username_info_tip,
            password_label,
            password_info_tip,
            show_password_visibility_toggle,
            show_user_identifier,
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
            classic_footer_help_title,
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
        macro_rules! push {
            ($($f:ident),*) => { $( if let Some(v) = &self.$f { out.push((stringify!($f), v)); } )* };
        }
        push!(
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
        );
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

/// A validated project file.
#[derive(Debug, Clone)]
pub struct Config {
    pub file: Arc<SourceFile>,
    pub name: String,
    pub default_locale: String,
    pub locales: Vec<String>,
    pub widget_version: Spanned<String>,
    pub widget_generation: WidgetGeneration,
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
}

#[derive(Debug, Clone)]
pub struct Brand {
    pub name: Spanned<String>,
    /// The brand's folder under `dist/` and `snapshots/`.
    pub dir: String,
    pub vars: serde_json::Map<String, serde_json::Value>,
    pub widget_customizations: WidgetCustomizations,
}

/// Turn a toml/serde error into a diagnostic at its span.
pub fn toml_error(file: &Arc<SourceFile>, err: &toml::de::Error, code: Rule) -> Diagnostic {
    let message = err.message().trim().to_string();
    let help = if message.starts_with("unknown field") {
        "remove the key or correct its spelling; docs/configuration.md lists every key"
    } else if message.starts_with("unknown variant") {
        "use one of the values listed"
    } else if message.starts_with("invalid type") {
        "change the value to the type shown; docs/configuration.md gives an example of each key"
    } else if message.starts_with("missing field") {
        "add the key; docs/configuration.md gives an example"
    } else {
        "fix the TOML syntax at the caret"
    };
    let d = Diagnostic::new(code, message).help(help);
    match err.span() {
        Some(span) => d.at(Location::bytes(file, span)),
        None => d.at(Location::bytes(file, 0..0)),
    }
}

pub fn spanned_at<T>(file: &Arc<SourceFile>, s: &Spanned<T>) -> Location {
    Location::bytes(file, s.span())
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

/// `*`, `^N`, `N` or `N.M`: the forms Okta accepts for `widgetVersion`.
pub fn valid_widget_version(v: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    if v == "*" {
        return true;
    }
    if let Some(major) = v.strip_prefix('^') {
        return digits(major);
    }
    match v.split_once('.') {
        Some((major, minor)) => digits(major) && digits(minor),
        None => digits(v),
    }
}

/// A BCP 47-like locale tag: `en`, `fr`, `pt-BR`, `zh-Hant`.
pub fn valid_locale(l: &str) -> bool {
    let mut parts = l.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn valid_env_name(n: &str) -> bool {
    !n.is_empty()
        && n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A folder name for a brand under `dist/<env>/`, `snapshots/<env>/` and
/// `.signin-pages/backups/<env>/`: its name in Unicode NFC, keeping letters, marks and
/// digits of every script and `-`, `_`, `.`; everything else (spaces, punctuation,
/// separators, the characters Windows reserves `<>:"/\\|?*`, control characters) becomes
/// `-`. Leading and trailing dots go, a Windows device name (`CON`, `NUL`, `COM1`, …)
/// gets a leading `_`, and the name is cut to 100 bytes. ASCII names map as they always
/// did (`Acme Health` → `Acme-Health`).
pub fn brand_dir(name: &str) -> String {
    use icu_properties::CodePointMapData;
    use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};
    let gc = CodePointMapData::<GeneralCategory>::new();
    let keep = |c: char| {
        if c.is_ascii() {
            return c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        }
        let cat = gc.get(c);
        GeneralCategoryGroup::Letter.contains(cat)
            || GeneralCategoryGroup::Mark.contains(cat)
            || GeneralCategoryGroup::Number.contains(cat)
    };
    let nfc = icu_normalizer::ComposingNormalizerBorrowed::new_nfc().normalize(name);
    let s: String = nfc.chars().map(|c| if keep(c) { c } else { '-' }).collect();
    let mut s = s.trim_matches('.').to_string();
    // Most file systems allow 255 bytes per name; leave room for `.tmp-…` siblings.
    if s.len() > 100 {
        let mut end = 100;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s = s.trim_end_matches('.').to_string();
    }
    if s.is_empty() {
        return "brand".to_string();
    }
    if windows_device_name(&s) {
        s.insert(0, '_');
    }
    s
}

/// The folder name earlier versions gave a brand: every character other than ASCII
/// letters, digits, `-`, `_` and `.` replaced by `-`. Backups taken then are still
/// found there.
pub fn ascii_brand_dir(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('.').to_string();
    if s.is_empty() { "brand".to_string() } else { s }
}

/// `CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9`, `LPT0`–`LPT9` (also with superscript
/// digits), in any case and with any extension: names Windows refuses for a file or
/// folder.
fn windows_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    match stem.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" => true,
        _ => {
            let (Some(head), Some(tail)) = (stem.get(..3), stem.get(3..)) else {
                return false;
            };
            matches!(head, "COM" | "LPT")
                && tail.chars().count() == 1
                && tail
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '¹' | '²' | '³'))
        }
    }
}

/// The key two folder names collide on where case does not count (macOS and Windows by
/// default): Unicode lowercase.
pub fn folder_key(dir: &str) -> String {
    dir.to_lowercase()
}

/// Parse and validate the project file. Every problem found is a diagnostic; a config
/// comes back only when there were no errors.
pub fn parse(file: Arc<SourceFile>, diags: &mut Diagnostics) -> Option<Config> {
    let raw: RawConfig = match toml::from_str(&file.text) {
        Ok(raw) => raw,
        Err(e) => {
            diags.push(toml_error(&file, &e, Rule::P001));
            return None;
        }
    };
    validate(file, raw, diags)
}

fn validate(file: Arc<SourceFile>, raw: RawConfig, diags: &mut Diagnostics) -> Option<Config> {
    let before = diags.count(crate::diag::Severity::Error);
    let err = |span: std::ops::Range<usize>, msg: String, help: &str| {
        Diagnostic::new(Rule::P002, msg)
            .at(Location::bytes(&file, span))
            .help(help)
    };

    // [project]
    if raw.project.name.get_ref().trim().is_empty() {
        diags.push(err(
            raw.project.name.span(),
            "the project needs a name".to_string(),
            "write a short name, e.g. `name = \"acme\"`",
        ));
    }
    let default_locale = raw
        .project
        .default_locale
        .clone()
        .unwrap_or_else(|| Spanned::new(0..0, "en".to_string()));
    let locales: Vec<Spanned<String>> = match &raw.project.locales {
        Some(l) => l.get_ref().clone(),
        None => vec![default_locale.clone()],
    };
    for l in locales.iter().chain(std::iter::once(&default_locale)) {
        if !valid_locale(l.get_ref()) {
            diags.push(err(
                l.span(),
                format!("`{}` is not a locale tag", l.get_ref()),
                "write a BCP 47 language tag such as `en`, `fr` or `pt-BR`",
            ));
        }
    }
    let mut seen = Vec::new();
    for l in &locales {
        if seen.contains(l.get_ref()) {
            diags.push(err(
                l.span(),
                format!("locale `{}` is listed twice", l.get_ref()),
                "list each locale once",
            ));
        }
        seen.push(l.get_ref().clone());
    }
    if !locales
        .iter()
        .any(|l| l.get_ref() == default_locale.get_ref())
    {
        let span = raw
            .project
            .locales
            .as_ref()
            .map_or(default_locale.span(), |l| l.span());
        diags.push(err(
            span,
            format!(
                "the default locale `{}` is not in `locales`",
                default_locale.get_ref()
            ),
            "add the default locale to `locales`",
        ));
    }

    // [widget]
    let widget_version = raw
        .widget
        .version
        .clone()
        .unwrap_or_else(|| Spanned::new(0..0, "^7".to_string()));
    if !valid_widget_version(widget_version.get_ref()) {
        diags.push(err(
            widget_version.span(),
            format!(
                "Okta refuses the widget version `{}`",
                widget_version.get_ref()
            ),
            "use `*`, a major range `^7`, a major `7`, or a major.minor `7.13`",
        ));
    }

    // [csp]
    let csp = raw.csp.as_ref().map(|c| {
        let src_list: Vec<Spanned<String>> = c.src_list.as_ref().map(|s| s.get_ref().clone()).unwrap_or_default();
        if src_list.len() > MAX_SRC_LIST {
            let span = c.src_list.as_ref().map_or(0..0, |s| s.span());
            diags.push(Diagnostic::new(Rule::C003, format!("`src_list` has {} entries; Okta accepts at most {MAX_SRC_LIST}", src_list.len())).at(Location::bytes(&file, span)).help(
                "merge origins (a scheme and host cover every path under them) or drop the ones the page no longer loads from",
            ));
        }
        for s in &src_list {
            if !valid_source(s.get_ref()) {
                diags.push(err(
                    s.span(),
                    format!("`{}` is not a CSP source Okta accepts", s.get_ref()),
                    "write an origin such as `https://cdn.example.com` (a path and a leading `*.` are allowed)",
                ));
            }
        }
        if let Some(uri) = &c.report_uri
            && !uri.get_ref().starts_with("https://") {
                diags.push(err(uri.span(), "`report_uri` must be an https:// URL".to_string(), "write the full https:// address of your CSP report collector"));
            }
        Csp {
            mode: c.mode.unwrap_or_default(),
            report_uri: c.report_uri.as_ref().map(|u| u.get_ref().clone()),
            src_list: src_list.iter().map(|s| s.get_ref().clone()).collect(),
        }
    });

    check_customizations(&file, &raw.widget_customizations, diags);

    // [environments.*]
    if raw.environments.is_empty() {
        diags.push(
            Diagnostic::new(Rule::P002, "the project has no environment")
                .at(Location::bytes(&file, 0..0))
                .help("add one, e.g. `[environments.prod]` with `org_url = \"https://login.example.com\"`"),
        );
    }
    // `[kmsi]` on its own too, for values every environment overrides (a finding made
    // again for an environment is folded into one by `Diagnostics::finish`).
    if let Some(k) = &raw.kmsi {
        let _ = validate_kmsi(&file, k, false, diags);
    }
    // Environment names are folder names too: two that differ only in case collide on
    // macOS and Windows. Reported at the later one in the file.
    let mut by_position: Vec<&Spanned<String>> = raw.environments.keys().collect();
    by_position.sort_by_key(|n| n.span().start);
    for (i, name) in by_position.iter().enumerate() {
        if let Some(first) = by_position[..i]
            .iter()
            .find(|p| folder_key(p.get_ref()) == folder_key(name.get_ref()))
        {
            diags.push(err(
                name.span(),
                format!(
                    "environments `{}` and `{}` would share a folder on a file system that ignores case (macOS, Windows)",
                    first.get_ref(),
                    name.get_ref()
                ),
                "give each environment a name that differs in more than case",
            ));
        }
    }
    let mut environments = Vec::new();
    for (name, env) in &raw.environments {
        if !valid_env_name(name.get_ref()) {
            diags.push(err(
                name.span(),
                format!("`{}` is not a usable environment name", name.get_ref()),
                "use letters, digits, `-` and `_` only",
            ));
        }
        if let Some(url) = &env.org_url
            && let Err(problem) = crate::okta::OrgUrl::parse(url.get_ref())
        {
            diags.push(err(
                url.span(),
                problem.to_string(),
                "write the org's address, e.g. `https://acme.okta.com` or your custom domain",
            ));
        }
        if let Some(o) = &env.oauth
            && o.private_key_file.is_some() == o.private_key_env.is_some()
        {
            diags.push(err(
                    o.client_id.span(),
                    "the service app needs exactly one of `private_key_file` and `private_key_env`".to_string(),
                    "name the PEM file holding the app's private key, or the environment variable that holds it",
                ));
        }
        let kmsi = merge_kmsi(raw.kmsi.as_ref(), env.kmsi.as_ref())
            .and_then(|k| validate_kmsi(&file, &k, true, diags));
        environments.push(Environment {
            name: name.get_ref().clone(),
            org_url: env.org_url.clone(),
            token_env: env.token_env.clone(),
            oauth: env.oauth.clone(),
            vars: table_to_json(&env.vars),
            kmsi,
        });
    }

    // [[brands]]
    if raw.brands.is_empty() {
        diags.push(
            Diagnostic::new(Rule::P002, "the project has no brand")
                .at(Location::bytes(&file, 0..0))
                .help("add one: `[[brands]]` with `name = \"…\"`, the brand's name in Okta"),
        );
    }
    let mut brands: Vec<Brand> = Vec::new();
    for b in &raw.brands {
        let name = b.name.get_ref();
        if name.trim().is_empty() {
            diags.push(err(
                b.name.span(),
                "a brand needs a name".to_string(),
                "write the brand's name as Okta shows it",
            ));
        }
        let dir = brand_dir(name);
        if let Some(prev) = brands
            .iter()
            .find(|p| p.name.get_ref() == name || folder_key(&p.dir) == folder_key(&dir))
        {
            let msg = if prev.name.get_ref() == name {
                format!("brand `{name}` is listed twice")
            } else if prev.dir == dir {
                format!(
                    "brands `{}` and `{name}` would share the folder `{dir}`",
                    prev.name.get_ref()
                )
            } else {
                format!(
                    "brands `{}` and `{name}` would share a folder on a file system that ignores case (macOS, Windows): `{}` and `{dir}`",
                    prev.name.get_ref(),
                    prev.dir
                )
            };
            diags.push(err(b.name.span(), msg, "give each brand its own name"));
        }
        check_customizations(&file, &b.widget_customizations, diags);
        brands.push(Brand {
            name: b.name.clone(),
            dir,
            vars: table_to_json(&b.vars),
            widget_customizations: b.widget_customizations.clone(),
        });
    }

    // [check]
    for (list, what) in [(&raw.check.allow, "allow"), (&raw.check.deny, "deny")] {
        for code in list {
            match crate::diag::rules::find(code.get_ref()) {
                None => diags.push(err(
                    code.span(),
                    format!("`{}` is not a rule code", code.get_ref()),
                    "`signin-pages explain CODE` describes each rule; codes look like `C002`",
                )),
                Some(r) if what == "allow" && !r.allowable() => diags.push(err(
                    code.span(),
                    format!("`{r}` cannot be allowed"),
                    "it stops the build or Okta refuses the request; fix the problem instead",
                )),
                Some(_) => {}
            }
        }
    }

    // [render]
    let mut render = crate::budget::Limits::default();
    if let Some(t) = &raw.render.time_budget {
        match crate::budget::parse_time(t.get_ref()) {
            Ok(d) => render.time = d,
            Err(why) => diags.push(err(
                t.span(),
                format!("time_budget: {why}"),
                "write a duration such as `\"2s\"` or `\"500ms\"` (the default is 2 s)",
            )),
        }
    }
    if let Some(o) = &raw.render.output_budget {
        let text = match o.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(n) => n.to_string(),
            other => format!("a {}", other.type_str()),
        };
        match crate::budget::parse_size(&text) {
            Ok(n) => render.output = n,
            Err(why) => diags.push(err(
                o.span(),
                format!("output_budget: {why}"),
                "write a size such as `\"16MiB\"` or `\"512KiB\"` (the default is 16 MiB)",
            )),
        }
    }

    if diags.count(crate::diag::Severity::Error) > before {
        return None;
    }
    Some(Config {
        file,
        name: raw.project.name.get_ref().clone(),
        default_locale: default_locale.get_ref().clone(),
        locales: locales.iter().map(|l| l.get_ref().clone()).collect(),
        widget_version,
        widget_generation: raw.widget.generation.unwrap_or_default(),
        csp,
        vars: table_to_json(&raw.vars),
        widget_customizations: raw.widget_customizations,
        environments,
        brands,
        allow: raw
            .check
            .allow
            .iter()
            .filter_map(|c| crate::diag::rules::find(c.get_ref()))
            .collect(),
        deny: raw
            .check
            .deny
            .iter()
            .filter_map(|c| crate::diag::rules::find(c.get_ref()))
            .collect(),
        render,
    })
}

// ---------------------------------------------------------------------------------------
// [kmsi]: Keep Me Signed In in the org's policies
// ---------------------------------------------------------------------------------------

// The ranges `[kmsi]` values must fall in (ours, from what Okta documents; see
// docs/configuration.md).

/// `maxSessionIdleMinutes`: Okta's global session idle time is at most 30 days.
pub const MAX_IDLE_MINUTES: RangeInclusive<u64> = 1..=43_200;
/// `maxSessionLifetimeMinutes`: 0 is "no limit"; Okta's longest global session is 180 days.
pub const MAX_LIFETIME_MINUTES: RangeInclusive<u64> = 0..=259_200;
/// `factorLifetime`: Okta documents no maximum; we cap it at the longest session.
pub const MFA_LIFETIME_MINUTES: RangeInclusive<u64> = 1..=259_200;
/// `postAuthPromptFrequency`: at least an hour (a shorter one asks again within the same
/// working session), at most a year.
pub const PROMPT_FREQUENCY_SECS: RangeInclusive<u64> = 3_600..=365 * 86_400;

/// What is wrong with a valid duration as `prompt_frequency`: (message, help).
pub fn prompt_frequency_problem(d: &IsoDuration) -> Option<(String, String)> {
    if d.calendar() {
        return Some((
            "years and months have no fixed length, and Okta answers the frequency in hours".into(),
            "write days instead, e.g. `P30D` for a month or `P365D` for a year".into(),
        ));
    }
    if d.fractional() {
        return Some((
            "Okta takes whole units".into(),
            "write e.g. `PT90M` instead of `PT1.5H`".into(),
        ));
    }
    let secs = d.seconds().unwrap_or(0);
    if secs < *PROMPT_FREQUENCY_SECS.start() {
        return Some((
            format!("{} is shorter than an hour", d.describe()),
            "the prompt would come back within the same working session; use at least `PT1H`"
                .into(),
        ));
    }
    if secs > *PROMPT_FREQUENCY_SECS.end() {
        return Some((
            format!("{} is longer than a year", d.describe()),
            "use at most `P365D`".into(),
        ));
    }
    None
}

/// `[kmsi]` (and `[environments.E.kmsi]`) as written. Integers are read as any TOML value
/// so that a quoted number (the guide's `"200"`) gets its own diagnostic.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKmsi {
    post_auth: Option<Spanned<PostAuth>>,
    prompt_frequency: Option<Spanned<String>>,
    app_policies: Option<Spanned<RawSelection>>,
    rules: Option<Spanned<RawSelection>>,
    pre_auth: Option<Spanned<bool>>,
    session: Option<RawKmsiSession>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKmsiSession {
    policy: Option<Spanned<String>>,
    groups: Option<Spanned<Vec<Spanned<String>>>>,
    rule: Option<Spanned<String>>,
    persistent_cookie: Option<Spanned<bool>>,
    max_idle_minutes: Option<Spanned<toml::Value>>,
    max_lifetime_minutes: Option<Spanned<toml::Value>>,
    require_mfa: Option<Spanned<bool>>,
    mfa_prompt: Option<Spanned<MfaPrompt>>,
    mfa_lifetime_minutes: Option<Spanned<toml::Value>>,
}

/// `"all"` or a list of names, as written.
#[derive(Debug, Clone)]
enum RawSelection {
    One(String),
    Many(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for RawSelection {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawSelection;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("\"all\" or a list of names")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<RawSelection, E> {
                Ok(RawSelection::One(s.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RawSelection, A::Error> {
                let mut names = Vec::new();
                while let Some(n) = seq.next_element::<Spanned<String>>()? {
                    names.push(n);
                }
                Ok(RawSelection::Many(names))
            }
        }
        d.deserialize_any(V)
    }
}

/// `keepMeSignedIn.postAuth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostAuth {
    Allowed,
    NotAllowed,
}

impl PostAuth {
    /// As Okta writes it.
    pub fn okta(self) -> &'static str {
        match self {
            PostAuth::Allowed => "ALLOWED",
            PostAuth::NotAllowed => "NOT_ALLOWED",
        }
    }
}

/// `signon.factorPromptMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MfaPrompt {
    Always,
    Device,
    Session,
}

impl MfaPrompt {
    pub fn okta(self) -> &'static str {
        match self {
            MfaPrompt::Always => "ALWAYS",
            MfaPrompt::Device => "DEVICE",
            MfaPrompt::Session => "SESSION",
        }
    }
}

/// Which policies or rules: every one, or these names.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    All,
    Named(Vec<Spanned<String>>),
}

impl Selection {
    pub fn includes(&self, name: &str) -> bool {
        match self {
            Selection::All => true,
            Selection::Named(names) => names.iter().any(|n| n.get_ref() == name),
        }
    }
}

/// The validated `[kmsi]` of one environment (project keys overlaid with the
/// environment's). Every field is optional: only what is set is managed.
#[derive(Debug, Clone)]
pub struct Kmsi {
    pub post_auth: Option<Spanned<PostAuth>>,
    pub prompt_frequency: Option<Spanned<crate::duration::IsoDuration>>,
    /// App sign-in (`ACCESS_POLICY`) policies by name; default: all.
    pub app_policies: Selection,
    /// Rules within them by name; default: all.
    pub rules: Selection,
    /// Whether the project asks for pre-authentication KMSI (an org setting, no API).
    pub pre_auth: Option<Spanned<bool>>,
    pub session: Option<KmsiSession>,
}

impl Kmsi {
    /// Whether any app sign-in policy rule setting is managed.
    pub fn manages_app_rules(&self) -> bool {
        self.post_auth.is_some() || self.prompt_frequency.is_some()
    }
}

/// `[kmsi.session]`: one global session policy (`OKTA_SIGN_ON`) rule.
#[derive(Debug, Clone, Default)]
pub struct KmsiSession {
    /// The policy by name; default: the org's default global session policy.
    pub policy: Option<Spanned<String>>,
    /// Groups the policy applies to when it is created; default `["Everyone"]`.
    pub groups: Option<Vec<Spanned<String>>>,
    /// The rule by name; default: the policy's default rule.
    pub rule: Option<Spanned<String>>,
    pub persistent_cookie: Option<Spanned<bool>>,
    pub max_idle_minutes: Option<Spanned<u64>>,
    pub max_lifetime_minutes: Option<Spanned<u64>>,
    pub require_mfa: Option<Spanned<bool>>,
    pub mfa_prompt: Option<Spanned<MfaPrompt>>,
    pub mfa_lifetime_minutes: Option<Spanned<u64>>,
}

/// `[kmsi]` overlaid key by key with `[environments.E.kmsi]` (and `.session` likewise).
fn merge_kmsi(base: Option<&RawKmsi>, over: Option<&RawKmsi>) -> Option<RawKmsi> {
    let (b, o) = match (base, over) {
        (None, None) => return None,
        (Some(b), None) => return Some(b.clone()),
        (None, Some(o)) => return Some(o.clone()),
        (Some(b), Some(o)) => (b, o),
    };
    macro_rules! pick {
        ($x:expr, $y:expr, $($f:ident),*) => { $( $y.$f = $y.$f.clone().or_else(|| $x.$f.clone()); )* };
    }
    let mut out = o.clone();
    pick!(
        b,
        out,
        post_auth,
        prompt_frequency,
        app_policies,
        rules,
        pre_auth
    );
    out.session = match (&b.session, &o.session) {
        (None, s) | (s, None) => s.clone(),
        (Some(bs), Some(os)) => {
            let mut s = os.clone();
            pick!(
                bs,
                s,
                policy,
                groups,
                rule,
                persistent_cookie,
                max_idle_minutes,
                max_lifetime_minutes,
                require_mfa,
                mfa_prompt,
                mfa_lifetime_minutes
            );
            Some(s)
        }
    };
    Some(out)
}

fn validate_selection(
    file: &Arc<SourceFile>,
    key: &str,
    what: &str,
    raw: Option<&Spanned<RawSelection>>,
    diags: &mut Diagnostics,
) -> Option<Selection> {
    let Some(raw) = raw else {
        return Some(Selection::All);
    };
    let err = |span: std::ops::Range<usize>, msg: String, help: String| {
        Diagnostic::new(Rule::P002, msg)
            .at(Location::bytes(file, span))
            .help(help)
    };
    match raw.get_ref() {
        RawSelection::One(s) if s == "all" => Some(Selection::All),
        RawSelection::One(s) => {
            diags.push(err(
                raw.span(),
                format!("`{key}` is `\"{s}\"`: write `\"all\"` or a list of {what} names"),
                format!("`{key} = [\"{s}\"]` names one; `{key} = \"all\"` takes every one"),
            ));
            None
        }
        RawSelection::Many(names) if names.is_empty() => {
            diags.push(err(
                raw.span(),
                format!("`{key}` is an empty list"),
                format!("name at least one {what}, write `\"all\"`, or remove the key"),
            ));
            None
        }
        RawSelection::Many(names) => {
            let mut ok = true;
            for (i, n) in names.iter().enumerate() {
                if n.get_ref().trim().is_empty() {
                    diags.push(err(
                        n.span(),
                        format!("a blank {what} name in `{key}`"),
                        format!("write the {what}'s name as the Admin Console shows it"),
                    ));
                    ok = false;
                } else if names[..i].iter().any(|p| p.get_ref() == n.get_ref()) {
                    diags.push(err(
                        n.span(),
                        format!("`{}` is listed twice in `{key}`", n.get_ref()),
                        "list each name once".to_string(),
                    ));
                    ok = false;
                }
            }
            ok.then(|| Selection::Named(names.clone()))
        }
    }
}

/// A whole number of minutes in `range`, or a diagnostic.
fn minutes(
    file: &Arc<SourceFile>,
    key: &str,
    okta_field: &str,
    v: Option<&Spanned<toml::Value>>,
    range: std::ops::RangeInclusive<u64>,
    range_help: &str,
    diags: &mut Diagnostics,
) -> Result<Option<Spanned<u64>>, ()> {
    let Some(v) = v else {
        return Ok(None);
    };
    let at = Location::bytes(file, v.span());
    let n = match v.get_ref() {
        toml::Value::Integer(i) => *i,
        toml::Value::String(s) => {
            let help = if s.trim().parse::<i64>().is_ok() {
                format!("write `{key} = {}` without quotes", s.trim())
            } else {
                format!("write a whole number of minutes, e.g. `{key} = 120`")
            };
            diags.push(
                Diagnostic::new(Rule::P002,
                    format!(
                        "`{key}` is the string \"{s}\": Okta's `{okta_field}` is an integer number of minutes"
                    ),
                )
                .at(at)
                .help(help),
            );
            return Err(());
        }
        other => {
            diags.push(
                Diagnostic::new(
                    Rule::P002,
                    format!(
                        "`{key}` must be a whole number of minutes, not {}",
                        other.type_str()
                    ),
                )
                .at(at)
                .help(format!("e.g. `{key} = 120`")),
            );
            return Err(());
        }
    };
    match u64::try_from(n) {
        Ok(m) if range.contains(&m) => Ok(Some(Spanned::new(v.span(), m))),
        _ => {
            diags.push(
                Diagnostic::new(
                    Rule::P002,
                    format!(
                        "`{key} = {n}` is out of range: {} to {} minutes",
                        range.start(),
                        range.end()
                    ),
                )
                .at(at)
                .help(range_help.to_string()),
            );
            Err(())
        }
    }
}

/// Check `[kmsi]`; `keys_together`: also the rules between keys (only on the merged
/// settings of an environment, since an environment may complete the project's).
fn validate_kmsi(
    file: &Arc<SourceFile>,
    raw: &RawKmsi,
    keys_together: bool,
    diags: &mut Diagnostics,
) -> Option<Kmsi> {
    use crate::duration::IsoDuration;
    let before = diags.count(crate::diag::Severity::Error);
    let err = |span: std::ops::Range<usize>, msg: String, help: String| {
        Diagnostic::new(Rule::P002, msg)
            .at(Location::bytes(file, span))
            .help(help)
    };

    let prompt_frequency = raw.prompt_frequency.as_ref().and_then(|f| {
        let text = f.get_ref();
        match IsoDuration::parse(text) {
            Err(why) => {
                diags.push(err(
                    f.span(),
                    format!("`{text}` is not an ISO 8601 duration: {why}"),
                    "write e.g. `P30D` (30 days), `P1W` (a week) or `PT12H` (12 hours)".into(),
                ));
                None
            }
            Ok(d) => match prompt_frequency_problem(&d) {
                Some((msg, help)) => {
                    diags.push(err(
                        f.span(),
                        format!("prompt_frequency `{text}`: {msg}"),
                        help,
                    ));
                    None
                }
                None => Some(Spanned::new(f.span(), d)),
            },
        }
    });
    let app_policies = validate_selection(
        file,
        "app_policies",
        "app sign-in policy",
        raw.app_policies.as_ref(),
        diags,
    );
    let rules = validate_selection(file, "rules", "rule", raw.rules.as_ref(), diags);

    let session = raw.session.as_ref().map(|s| {
        let mut out = KmsiSession {
            policy: s.policy.clone(),
            groups: s.groups.as_ref().map(|g| g.get_ref().clone()),
            rule: s.rule.clone(),
            persistent_cookie: s.persistent_cookie.clone(),
            require_mfa: s.require_mfa.clone(),
            mfa_prompt: s.mfa_prompt.clone(),
            ..KmsiSession::default()
        };
        for (key, v) in [("policy", &s.policy), ("rule", &s.rule)] {
            if let Some(v) = v
                && v.get_ref().trim().is_empty()
            {
                diags.push(err(
                    v.span(),
                    format!("`session.{key}` is blank"),
                    format!("write the {key}'s name, or remove the key for the org's default"),
                ));
            }
        }
        if let Some(g) = &s.groups {
            if g.get_ref().is_empty() {
                diags.push(err(
                    g.span(),
                    "`session.groups` is an empty list".into(),
                    "name at least one group (e.g. `[\"Everyone\"]`), or remove the key".into(),
                ));
            }
            for (i, n) in g.get_ref().iter().enumerate() {
                if n.get_ref().trim().is_empty() {
                    diags.push(err(n.span(), "a blank group name".into(), "write the group's name as Okta shows it".into()));
                } else if g.get_ref()[..i].iter().any(|p| p.get_ref() == n.get_ref()) {
                    diags.push(err(n.span(), format!("group `{}` is listed twice", n.get_ref()), "list each group once".into()));
                }
            }
        }
        out.max_idle_minutes = minutes(
            file,
            "max_idle_minutes",
            "maxSessionIdleMinutes",
            s.max_idle_minutes.as_ref(),
            MAX_IDLE_MINUTES,
            "Okta's global session idle time is 1 minute to 30 days (43200 minutes)",
            diags,
        )
        .unwrap_or_default();
        out.max_lifetime_minutes = minutes(
            file,
            "max_lifetime_minutes",
            "maxSessionLifetimeMinutes",
            s.max_lifetime_minutes.as_ref(),
            MAX_LIFETIME_MINUTES,
            "0 means no limit; otherwise at most 180 days (259200 minutes), Okta's longest global session",
            diags,
        )
        .unwrap_or_default();
        out.mfa_lifetime_minutes = minutes(
            file,
            "mfa_lifetime_minutes",
            "factorLifetime",
            s.mfa_lifetime_minutes.as_ref(),
            MFA_LIFETIME_MINUTES,
            "the MFA lifetime is 1 minute to 180 days (259200 minutes)",
            diags,
        )
        .unwrap_or_default();
        if let Some(r) = &s.require_mfa
            && keys_together
            && *r.get_ref()
            && s.mfa_prompt.is_none()
        {
            diags.push(err(
                r.span(),
                "`require_mfa = true` needs `mfa_prompt`: Okta requires `factorPromptMode` when `requireFactor` is true".into(),
                "add `mfa_prompt = \"device\"` (once per device), `\"session\"` (after `mfa_lifetime_minutes`) or `\"always\"`".into(),
            ));
        }
        if let Some(p) = &s.mfa_prompt
            && keys_together
            && *p.get_ref() == MfaPrompt::Session
            && s.mfa_lifetime_minutes.is_none()
        {
            diags.push(err(
                p.span(),
                "`mfa_prompt = \"session\"` needs `mfa_lifetime_minutes`: Okta prompts again when that `factorLifetime` expires".into(),
                "add e.g. `mfa_lifetime_minutes = 200`".into(),
            ));
        }
        out
    });

    if diags.count(crate::diag::Severity::Error) > before {
        return None;
    }
    Some(Kmsi {
        post_auth: raw.post_auth.clone(),
        prompt_frequency,
        app_policies: app_policies?,
        rules: rules?,
        pre_auth: raw.pre_auth.clone(),
        session,
    })
}

/// A CSP source expression as Okta's `srcList` takes it: `https://host[:port][/path]`,
/// with an optional leading `*.` on the host.
fn valid_source(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    if !matches!(scheme, "https" | "http" | "wss" | "ws") {
        return false;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.strip_prefix("*.").unwrap_or(host);
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            ""
        }
    });
    !host.is_empty()
        && !s.contains(char::is_whitespace)
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

fn check_customizations(
    file: &Arc<SourceFile>,
    wc: &WidgetCustomizations,
    diags: &mut Diagnostics,
) {
    if let Some(g) = &wc.grace_period_required_soon
        && g.custom_link_label.is_some() != g.custom_link_url.is_some()
    {
        let span = g
            .custom_link_label
            .as_ref()
            .or(g.custom_link_url.as_ref())
            .map_or(0..0, |s| s.span());
        diags.push(
                Diagnostic::new(Rule::P002, "Okta needs both `custom_link_label` and `custom_link_url` of `grace_period_required_soon`, or neither")
                    .at(Location::bytes(file, span))
                    .help("add the missing one or remove this one"),
            );
    }
    for (key, v) in wc.strings() {
        if key.ends_with("_url")
            && !v.get_ref().is_empty()
            && !(v.get_ref().starts_with("https://")
                || v.get_ref().starts_with("http://")
                || v.get_ref().starts_with('/'))
        {
            diags.push(
                Diagnostic::new(Rule::P002, format!("`{key}` is not a URL"))
                    .at(Location::bytes(file, v.span()))
                    .help("write a full address such as `https://example.com/help`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> IsoDuration {
        IsoDuration::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn prompt_frequency_bounds() {
        assert!(prompt_frequency_problem(&d("P30D")).is_none());
        assert!(prompt_frequency_problem(&d("PT1H")).is_none());
        assert!(prompt_frequency_problem(&d("P365D")).is_none());
        assert!(prompt_frequency_problem(&d("PT59M")).is_some());
        assert!(prompt_frequency_problem(&d("P366D")).is_some());
        assert!(prompt_frequency_problem(&d("P1M")).is_some());
        assert!(prompt_frequency_problem(&d("PT1.5H")).is_some());
    }

    #[test]
    fn widget_versions() {
        for ok in ["*", "^7", "7", "7.13", "^10"] {
            assert!(valid_widget_version(ok), "{ok}");
        }
        for bad in ["", "latest", "^7.13", "7.13.1", "v7", "7.", "^", "7.x"] {
            assert!(!valid_widget_version(bad), "{bad}");
        }
    }

    #[test]
    fn brand_folders() {
        assert_eq!(brand_dir("Acme Health"), "Acme-Health");
        assert_eq!(brand_dir("B: one/two"), "B--one-two");
        assert_eq!(brand_dir("Äcme Ωmega 東京"), "Äcme-Ωmega-東京");
        assert_eq!(brand_dir("हिन्दी"), "हिन्दी");
        // Decomposed input comes out composed.
        assert_eq!(brand_dir("Cafe\u{301}"), "Café");
        assert_eq!(
            brand_dir("a<b>c:d\"e/f\\g|h?i*j\u{7}k"),
            "a-b-c-d-e-f-g-h-i-j-k"
        );
        assert_eq!(brand_dir("..x.."), "x");
        assert_eq!(brand_dir("..."), "brand");
        assert_eq!(brand_dir("con"), "_con");
        assert_eq!(brand_dir("NUL.txt"), "_NUL.txt");
        assert_eq!(brand_dir("COM1"), "_COM1");
        assert_eq!(brand_dir("LPT²"), "_LPT²");
        assert_eq!(brand_dir("COM10"), "COM10");
        assert_eq!(brand_dir("Console"), "Console");
        assert!(brand_dir(&"é".repeat(200)).len() <= 100);
        assert_eq!(folder_key("ÄCME"), folder_key("äcme"));
    }

    #[test]
    fn locales() {
        assert!(valid_locale("en"));
        assert!(valid_locale("pt-BR"));
        assert!(!valid_locale("EN"));
        assert!(!valid_locale("english"));
    }
}
