//! Writing output: `dist/` (atomically) and `snapshots/` (compare and accept).
//!
//! A build writes every file into a fresh staging folder beside `dist/`, then swaps it
//! in with renames. A failure before the swap leaves the previous `dist/` untouched; a
//! filtered build (`--env`/`--brand`) starts its staging folder from hard links to the
//! previous `dist/`, so the targets it did not render survive.

use std::path::{Path, PathBuf};

use crate::compile::TargetOutput;

#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    #[error("cannot write `{path}`: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io<T>(path: &Path, r: std::io::Result<T>) -> Result<T, EmitError> {
    r.map_err(|source| EmitError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// A staging folder that removes itself unless it was swapped in.
struct Staging {
    path: PathBuf,
    keep: bool,
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

fn unique_sibling(dir: &Path, tag: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map_or_else(|| "dist".into(), |n| n.to_string_lossy().into_owned());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    dir.with_file_name(format!(".{name}.{tag}-{}-{nanos}", std::process::id()))
}

fn link_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if e.file_type()?.is_dir() {
            link_tree(&src, &dst)?;
        } else if std::fs::hard_link(&src, &dst).is_err() {
            std::fs::copy(&src, &dst)?;
        }
    }
    Ok(())
}

/// Replace `dist` with the outputs. With `keep_others`, targets not in `outputs` keep
/// their previous files.
pub fn write_dist(
    dist: &Path,
    outputs: &[TargetOutput],
    keep_others: bool,
) -> Result<(), EmitError> {
    let staging = Staging {
        path: unique_sibling(dist, "staging"),
        keep: false,
    };
    if let Some(parent) = dist.parent() {
        io(parent, std::fs::create_dir_all(parent))?;
    }
    if keep_others && dist.is_dir() {
        io(dist, link_tree(dist, &staging.path))?;
    }
    io(&staging.path, std::fs::create_dir_all(&staging.path))?;
    for out in outputs {
        let dir = staging.path.join(&out.dir);
        if dir.exists() {
            io(&dir, std::fs::remove_dir_all(&dir))?;
        }
        io(&dir, std::fs::create_dir_all(&dir))?;
        for (name, contents) in out.files() {
            let p = dir.join(name);
            io(&p, std::fs::write(&p, contents))?;
        }
    }
    swap_in(staging, dist)
}

fn swap_in(mut staging: Staging, dist: &Path) -> Result<(), EmitError> {
    let old = unique_sibling(dist, "old");
    let had_old = dist.exists();
    if had_old {
        io(dist, std::fs::rename(dist, &old))?;
    }
    if let Err(e) = std::fs::rename(&staging.path, dist) {
        if had_old {
            let _ = std::fs::rename(&old, dist);
        }
        return Err(EmitError::Write {
            path: dist.to_path_buf(),
            source: e,
        });
    }
    staging.keep = true;
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

/// Write `contents` to `path` atomically: a temporary file beside it, then a rename.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), EmitError> {
    if let Some(parent) = path.parent() {
        io(parent, std::fs::create_dir_all(parent))?;
    }
    let tmp = unique_sibling(path, "tmp");
    io(&tmp, std::fs::write(&tmp, contents))?;
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(EmitError::Write {
            path: path.to_path_buf(),
            source: e,
        });
    }
    Ok(())
}

/// One difference between a target's output and its snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotChange {
    /// No snapshot yet.
    New { path: String },
    /// The snapshot differs: a unified diff, snapshot → now.
    Changed { path: String, diff: String },
    /// A snapshot for a file the project no longer produces.
    Stale { path: String },
}

/// Compare outputs with `snapshots/`. Paths in the result are relative to the project.
pub fn compare_snapshots(root: &Path, outputs: &[TargetOutput]) -> Vec<SnapshotChange> {
    let mut changes = Vec::new();
    let mut expected = std::collections::BTreeSet::new();
    for out in outputs {
        for (name, contents) in out.files() {
            let rel = format!("snapshots/{}/{name}", out.dir);
            expected.insert(rel.clone());
            match std::fs::read_to_string(root.join(&rel)) {
                Ok(old) if old == contents => {}
                Ok(old) => changes.push(SnapshotChange::Changed {
                    diff: unified_diff(&old, contents, &rel),
                    path: rel,
                }),
                Err(_) => changes.push(SnapshotChange::New { path: rel }),
            }
        }
    }
    let mut existing = Vec::new();
    collect_files(&root.join("snapshots"), "snapshots", &mut existing);
    for rel in existing {
        if !expected.contains(&rel) {
            changes.push(SnapshotChange::Stale { path: rel });
        }
    }
    changes
}

/// Write every output as the new snapshot and remove stale snapshots.
pub fn accept_snapshots(
    root: &Path,
    outputs: &[TargetOutput],
    changes: &[SnapshotChange],
) -> Result<(), EmitError> {
    for out in outputs {
        for (name, contents) in out.files() {
            let p = root.join(format!("snapshots/{}/{name}", out.dir));
            if std::fs::read_to_string(&p).ok().as_deref() != Some(contents) {
                write_atomic(&p, contents.as_bytes())?;
            }
        }
    }
    for c in changes {
        if let SnapshotChange::Stale { path } = c {
            let p = root.join(path);
            io(&p, std::fs::remove_file(&p))?;
        }
    }
    Ok(())
}

fn collect_files(dir: &Path, rel: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let child = format!("{rel}/{name}");
        if e.path().is_dir() {
            collect_files(&e.path(), &child, out);
        } else {
            out.push(child);
        }
    }
}

/// A unified diff with three lines of context, `a/PATH` → `b/PATH`.
pub fn unified_diff(old: &str, new: &str, path: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}
