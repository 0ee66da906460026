//! The CI workflows `init --ci` writes: GitHub Actions and GitLab CI/CD files that check
//! and test the pages on every change, send them to the org's preview from the main
//! branch and publish them live from a `v*` tag.
//!
//! The files are `templates/ci/*.yml`, embedded, with a few placeholders filled in from
//! the project's `signin-pages.toml` ([`Facts`]): `<env>` (the environment deployed),
//! `<secret-names>` and the `<secrets>` line (the variables that environment reads its
//! credentials from, the same names `org::connect` reads), `<version>` (this version, to
//! install) and `<project-dir>` (the project's folder in its git repository, where the
//! workflow file goes). The user guide includes the templates verbatim, placeholders and
//! all, so they read as documentation too.

use std::path::{Path, PathBuf};

use crate::config::{Config, Environment};

/// A CI system `init --ci` writes a workflow for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CiSystem {
    /// GitHub Actions: `.github/workflows/signin-pages.yml`.
    Github,
    /// GitLab CI/CD: `.gitlab-ci.yml`.
    Gitlab,
}

impl CiSystem {
    /// The template, as the repository has it under `templates/ci/`.
    pub fn template(self) -> &'static str {
        match self {
            CiSystem::Github => include_str!("../templates/ci/github.yml"),
            CiSystem::Gitlab => include_str!("../templates/ci/gitlab.yml"),
        }
    }

    /// Where the workflow goes, relative to the repository's root.
    pub fn file(self) -> &'static str {
        match self {
            CiSystem::Github => ".github/workflows/signin-pages.yml",
            CiSystem::Gitlab => ".gitlab-ci.yml",
        }
    }

    /// `--ci` spelled as on the command line.
    pub fn name(self) -> &'static str {
        match self {
            CiSystem::Github => "github",
            CiSystem::Gitlab => "gitlab",
        }
    }
}

/// What a workflow needs to know about the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The environment the workflow diffs against and deploys.
    pub env: String,
    /// The variables its credentials come from (org URL first when the file has none).
    pub secrets: Vec<String>,
    /// The project's folder relative to the repository's root (`.` when they are one).
    pub project_dir: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CiError {
    #[error(
        "signin-pages.toml has {} environments ({}): name the one CI deploys with --ci-env E",
        .0.len(), .0.join(", ")
    )]
    WhichEnvironment(Vec<String>),
    #[error("signin-pages.toml has no environment: add `[environments.<name>]` with its org_url")]
    NoEnvironment,
    #[error("--ci-env {name}: signin-pages.toml has no such environment (it has: {})", .known.join(", "))]
    UnknownEnvironment { name: String, known: Vec<String> },
    #[error(
        "environment `{env}` reads the service app's key from the file `{file}`, which a CI runner does not have: set `private_key_env = \"OKTA_PRIVATE_KEY\"` in [environments.{env}.oauth] instead (and store the key as that secret), then run init --ci again"
    )]
    KeyFile { env: String, file: String },
    #[error(
        "{what} `{value}` cannot be written into a workflow as it is: use only letters, digits, `_`{extra}"
    )]
    Unsafe {
        what: &'static str,
        value: String,
        extra: &'static str,
    },
    #[error(
        "`{}` exists already: pass --force to replace it (it is yours: compare it with what init writes first)",
        .0.display()
    )]
    Exists(PathBuf),
    #[error("cannot find the project folder `{}`: {source}", .path.display())]
    Locate {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Write(#[from] crate::write::WriteError),
}

/// The environment `--ci-env` names, or the project's only one.
pub fn environment<'a>(
    config: &'a Config,
    named: Option<&str>,
) -> Result<&'a Environment, CiError> {
    let envs = &config.environments;
    let names = || envs.iter().map(|e| e.name.clone()).collect::<Vec<_>>();
    match named {
        Some(n) => envs
            .iter()
            .find(|e| e.name == n)
            .ok_or_else(|| CiError::UnknownEnvironment {
                name: n.to_string(),
                known: names(),
            }),
        None => match envs.as_slice() {
            [] => Err(CiError::NoEnvironment),
            [one] => Ok(one),
            _ => Err(CiError::WhichEnvironment(names())),
        },
    }
}

/// The variables an environment's credentials come from in CI, as `org::connect` reads
/// them: `OKTA_CLIENT_ORGURL` when the file has no `org_url`; then the service app's key
/// variable, or the API token's (`token_env`, default `OKTA_API_TOKEN`).
pub fn secrets(env: &Environment) -> Result<Vec<String>, CiError> {
    let mut out = Vec::new();
    if env.org_url.is_none() {
        out.push("OKTA_CLIENT_ORGURL".to_string());
    }
    match &env.oauth {
        Some(o) => match (&o.private_key_file, &o.private_key_env) {
            (Some(f), _) => {
                return Err(CiError::KeyFile {
                    env: env.name.clone(),
                    file: f.get_ref().clone(),
                });
            }
            (None, Some(v)) => out.push(v.get_ref().clone()),
            // The config refuses a service app without a key; connect says so too.
            (None, None) => {}
        },
        None => out.push(
            env.token_env
                .as_ref()
                .map_or_else(|| "OKTA_API_TOKEN".to_string(), |v| v.get_ref().clone()),
        ),
    }
    for v in &out {
        let ok = v.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ok {
            return Err(CiError::Unsafe {
                what: "the variable",
                value: v.clone(),
                extra: " (and no digit first)",
            });
        }
    }
    Ok(out)
}

/// The facts of `env` for a project at `project_dir` (relative to the repository).
pub fn facts(env: &Environment, project_dir: String) -> Result<Facts, CiError> {
    let plain = |s: &str, extra: &str| {
        !s.is_empty()
            && s.chars().all(|c| {
                c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' || extra.contains(c)
            })
    };
    if !plain(&env.name, "") {
        return Err(CiError::Unsafe {
            what: "the environment name",
            value: env.name.clone(),
            extra: ", `-` and `.`",
        });
    }
    if !plain(&project_dir, "/") || project_dir.split('/').any(|p| p == "..") {
        return Err(CiError::Unsafe {
            what: "the project folder",
            value: project_dir,
            extra: ", `-`, `.` and `/`",
        });
    }
    Ok(Facts {
        env: env.name.clone(),
        secrets: secrets(env)?,
        project_dir,
    })
}

/// The workflow for `facts`: the template with its placeholders filled in.
pub fn render(system: CiSystem, facts: &Facts) -> String {
    let names = facts.secrets.join(", ");
    let prefix = if facts.project_dir == "." {
        String::new()
    } else {
        format!("{}/", facts.project_dir)
    };
    let mut out = String::new();
    for line in system.template().lines() {
        if line.trim() == "<secrets>" {
            // Only GitHub lists them: GitLab hands every CI/CD variable to the jobs.
            let indent = &line[..line.len() - line.trim_start().len()];
            for s in &facts.secrets {
                out.push_str(&format!("{indent}{s}: ${{{{ secrets.{s} }}}}\n"));
            }
            continue;
        }
        let line = line
            .replace("<project-dir>/", &prefix)
            .replace("<project-dir>", &facts.project_dir)
            .replace("<env>", &facts.env)
            .replace("<version>", env!("CARGO_PKG_VERSION"))
            .replace("<secret-names>", &names);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Where a workflow goes: the repository's root, the project's folder in it, the file.
#[derive(Debug, Clone)]
pub struct Place {
    pub root: PathBuf,
    /// Relative to `root`, `/`-separated; `.` when they are one.
    pub project_dir: String,
    pub file: PathBuf,
}

/// The place of `system`'s workflow for a project at `dir` (which need not exist yet):
/// the root of the git repository holding `dir` (the nearest folder up with a `.git`),
/// or `dir` itself when there is none (it becomes the repository). Refuses a file that
/// exists already unless `force`.
pub fn place(system: CiSystem, dir: &Path, force: bool) -> Result<Place, CiError> {
    // The nearest folder that exists, made absolute, then the rest of `dir` below it.
    let mut existing = dir;
    let mut missing = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name.to_os_string());
                existing = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
            }
            _ => break,
        }
    }
    let mut abs = std::fs::canonicalize(existing).map_err(|source| CiError::Locate {
        path: dir.to_path_buf(),
        source,
    })?;
    abs.extend(missing.iter().rev());
    let root = abs
        .ancestors()
        .find(|a| a.join(".git").exists())
        .unwrap_or(&abs)
        .to_path_buf();
    let rel: Vec<String> = abs
        .strip_prefix(&root)
        .unwrap_or(Path::new(""))
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let project_dir = if rel.is_empty() {
        ".".to_string()
    } else {
        rel.join("/")
    };
    let file = root.join(system.file());
    if !force && (file.exists() || file.is_symlink()) {
        return Err(CiError::Exists(file));
    }
    Ok(Place {
        root,
        project_dir,
        file,
    })
}

/// Write `text` (from [`render`]) at `place`, atomically.
pub fn write(place: &Place, text: &str) -> Result<(), CiError> {
    Ok(crate::write::atomic(
        &place.root,
        &place.file,
        text.as_bytes(),
    )?)
}
