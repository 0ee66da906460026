//! `pull`: what the org has live, imported into the project. The sign-in (and error)
//! page become the templates (verbatim, or inside `{% raw %}`), the KMSI prompt labels
//! the default locale's `[kmsi]`, and the widget, CSP and customizations
//! `signin-pages.toml` (edited in place with `toml_edit`: comments and order stay), and
//! the theme `[theme]` with its images in `static/` ([`super::pull_theme`]).

use std::collections::BTreeMap;

use serde_json::Value;
use toml_edit::{DocumentMut, Item, value};

use crate::okta::pages::{self, Page, Slot};
use crate::okta_tags;
use crate::project::{ERROR_TEMPLATE, Project, SIGN_IN_TEMPLATE};

/// What a pull did.
#[derive(Debug)]
pub struct Pulled {
    /// The brands pulled (their live pages are the same).
    pub brands: Vec<String>,
    /// The project files written, relative to the project.
    pub written: Vec<String>,
}

/// widgetCustomizations fields (camelCase) → project keys (snake_case).
fn snake(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The page as a template that renders back to exactly these bytes: verbatim, or inside
/// `{% raw %}` when it holds text Tera would read.
pub fn as_template(content: &str) -> Result<String, String> {
    if okta_tags::find_reserved(content).is_some() {
        return Err(
            "the page holds the control bytes 0x0E/0x0F, which signin-pages reserves".into(),
        );
    }
    let masked = okta_tags::mask(content).map_err(|_| "reserved byte".to_string())?;
    let teraish = ["{{", "{%", "{#"].iter().any(|t| masked.contains(t));
    if !teraish {
        return Ok(content.to_string());
    }
    if content.contains("endraw") {
        return Err("the page holds both Tera syntax and `endraw`: it cannot be wrapped in `{% raw %}` safely; edit it by hand".into());
    }
    Ok(format!("{{% raw %}}{content}{{% endraw %}}"))
}

/// Pull the live pages of `brand` (or of every brand, when their pages are the same) of
/// the environment `env` into the project.
pub fn pull(
    project: &Project,
    env: &str,
    brand: Option<&str>,
    verbose: u8,
) -> Result<Pulled, String> {
    let env = super::environment(project, env)?;
    let names: Vec<String> = project
        .config
        .brands
        .iter()
        .map(|b| b.name.get_ref().clone())
        .filter(|n| brand.is_none_or(|x| x == n))
        .collect();
    if names.is_empty() {
        return Err(format!(
            "no brand named `{}` in signin-pages.toml",
            brand.unwrap_or_default()
        ));
    }
    let client = super::connect(project, env, verbose).map_err(|e| e.to_string())?;
    let brands = crate::okta::brands::list(&client).map_err(|e| e.to_string())?;
    // brand name → (sign-in page, error page), as the org has them live.
    let mut pulled: BTreeMap<String, (Option<Value>, Option<Value>)> = BTreeMap::new();
    let mut themes = Vec::new();
    for name in &names {
        let b = super::brands::resolve(&brands, name)?;
        let live = |page| pages::get(&client, &b.id, page, Slot::Customized);
        let sign_in = live(Page::SignIn).map_err(|e| e.to_string())?;
        let error = live(Page::Error).map_err(|e| e.to_string())?;
        pulled.insert(name.clone(), (sign_in, error));
        themes.push((name.clone(), super::pull_theme::read(&client, b)?));
    }
    if themes.windows(2).any(|w| w[0].1 != w[1].1) {
        return Err(format!(
            "the brands' themes differ ({} and {}), and the project pulls one `[theme]`: pull one brand with --brand",
            themes[0].0, themes[1].0
        ));
    }
    let content = |v: &Option<Value>| {
        v.as_ref()
            .and_then(|x| x.get("pageContent"))
            .and_then(|c| c.as_str())
            .map(String::from)
    };
    let first = pulled.values().next().expect("at least one brand");
    for (page, pick) in [(Page::SignIn, 0usize), (Page::Error, 1)] {
        let texts: Vec<Option<String>> = pulled
            .values()
            .map(|(s, e)| content(if pick == 0 { s } else { e }))
            .collect();
        if texts.windows(2).any(|w| w[0] != w[1]) {
            return Err(format!(
                "the brands' live {} pages differ, and the project has one template for all: pull one brand with --brand",
                page.segment()
            ));
        }
    }
    let (sign_in, error) = first;
    let Some(sign_in_html) = content(sign_in) else {
        return Err(format!(
            "`{}` has no customized sign-in page in {}: nothing to pull",
            names[0], env.name
        ));
    };
    let mut written = Vec::new();
    let root = &project.root;
    for (template, html) in [
        (SIGN_IN_TEMPLATE, Some(sign_in_html)),
        (ERROR_TEMPLATE, content(error)),
    ] {
        let Some(html) = html else { continue };
        let rel = format!("templates/{template}");
        crate::write::atomic(root, &root.join(&rel), as_template(&html)?.as_bytes())
            .map_err(|e| e.to_string())?;
        written.push(rel);
    }
    let page = sign_in.as_ref().expect("checked above");
    let wc = page
        .get("widgetCustomizations")
        .cloned()
        .unwrap_or(Value::Null);
    written.extend(write_labels(project, &wc)?);
    let theme = &themes[0].1;
    let mut files = Vec::new();
    write_config(project, page, &wc, &names, |doc| {
        files = super::pull_theme::write(project, theme, doc)?;
        Ok(())
    })?;
    written.extend(files);
    written.push(crate::config::CONFIG_FILE.to_string());
    Ok(Pulled {
        brands: names,
        written,
    })
}

/// The KMSI prompt labels → the default locale's `[kmsi]`; the file, when it changed.
fn write_labels(project: &Project, wc: &Value) -> Result<Option<String>, String> {
    let root = &project.root;
    let locale_rel = format!("locales/{}.toml", project.config.default_locale);
    let locale_path = root.join(&locale_rel);
    let mut locale: DocumentMut = std::fs::read_to_string(&locale_path)
        .unwrap_or_default()
        .parse()
        .map_err(|e| format!("{locale_rel}: {e}"))?;
    let prompt = wc
        .get("postAuthKeepMeSignedInPrompt")
        .cloned()
        .unwrap_or(Value::Null);
    // The org's labels, exactly: one it does not have (null) leaves the project too, so
    // that the next deploy does not send it and `diff` finds nothing to change.
    let mut changed = false;
    for (api, key) in [
        ("title", "title"),
        ("subtitle", "subtitle"),
        ("acceptButtonText", "accept"),
        ("rejectButtonText", "reject"),
    ] {
        match prompt.get(api).and_then(|t| t.as_str()) {
            Some(text) => {
                if !locale.contains_table("kmsi") {
                    locale["kmsi"] = toml_edit::table();
                }
                locale["kmsi"][key] = value(text);
                changed = true;
            }
            None => {
                if let Some(t) = locale.get_mut("kmsi").and_then(|t| t.as_table_like_mut())
                    && t.remove(key).is_some()
                {
                    changed = true;
                }
            }
        }
    }
    if !changed {
        return Ok(None);
    }
    crate::write::atomic(root, &locale_path, locale.to_string().as_bytes())
        .map_err(|e| e.to_string())?;
    Ok(Some(locale_rel))
}

/// The widget, CSP and customizations of the pulled `page` → `signin-pages.toml`, for the
/// brands `names` (the other brands keep theirs).
fn write_config(
    project: &Project,
    page: &Value,
    wc: &Value,
    names: &[String],
    theme: impl FnOnce(&mut DocumentMut) -> Result<(), String>,
) -> Result<(), String> {
    let root = &project.root;
    let config_path = root.join(crate::config::CONFIG_FILE);
    let mut doc: DocumentMut = project
        .config
        .file
        .text
        .parse()
        .map_err(|e| format!("signin-pages.toml: {e}"))?;
    if let Some(v) = page.get("widgetVersion").and_then(|v| v.as_str()) {
        ensure_table(&mut doc, "widget");
        doc["widget"]["version"] = value(v);
    }
    if let Some(gen_) = wc.get("widgetGeneration").and_then(|v| v.as_str()) {
        ensure_table(&mut doc, "widget");
        doc["widget"]["generation"] = value(gen_);
    }
    match page
        .get("contentSecurityPolicySetting")
        .filter(|c| c.get("mode").is_some_and(|m| !m.is_null()))
    {
        Some(csp) => {
            ensure_table(&mut doc, "csp");
            doc["csp"]["mode"] = value(csp["mode"].as_str().unwrap_or("enforced"));
            match csp
                .get("reportUri")
                .and_then(|r| r.as_str())
                .filter(|r| !r.is_empty())
            {
                Some(r) => doc["csp"]["report_uri"] = value(r),
                None => {
                    doc["csp"].as_table_mut().map(|t| t.remove("report_uri"));
                }
            }
            let mut list = toml_edit::Array::new();
            for s in csp
                .get("srcList")
                .and_then(|l| l.as_array())
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str())
            {
                list.push(s);
            }
            doc["csp"]["src_list"] = value(list);
        }
        None => {
            doc.remove("csp");
        }
    }
    let mut custom = toml_edit::InlineTable::new();
    if let Some(obj) = wc.as_object() {
        for (k, v) in obj {
            if matches!(
                k.as_str(),
                "widgetGeneration" | "postAuthKeepMeSignedInPrompt"
            ) || v.is_null()
            {
                continue;
            }
            match v {
                Value::String(s) => {
                    custom.insert(snake(k), s.as_str().into());
                }
                Value::Bool(b) => {
                    custom.insert(snake(k), (*b).into());
                }
                Value::Object(o) => {
                    let mut inner = toml_edit::InlineTable::new();
                    for (ik, iv) in o {
                        if let Some(s) = iv.as_str() {
                            let short = snake(ik)
                                .trim_start_matches("grace_period_required_soon_")
                                .to_string();
                            inner.insert(&short, s.into());
                        }
                    }
                    if !inner.is_empty() {
                        custom.insert(snake(k), toml_edit::Value::InlineTable(inner));
                    }
                }
                _ => {}
            }
        }
    }
    // Project-wide customizations would add to the pulled brand's, which are complete:
    // fold them into the other brands (theirs win) and drop the project-wide table.
    let project_wide: Option<toml_edit::InlineTable> =
        doc.get("widget_customizations").and_then(|i| match i {
            Item::Table(t) => Some(t.clone().into_inline_table()),
            Item::Value(toml_edit::Value::InlineTable(t)) => Some(t.clone()),
            _ => None,
        });
    doc.remove("widget_customizations");
    if let Some(brands) = doc.get_mut("brands").and_then(Item::as_array_of_tables_mut) {
        for t in brands.iter_mut() {
            let pulled_here = t
                .get("name")
                .and_then(|n| n.as_str())
                .is_some_and(|n| names.iter().any(|x| x == n));
            if pulled_here {
                if custom.is_empty() {
                    t.remove("widget_customizations");
                } else {
                    t["widget_customizations"] = value(custom.clone());
                }
            } else if let Some(pw) = &project_wide {
                let mut merged = pw.clone();
                if let Some(own) = t
                    .get("widget_customizations")
                    .and_then(|i| i.as_inline_table())
                {
                    for (k, v) in own.iter() {
                        merged.insert(k, v.clone());
                    }
                }
                t["widget_customizations"] = value(merged);
            }
        }
    }
    theme(&mut doc)?;
    crate::write::atomic(root, &config_path, doc.to_string().as_bytes()).map_err(|e| e.to_string())
}

fn ensure_table(doc: &mut DocumentMut, name: &str) {
    if !doc.contains_table(name) {
        doc[name] = toml_edit::table();
    }
}
