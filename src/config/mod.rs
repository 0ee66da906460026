//! `signin-pages.toml`: the project file, parsed with spans so that every problem
//! names the file, line and column.
//!
//! Parsing is two steps: serde reads the TOML into the `Raw*` types as written (`raw`;
//! `[kmsi]`'s in `kmsi`), refusing unknown keys and wrong types with the span toml
//! reports; then `validate` checks, one function per section, the values Okta would
//! refuse and builds the [`Config`] (`model`) the rest of the tool uses. The folder
//! names made from brand names are `folders`'; `widget_customizations`, sent to Okta as
//! written, are `widget`'s. Everything the rest of the tool uses is re-exported here.

mod folders;
mod kmsi;
mod model;
mod raw;
mod theme;
mod tokens;
mod validate;
mod widget;

use std::sync::Arc;

use toml::Spanned;

use crate::diag::{Diagnostic, Diagnostics, Location, Rule};
use crate::source::SourceFile;

pub use folders::{ascii_brand_dir, brand_dir, folder_key};
pub use kmsi::{
    Kmsi, KmsiSession, MAX_IDLE_MINUTES, MAX_LIFETIME_MINUTES, MFA_LIFETIME_MINUTES, MfaPrompt,
    PROMPT_FREQUENCY_SECS, PostAuth, Selection, prompt_frequency_problem,
};
pub use model::{
    Brand, Config, Csp, CspMode, Environment, OAuth, PreviewSettings, WidgetGeneration,
};
pub use raw::{table_to_json, toml_to_json};
pub use theme::{
    BrandSettings, ColorKey, ImageKey, OKTA_DEFAULT, SignOutLayer, ThemeLayer, TouchPoint,
    valid_hex_color,
};
pub use tokens::{Token, TokenValue, Tokens};
pub use validate::{MAX_SRC_LIST, valid_locale, valid_widget_version};
pub use widget::{GracePeriodRequiredSoon, WidgetCustomizations};

pub const CONFIG_FILE: &str = "signin-pages.toml";

/// Parse and validate the project file. Every problem found is a diagnostic; a config
/// comes back only when there were no errors.
pub fn parse(file: Arc<SourceFile>, diags: &mut Diagnostics) -> Option<Config> {
    let raw: raw::RawConfig = match toml::from_str(&file.text) {
        Ok(raw) => raw,
        Err(e) => {
            diags.push(toml_error(&file, &e, Rule::P001));
            return None;
        }
    };
    validate::validate(file, raw, diags)
}

/// Turn a toml/serde error into a diagnostic at its span.
pub fn toml_error(file: &Arc<SourceFile>, err: &toml::de::Error, code: Rule) -> Diagnostic {
    let message = err.message().trim().to_string();
    let help = if message.starts_with("unknown field") {
        "remove the key or correct its spelling; the configuration reference lists every key (signin-pages book: reference/configuration)"
    } else if message.starts_with("unknown variant") {
        "use one of the values listed"
    } else if message.starts_with("invalid type") {
        "change the value to the type shown; the configuration reference gives an example of each key (signin-pages book: reference/configuration)"
    } else if message.starts_with("missing field") {
        "add the key; the configuration reference gives an example (signin-pages book: reference/configuration)"
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
