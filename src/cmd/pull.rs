use std::collections::BTreeMap;

use serde_json::Value;
use toml_edit::{DocumentMut, Item, value};

use crate::cli::{GlobalArgs, PullArgs};
use crate::cmd::Outcome;
use crate::cmd::deploy::page_name;
use crate::okta::ops::{self, Page, Slot};
use crate::okta_tags;
use crate::project::{ERROR_TEMPLATE, SIGN_IN_TEMPLATE};
use crate::remote;

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
pub(crate) fn as_template(content: &str) -> Result<String, String> {
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

pub(crate) fn execute(g: &GlobalArgs, a: &PullArgs) -> Outcome {
    crate::cmd::conclude(g, pull(g, a))
}

fn pull(g: &GlobalArgs, a: &PullArgs) -> Result<String, String> {
    let Some(project) = crate::cmd::remote::load_project(g) else {
        return Err("the project does not load".into());
    };
    let env = project
        .config
        .environments
        .iter()
        .find(|e| e.name == a.remote.env)
        .ok_or_else(|| {
            format!(
                "no environment named `{}` in signin-pages.toml",
                a.remote.env
            )
        })?;
    let names: Vec<String> = project
        .config
        .brands
        .iter()
        .map(|b| b.name.get_ref().clone())
        .filter(|n| a.remote.brand.as_ref().is_none_or(|x| x == n))
        .collect();
    if names.is_empty() {
        return Err(format!(
            "no brand named `{}` in signin-pages.toml",
            a.remote.brand.clone().unwrap_or_default()
        ));
    }
    let client = remote::connect(&project, env, g.verbose).map_err(|e| e.to_string())?;
    let brands = ops::list_brands(&client).map_err(|e| e.to_string())?;
    // brand name → (sign-in page, error page), as the org has them live.
    let mut pulled: BTreeMap<String, (Option<Value>, Option<Value>)> = BTreeMap::new();
    for name in &names {
        let b = ops::resolve(&brands, name)?;
        let sign_in = ops::get_page(&client, &b.id, Page::SignIn, Slot::Customized)
            .map_err(|e| e.to_string())?;
        let error = ops::get_page(&client, &b.id, Page::Error, Slot::Customized)
            .map_err(|e| e.to_string())?;
        pulled.insert(name.clone(), (sign_in, error));
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
                page_name(page)
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
    crate::write::atomic(
        root,
        &root.join("templates").join(SIGN_IN_TEMPLATE),
        as_template(&sign_in_html)?.as_bytes(),
    )
    .map_err(|e| e.to_string())?;
    written.push(format!("templates/{SIGN_IN_TEMPLATE}"));
    if let Some(error_html) = content(error) {
        crate::write::atomic(
            root,
            &root.join("templates").join(ERROR_TEMPLATE),
            as_template(&error_html)?.as_bytes(),
        )
        .map_err(|e| e.to_string())?;
        written.push(format!("templates/{ERROR_TEMPLATE}"));
    }
    let page = sign_in.as_ref().expect("checked above");
    let wc = page
        .get("widgetCustomizations")
        .cloned()
        .unwrap_or(Value::Null);

    // Labels → the default locale's [kmsi].
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
    if changed {
        crate::write::atomic(root, &locale_path, locale.to_string().as_bytes())
            .map_err(|e| e.to_string())?;
        written.push(locale_rel);
    }

    // Widget, CSP and customizations → signin-pages.toml.
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
    crate::write::atomic(&project.root, &config_path, doc.to_string().as_bytes())
        .map_err(|e| e.to_string())?;
    written.push(crate::config::CONFIG_FILE.to_string());
    Ok(format!(
        "pulled {} from {} into: {}",
        names.join(", "),
        env.name,
        written.join(", ")
    ))
}

fn ensure_table(doc: &mut DocumentMut, name: &str) {
    if !doc.contains_table(name) {
        doc[name] = toml_edit::table();
    }
}
