//! What the pinned Sign-In Widget has, checked against the project and its pages
//! (W001–W005). Every rule reads the facts of the version `[widget] version` resolves to
//! ([`crate::widget::resolve`]); for a version nothing is known of, they say nothing.
//!
//! Project-wide here: widget strings in the locale files (W001), locales the widget does
//! not ship (W002), Gen3 with a widget older than 7.8 (W003). The page's own `config.i18n`
//! keys are in [`i18n`]; Gen2 CSS and `afterRender` surgery on a Gen3 page in [`gen3`].
//!
//! okta-signin-widget issue #3856 (a partial `config.i18n.fr` turning every other string
//! English) was measured not to happen on 7.x the way Okta's page loads the widget, so no
//! rule warns about partial overrides (tests/browser/i18n-fallback.test.mjs).

mod gen3;
mod i18n;

use crate::config::{WidgetGeneration, spanned_at};
use crate::diag::{Diagnostic, Location, Rule, suggest};
use crate::project::Project;
use crate::widget::{self, Facts, language_tag};

pub(super) use gen3::check as gen3_page;
pub(super) use i18n::page_keys;

/// The facts of the project's widget version, if anything is known of it.
fn facts(project: &Project) -> Option<&'static Facts> {
    widget::resolve(project.config.widget_version.get_ref())
}

pub(super) fn project_wide(project: &Project, out: &mut Vec<Diagnostic>) {
    g3_needs_7_8(project, out);
    let Some(facts) = facts(project) else {
        return;
    };
    locale_keys(project, facts, out);
    locales_shipped(project, facts, out);
}

/// The finding for a widget string key the widget does not have, with "did you mean".
fn unknown_key(facts: &Facts, key: &str, lang: &str) -> Diagnostic {
    let suggestion = match key.strip_prefix("country.") {
        Some(code) => suggest::closest(code, facts.country_codes()).map(|c| format!("country.{c}")),
        None => suggest::closest(key, facts.keys()).map(str::to_string),
    };
    let d = Diagnostic::new(
        Rule::W001,
        format!(
            "the Sign-In Widget {} has no string `{key}`: the `{lang}` text given for it is never shown",
            facts.version()
        ),
    );
    match suggestion {
        Some(s) => d
            .label(format!("did you mean `{s}`?"))
            .help(format!("use `{s}`, a string of widget {}", facts.version())),
        None => d.label("not a widget string").help(format!(
            "use one of the keys of the widget's `login.json` (widget {}), or remove the entry",
            facts.version()
        )),
    }
}

/// W001 in the locale files' `[widget]` tables, at the key.
fn locale_keys(project: &Project, facts: &Facts, out: &mut Vec<Diagnostic>) {
    for locale in &project.locales {
        for (key, value) in &locale.widget {
            if facts.has_key(key) {
                continue;
            }
            let text = &locale.file.text;
            let start = value.span().start.min(text.len());
            // The key as written before its value: `"key" = …`, quotes included.
            let at = text[..start]
                .rfind(key.as_str())
                .map(|o| {
                    let quoted = o > 0 && matches!(text.as_bytes()[o - 1], b'"' | b'\'');
                    let q = usize::from(quoted);
                    o - q..o + key.len() + q
                })
                .unwrap_or_else(|| value.span());
            out.push(unknown_key(facts, key, &locale.tag).at(Location::bytes(&locale.file, at)));
        }
    }
}

/// Where `tag` is written in `[project] locales`.
fn locale_in_config(project: &Project, tag: &str) -> Option<Location> {
    let file = &project.config.file;
    let text = &file.text;
    let quoted = format!("\"{tag}\"");
    let list = text
        .match_indices("locales")
        .map(|(o, _)| o)
        .find(|&o| {
            text[o + "locales".len()..].trim_start().starts_with('=')
                && text[..o]
                    .rsplit('\n')
                    .next()
                    .is_some_and(|l| l.trim().is_empty())
        })
        .unwrap_or(0);
    let o = list + text[list..].find(&quoted)?;
    Some(Location::bytes(file, o..o + quoted.len()))
}

/// W002: a project locale the widget ships no language for.
fn locales_shipped(project: &Project, facts: &Facts, out: &mut Vec<Diagnostic>) {
    for tag in &project.config.locales {
        if facts.widget_language(tag).is_some() {
            continue;
        }
        let shipped: Vec<String> = facts.languages().iter().map(|l| language_tag(l)).collect();
        out.push(
            Diagnostic::new(
                Rule::W002,
                format!(
                    "the Sign-In Widget {} ships no language for locale `{tag}`: every widget string its `[widget]` table does not give shows in English",
                    facts.version()
                ),
            )
            .at_opt(locale_in_config(project, tag))
            .label("the widget has no strings for this locale")
            .help(format!(
                "the widget ships {}; use one of them, or give `locales/{tag}.toml` every widget string visitors see",
                shipped.join(", ")
            )),
        );
    }
}

/// W003: Gen3 needs the `okta-sign-in.next.js` bundle, which ships from 7.8 on.
fn g3_needs_7_8(project: &Project, out: &mut Vec<Diagnostic>) {
    let config = &project.config;
    if config.widget_generation != WidgetGeneration::G3 {
        return;
    }
    let version = config.widget_version.get_ref();
    let no_g3 = match facts(project) {
        Some(f) => !f.has_g3(),
        // Nothing known of it: a major below 7 has no Gen3 either.
        None => version
            .trim()
            .trim_start_matches('^')
            .split('.')
            .next()
            .and_then(|m| m.parse::<u32>().ok())
            .is_some_and(|m| m < 7),
    };
    if !no_g3 {
        return;
    }
    let resolved = facts(project).map_or(String::new(), |f| format!(" (newest: {})", f.version()));
    out.push(
        Diagnostic::new(
            Rule::W003,
            format!(
                "`generation = \"G3\"` needs Sign-In Widget 7.8 or later, but version `{version}`{resolved} has no Gen3 bundle"
            ),
        )
        .at(spanned_at(&config.file, &config.widget_version))
        .label("no Gen3 at this version")
        .help("use `version = \"^7\"` (or `\"7.8\"` or later), or `generation = \"G2\"`"),
    );
}
