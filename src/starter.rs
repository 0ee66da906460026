//! The starter project `init` writes: the repository's `templates/` folder (but for
//! `templates/ci/`, the workflows `init --ci` writes), embedded.

use std::path::{Path, PathBuf};

/// `(path in the new project, contents)`. A test keeps this list equal to `templates/`.
pub const FILES: &[(&str, &str)] = &[
    (".gitignore", include_str!("../templates/gitignore")),
    (
        "signin-pages.toml",
        include_str!("../templates/signin-pages.toml"),
    ),
    (
        "locales/en.toml",
        include_str!("../templates/locales/en.toml"),
    ),
    (
        "locales/fr.toml",
        include_str!("../templates/locales/fr.toml"),
    ),
    (
        "templates/sign-in.html",
        include_str!("../templates/templates/sign-in.html"),
    ),
    (
        "templates/layouts/base.html",
        include_str!("../templates/templates/layouts/base.html"),
    ),
    (
        "templates/partials/widget.html",
        include_str!("../templates/templates/partials/widget.html"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("`{0}` is not empty; init writes only into an empty or new folder")]
    NotEmpty(PathBuf),
    #[error(transparent)]
    Write(#[from] crate::write::WriteError),
}

/// Write the starter into `dir`, which must be absent or empty, each file atomically.
/// Returns the file count.
pub fn write(dir: &Path) -> Result<usize, InitError> {
    if let Ok(mut entries) = std::fs::read_dir(dir) {
        if entries.next().is_some() {
            return Err(InitError::NotEmpty(dir.to_path_buf()));
        }
    } else if dir.exists() {
        return Err(InitError::NotEmpty(dir.to_path_buf()));
    }
    for (rel, contents) in FILES {
        crate::write::atomic(dir, &dir.join(rel), contents.as_bytes())?;
    }
    Ok(FILES.len())
}
