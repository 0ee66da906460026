//! What the preview serves: one compile of the project (every target's pages, request
//! bodies and diagnostics), replaced whole after every change.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::csp::Report;
use super::url::{percent_decode, percent_encode};
use crate::check::page::locate_in_sources;
use crate::compile::{self, compile};
use crate::config::{Csp, PreviewSettings, WidgetGeneration};
use crate::diag::{self, ColorChoice, Diagnostics, Format, Severity};
use crate::plan::{self, Filter};
use crate::source::SourceFile;

/// The two pages a target can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageKind {
    SignIn,
    Error,
}

impl PageKind {
    /// The last segment of the page's URL (and the stem of its file in `dist/`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            PageKind::SignIn => "sign-in",
            PageKind::Error => "error",
        }
    }
}

/// The project-wide facts a page needs.
pub(crate) struct ProjectInfo {
    pub(crate) name: String,
    pub(crate) default_locale: String,
    pub(crate) locales: Vec<String>,
    pub(crate) generation: WidgetGeneration,
    /// `[widget] version` (`7`, `^7`, `7.49.0`).
    pub(crate) widget_version: String,
    pub(crate) csp: Option<Csp>,
    /// `[preview]`: what the mock org offers (the real widget's IDX answers, `idx`).
    pub(crate) preview: PreviewSettings,
    /// `static/background.*`, `static/favicon.*`, `static/logo.*` when the project has them.
    pub(crate) background: Option<String>,
    pub(crate) favicon: Option<String>,
    pub(crate) logo: Option<String>,
}

/// One target (brand × environment) and what it renders to.
pub(crate) struct TargetPages {
    pub(crate) env: String,
    pub(crate) brand: String,
    /// `<env>/<brand folder>`, as under `dist/`.
    pub(crate) dir: String,
    pub(crate) org_url: Option<String>,
    /// The rendered pages; `None` when rendering failed.
    pub(crate) sign_in: Option<String>,
    pub(crate) error: Option<String>,
    pub(crate) has_error_page: bool,
    /// The `SignInPage` request body Okta would receive (`Null` when rendering failed).
    pub(crate) body: Value,
    /// This target's diagnostics and the project-wide ones.
    pub(crate) diags: Diagnostics,
    /// The brand's theme for this target, when the project has one (`super::theme`).
    pub(crate) theme: Option<crate::theme::Theme>,
}

impl TargetPages {
    pub(crate) fn html(&self, kind: PageKind) -> Option<&str> {
        match kind {
            PageKind::SignIn => self.sign_in.as_deref(),
            PageKind::Error => self.error.as_deref(),
        }
    }

    pub(crate) fn has(&self, kind: PageKind) -> bool {
        kind == PageKind::SignIn || self.has_error_page
    }

    pub(crate) fn url(&self, kind: PageKind) -> String {
        let (env, brand) = self.dir.split_once('/').unwrap_or((&self.dir, ""));
        format!(
            "/{}/{}/{}",
            percent_encode(env),
            percent_encode(brand),
            kind.name()
        )
    }

    pub(crate) fn counts(&self) -> (usize, usize) {
        (
            self.diags.count(Severity::Error),
            self.diags.count(Severity::Warning),
        )
    }
}

/// One compile of the project.
pub(crate) struct Site {
    /// Counts compiles; pages compare it with the server's to notice a missed reload.
    pub(crate) generation: u64,
    pub(crate) compiled_in: Duration,
    /// `None` when the project itself does not load (then only `diags` says why).
    pub(crate) project: Option<ProjectInfo>,
    pub(crate) targets: Vec<TargetPages>,
    pub(crate) diags: Diagnostics,
    /// Every diagnostic as plain text, to show on pages and to notice changes.
    pub(crate) diag_text: String,
    templates: Vec<Arc<SourceFile>>,
}

/// The first `static/<stem>.<ext>` with an image extension that the preview may serve
/// ([`super::guard::readable`]), as a URL path.
fn find_static(root: &Path, stem: &str) -> Option<String> {
    let dir = root.join("static");
    ["svg", "png", "jpg", "jpeg", "webp", "gif", "ico"]
        .iter()
        .map(|ext| format!("{stem}.{ext}"))
        .find(|name| super::guard::readable(root, &dir, name).is_some())
        .map(|name| format!("/static/{name}"))
}

impl Site {
    pub(crate) fn compile(root: &Path, generation: u64) -> Site {
        let start = Instant::now();
        let compiled = compile(root, &Filter::default(), compile::Options::default());
        let diags = compiled.diags;
        let diag_text = diag::render(&diags, Format::Human, ColorChoice::Never);
        let Some(project) = compiled.project else {
            return Site {
                generation,
                compiled_in: start.elapsed(),
                project: None,
                targets: Vec::new(),
                diags,
                diag_text,
                templates: Vec::new(),
            };
        };
        let config = &project.config;
        let mut targets = Vec::new();
        for t in plan::targets(config, &Filter::default(), &mut Diagnostics::new()) {
            let env = &config.environments[t.env];
            let brand = &config.brands[t.brand];
            let brand_name = brand.name.get_ref();
            let out = compiled
                .outputs
                .iter()
                .find(|o| o.env == env.name && &o.brand == brand_name);
            let mine = |d: &&diag::Diagnostic| {
                d.env.as_ref().is_none_or(|e| *e == env.name)
                    && d.brand.as_ref().is_none_or(|b| b == brand_name)
            };
            targets.push(TargetPages {
                env: env.name.clone(),
                brand: brand_name.clone(),
                dir: format!("{}/{}", env.name, brand.dir),
                org_url: env.org_url.as_ref().map(|u| u.get_ref().clone()),
                sign_in: out.map(|o| o.sign_in.html.clone()),
                error: out.and_then(|o| o.error.as_ref().map(|p| p.html.clone())),
                has_error_page: project.has_error_page(),
                body: out
                    .and_then(|o| serde_json::from_str(&o.sign_in.json).ok())
                    .unwrap_or(Value::Null),
                diags: diags.iter().filter(mine).cloned().collect(),
                theme: crate::theme::resolve(config, env, brand, root).theme,
            });
        }
        let info = ProjectInfo {
            name: config.name.clone(),
            default_locale: config.default_locale.clone(),
            locales: config.locales.clone(),
            generation: config.widget_generation,
            widget_version: config.widget_version.get_ref().clone(),
            csp: config.csp.clone(),
            preview: config.preview,
            background: find_static(root, "background"),
            favicon: find_static(root, "favicon"),
            logo: find_static(root, "logo"),
        };
        Site {
            generation,
            compiled_in: start.elapsed(),
            templates: project.templates.clone(),
            project: Some(info),
            targets,
            diags,
            diag_text,
        }
    }

    pub(crate) fn target(&self, dir: &str) -> Option<&TargetPages> {
        self.targets.iter().find(|t| t.dir == dir)
    }

    /// Errors and warnings across the project.
    pub(crate) fn counts(&self) -> (usize, usize) {
        (
            self.diags.count(Severity::Error),
            self.diags.count(Severity::Warning),
        )
    }

    pub(crate) fn all_ok(&self) -> bool {
        !self.diags.has_errors()
    }

    pub(crate) fn render_diags(&self, color: ColorChoice) -> String {
        diag::render(&self.diags, Format::Human, color)
    }

    /// `/__preview/site.json`: what the index shows, for scripts and tests.
    pub(crate) fn summary_json(&self) -> Value {
        let (errors, warnings) = self.counts();
        let targets: Vec<Value> = self
            .targets
            .iter()
            .map(|t| {
                let (errors, warnings) = t.counts();
                json!({
                    "env": t.env,
                    "brand": t.brand,
                    "dir": t.dir,
                    "signIn": t.url(PageKind::SignIn),
                    "error": t.has_error_page.then(|| t.url(PageKind::Error)),
                    "rendered": t.sign_in.is_some(),
                    "errors": errors,
                    "warnings": warnings,
                })
            })
            .collect();
        json!({
            "generation": self.generation,
            "project": self.project.as_ref().map(|p| &p.name),
            "locales": self.project.as_ref().map(|p| &p.locales),
            "errors": errors,
            "warnings": warnings,
            "targets": targets,
        })
    }

    /// Name the target, page and template line a browser's CSP report is about.
    pub(crate) fn locate_report(&self, mut report: Report) -> Report {
        let path = report
            .document_uri
            .split_once("://")
            .map(|(_, rest)| rest.find('/').map_or("/", |i| &rest[i..]))
            .unwrap_or("/");
        let path = path.split(['?', '#']).next().unwrap_or(path);
        let Some((dir, kind)) = parse_page_path(path) else {
            return report;
        };
        let Some(target) = self.target(&dir) else {
            return report;
        };
        report.target = Some(target.dir.clone());
        report.page = Some(kind.name().to_string());
        let (Some(html), Some(line)) = (target.html(kind), report.line) else {
            return report;
        };
        let rendered = Arc::new(SourceFile::new(
            format!("dist/{}/{}.html", target.dir, kind.name()),
            html,
        ));
        if line == 0 || line > rendered.line_count() {
            return report;
        }
        let range = rendered.line_range(line);
        let text = &rendered.text[range.clone()];
        let lead = text.len() - text.trim_start().len();
        // Columns count characters from 1; the line of `<head>` also carries the
        // preview's own tags, so its columns are approximate.
        let start = match report.column {
            Some(c) if c > 0 => rendered.offset(line, c).clamp(range.start, range.end),
            _ => range.start + lead,
        };
        let end = range.start + text.trim_end().len();
        let loc = locate_in_sources(&rendered, &self.templates, start..end.max(start));
        let (l, c, _, _) = loc.positions();
        report.location = Some(match c {
            Some(c) => format!("{}:{l}:{c}", loc.file.path),
            None => format!("{}:{l}", loc.file.path),
        });
        let src_line = loc.file.line_range(l);
        report.source_line = Some(loc.file.text[src_line].trim_end().to_string());
        report
    }
}

/// `/<env>/<brand folder>/<sign-in|error>` → (`<env>/<brand folder>`, page).
pub(crate) fn parse_page_path(path: &str) -> Option<(String, PageKind)> {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let [env, brand, page] = parts.as_slice() else {
        return None;
    };
    let kind = match page.trim_end_matches(".html") {
        "sign-in" => PageKind::SignIn,
        "error" => PageKind::Error,
        _ => return None,
    };
    let (env, brand) = (percent_decode(env), percent_decode(brand));
    if env.is_empty() || brand.is_empty() || env.contains('/') || brand.contains('/') {
        return None;
    }
    Some((format!("{env}/{brand}"), kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths() {
        assert_eq!(
            parse_page_path("/prod/Acme-Health/sign-in"),
            Some(("prod/Acme-Health".into(), PageKind::SignIn))
        );
        assert_eq!(
            parse_page_path("/dev/B/error.html"),
            Some(("dev/B".into(), PageKind::Error))
        );
        assert_eq!(parse_page_path("/dev/B/other"), None);
        assert_eq!(parse_page_path("/dev/sign-in"), None);
        assert_eq!(parse_page_path("/dev/a%2Fb/sign-in"), None);
    }
}
