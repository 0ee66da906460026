//! `[project]`: the project's name and its locales (the default locale must be one of
//! them, each a language tag, each listed once).

use toml::Spanned;

use super::Findings;
use crate::config::raw::RawProject;

/// A BCP 47-like locale tag: `en`, `fr`, `pt-BR`, `zh-Hant`.
pub fn valid_locale(l: &str) -> bool {
    let mut parts = l.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The default locale (`en` unless written) and every locale, the default first when
/// `locales` is not written.
pub(super) fn validate(f: &mut Findings<'_>, raw: &RawProject) -> (String, Vec<String>) {
    if raw.name.get_ref().trim().is_empty() {
        f.p002(
            raw.name.span(),
            "the project needs a name",
            "write a short name, e.g. `name = \"acme\"`",
        );
    }
    let default_locale = raw
        .default_locale
        .clone()
        .unwrap_or_else(|| Spanned::new(0..0, "en".to_string()));
    let locales: Vec<Spanned<String>> = match &raw.locales {
        Some(l) => l.get_ref().clone(),
        None => vec![default_locale.clone()],
    };
    for l in locales.iter().chain(std::iter::once(&default_locale)) {
        if !valid_locale(l.get_ref()) {
            f.p002(
                l.span(),
                format!("`{}` is not a locale tag", l.get_ref()),
                "write a BCP 47 language tag such as `en`, `fr` or `pt-BR`",
            );
        }
    }
    for (i, l) in locales.iter().enumerate() {
        if locales[..i].iter().any(|p| p.get_ref() == l.get_ref()) {
            f.p002(
                l.span(),
                format!("locale `{}` is listed twice", l.get_ref()),
                "list each locale once",
            );
        }
    }
    if !locales
        .iter()
        .any(|l| l.get_ref() == default_locale.get_ref())
    {
        let span = raw
            .locales
            .as_ref()
            .map_or(default_locale.span(), |l| l.span());
        f.p002(
            span,
            format!(
                "the default locale `{}` is not in `locales`",
                default_locale.get_ref()
            ),
            "add the default locale to `locales`",
        );
    }
    (
        default_locale.into_inner(),
        locales.into_iter().map(Spanned::into_inner).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales() {
        assert!(valid_locale("en"));
        assert!(valid_locale("pt-BR"));
        assert!(!valid_locale("EN"));
        assert!(!valid_locale("english"));
    }
}
