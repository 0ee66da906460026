//! The template context: what a designer's Tera expressions can read.
//!
//! `project`, `brand` (name + vars), `env` (name, org_url + vars), `vars` (merged:
//! project < environment < brand), `locale`/`default_locale`/`locales`, `strings` (the
//! default locale's `[strings]`), `strings_by_locale`, `widget_i18n` (locale → Sign-In
//! Widget key → text, KMSI keys included) and `widget` (version, generation, and the
//! target's design tokens: `[widget.tokens]` < environment < brand). The parts every
//! target shares are converted once.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json, json};
use tera::{Context, Value};

use crate::config::{Brand, Environment, Tokens};
use crate::project::Project;

/// Every name the context defines, for "did you mean".
pub const CONTEXT_NAMES: &[&str] = &[
    "project",
    "brand",
    "env",
    "vars",
    "locale",
    "default_locale",
    "locales",
    "strings",
    "strings_by_locale",
    "widget_i18n",
    "widget",
];

/// The context parts every target shares, converted to Tera values once.
pub struct SharedContext {
    base: Context,
    project_vars: Map<String, Json>,
    /// `widget` without its tokens (they differ per target).
    widget: Map<String, Json>,
    /// `[widget.tokens]`, under each target's.
    tokens: Tokens,
}

/// `widget_i18n`: for each locale, its `[widget]` keys and its KMSI labels under the
/// widget's own keys (`oie.kmsi.title`, …, `oie.remember`).
pub fn widget_i18n(project: &Project) -> BTreeMap<String, BTreeMap<String, String>> {
    project
        .locales
        .iter()
        .map(|l| {
            let mut keys: BTreeMap<String, String> = l
                .widget
                .iter()
                .map(|(k, v)| (k.clone(), v.get_ref().clone()))
                .collect();
            for (_, key, value) in l.kmsi.entries() {
                if let Some(v) = value {
                    keys.insert(key.to_string(), v.get_ref().clone());
                }
            }
            (l.tag.clone(), keys)
        })
        .collect()
}

impl SharedContext {
    pub fn new(project: &Project) -> Self {
        let config = &project.config;
        let strings_of = |l: &crate::project::Locale| -> Map<String, Json> {
            l.strings
                .iter()
                .map(|(k, v)| (k.clone(), Json::String(v.get_ref().clone())))
                .collect()
        };
        let mut base = Context::new();
        base.insert_value(
            "project",
            Value::from_serializable(&json!({ "name": config.name })),
        );
        base.insert("locale", &config.default_locale);
        base.insert("default_locale", &config.default_locale);
        base.insert("locales", &config.locales);
        base.insert_value(
            "strings",
            Value::from_serializable(&strings_of(project.default_locale())),
        );
        let by_locale: Map<String, Json> = project
            .locales
            .iter()
            .map(|l| (l.tag.clone(), Json::Object(strings_of(l))))
            .collect();
        base.insert_value("strings_by_locale", Value::from_serializable(&by_locale));
        base.insert_value(
            "widget_i18n",
            Value::from_serializable(&widget_i18n(project)),
        );
        let widget = json!({
            "version": config.widget_version.get_ref(),
            "generation": config.widget_generation,
        });
        SharedContext {
            base,
            project_vars: config.vars.clone(),
            widget: widget.as_object().cloned().unwrap_or_default(),
            tokens: config.tokens.clone(),
        }
    }

    /// The full context of one target.
    pub fn for_target(&self, env: &Environment, brand: &Brand) -> Context {
        let mut ctx = self.base.clone();
        let mut vars = self.project_vars.clone();
        vars.extend(env.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
        vars.extend(brand.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
        ctx.insert_value(
            "env",
            Value::from_serializable(&json!({
                "name": env.name,
                "org_url": env.org_url.as_ref().map(|u| u.get_ref()),
                "vars": env.vars,
            })),
        );
        ctx.insert_value(
            "brand",
            Value::from_serializable(&json!({ "name": brand.name.get_ref(), "vars": brand.vars })),
        );
        ctx.insert_value("vars", Value::from_serializable(&vars));
        let tokens: Map<String, Json> = Tokens::merged(&[&self.tokens, &env.tokens, &brand.tokens])
            .into_iter()
            .map(|(name, t)| (name.to_string(), t.value.get_ref().to_json()))
            .collect();
        let mut widget = self.widget.clone();
        widget.insert("tokens".to_string(), Json::Object(tokens));
        ctx.insert_value("widget", Value::from_serializable(&widget));
        ctx
    }
}
