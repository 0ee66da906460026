//! Which Sign-In Widget the preview shows, and where it comes from. In this order:
//! the installed package `--widget-dir` names; the project's
//! `node_modules/@okta/okta-signin-widget` (in the project folder or a parent, up to the
//! repository root); the disk cache of the version the project's `[widget] version`
//! resolves to, filled from Okta's CDN when it lacks it (`cdn`); and only when none can be
//! had, the preview's stand-in, saying why and what to do.

use std::path::{Path, PathBuf};

use super::{Options, PreviewError, cdn, idx};

/// The real widget the preview serves.
#[derive(Debug, Clone)]
pub(crate) struct RealWidget {
    /// Its `dist/` folder (holding `js/okta-sign-in.min.js`).
    pub(crate) dist: PathBuf,
    /// Its version, when known (`package.json`, or the cache folder's name).
    pub(crate) version: Option<String>,
    /// Where it comes from, for people (`--widget-dir …`, `node_modules …`, `cache …`).
    pub(crate) from: String,
}

/// What the preview shows in the widget's place.
#[derive(Debug, Clone)]
pub(crate) enum Choice {
    Real(RealWidget),
    /// The stand-in, and why (what was missing and what to do), in one sentence.
    StandIn(String),
}

impl Choice {
    pub(crate) fn real(&self) -> Option<&RealWidget> {
        match self {
            Choice::Real(r) => Some(r),
            Choice::StandIn(_) => None,
        }
    }

    /// One line for the terminal and the index page.
    pub(crate) fn describe(&self) -> String {
        match self {
            Choice::Real(r) => format!(
                "Okta Sign-In Widget {} from {}",
                r.version.as_deref().unwrap_or("(version unknown)"),
                r.from
            ),
            Choice::StandIn(why) => format!("the preview's stand-in widget: {why}"),
        }
    }
}

/// The package folder's `version` (from `package.json` in it or above its `dist/`).
fn package_version(dist: &Path) -> Option<String> {
    [dist.to_path_buf(), dist.join("..")]
        .iter()
        .find_map(|d| std::fs::read(d.join("package.json")).ok())
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .and_then(|v| v["version"].as_str().map(str::to_string))
}

/// The folders whose `node_modules` may hold the widget: the project folder and its
/// parents up to the repository root (the first holding `.git`); the project folder alone
/// when it is in no repository.
fn search_folders(root: &Path) -> Vec<PathBuf> {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut folders = Vec::new();
    for dir in root.ancestors() {
        folders.push(dir.to_path_buf());
        if dir.join(".git").exists() {
            return folders;
        }
    }
    vec![root]
}

/// The installed widget found in `node_modules` from the project up.
fn node_modules(root: &Path) -> Option<RealWidget> {
    search_folders(root).into_iter().find_map(|dir| {
        let package = dir.join("node_modules/@okta/okta-signin-widget");
        let dist = idx::widget_dist(&package)?;
        Some(RealWidget {
            version: package_version(&dist),
            from: package.display().to_string(),
            dist,
        })
    })
}

/// Choose the widget for the project at `root` whose `[widget] version` is `spec`
/// (`None` when the project does not load).
pub(crate) fn choose(
    root: &Path,
    options: &Options,
    spec: Option<&str>,
) -> Result<Choice, PreviewError> {
    if let Some(dir) = &options.widget_dir {
        let dist = idx::widget_dist(dir).ok_or_else(|| PreviewError::WidgetDir(dir.clone()))?;
        return Ok(Choice::Real(RealWidget {
            version: package_version(&dist),
            from: format!("--widget-dir {}", dir.display()),
            dist,
        }));
    }
    if let Some(found) = node_modules(root) {
        return Ok(Choice::Real(found));
    }
    let Some(facts) = spec.and_then(crate::widget::resolve) else {
        return Ok(Choice::StandIn(format!(
            "the project's [widget] version {} is none signin-pages knows and no \
             node_modules/@okta/okta-signin-widget was found; npm install \
             @okta/okta-signin-widget (or give --widget-dir) to see the real one",
            spec.map_or("(unreadable)".to_string(), |s| format!("`{s}`"))
        )));
    };
    let version = facts.version().to_string();
    let npm = format!("npm install @okta/okta-signin-widget@{version}");
    let Some(cache) = &options.widget_cache else {
        return Ok(Choice::StandIn(format!(
            "no node_modules/@okta/okta-signin-widget was found; {npm} (or give --widget-dir) \
             to see the real widget {version}"
        )));
    };
    match cdn::cached(
        cache,
        &version,
        facts.languages(),
        options.widget_cdn.as_deref(),
    ) {
        Ok(dist) => Ok(Choice::Real(RealWidget {
            from: format!("the cache {}", dist.display()),
            version: Some(version),
            dist,
        })),
        Err(why) => Ok(Choice::StandIn(format!(
            "no node_modules/@okta/okta-signin-widget was found and widget {version} is not \
             in the cache {} ({why}); {npm}, or let Okta's CDN be reached",
            cache.display()
        ))),
    }
}
