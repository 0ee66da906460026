//! Every file signin-pages writes into a project goes through here, with two promises.
//!
//! **Output folders are real folders.** `dist/`, `snapshots/`, `.signin-pages/` and every
//! folder on the way to a file written there must not be a symbolic link (`P010`): a
//! write or a clean-up through a link would change files elsewhere on the machine.
//! [`refuse_links`] decides it, once, for `emit` (dist, snapshots) and for the backup and
//! state writers (`org`, `kmsi`).
//!
//! **Writes are atomic and durable.** [`atomic`] writes a temporary file beside the
//! destination, flushes it to disk, renames it over the destination and flushes the
//! folder: after a crash or a power cut the destination holds the old bytes or the new
//! ones, never a torn or empty file, and a backup reported written is on disk before the
//! PUT it guards ("no backup, no write").

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostic, Location, Rule};
use crate::source::SourceFile;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A folder (or file) on the way to a write is a symbolic link.
    #[error(
        "`{shown}` is a symbolic link: signin-pages does not write through links (P010); remove the link, and signin-pages puts a real file or folder there"
    )]
    Link { path: PathBuf, shown: String },
}

impl WriteError {
    /// The `P010` diagnostic for a link; `None` for other errors (they are not the
    /// project's fault).
    pub fn diagnostic(&self) -> Option<Diagnostic> {
        let WriteError::Link { shown, .. } = self else {
            return None;
        };
        let file = Arc::new(SourceFile::new(shown.clone(), ""));
        Some(
            Diagnostic::new(Rule::P010,
                format!("`{shown}` is a symbolic link: signin-pages does not write through links"),
            )
            .at(Location::line(&file, 1))
            .help(format!(
                "remove the link and let signin-pages create `{shown}` itself (to write somewhere else, name another folder: `build --out DIR`, `man --out-dir DIR`)"
            )),
        )
    }
}

pub(crate) fn io<T>(path: &Path, r: std::io::Result<T>) -> Result<T, WriteError> {
    r.map_err(|source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The components of `path` below `base` (lexically), or `None` when `path` is not
/// below `base`.
fn below<'a>(base: &Path, path: &'a Path) -> Option<Vec<&'a std::ffi::OsStr>> {
    let rel = path.strip_prefix(base).ok()?;
    rel.components()
        .map(|c| match c {
            Component::Normal(n) => Some(n),
            _ => None,
        })
        .collect()
}

/// `Err(P010)` when `path`, or a folder between `base` and it, exists as a symbolic
/// link. `base` itself may be one (a project reached through a link is fine); so may
/// anything above it. A `path` not below `base` is checked alone (and named in full).
pub fn refuse_links(base: &Path, path: &Path) -> Result<(), WriteError> {
    let (start, parts, mut shown) = match below(base, path) {
        Some(parts) => (base.to_path_buf(), parts, PathBuf::new()),
        None => {
            let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
            (
                parent.clone(),
                path.file_name().into_iter().collect(),
                parent,
            )
        }
    };
    let mut at = start;
    for part in parts {
        at.push(part);
        shown.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(WriteError::Link {
                    path: at,
                    shown: shown.to_string_lossy().replace('\\', "/"),
                });
            }
            Ok(_) => {}
            // Nothing further down exists either.
            Err(_) => break,
        }
    }
    Ok(())
}

/// Create `dir` and its missing parents below `base` as real folders, each new entry
/// synced into its parent so that the folder survives a power cut with the files put
/// in it.
pub fn create_dirs(base: &Path, dir: &Path) -> Result<(), WriteError> {
    refuse_links(base, dir)?;
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut missing = Vec::new();
    let mut at = dir;
    while !at.exists() {
        missing.push(at);
        match at.parent() {
            Some(p) if !p.as_os_str().is_empty() => at = p,
            _ => break,
        }
    }
    for d in missing.into_iter().rev() {
        match std::fs::create_dir(d) {
            Ok(()) => {
                if let Some(parent) = d.parent() {
                    sync_dir(parent)?;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => return io(d, Err(e)),
        }
    }
    Ok(())
}

/// Flush a folder's entries (a rename or a new file in it) to disk. Windows has no
/// such call for folders; NTFS journals renames.
pub fn sync_dir(dir: &Path) -> Result<(), WriteError> {
    #[cfg(unix)]
    {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        io(dir, File::open(dir).and_then(|f| f.sync_all()))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// A name beside `path` that no other process (nor this one) uses.
pub(crate) fn unique_sibling(path: &Path, tag: &str) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "dist".into(), |n| n.to_string_lossy().into_owned());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    path.with_file_name(format!(".{name}.{tag}-{}-{nanos}", std::process::id()))
}

/// Whether a write must survive a power cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Flushed to disk before and after the rename: backups, state, snapshots.
    Durable,
    /// A cache that can be rebuilt (`dist/`'s manifest): atomic, not flushed.
    Cache,
}

/// Write `contents` to `path` atomically and durably: a new temporary file beside it,
/// flushed to disk, renamed over `path`, and the folder flushed. No folder between
/// `base` and `path`, nor `path` itself, may be a link.
pub fn atomic(base: &Path, path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    atomic_with(base, path, contents, Durability::Durable)
}

/// [`atomic`], flushed to disk or not.
pub fn atomic_with(
    base: &Path,
    path: &Path,
    contents: &[u8],
    durability: Durability,
) -> Result<(), WriteError> {
    let durable = durability == Durability::Durable;
    refuse_links(base, path)?;
    let parent = path.parent().unwrap_or(Path::new(""));
    create_dirs(base, parent)?;
    let tmp = unique_sibling(path, "tmp");
    let written = (|| {
        // `create_new`: never open (and write through) something already there.
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(contents)?;
        if durable { f.sync_all() } else { Ok(()) }
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return io(&tmp, Err(e));
    }
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return io(path, Err(e));
    }
    if durable { sync_dir(parent) } else { Ok(()) }
}
