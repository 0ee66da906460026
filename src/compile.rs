//! The compile pipeline: project → targets → render → check, all in memory.
//!
//! `build`, `check`, `test` and the preview all call [`compile`]; only what they do with
//! the result differs. Targets render in parallel on every core.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::check;
use crate::diag::{Diagnostic, Diagnostics};
use crate::parallel;
use crate::payload::{self, Customizations, ErrorPageBody, PostAuthPrompt, SignInPageBody};
use crate::plan::{self, Filter, Target};
use crate::project::{self, ERROR_TEMPLATE, Project, SIGN_IN_TEMPLATE};
use crate::render::Engine;
use crate::render::context::SharedContext;
use crate::source::SourceFile;

/// One rendered page: the HTML (`pageContent`) and the whole request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub html: String,
    pub json: String,
}

/// Everything one target produces.
#[derive(Debug, Clone)]
pub struct TargetOutput {
    pub env: String,
    pub brand: String,
    /// `<env>/<brand dir>`: where the target's files go under `dist/` and `snapshots/`.
    pub dir: String,
    pub sign_in: Page,
    pub error: Option<Page>,
}

impl TargetOutput {
    /// `(file name, contents)` of every file the target writes.
    pub fn files(&self) -> Vec<(&'static str, &str)> {
        let mut out = vec![
            ("sign-in.html", self.sign_in.html.as_str()),
            ("sign-in.json", self.sign_in.json.as_str()),
        ];
        if let Some(e) = &self.error {
            out.push(("error.html", e.html.as_str()));
            out.push(("error.json", e.json.as_str()));
        }
        out
    }
}

/// Every file the project's targets write, relative to `dist/` (and `snapshots/`),
/// whether or not this compile rendered them: what a filtered build carries over.
pub fn target_files(project: &Project) -> Vec<String> {
    let config = &project.config;
    let mut names = vec!["sign-in.html", "sign-in.json"];
    if project.has_error_page() {
        names.extend(["error.html", "error.json"]);
    }
    let mut out = Vec::new();
    for env in &config.environments {
        for brand in &config.brands {
            for name in &names {
                out.push(format!("{}/{}/{name}", env.name, brand.dir));
            }
        }
    }
    out
}

/// What a compile produced. `project` is `None` when the project itself could not load.
pub struct Compiled {
    pub project: Option<Project>,
    /// Every target that rendered, with its pages and request bodies (none with
    /// [`Keep::Findings`]).
    pub outputs: Vec<TargetOutput>,
    /// How many targets rendered (and were checked).
    pub rendered: usize,
    pub diags: Diagnostics,
}

/// How a compile reports progress, and what it keeps.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub progress: bool,
    pub keep: Keep,
}

/// What a compile keeps of each target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Keep {
    /// The pages and their request bodies: what `build`, `deploy`, `test` and the preview
    /// write, send or show.
    #[default]
    Outputs,
    /// The findings only (`check`): no request body is serialized and no page is kept.
    /// (Serializing the bodies was a tenth of a check of 1,000 distinct pages.)
    Findings,
}

/// Whether a progress bar may be drawn: on a terminal, never in CI logs.
pub fn progress_allowed() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

pub fn compile(root: &Path, filter: &Filter, options: Options) -> Compiled {
    let mut diags = Diagnostics::new();
    let Some(project) = project::load(root, &mut diags) else {
        return Compiled {
            project: None,
            outputs: Vec::new(),
            rendered: 0,
            diags: diags.finish(),
        };
    };
    let targets = plan::targets(&project.config, filter, &mut diags);
    diags.extend(check::project_wide(&project));
    let (outputs, rendered) =
        match Engine::new(&project.templates).map(|e| e.with_limits(project.config.render)) {
            Ok(engine) => {
                let (outputs, rendered, target_diags) =
                    render_all(&project, &engine, &targets, options);
                diags.extend(target_diags);
                (outputs, rendered)
            }
            Err(d) => {
                diags.extend(d);
                (Vec::new(), 0)
            }
        };
    let mut diags = diags.into_vec();
    diags.extend(check::secrets_in_project_files(&project, &diags));
    let diags: Diagnostics = check::apply_policy(&project, diags).into_iter().collect();
    Compiled {
        project: Some(project),
        outputs,
        rendered,
        diags: diags.finish(),
    }
}

fn render_all(
    project: &Project,
    engine: &Engine,
    targets: &[Target],
    options: Options,
) -> (Vec<TargetOutput>, usize, Diagnostics) {
    let shared = SharedContext::new(project);
    let prompt = PostAuthPrompt::from_project(project);
    let checked = CheckCache::default();
    let results = parallel::map(
        targets,
        parallel::cores(),
        |t| {
            render_target(
                project,
                engine,
                &shared,
                &prompt,
                &checked,
                options.keep,
                *t,
            )
        },
        |done, finished| {
            if options.progress && targets.len() > 1 {
                draw_progress(done, targets.len(), finished);
            }
        },
    );
    let mut outputs = Vec::with_capacity(targets.len());
    let mut rendered = 0;
    let mut diags = Diagnostics::new();
    for (out, d) in results {
        diags.extend(d);
        match out {
            Rendered::Failed => {}
            Rendered::Checked => rendered += 1,
            Rendered::Output(out) => {
                rendered += 1;
                outputs.push(out);
            }
        }
    }
    (outputs, rendered, diags)
}

/// A one-line bar on stderr, shown only when a build takes longer than a blink.
fn draw_progress(done: &AtomicUsize, total: usize, finished: &dyn Fn() -> bool) {
    let start = Instant::now();
    let mut drawn = false;
    let mut err = std::io::stderr();
    while !finished() {
        std::thread::sleep(Duration::from_millis(50));
        if start.elapsed() < Duration::from_millis(300) {
            continue;
        }
        let n = done.load(Ordering::Relaxed);
        let width = 30;
        let filled = n * width / total.max(1);
        let _ = write!(
            err,
            "\r  rendering [{}{}] {n}/{total}",
            "=".repeat(filled),
            " ".repeat(width - filled)
        );
        let _ = err.flush();
        drawn = true;
    }
    if drawn {
        let _ = write!(err, "\r{}\r", " ".repeat(60));
    }
}

/// Check findings by page: brands whose pages render the same text in one environment
/// (common when brands differ only in their request body) are checked once. Checks
/// depend on the page text and the environment (its org_url), not on the brand.
/// Environment index, hash of the sign-in page, hash of the error page.
type CacheKey = (usize, u64, u64);

#[derive(Default)]
struct CheckCache {
    map: Mutex<HashMap<CacheKey, (String, Vec<Diagnostic>)>>,
}

impl CheckCache {
    fn get_or_check(
        &self,
        env: usize,
        dir: &str,
        sign_in: &str,
        error: Option<&str>,
        check: impl FnOnce() -> Vec<Diagnostic>,
    ) -> Vec<Diagnostic> {
        let hash = |s: &str| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            s.hash(&mut h);
            h.finish()
        };
        let key = (env, hash(sign_in), error.map_or(0, hash));
        let cached = self.map.lock().expect("check cache").get(&key).cloned();
        match cached {
            Some((from_dir, diags)) => diags
                .into_iter()
                .map(|d| retarget(d, &from_dir, dir))
                .collect(),
            None => {
                let diags = check();
                self.map
                    .lock()
                    .expect("check cache")
                    .insert(key, (dir.to_string(), diags.clone()));
                diags
            }
        }
    }
}

/// A finding that points into `dist/<from>/…` now points into `dist/<to>/…`.
fn retarget(mut d: Diagnostic, from: &str, to: &str) -> Diagnostic {
    if let Some(loc) = &mut d.location
        && let Some(rest) = loc.file.path.strip_prefix(&format!("dist/{from}/"))
    {
        loc.file = Arc::new(SourceFile::new(
            format!("dist/{to}/{rest}"),
            loc.file.text.clone(),
        ));
    }
    d
}

/// Render and check one target. `None`: it did not render (its findings say why);
/// `Some(None)`: it rendered and was checked, and `keep` asks for nothing more.
/// What became of one target.
enum Rendered {
    /// A template failed to render (the diagnostics say why).
    Failed,
    /// Rendered and checked; its pages were not kept ([`Keep::Findings`]).
    Checked,
    Output(TargetOutput),
}

fn render_target(
    project: &Project,
    engine: &Engine,
    shared: &SharedContext,
    prompt: &Option<PostAuthPrompt>,
    checked: &CheckCache,
    keep: Keep,
    t: Target,
) -> (Rendered, Diagnostics) {
    let config = &project.config;
    let env = &config.environments[t.env];
    let brand = &config.brands[t.brand];
    let mut diags = Diagnostics::new();
    let ctx = shared.for_target(env, brand);
    let tag = |mut d: crate::diag::Diagnostic| {
        d.env = Some(env.name.clone());
        d.brand = Some(brand.name.get_ref().clone());
        d
    };
    let sign_in_html = match engine.render(SIGN_IN_TEMPLATE, &ctx) {
        Ok(h) => Some(h),
        Err(d) => {
            diags.extend(d.into_iter().map(tag));
            None
        }
    };
    let error_html = if engine.has_template(ERROR_TEMPLATE) {
        match engine.render(ERROR_TEMPLATE, &ctx) {
            Ok(h) => Some(h),
            Err(d) => {
                diags.extend(d.into_iter().map(tag));
                None
            }
        }
    } else {
        None
    };
    let Some(sign_in_html) = sign_in_html else {
        return (Rendered::Failed, diags);
    };
    if engine.has_template(ERROR_TEMPLATE) && error_html.is_none() {
        return (Rendered::Failed, diags);
    }
    let body = SignInPageBody {
        page_content: sign_in_html,
        widget_version: config.widget_version.get_ref().clone(),
        widget_customizations: Customizations {
            fields: config
                .widget_customizations
                .overlaid(&brand.widget_customizations)
                .with_okta_defaults(),
            widget_generation: config.widget_generation,
            post_auth_keep_me_signed_in_prompt: prompt.clone(),
        },
        content_security_policy_setting: config.csp.clone(),
    };
    let dir = format!("{}/{}", env.name, brand.dir);
    diags.extend(
        checked
            .get_or_check(
                t.env,
                &dir,
                &body.page_content,
                error_html.as_deref(),
                || check::target(project, env, brand, &dir, &body, error_html.as_deref()),
            )
            .into_iter()
            .map(tag),
    );
    if keep == Keep::Findings {
        return (Rendered::Checked, diags);
    }
    let error = error_html.map(|html| {
        let body = ErrorPageBody {
            page_content: html,
            content_security_policy_setting: config.csp.clone(),
        };
        Page {
            json: payload::to_json(&body),
            html: body.page_content,
        }
    });
    let sign_in = Page {
        json: payload::to_json(&body),
        html: body.page_content,
    };
    (
        Rendered::Output(TargetOutput {
            env: env.name.clone(),
            brand: brand.name.get_ref().clone(),
            dir,
            sign_in,
            error,
        }),
        diags,
    )
}
