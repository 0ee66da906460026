//! `test --visual`: screenshots of every target × widget state × locale, compared with
//! the accepted ones under `snapshots/visual/<env>/<brand>/<state>.<locale>.png`.
//!
//! The pages come from the preview itself ([`crate::preview`], started in this process
//! on a free loopback port in its screenshot mode: one fixed nonce, no switcher, no
//! animations, transitions or carets), with the real Sign-In Widget when an installed
//! one is given or found in the project's `node_modules`, else the stand-in. Headless
//! Chromium (`chromium`) renders each page in a fixed viewport with fixed fonts, time,
//! time zone and locale, once the page has settled, and `image` compares the pixels
//! within a [`Tolerance`].
//!
//! A screenshot that differs beyond the tolerance is written beside the accepted one as
//! `<state>.<locale>.new.png`, with `<state>.<locale>.diff.png` (the accepted image in
//! grey, the differing pixels red); one without an accepted image as `.new.png`.
//! `--accept` makes the screenshots the accepted ones (atomic writes, [`crate::write`]).

pub mod chromium;
pub mod image;

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use chromium::BrowserError;
pub use image::{Difference, Tolerance};

use crate::diag::ColorChoice;
use crate::preview::{self, Preview, PreviewError};
use crate::write::{self, Durability, WriteError};

/// Where the screenshots live, below the project.
pub const DIR: &str = "snapshots/visual";

/// The browser that took the accepted screenshots (`Chromium 156.0.8078.108`), written
/// by `--accept`: a comparison across browser versions says so, since an update can
/// move anti-aliasing and text by more than the tolerance.
pub const BROWSER_FILE: &str = "snapshots/visual/browser.txt";

/// What to shoot and how to compare.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Chromium's executable (default: found on `PATH`).
    pub chromium: Option<PathBuf>,
    /// An installed `@okta/okta-signin-widget` (default: the project's `node_modules`).
    pub widget_dir: Option<PathBuf>,
    /// Make the screenshots the accepted ones.
    pub accept: bool,
    pub tolerance: Tolerance,
    pub color: ColorChoice,
}

/// A target to shoot: its `<env>/<brand folder>`, as under `dist/` and `snapshots/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub dir: String,
}

/// One screenshot: a target's sign-in page in one widget state and locale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shot {
    pub dir: String,
    pub state: String,
    pub locale: String,
}

impl Shot {
    /// `snapshots/visual/<env>/<brand>/<state>.<locale>` + `suffix`, relative to the project.
    pub fn path(&self, suffix: &str) -> String {
        format!("{DIR}/{}/{}.{}{suffix}", self.dir, self.state, self.locale)
    }
}

/// What became of one screenshot.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Within the tolerance of the accepted one; `identical` when byte for byte.
    Matched { identical: bool },
    /// No accepted screenshot yet: written as `new`.
    New { new: String },
    /// Beyond the tolerance: written as `new`, the difference drawn in `diff`.
    Changed {
        new: String,
        diff: String,
        difference: Difference,
    },
    /// The accepted screenshot cannot be read as a PNG: the new one is written as `new`.
    Unreadable { new: String, reason: String },
    /// `--accept`: written as the accepted screenshot (it was missing or differed).
    Accepted { path: String },
}

impl Outcome {
    /// Whether the run fails for it (a test without `--accept`).
    pub fn fails(&self) -> bool {
        !matches!(self, Outcome::Matched { .. } | Outcome::Accepted { .. })
    }
}

/// Which widget the pages showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Widget {
    /// The real Sign-In Widget, from this `dist/` folder.
    Real(PathBuf),
    /// The preview's stand-in (no installed widget given or found).
    StandIn,
}

/// A whole run.
#[derive(Debug)]
pub struct Report {
    pub widget: Widget,
    pub results: Vec<(Shot, Outcome)>,
    /// Accepted screenshots no target, state or locale of the project produces any more
    /// (looked for only when nothing is filtered; removed by `--accept`).
    pub stale: Vec<String>,
    /// Time spent in the browser (start, pages, screenshots).
    pub took: Duration,
    /// The browser that took these screenshots (`Chromium 156.0.8078.108`).
    pub browser: String,
    /// The browser [`BROWSER_FILE`] names (before this run), when there is one.
    pub accepted_browser: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum VisualError {
    #[error(transparent)]
    Browser(#[from] BrowserError),
    #[error(transparent)]
    Preview(#[from] PreviewError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("{0}")]
    Filter(String),
}

/// The states and locales to shoot, from the filters: every one when a filter is
/// empty, an error naming the known ones for a name that is not.
pub fn pick(filter: &[String], known: &[String], what: &str) -> Result<Vec<String>, VisualError> {
    if filter.is_empty() {
        return Ok(known.to_vec());
    }
    for f in filter {
        if !known.contains(f) {
            return Err(VisualError::Filter(format!(
                "unknown {what} `{f}`: the project has {}",
                known.join(", ")
            )));
        }
    }
    Ok(known
        .iter()
        .filter(|k| filter.contains(k))
        .cloned()
        .collect())
}

/// The widget states the preview shows, in its order.
pub fn states() -> Vec<String> {
    preview::STATES.iter().map(|(n, _)| n.to_string()).collect()
}

/// Shoot `targets` × states × locales and compare (or accept). `filtered` says whether
/// any filter narrowed the targets, states or locales (stale screenshots are looked for
/// only when none did). `each` hears every result as it comes.
pub fn run(
    root: &Path,
    targets: &[Target],
    states: &[String],
    locales: &[String],
    filtered: bool,
    options: &Options,
    each: &mut dyn FnMut(&Shot, &Outcome),
) -> Result<Report, VisualError> {
    let chromium = chromium::find(options.chromium.as_deref())?;
    // The widget `serve` shows: the one named, else node_modules, else the cache.
    let (widget_cache, widget_cdn) = preview::widget_cache_from_env();
    let preview = Preview::start(
        root,
        preview::Options {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            widget_dir: options.widget_dir.clone(),
            widget_cache,
            widget_cdn,
            color: options.color,
            quiet: true,
            visual: true,
        },
    )?;
    let widget = match preview.real_widget() {
        Some(dist) => Widget::Real(dist.to_path_buf()),
        None => Widget::StandIn,
    };
    write::refuse_links(root, &root.join(DIR))?;
    let started = Instant::now();
    let mut browser = chromium::Browser::start(&chromium)?;
    let version = browser.version()?;
    let accepted_browser = std::fs::read_to_string(root.join(BROWSER_FILE))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let mut results = Vec::new();
    for t in targets {
        for state in states {
            for locale in locales {
                let shot = Shot {
                    dir: t.dir.clone(),
                    state: state.clone(),
                    locale: locale.clone(),
                };
                let png = browser.screenshot(&preview.sign_in_url(&t.dir, state, locale))?;
                let outcome = settle(root, &shot, &png, options)?;
                each(&shot, &outcome);
                results.push((shot, outcome));
            }
        }
    }
    drop(browser);
    let took = started.elapsed();
    preview.shutdown();
    let accepted_any = results
        .iter()
        .any(|(_, o)| matches!(o, Outcome::Accepted { .. }));
    if options.accept && (accepted_any || accepted_browser.as_deref() != Some(version.as_str())) {
        write::atomic(
            root,
            &root.join(BROWSER_FILE),
            format!("{version}\n").as_bytes(),
        )?;
    }
    let stale = if filtered {
        Vec::new()
    } else {
        let expected: BTreeSet<String> = results.iter().map(|(s, _)| s.path(".png")).collect();
        let stale: Vec<String> = accepted_files(root)
            .into_iter()
            .filter(|p| !expected.contains(p))
            .collect();
        if options.accept {
            for rel in &stale {
                let p = root.join(rel);
                write::refuse_links(root, &p)?;
                write::io(&p, std::fs::remove_file(&p))?;
            }
        }
        stale
    };
    Ok(Report {
        widget,
        results,
        stale,
        took,
        browser: version,
        accepted_browser,
    })
}

/// Compare one screenshot with the accepted one and write what the outcome asks for.
fn settle(root: &Path, shot: &Shot, png: &[u8], o: &Options) -> Result<Outcome, VisualError> {
    let accepted_rel = shot.path(".png");
    let new_rel = shot.path(".new.png");
    let diff_rel = shot.path(".diff.png");
    let accepted = root.join(&accepted_rel);
    let (new, diff) = (root.join(&new_rel), root.join(&diff_rel));
    let old = std::fs::read(&accepted).ok();
    let identical = old.as_deref() == Some(png);
    // What the comparison says: `None` when it matches.
    let mismatch: Option<Outcome> = match &old {
        None => Some(Outcome::New { new: new_rel }),
        Some(_) if identical => None,
        Some(old) => match (image::decode(old), image::decode(png)) {
            (Err(reason), _) => Some(Outcome::Unreadable {
                new: new_rel,
                reason,
            }),
            (_, Err(reason)) => {
                return Err(VisualError::Browser(BrowserError::Refused {
                    method: "Page.captureScreenshot".into(),
                    message: format!("an unreadable PNG ({reason})"),
                }));
            }
            (Ok(a), Ok(b)) => {
                let (difference, drawn) = image::compare(&a, &b, o.tolerance.threshold);
                if difference.within(o.tolerance) {
                    None
                } else {
                    if !o.accept {
                        write::atomic_with(root, &diff, &image::encode(&drawn), Durability::Cache)?;
                    }
                    Some(Outcome::Changed {
                        new: new_rel,
                        diff: diff_rel,
                        difference,
                    })
                }
            }
        },
    };
    let outcome = match mismatch {
        None => Outcome::Matched { identical },
        Some(_) if o.accept => {
            write::atomic(root, &accepted, png)?;
            Outcome::Accepted { path: accepted_rel }
        }
        Some(m) => {
            write::atomic_with(root, &new, png, Durability::Cache)?;
            if !matches!(m, Outcome::Changed { .. }) {
                remove(root, &diff)?;
            }
            return Ok(m);
        }
    };
    // Matched or accepted: what an earlier run left beside it is out of date.
    remove(root, &new)?;
    remove(root, &diff)?;
    Ok(outcome)
}

/// Remove `path` if it is there.
fn remove(root: &Path, path: &Path) -> Result<(), WriteError> {
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(());
    }
    write::refuse_links(root, path)?;
    write::io(path, std::fs::remove_file(path))
}

/// Every accepted screenshot under [`DIR`] (not the `.new.png` and `.diff.png` beside
/// them), relative to the project, sorted.
fn accepted_files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![(root.join(DIR), DIR.to_string())];
    while let Some((dir, rel)) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().into_owned();
            let child = format!("{rel}/{name}");
            // `DirEntry::file_type` does not follow links: a link is listed, never entered.
            match e.file_type() {
                Ok(t) if t.is_dir() => todo.push((e.path(), child)),
                Ok(_) if is_accepted(&name) => out.push(child),
                _ => {}
            }
        }
    }
    out.sort();
    out
}

/// Whether a file name under [`DIR`] is an accepted screenshot.
pub fn is_accepted(name: &str) -> bool {
    name.ends_with(".png") && !name.ends_with(".new.png") && !name.ends_with(".diff.png")
}
