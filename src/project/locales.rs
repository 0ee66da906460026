//! `locales/<lang>.toml`: one file per locale `[project] locales` lists — the KMSI
//! prompt's labels, the widget's own strings and the templates' `[strings]`. A listed
//! locale needs its file (the default locale may rely on Okta's defaults), and a file no
//! one lists is reported.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::{escapes_project, read_source, reserved_in_values};
use crate::config::{Config, toml_error};
use crate::diag::{Diagnostic, Diagnostics, Location, Rule};
use crate::source::SourceFile;

/// `[kmsi]` of a locale file: the labels of the "Keep me signed in" prompt.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KmsiLabels {
    pub title: Option<Spanned<String>>,
    pub subtitle: Option<Spanned<String>>,
    pub accept: Option<Spanned<String>>,
    pub reject: Option<Spanned<String>>,
    pub remember: Option<Spanned<String>>,
}

impl KmsiLabels {
    /// Each label with its key and the widget i18n key it feeds.
    pub fn entries(&self) -> [(&'static str, &'static str, Option<&Spanned<String>>); 5] {
        [
            ("title", "oie.kmsi.title", self.title.as_ref()),
            ("subtitle", "oie.kmsi.subtitle", self.subtitle.as_ref()),
            ("accept", "oie.kmsi.accept", self.accept.as_ref()),
            ("reject", "oie.kmsi.reject", self.reject.as_ref()),
            ("remember", "oie.remember", self.remember.as_ref()),
        ]
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocale {
    #[serde(default)]
    kmsi: KmsiLabels,
    #[serde(default)]
    widget: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    strings: BTreeMap<String, Spanned<String>>,
}

/// One `locales/<lang>.toml`.
#[derive(Debug, Clone)]
pub struct Locale {
    pub tag: String,
    pub file: Arc<SourceFile>,
    pub kmsi: KmsiLabels,
    pub widget: BTreeMap<String, Spanned<String>>,
    pub strings: BTreeMap<String, Spanned<String>>,
}

impl Locale {
    fn empty(tag: &str) -> Self {
        Locale {
            tag: tag.to_string(),
            file: Arc::new(SourceFile::new(format!("locales/{tag}.toml"), "")),
            kmsi: KmsiLabels::default(),
            widget: BTreeMap::new(),
            strings: BTreeMap::new(),
        }
    }
}

/// Every locale `config` lists, in its order; what is wrong with the folder reported.
pub(super) fn load(root: &Path, config: &Config, diags: &mut Diagnostics) -> Vec<Locale> {
    let dir = root.join("locales");
    // Locale files that exist but are not listed.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        names.sort();
        for n in names {
            let tag = n.trim_end_matches(".toml");
            if !config.locales.iter().any(|l| l == tag) {
                let file = Arc::new(SourceFile::new(format!("locales/{n}"), ""));
                diags.push(
                    Diagnostic::new(Rule::P005, format!("`locales/{n}` is for locale `{tag}`, which `[project] locales` does not list"))
                        .at(Location::line(&file, 1))
                        .help(format!("add \"{tag}\" to `locales` in signin-pages.toml, or remove the file")),
                );
            }
        }
    }
    let mut out = Vec::new();
    for tag in &config.locales {
        let rel = format!("locales/{tag}.toml");
        if !root.join(&rel).is_file() {
            if tag == &config.default_locale {
                // A project may rely on Okta's defaults entirely.
                out.push(Locale::empty(tag));
                continue;
            }
            let at = config
                .file
                .text
                .find(&format!("\"{tag}\""))
                .map(|o| Location::bytes(&config.file, o..o + tag.len() + 2));
            diags.push(
                Diagnostic::new(
                    Rule::P005,
                    format!("locale `{tag}` is listed but `{rel}` does not exist"),
                )
                .at_opt(at)
                .help(format!(
                    "create `{rel}` with its `[kmsi]` labels, or remove `{tag}` from `locales`"
                )),
            );
            continue;
        }
        if let Some(d) = escapes_project(root, &rel) {
            diags.push(d);
            continue;
        }
        let Some(file) = read_source(root, &rel, diags) else {
            continue;
        };
        match toml::from_str::<RawLocale>(&file.text) {
            Ok(raw) => out.push({
                reserved_in_values(&file, diags);
                Locale {
                    tag: tag.clone(),
                    file,
                    kmsi: raw.kmsi,
                    widget: raw.widget,
                    strings: raw.strings,
                }
            }),
            Err(e) => diags.push(toml_error(&file, &e, Rule::P001)),
        }
    }
    out
}
