//! Writing output: `dist/` (atomically) and `snapshots/` (compare and accept).
//!
//! A build brings a spare folder beside `dist/` (the generation before) to exactly the
//! new output — rewriting only the files that changed, in place — then swaps it in with
//! renames. A failure before the swap leaves `dist/` untouched; a filtered build
//! (`--env`/`--brand`) carries the targets it did not render over from `dist/`.

use std::collections::BTreeMap;
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

fn unique_sibling(dir: &Path, tag: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map_or_else(|| "dist".into(), |n| n.to_string_lossy().into_owned());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    dir.with_file_name(format!(".{name}.{tag}-{}-{nanos}", std::process::id()))
}

/// The previous generation of `dist/`, kept beside it: the next build rewrites its files
/// in place instead of creating new ones. Creating and deleting thousands of files was
/// nine tenths of a 1,000-target build (ext4: 3.5 s to create 2,000 files in a fresh
/// folder, 0.15 s to rewrite them in place, 0.03 s to find them unchanged).
fn spare_path(dist: &Path) -> PathBuf {
    let name = dist
        .file_name()
        .map_or_else(|| "dist".into(), |n| n.to_string_lossy().into_owned());
    dist.with_file_name(format!(".{name}.spare"))
}

/// Every file below `dir`, as paths relative to it.
fn files_below(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    collect_files(dir, "", &mut out);
    out.into_iter()
        .map(|p| p.trim_start_matches('/').to_string())
        .collect()
}

/// What a folder of output held when it was last written: per file, its length,
/// modification time and content hash. A file whose length and mtime still match is
/// taken as unchanged without being opened (2,000 unchanged files: one read instead of
/// 6,000 system calls). Kept beside the folder, never inside it.
type Manifest = BTreeMap<String, (u64, i128, u64)>;

fn manifest_path(dir: &Path) -> PathBuf {
    let name = dir
        .file_name()
        .map_or_else(|| "dist".into(), |n| n.to_string_lossy().into_owned());
    dir.with_file_name(format!(
        "{}.manifest",
        if name.starts_with('.') {
            name
        } else {
            format!(".{name}")
        }
    ))
}

fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

fn mtime_of(m: &std::fs::Metadata) -> i128 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(-1, |d| d.as_nanos() as i128)
}

fn read_manifest(path: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut m = Manifest::new();
    for line in text.lines() {
        let mut parts = line.splitn(4, ' ');
        let (len, mtime, hash, rel) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        m.insert(
            rel.to_string(),
            (
                len.parse().ok()?,
                mtime.parse().ok()?,
                u64::from_str_radix(hash, 16).ok()?,
            ),
        );
    }
    Some(m)
}

fn write_manifest(path: &Path, m: &Manifest) -> Result<(), EmitError> {
    let text: String = m
        .iter()
        .map(|(rel, (len, mtime, hash))| format!("{len} {mtime} {hash:016x} {rel}\n"))
        .collect();
    io(path, std::fs::write(path, text))
}

/// Make `dir` hold exactly `want` (relative path → bytes): unchanged files are left
/// alone, changed ones rewritten in place, missing ones created, others removed.
fn sync_tree(dir: &Path, want: &BTreeMap<String, Vec<u8>>) -> Result<(), EmitError> {
    io(dir, std::fs::create_dir_all(dir))?;
    let manifest_file = manifest_path(dir);
    // Trust the manifest only if the last sync finished: it is removed while syncing.
    let known = read_manifest(&manifest_file);
    let _ = std::fs::remove_file(&manifest_file);
    let present: Vec<String> = match &known {
        Some(m) => m.keys().cloned().collect(),
        None => files_below(dir),
    };
    let mut removed = false;
    for rel in present {
        if !want.contains_key(&rel) {
            let p = dir.join(&rel);
            if p.exists() {
                io(&p, std::fs::remove_file(&p))?;
                removed = true;
            }
        }
    }
    if removed || known.is_none() {
        remove_empty_dirs(dir);
    }
    let mut written = Manifest::new();
    for (rel, bytes) in want {
        let p = dir.join(rel);
        let hash = content_hash(bytes);
        let meta = std::fs::metadata(&p).ok().filter(|m| m.is_file());
        let same = match (&meta, known.as_ref().and_then(|k| k.get(rel))) {
            (Some(m), Some(&(len, mtime, h))) if m.len() == len && mtime_of(m) == mtime => {
                h == hash
            }
            (Some(m), _) => {
                m.len() == bytes.len() as u64 && std::fs::read(&p).is_ok_and(|old| &old == bytes)
            }
            (None, _) => false,
        };
        if !same {
            if let Some(parent) = p.parent() {
                io(parent, std::fs::create_dir_all(parent))?;
            }
            io(&p, std::fs::write(&p, bytes))?;
        }
        let meta = if same {
            meta
        } else {
            std::fs::metadata(&p).ok()
        };
        written.insert(
            rel.clone(),
            (bytes.len() as u64, meta.as_ref().map_or(-1, mtime_of), hash),
        );
    }
    write_manifest(&manifest_file, &written)
}

fn remove_empty_dirs(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(|e| e.ok()) {
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            remove_empty_dirs(&e.path());
            let _ = std::fs::remove_dir(e.path());
        }
    }
}

/// Replace `dist` with the outputs, all or nothing: the new generation is prepared in the
/// spare folder and swapped in with renames, so a failure leaves `dist` as it was. With
/// `keep_others`, targets not in `outputs` keep their previous files.
pub fn write_dist(
    dist: &Path,
    outputs: &[TargetOutput],
    keep_others: bool,
) -> Result<(), EmitError> {
    let mut want: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    if keep_others && dist.is_dir() {
        for rel in files_below(dist) {
            let p = dist.join(&rel);
            want.insert(rel, io(&p, std::fs::read(&p))?);
        }
    }
    for out in outputs {
        let prefix = format!("{}/", out.dir);
        want.retain(|rel, _| !rel.starts_with(&prefix));
        for (name, contents) in out.files() {
            want.insert(format!("{prefix}{name}"), contents.as_bytes().to_vec());
        }
    }
    if let Some(parent) = dist.parent().filter(|p| !p.as_os_str().is_empty()) {
        io(parent, std::fs::create_dir_all(parent))?;
    }
    let spare = spare_path(dist);
    if spare.exists() && !spare.is_dir() {
        io(&spare, std::fs::remove_file(&spare))?;
    }
    sync_tree(&spare, &want)?;
    swap_in(&spare, dist)
}

/// `spare` becomes `dist`; the old `dist` becomes the spare for next time.
fn swap_in(spare: &Path, dist: &Path) -> Result<(), EmitError> {
    if !dist.exists() {
        io(dist, std::fs::rename(spare, dist))?;
        let _ = std::fs::rename(manifest_path(spare), manifest_path(dist));
        return Ok(());
    }
    let old = unique_sibling(dist, "old");
    io(dist, std::fs::rename(dist, &old))?;
    if let Err(e) = std::fs::rename(spare, dist) {
        let _ = std::fs::rename(&old, dist);
        return Err(EmitError::Write {
            path: dist.to_path_buf(),
            source: e,
        });
    }
    // The manifests follow their folders.
    let (dist_m, spare_m) = (manifest_path(dist), manifest_path(spare));
    let old_m = manifest_path(&old);
    let _ = std::fs::rename(&dist_m, &old_m);
    let _ = std::fs::rename(&spare_m, &dist_m);
    if std::fs::rename(&old, spare).is_err() {
        let _ = std::fs::remove_dir_all(&old);
        let _ = std::fs::remove_file(&old_m);
    } else {
        let _ = std::fs::rename(&old_m, &spare_m);
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
