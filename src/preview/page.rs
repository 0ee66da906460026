//! One of a target's pages, served as Okta serves it: the widget state and locale the
//! URL asks for, a fresh nonce and the Content-Security-Policy header Okta would send,
//! Okta's tags filled in (`tags`) with the widget's configuration (`okta_util`), and the
//! preview's data and script first thing in `<head>`, on the same line, so that every
//! line of the served page is the same line of the rendered page (CSP reports and the
//! browser's console point at lines the checks and templates can find).

use std::path::Path;

use serde_json::{Value, json};

use super::site::{PageKind, ProjectInfo, Site};
use super::tags::{Values, fill};
use super::{assets, csp, okta_util, pages, standin};
use crate::config::CspMode;
use crate::diag::{self, ColorChoice, Format};
use crate::render::js_literal;

/// The widget states the preview can show, with what the switcher calls them (the real
/// widget's answers for each are in `idx/`, in this order).
pub(crate) const STATES: &[(&str, &str)] = &[
    ("identify", "Identify (username, Keep me signed in)"),
    ("password", "Password (with Forgot password?)"),
    ("kmsi", "Keep me signed in prompt (after sign-in)"),
    ("error", "Error"),
    ("select-authenticator", "Select an authenticator"),
    ("email", "Email code"),
    ("okta-verify-push", "Okta Verify push"),
    ("phone-sms", "Phone: SMS code"),
    ("security-question", "Security question"),
    ("register", "Registration (sign up)"),
    ("forgot-password", "Forgot password"),
    ("reset-password", "Reset password"),
    ("unlock-account", "Unlock account"),
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
    /// Why the stand-in is shown instead (`siw::Choice::StandIn`), when it is.
    pub(crate) stand_in_reason: Option<&'a str>,
    /// Served for a screenshot (`Options::visual`).
    pub(crate) visual: bool,
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
pub(super) fn pick<'a>(
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

/// The page `r` asks for, as Okta would serve it; or the page that says why not.
pub(crate) fn serve_page(r: &PageRequest<'_>) -> Served {
    let site = r.site;
    let Some(project) = &site.project else {
        return Served::Broken(pages::broken_page(site, None, r.kind));
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
            return Served::BadQuery(pages::bad_query_page(site, &problems, &target.url(r.kind)));
        }
    };
    let Some(html) = target.html(r.kind) else {
        return Served::Broken(pages::broken_page(site, Some(target), r.kind));
    };
    let nonce = if r.visual {
        csp::FIXED_NONCE.to_string()
    } else {
        csp::nonce()
    };
    let report_uri = format!("{}{}", r.origin, csp::REPORT_PATH);
    let (csp_header, csp_value) = csp::header(
        project.csp.as_ref(),
        target.org_url.as_deref(),
        &nonce,
        &report_uri,
    );
    let config = okta_util::widget_config(target, project, state, locale, r.origin);
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
        // The stand-in's texts in the page's language, its user, and why it is shown.
        "standIn": r.real_widget.is_none().then(|| {
            standin::data(locale, r.stand_in_reason.unwrap_or("the real widget was not found"))
        }),
        "widgetConfig": config,
        "visual": r.visual,
        "requestContext": okta_util::request_context(r.origin),
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
        html: inject_head(&filled, &head_tags(&data, Some(&nonce), r.visual)),
        csp_header,
        csp_value,
    }
}

/// The preview's data and script, first thing in `<head>` so that the script sees every
/// CSP violation of the page (the browser reports them as the parser meets them). For a
/// screenshot (`visual`), the stylesheet that stops animations, transitions and carets.
pub(super) fn head_tags(data: &Value, nonce: Option<&str>, visual: bool) -> String {
    let n = nonce.map(|n| format!(" nonce=\"{n}\"")).unwrap_or_default();
    let still = if visual {
        format!(
            "<link rel=\"stylesheet\" href=\"{}\"{n}>",
            assets::url("visual.css")
        )
    } else {
        String::new()
    };
    format!(
        "<script type=\"application/json\" id=\"signin-preview-data\"{n}>{}</script>\
         <script src=\"{}\"{n}></script>{still}",
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
