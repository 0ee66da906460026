//! What Okta does when it serves a page, done by the preview: fill in Okta's tags with
//! realistic stand-ins, add the widget, `OktaUtil` and the preview's own script, and pick
//! the Content-Security-Policy header. Also the preview's own pages: the index, the
//! error page that replaces a page that does not render, and "not found".
//!
//! Okta renders pages with Mustache, and so does [`fill`] (for Okta's tags only, as
//! [`crate::okta_tags`] finds them): `{{name}}` is HTML-escaped, `{{{name}}}` is
//! not, `{{#name}}…{{/name}}` shows its content when `name` is true, `{{^name}}` when
//! false, and an unknown name is empty. Hidden text keeps its line breaks, so every line
//! of the served page is the same line of the rendered page (CSP reports and the
//! browser's console point at lines the checks and templates can find).

use std::path::Path;

use serde_json::{Map, Value, json};

use super::site::{PageKind, ProjectInfo, Site, TargetPages};
use super::{assets, csp};
use crate::config::{CspMode, WidgetGeneration};
use crate::diag::{self, ColorChoice, Format};
use crate::okta_tags;
use crate::render::js_literal;

/// The widget states the preview can show, with what the switcher calls them.
pub(crate) const STATES: &[(&str, &str)] = &[
    ("identify", "Identify (username, Keep me signed in)"),
    ("password", "Password"),
    ("kmsi", "Keep me signed in prompt (after sign-in)"),
    ("error", "Error"),
];

/// A request for one of a target's pages.
pub(crate) struct PageRequest<'a> {
    pub(crate) site: &'a Site,
    /// `<env>/<brand folder>`.
    pub(crate) dir: &'a str,
    pub(crate) kind: PageKind,
    pub(crate) state: Option<&'a str>,
    pub(crate) locale: Option<&'a str>,
    /// `http://host:port` as the browser reached the preview.
    pub(crate) origin: &'a str,
    /// The real widget's `dist/`, when serving it instead of the stand-in.
    pub(crate) real_widget: Option<&'a Path>,
}

pub(crate) enum Served {
    /// The page, and its Content-Security-Policy header.
    Page {
        html: String,
        csp_header: &'static str,
        csp_value: String,
    },
    /// The page does not render: the preview's error page, with the diagnostics.
    Broken(String),
    /// The URL asks for a state or locale the preview does not know: a page that says so.
    BadQuery(String),
    Missing,
}

/// The widget state and locale a URL asks for (none, or empty: `identify` and the
/// default locale), or a sentence for each one the preview does not know.
fn pick<'a>(
    project: &'a ProjectInfo,
    state: Option<&'a str>,
    locale: Option<&'a str>,
) -> Result<(&'a str, &'a str), Vec<String>> {
    let mut problems = Vec::new();
    let state = match state.filter(|s| !s.is_empty()) {
        None => "identify",
        Some(s) if STATES.iter().any(|(n, _)| *n == s) => s,
        Some(s) => {
            let known: Vec<&str> = STATES.iter().map(|(n, _)| *n).collect();
            problems.push(format!(
                "Unknown widget state `{s}`: the preview shows {}.",
                known.join(", ")
            ));
            "identify"
        }
    };
    let locale = match locale.filter(|l| !l.is_empty()) {
        None => project.default_locale.as_str(),
        Some(l) if project.locales.iter().any(|p| p == l) => l,
        Some(l) => {
            let known: Vec<String> = project
                .locales
                .iter()
                .map(|p| {
                    if *p == project.default_locale {
                        format!("{p} (default)")
                    } else {
                        p.clone()
                    }
                })
                .collect();
            problems.push(format!(
                "Unknown locale `{l}`: this project has {} (`locales` in signin-pages.toml, a file in locales/ for each).",
                known.join(", ")
            ));
            l
        }
    };
    if problems.is_empty() {
        Ok((state, locale))
    } else {
        Err(problems)
    }
}

pub(crate) fn serve_page(r: &PageRequest<'_>) -> Served {
    let site = r.site;
    let Some(project) = &site.project else {
        return Served::Broken(broken_page(site, None, r.kind));
    };
    let Some(target) = site.target(r.dir) else {
        return Served::Missing;
    };
    if !target.has(r.kind) {
        return Served::Missing;
    }
    let (state, locale) = match pick(project, r.state, r.locale) {
        Ok(picked) => picked,
        Err(problems) => {
            return Served::BadQuery(bad_query_page(site, &problems, &target.url(r.kind)));
        }
    };
    let Some(html) = target.html(r.kind) else {
        return Served::Broken(broken_page(site, Some(target), r.kind));
    };
    let nonce = csp::nonce();
    let report_uri = format!("{}{}", r.origin, csp::REPORT_PATH);
    let (csp_header, csp_value) = csp::header(
        project.csp.as_ref(),
        target.org_url.as_deref(),
        &nonce,
        &report_uri,
    );
    let config = widget_config(target, project, state, locale, r.origin);
    let (errors, warnings) = target.counts();
    let data = json!({
        "kind": "page",
        "generation": site.generation,
        "project": project.name,
        "target": target.dir,
        "env": target.env,
        "brand": target.brand,
        "page": r.kind.name(),
        "pages": {
            "sign-in": target.url(PageKind::SignIn),
            "error": target.has_error_page.then(|| target.url(PageKind::Error)),
        },
        "state": state,
        "states": STATES.iter().map(|(n, label)| json!({ "name": n, "label": label })).collect::<Vec<_>>(),
        "locale": locale,
        "locales": project.locales,
        "defaultLocale": project.default_locale,
        "widgetGeneration": project.generation,
        "widget": if r.real_widget.is_some() { "okta" } else { "stand-in" },
        "widgetConfig": config,
        "requestContext": request_context(r.origin),
        "csp": {
            "header": csp_header,
            "mode": match project.csp.as_ref().map(|c| c.mode) {
                Some(CspMode::ReportOnly) => "report_only",
                _ => "enforced",
            },
            "fromProject": project.csp.is_some(),
            "reportUri": report_uri,
        },
        "diagnostics": {
            "errors": errors,
            "warnings": warnings,
            "text": diag::render(&target.diags, Format::Human, ColorChoice::Never),
        },
    });
    let values = Values {
        target,
        project,
        kind: r.kind,
        nonce: &nonce,
        config: &config,
        real_widget: r.real_widget,
    };
    let filled = fill(html, &|name| values.var(name), &|name| values.section(name));
    Served::Page {
        html: inject_head(&filled, &head_tags(&data, Some(&nonce))),
        csp_header,
        csp_value,
    }
}

/// The values of Okta's tags for one response.
struct Values<'a> {
    target: &'a TargetPages,
    project: &'a ProjectInfo,
    kind: PageKind,
    nonce: &'a str,
    config: &'a Value,
    real_widget: Option<&'a Path>,
}

impl Values<'_> {
    fn var(&self, name: &str) -> String {
        let n = self.nonce;
        let brand = &self.target.brand;
        let logo = self
            .project
            .logo
            .clone()
            .unwrap_or_else(|| assets::url("logo.svg"));
        match name {
            "pageTitle" => match self.kind {
                PageKind::SignIn => format!("{brand} - Sign In"),
                PageKind::Error => brand.clone(),
            },
            "nonceValue" => n.to_string(),
            "bgImageUrl" => format!(
                "url({})",
                self.project
                    .background
                    .clone()
                    .unwrap_or_else(|| assets::url("background.svg"))
            ),
            "themedStylesUrl" => assets::url("themed.css"),
            "faviconUrl" => self
                .project
                .favicon
                .clone()
                .unwrap_or_else(|| assets::url("favicon.svg")),
            "SignInWidgetResources" => match self.real_widget {
                Some(dist) => {
                    let (js, css) = super::idx::bundle(dist, self.project.generation);
                    format!(
                        "<link href=\"/__preview/siw/{css}\" type=\"text/css\" rel=\"stylesheet\"/>\
                         <script src=\"/__preview/siw/{js}\" type=\"text/javascript\" nonce=\"{n}\"></script>"
                    )
                }
                None => format!(
                    "<link href=\"{}\" type=\"text/css\" rel=\"stylesheet\"/>\
                     <script src=\"{}\" type=\"text/javascript\" nonce=\"{n}\"></script>",
                    assets::url("widget.css"),
                    assets::url("widget.js")
                ),
            },
            "OktaUtil" => format!(
                "<script src=\"{}\" type=\"text/javascript\" nonce=\"{n}\"></script>",
                assets::url("okta-util.js")
            ),
            "config" => js_literal(self.config),
            "orgName" => brand.clone(),
            "orgLogo" => logo,
            "errorSummary" => "You don't have access to this page".into(),
            "errorDescription" => "<p>Your administrator has not assigned this app to you. \
                 (A sample error shown by the signin-pages preview.)</p>"
                .into(),
            "technicalDetails" => {
                "E0000006: You do not have permission to perform the requested action".into()
            }
            "back" => "Go back".into(),
            "buttonText" => "Go to homepage".into(),
            "buttonHref" => "/".into(),
            _ => String::new(),
        }
    }

    fn section(&self, name: &str) -> bool {
        match name {
            "useSiwGen3" => self.project.generation == WidgetGeneration::G3,
            _ => false,
        }
    }
}

/// What `OktaUtil.getSignInWidgetConfig()` returns: the widget's configuration as Okta
/// builds it from the page's request body, with the brand's labels as i18n keys of the
/// requested language (where Okta puts them).
fn widget_config(
    target: &TargetPages,
    project: &ProjectInfo,
    state: &str,
    locale: &str,
    origin: &str,
) -> Value {
    const LABELS: &[(&str, &[&str])] = &[
        ("signInLabel", &["primaryauth.title"]),
        ("usernameLabel", &["primaryauth.username.placeholder"]),
        ("usernameInfoTip", &["primaryauth.username.tooltip"]),
        (
            "passwordLabel",
            &[
                "primaryauth.password.placeholder",
                "mfa.challenge.password.placeholder",
            ],
        ),
        ("passwordInfoTip", &["primaryauth.password.tooltip"]),
        ("forgotPasswordLabel", &["forgotpassword"]),
        ("unlockAccountLabel", &["unlockaccount"]),
        ("helpLabel", &["help"]),
        ("classicFooterHelpTitle", &["needhelp"]),
        (
            "classicRecoveryFlowEmailOrUsernameLabel",
            &["password.forgot.email.or.username.placeholder"],
        ),
    ];
    const PROMPT: &[(&str, &str)] = &[
        ("title", "oie.kmsi.title"),
        ("subtitle", "oie.kmsi.subtitle"),
        ("acceptButtonText", "oie.kmsi.accept"),
        ("rejectButtonText", "oie.kmsi.reject"),
    ];
    let wc = &target.body["widgetCustomizations"];
    let text = |v: &Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_string);
    let s = |k: &str| text(&wc[k]);
    let mut i18n = Map::new();
    for (field, keys) in LABELS {
        if let Some(v) = s(field) {
            for k in *keys {
                i18n.insert((*k).to_string(), Value::String(v.clone()));
            }
        }
    }
    for (field, key) in PROMPT {
        if let Some(v) = text(&wc["postAuthKeepMeSignedInPrompt"][*field]) {
            i18n.insert((*key).to_string(), Value::String(v));
        }
    }
    let custom: Vec<Value> = ["1", "2"]
        .iter()
        .filter_map(|n| {
            let label = s(&format!("customLink{n}Label"))?;
            let url = s(&format!("customLink{n}Url"))?;
            Some(json!({ "text": label, "href": url }))
        })
        .collect();
    let flag = |k: &str| wc[k].as_bool().unwrap_or(true);
    json!({
        "baseUrl": origin,
        "brandName": target.brand,
        "logo": project.logo.clone()
            .unwrap_or_else(|| assets::url("logo.svg")),
        "logoText": target.brand,
        "language": locale,
        "i18n": { locale: i18n },
        "helpLinks": {
            "help": s("helpUrl"),
            "forgotPassword": s("forgotPasswordUrl"),
            "unlock": s("unlockAccountUrl"),
            "custom": custom,
        },
        "features": {
            "rememberMe": true,
            "showPasswordToggleOnSignInPage": flag("showPasswordVisibilityToggle"),
            "showIdentifier": flag("showUserIdentifier"),
            "registration": false,
        },
        "assets": { "baseUrl": format!("{origin}/__preview/siw") },
        "stateToken": format!("preview~{state}"),
        "useClassicEngine": false,
        "customButtons": [],
    })
}

/// What `OktaUtil.getRequestContext()` returns: the app the user is signing in to.
fn request_context(origin: &str) -> Value {
    let app = json!({ "id": "0oapreview000000000", "name": "oidc_client", "label": "Preview app" });
    json!({
        "target": { "clientId": app["id"], "name": app["name"], "label": app["label"] },
        "app": { "type": "object", "value": app },
        "authentication": {
            "client": { "id": app["id"], "name": app["label"] },
            "request": {
                "response_type": "code",
                "scope": "openid profile",
                "redirect_uri": format!("{origin}/__preview/signed-in"),
            },
        },
    })
}

/// Mustache, for Okta's tags: see the module documentation.
pub(crate) fn fill(
    html: &str,
    var: &dyn Fn(&str) -> String,
    section: &dyn Fn(&str) -> bool,
) -> String {
    let mut out = String::with_capacity(html.len() + 2048);
    // Open sections: name, and whether their content shows.
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut last = 0;
    let shown = |open: &[(String, bool)]| open.iter().all(|(_, show)| *show);
    let keep = |out: &mut String, text: &str, show: bool| {
        if show {
            out.push_str(text);
        } else {
            out.extend(text.chars().filter(|c| *c == '\n'));
        }
    };
    for tag in okta_tags::find_tags(html, false) {
        keep(&mut out, &html[last..tag.range.start], shown(&open));
        last = tag.range.end;
        match tag.sigil {
            Some(b'#') => open.push((tag.name.clone(), section(&tag.name))),
            Some(b'^') => open.push((tag.name.clone(), !section(&tag.name))),
            Some(_) => {
                if let Some(i) = open.iter().rposition(|(n, _)| *n == tag.name) {
                    open.truncate(i);
                }
            }
            None if shown(&open) => {
                let v = var(&tag.name);
                if tag.triple {
                    out.push_str(&v);
                } else {
                    out.push_str(&escape(&v));
                }
            }
            None => {}
        }
    }
    keep(&mut out, &html[last..], shown(&open));
    out
}

/// HTML-escape text (as Mustache does for `{{name}}`).
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The preview's data and script, first thing in `<head>` so that the script sees every
/// CSP violation of the page (the browser reports them as the parser meets them).
fn head_tags(data: &Value, nonce: Option<&str>) -> String {
    let n = nonce.map(|n| format!(" nonce=\"{n}\"")).unwrap_or_default();
    format!(
        "<script type=\"application/json\" id=\"signin-preview-data\"{n}>{}</script>\
         <script src=\"{}\"{n}></script>",
        js_literal(data),
        assets::url("client.js")
    )
}

/// Insert `tags` right after the `<head>` start tag (or `<html>`, or the doctype), on
/// the same line, so no line of the page moves.
fn inject_head(html: &str, tags: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let after_tag = |name: &str| {
        let mut from = 0;
        while let Some(i) = lower[from..].find(name).map(|i| from + i) {
            let next = lower.as_bytes().get(i + name.len()).copied();
            if matches!(next, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')) {
                return lower[i..].find('>').map(|j| i + j + 1);
            }
            from = i + name.len();
        }
        None
    };
    let at = after_tag("<head")
        .or_else(|| after_tag("<html"))
        .or_else(|| after_tag("<!doctype"))
        .unwrap_or(0);
    let mut out = String::with_capacity(html.len() + tags.len());
    out.push_str(&html[..at]);
    out.push_str(tags);
    out.push_str(&html[at..]);
    out
}

/// A page of the preview's own.
fn shell(title: &str, class: &str, data: &Value, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head>{}<meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><link rel=\"stylesheet\" href=\"{}\">\
         <link rel=\"icon\" href=\"{}\"></head>\n<body class=\"{class}\">\n{body}\n</body></html>\n",
        head_tags(data, None),
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
        (0, w) => format!("<td class=\"sp-warn\">{w} warning{}</td>", super::plural(w)),
        (e, _) if !rendered => format!(
            "<td class=\"sp-err\">does not render ({e} error{})</td>",
            super::plural(e)
        ),
        (e, _) => format!("<td class=\"sp-err\">{e} error{}</td>", super::plural(e)),
    }
}

/// The index: every target, with a switcher for the widget state and the locale; or,
/// when the URL asks for a state or locale the preview does not know, a page that says
/// so (status 400).
pub(crate) fn index_page(
    site: &Site,
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
        super::percent_encode(state),
        super::percent_encode(locale)
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
            super::plural(errors),
            super::plural(warnings),
            escape(&site.diag_text)
        )
    };
    let n = site.targets.len();
    let body = format!(
        "<header class=\"sp-head\"><h1>{}</h1><p>signin-pages preview · {n} target{} · \
         widget {:?} · pages reload on every save</p></header>\n\
         <form class=\"sp-switch\" method=\"get\" action=\"/\">\
         <label>Widget state <select name=\"state\" data-autosubmit>{}</select></label> \
         <label>Locale <select name=\"locale\" data-autosubmit>{}</select></label> \
         <button type=\"submit\">Apply</button></form>\n\
         <table class=\"sp-targets\"><thead><tr><th>Environment</th><th>Brand</th><th>Pages</th><th>Checks</th></tr></thead>\n\
         <tbody>\n{rows}</tbody></table>\n{diags}\n\
         <p class=\"sp-foot\">CSP violations the browser reported: <a href=\"/__preview/csp-reports\">/__preview/csp-reports</a></p>",
        escape(&project.name),
        super::plural(n),
        project.generation,
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
fn bad_query_page(site: &Site, problems: &[String], path: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_fill(html: &str, g3: bool) -> String {
        fill(
            html,
            &|n| match n {
                "nonceValue" => "N0".into(),
                "pageTitle" => "A & B".into(),
                "OktaUtil" => "<script>u</script>".into(),
                _ => String::new(),
            },
            &|n| n == "useSiwGen3" && g3,
        )
    }

    #[test]
    fn fills_variables_escaping_double_braces_only() {
        let html = "<title>{{pageTitle}}</title>{{{OktaUtil}}}<style nonce=\"{{ nonceValue }}\">";
        assert_eq!(
            sample_fill(html, false),
            "<title>A &amp; B</title><script>u</script><style nonce=\"N0\">"
        );
    }

    #[test]
    fn sections_follow_the_generation_and_keep_lines() {
        let html = "a\n{{#useSiwGen3}}\nhtml { font-size: 87.5%; }\n{{/useSiwGen3}}\n{{^useSiwGen3}}g2{{/useSiwGen3}}\nz";
        let g3 = sample_fill(html, true);
        assert!(g3.contains("87.5%") && !g3.contains("g2"));
        let g2 = sample_fill(html, false);
        assert!(!g2.contains("87.5%") && g2.contains("g2"));
        assert_eq!(g2.lines().count(), html.lines().count());
        assert_eq!(g3.lines().count(), html.lines().count());
        assert!(g2.ends_with("\nz"));
    }

    #[test]
    fn unknown_tags_are_empty_as_in_mustache() {
        assert_eq!(sample_fill("[{{nope}}][{{{alsoNope}}}]", false), "[][]");
    }

    #[test]
    fn head_tags_go_after_head_on_the_same_line() {
        let html = "<!DOCTYPE html>\n<html>\n<head lang=x>\n<title>t</title><header></header>";
        let out = inject_head(html, "<X>");
        assert_eq!(
            out,
            "<!DOCTYPE html>\n<html>\n<head lang=x><X>\n<title>t</title><header></header>"
        );
        assert_eq!(
            inject_head("<header>h</header>", "<X>"),
            "<X><header>h</header>"
        );
        assert_eq!(
            inject_head("<!doctype html><p>", "<X>"),
            "<!doctype html><X><p>"
        );
    }

    #[test]
    fn escape_covers_quotes() {
        assert_eq!(
            escape("<a href='x'>\"&"),
            "&lt;a href=&#39;x&#39;&gt;&quot;&amp;"
        );
    }
}
