//! `[widget]` and `widget_customizations`: a widget version Okta accepts, link
//! addresses that are addresses, and the grace-period link written whole.

use toml::Spanned;

use super::Findings;
use crate::config::raw::RawWidget;
use crate::config::tokens::{RawTokens, TokenValue, Tokens};
use crate::config::widget::WidgetCustomizations;

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

/// `[widget] version`, `^7` unless written.
pub(super) fn version(f: &mut Findings<'_>, raw: &RawWidget) -> Spanned<String> {
    let version = raw
        .version
        .clone()
        .unwrap_or_else(|| Spanned::new(0..0, "^7".to_string()));
    if !valid_widget_version(version.get_ref()) {
        f.p002(
            version.span(),
            format!("Okta refuses the widget version `{}`", version.get_ref()),
            "use `*`, a major range `^7`, a major `7`, or a major.minor `7.13`",
        );
    }
    version
}

/// A `tokens` table (`[widget.tokens]`, an environment's, a brand's): every value
/// something. Whether the widget reads each name, and a value of its kind, are the
/// token checks' (they need the widget's facts).
pub(super) fn tokens(f: &mut Findings<'_>, raw: &RawTokens) -> Tokens {
    for (name, value) in raw {
        if name.get_ref().trim().is_empty() {
            f.p002(
                name.span(),
                "a design token needs a name",
                "write the token's name, e.g. `PalettePrimaryMain`",
            );
        }
        if let TokenValue::Text(s) = value.get_ref()
            && s.trim().is_empty()
        {
            f.p002(
                value.span(),
                format!("design token `{}` has an empty value", name.get_ref()),
                "give it a value, or remove the key to keep the widget's default",
            );
        }
    }
    Tokens::from_raw(raw)
}

/// `widget_customizations`, the project's or a brand's.
pub(super) fn customizations(f: &mut Findings<'_>, wc: &WidgetCustomizations) {
    if let Some(g) = &wc.grace_period_required_soon
        && g.custom_link_label.is_some() != g.custom_link_url.is_some()
    {
        let span = g
            .custom_link_label
            .as_ref()
            .or(g.custom_link_url.as_ref())
            .map_or(0..0, |s| s.span());
        f.p002(
            span,
            "Okta needs both `custom_link_label` and `custom_link_url` of `grace_period_required_soon`, or neither",
            "add the missing one or remove this one",
        );
    }
    for (key, value) in wc.strings() {
        let v = value.get_ref();
        if key.ends_with("_url")
            && !v.is_empty()
            && !(v.starts_with("https://") || v.starts_with("http://") || v.starts_with('/'))
        {
            f.p002(
                value.span(),
                format!("`{key}` is not a URL"),
                "write a full address such as `https://example.com/help`",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widget_versions() {
        for ok in ["*", "^7", "7", "7.13", "^10"] {
            assert!(valid_widget_version(ok), "{ok}");
        }
        for bad in ["", "latest", "^7.13", "7.13.1", "v7", "7.", "^", "7.x"] {
            assert!(!valid_widget_version(bad), "{bad}");
        }
    }
}
