//! The preview's own pages: the index (every target, with a switcher for the widget
//! state and the locale), the page for a URL whose state or locale is unknown, the page
//! that stands in for one that does not render, and "not found".

use serde_json::{Value, json};

use super::page::{STATES, head_tags, pick};
use super::site::{PageKind, Site, TargetPages};
use super::url::percent_encode;
use super::{assets, plural};
use crate::diag::{self, ColorChoice, Format};
use crate::render::escape_html as escape;

/// A page of the preview's own.
fn shell(title: &str, class: &str, data: &Value, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head>{}<meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><link rel=\"stylesheet\" href=\"{}\">\
         <link rel=\"icon\" href=\"{}\"></head>\n<body class=\"{class}\">\n{body}\n</body></html>\n",
        head_tags(data, None, false),
        escape(title),
        assets::url("preview.css"),
        assets::url("favicon.svg")
    )
}

fn options(items: &[(String, String)], selected: &str) -> String {
    items
        .iter()
        .map(|(value, label)| {
            let sel = if value == selected { " selected" } else { "" };
            format!(
                "<option value=\"{}\"{sel}>{}</option>",
                escape(value),
                escape(label)
            )
        })
        .collect()
}

fn status_cell(errors: usize, warnings: usize, rendered: bool) -> String {
    match (errors, warnings) {
        (0, 0) => "<td class=\"sp-ok\">ok</td>".to_string(),
        (0, w) => format!("<td class=\"sp-warn\">{w} warning{}</td>", plural(w)),
        (e, _) if !rendered => format!(
            "<td class=\"sp-err\">does not render ({e} error{})</td>",
            plural(e)
        ),
        (e, _) => format!("<td class=\"sp-err\">{e} error{}</td>", plural(e)),
    }
}

/// The index: every target, with a switcher for the widget state and the locale; or,
/// when the URL asks for a state or locale the preview does not know, a page that says
/// so (status 400).
pub(crate) fn index_page(
    site: &Site,
    widget: &str,
    state: Option<&str>,
    locale: Option<&str>,
) -> Result<String, String> {
    let data = json!({ "kind": "index", "generation": site.generation });
    let Some(project) = &site.project else {
        return Ok(broken_page(site, None, PageKind::SignIn));
    };
    let (state, locale) =
        pick(project, state, locale).map_err(|problems| bad_query_page(site, &problems, "/"))?;
    let query = format!(
        "?state={}&locale={}",
        percent_encode(state),
        percent_encode(locale)
    );
    let states: Vec<(String, String)> = STATES
        .iter()
        .map(|(n, l)| (n.to_string(), l.to_string()))
        .collect();
    let locales: Vec<(String, String)> = project
        .locales
        .iter()
        .map(|l| {
            let label = if *l == project.default_locale {
                format!("{l} (default)")
            } else {
                l.clone()
            };
            (l.clone(), label)
        })
        .collect();
    let mut rows = String::new();
    for t in &site.targets {
        let (errors, warnings) = t.counts();
        let mut pages = format!(
            "<a class=\"sp-page\" href=\"{}\">sign-in</a>",
            escape(&format!("{}{query}", t.url(PageKind::SignIn)))
        );
        if t.has_error_page {
            pages.push_str(&format!(
                " <a class=\"sp-page\" href=\"{}\">error</a>",
                escape(&t.url(PageKind::Error))
            ));
        }
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{pages}</td>{}</tr>\n",
            escape(&t.env),
            escape(&t.brand),
            status_cell(errors, warnings, t.sign_in.is_some())
        ));
    }
    let (errors, warnings) = site.counts();
    let diags = if site.diag_text.is_empty() {
        String::new()
    } else {
        format!(
            "<h2>Diagnostics ({errors} error{}, {warnings} warning{})</h2><pre class=\"sp-diags\">{}</pre>",
            plural(errors),
            plural(warnings),
            escape(&site.diag_text)
        )
    };
    let n = site.targets.len();
    let body = format!(
        "<header class=\"sp-head\"><h1>{}</h1><p>signin-pages preview · {n} target{} · \
         widget {:?} · pages reload on every save</p>\
         <p class=\"sp-widget\">Widget: {}</p></header>\n\
         <form class=\"sp-switch\" method=\"get\" action=\"/\">\
         <label>Widget state <select name=\"state\" data-autosubmit>{}</select></label> \
         <label>Locale <select name=\"locale\" data-autosubmit>{}</select></label> \
         <button type=\"submit\">Apply</button></form>\n\
         <table class=\"sp-targets\"><thead><tr><th>Environment</th><th>Brand</th><th>Pages</th><th>Checks</th></tr></thead>\n\
         <tbody>\n{rows}</tbody></table>\n{diags}\n\
         <p class=\"sp-foot\">CSP violations the browser reported: <a href=\"/__preview/csp-reports\">/__preview/csp-reports</a></p>",
        escape(&project.name),
        plural(n),
        project.generation,
        escape(widget),
        options(&states, state),
        options(&locales, locale),
    );
    Ok(shell(
        &format!("{} · signin-pages preview", project.name),
        "sp-index",
        &data,
        &body,
    ))
}

/// The page for a URL whose `state` or `locale` the preview does not know: what is
/// wrong, what is known, and the page (`path`) with the defaults.
pub(super) fn bad_query_page(site: &Site, problems: &[String], path: &str) -> String {
    let data = json!({ "kind": "bad-query", "generation": site.generation });
    let items: String = problems
        .iter()
        .map(|p| format!("<li>{}</li>", escape(p)))
        .collect();
    let body = format!(
        "<main class=\"sp-broken\"><h1>Unknown widget state or locale</h1>\
         <ul id=\"signin-preview-query-errors\">{items}</ul>\
         <p><a href=\"{}\">This page with the default state and locale</a> · \
         <a href=\"/\">All targets</a></p></main>",
        escape(path)
    );
    shell(
        "Unknown widget state or locale · signin-pages preview",
        "sp-broken-page",
        &data,
        &body,
    )
}

/// The page that stands in for one that does not render: the diagnostics, in full.
pub(crate) fn broken_page(site: &Site, target: Option<&TargetPages>, kind: PageKind) -> String {
    let data = json!({ "kind": "broken", "generation": site.generation });
    let (title, what, text) = match target {
        Some(t) => (
            "This page does not render".to_string(),
            format!("{} · {}", t.dir, kind.name()),
            diag::render(&t.diags, Format::Human, ColorChoice::Never),
        ),
        None => (
            "The project does not load".to_string(),
            "signin-pages.toml, locales/ or templates/".to_string(),
            site.diag_text.clone(),
        ),
    };
    let body = format!(
        "<main class=\"sp-broken\"><h1>{}</h1><p>{} — this page reloads by itself once the error is fixed.</p>\
         <pre class=\"sp-diags\" id=\"signin-preview-diagnostics\">{}</pre>\
         <p><a href=\"/\">All targets</a></p></main>",
        escape(&title),
        escape(&what),
        escape(&text)
    );
    shell(
        &format!("{title} · signin-pages preview"),
        "sp-broken-page",
        &data,
        &body,
    )
}

pub(crate) fn not_found_page(site: &Site, url: &str) -> String {
    let data = json!({ "kind": "missing", "generation": site.generation });
    let links: String = site
        .targets
        .iter()
        .map(|t| {
            format!(
                "<li><a href=\"{}\">{}</a></li>",
                escape(&t.url(PageKind::SignIn)),
                escape(&t.dir)
            )
        })
        .collect();
    let body = format!(
        "<main class=\"sp-broken\"><h1>No such page</h1><p><code>{}</code> is not a page of this project.</p>\
         <ul>{links}</ul><p><a href=\"/\">All targets</a></p></main>",
        escape(url)
    );
    shell(
        "Not found · signin-pages preview",
        "sp-broken-page",
        &data,
        &body,
    )
}
