//! Writing output: `dist/` (atomically) and `snapshots/` (compare and accept).
//!
//! A build brings a spare folder beside `dist/` (the generation before) to exactly the
//! new output — rewriting only the files that changed, in place — then swaps it in with
//! renames. A failure before the swap leaves `dist/` untouched; a filtered build
//! (`--env`/`--brand`) carries the targets it did not render over from `dist/`.
//! After every build `dist/` holds exactly what the build wrote: a file put there by
//! hand is gone after the next build, every time. Folders and files go through
//! [`crate::write`]: no link is written through.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::compile::TargetOutput;
use crate::parallel;
use crate::write::{self, io, unique_sibling};

pub use crate::write::WriteError as EmitError;

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

/// What a folder of output held when it was last written: per file, its length,
/// modification time and content hash; per folder (`""` is the top), its modification
/// time. A file whose length and mtime still match is taken as unchanged without being
/// opened, and a folder whose mtime still matches is taken to hold the same entries
/// without being listed (an entry added, removed or renamed in a folder changes its
/// mtime): 2,000 unchanged files in 1,000 folders cost 3,000 `stat`s instead of 5,000
/// calls to list the folders and 4,000 to read the files. Kept beside the folder, never
/// inside it; the manifest's own mtime is the time it was written.
#[derive(Debug, Default)]
struct Manifest {
    files: BTreeMap<String, (u64, i128, u64)>,
    dirs: BTreeMap<String, i128>,
    written_at: i128,
}

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

/// `rel`'s folder (`""` for a top-level entry).
fn parent_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(p, _)| p)
}

fn read_manifest(path: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut m = Manifest {
        written_at: mtime_of(&std::fs::symlink_metadata(path).ok()?),
        ..Manifest::default()
    };
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("d ") {
            let (mtime, rel) = rest.split_once(' ')?;
            let rel = if rel == "." { "" } else { rel };
            m.dirs.insert(rel.to_string(), mtime.parse().ok()?);
            continue;
        }
        let mut parts = line.splitn(4, ' ');
        let (len, mtime, hash, rel) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        m.files.insert(
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

/// Written without `fsync`: it is a cache, and a lost or stale one only means a build
/// that lists and reads every file.
fn write_manifest(base: &Path, path: &Path, m: &Manifest) -> Result<(), EmitError> {
    let mut text = String::new();
    for (rel, mtime) in &m.dirs {
        let rel = if rel.is_empty() { "." } else { rel.as_str() };
        text.push_str(&format!("d {mtime} {rel}\n"));
    }
    for (rel, (len, mtime, hash)) in &m.files {
        text.push_str(&format!("{len} {mtime} {hash:016x} {rel}\n"));
    }
    write::atomic_with(base, path, text.as_bytes(), write::Durability::Cache)
}

/// What is below a folder: every entry that is not a folder (with whether it is a link,
/// which is never followed) and every folder with its mtime, paths relative to it.
#[derive(Default)]
struct Listing {
    entries: Vec<(String, bool)>,
    dirs: BTreeMap<String, i128>,
}

/// The keys of `map` (relative paths) directly in the folder `rel`: a range of the
/// sorted keys, not a scan of all of them.
fn children<'a, V>(map: &'a BTreeMap<String, V>, rel: &str) -> impl Iterator<Item = &'a String> {
    let prefix = if rel.is_empty() {
        String::new()
    } else {
        format!("{rel}/")
    };
    let n = prefix.len();
    map.range(prefix.clone()..)
        .map(|(k, _)| k)
        .take_while(move |k| k.starts_with(&prefix))
        .filter(move |k| k.len() > n && !k[n..].contains('/'))
}

/// List `root/rel`, taking from `known` the entries of every folder whose mtime is the
/// one recorded there and older than the manifest (a change in the same clock tick as
/// the manifest's writing could leave the mtime as it was: such a folder is listed).
fn list(root: &Path, rel: &str, known: Option<&Manifest>, out: &mut Listing) {
    let path = if rel.is_empty() {
        root.to_path_buf()
    } else {
        root.join(rel)
    };
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return;
    };
    let mtime = mtime_of(&meta);
    out.dirs.insert(rel.to_string(), mtime);
    let join = |name: &str| {
        if rel.is_empty() {
            name.to_string()
        } else {
            format!("{rel}/{name}")
        }
    };
    if let Some(k) = known
        && k.dirs.get(rel) == Some(&mtime)
        && mtime < k.written_at
    {
        out.entries
            .extend(children(&k.files, rel).map(|f| (f.clone(), false)));
        for d in children(&k.dirs, rel) {
            list(root, d, known, out);
        }
        return;
    }
    let Ok(entries) = std::fs::read_dir(&path) else {
        return;
    };
    for e in entries.filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(t) = e.file_type() else { continue };
        if t.is_dir() {
            list(root, &join(&name), known, out);
        } else {
            out.entries.push((join(&name), t.is_symlink()));
        }
    }
}

/// Make `dir` hold exactly `want` (relative path → bytes): unchanged files are left
/// alone, changed ones rewritten in place, missing ones created, and everything else —
/// files and folders signin-pages did not write, links (removed as links, never
/// followed) — removed. Every folder is looked at on every build (listed, or its mtime
/// compared with the manifest's): the manifest never hides what was added by hand.
fn sync_tree(
    base: &Path,
    dir: &Path,
    want: &BTreeMap<String, Cow<'_, [u8]>>,
) -> Result<(), EmitError> {
    write::create_dirs(base, dir)?;
    let manifest_file = manifest_path(dir);
    // Trust the manifest only if the last sync finished: it is removed while syncing.
    let known = read_manifest(&manifest_file);
    let _ = std::fs::remove_file(&manifest_file);
    let mut listing = Listing::default();
    list(dir, "", known.as_ref(), &mut listing);
    // Folders whose entries change below, so whose mtime is read again at the end.
    let mut changed: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for (rel, is_link) in &listing.entries {
        if *is_link || !want.contains_key(rel) {
            let p = dir.join(rel);
            io(&p, std::fs::remove_file(&p))?;
            changed.insert(parent_of(rel).to_string());
        }
    }
    // The folders the output needs; any other folder is a stray one.
    let mut needed: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    needed.insert(String::new());
    for rel in want.keys() {
        let mut p = parent_of(rel);
        while needed.insert(p.to_string()) {
            p = parent_of(p);
        }
    }
    // Deepest first, so that a folder is empty when its turn comes.
    for stray in listing.dirs.keys().rev().filter(|d| !needed.contains(*d)) {
        let p = dir.join(stray);
        io(&p, std::fs::remove_dir(&p))?;
        changed.insert(parent_of(stray).to_string());
    }
    let mut written = Manifest::default();
    // Each file is looked at (and written if it changed) on every core: on 1,000 targets
    // the stat calls and hashes were a third of a build.
    let files: Vec<(&String, &Cow<'_, [u8]>)> = want.iter().collect();
    let synced = parallel::map(
        &files,
        parallel::cores(),
        |(rel, bytes)| sync_file(dir, rel, bytes, known.as_ref()),
        |_, _| {},
    );
    for ((rel, _), synced) in files.into_iter().zip(synced) {
        let (entry, created) = synced?;
        if created {
            // A new entry in its folder (and maybe new folders).
            let mut f = parent_of(rel);
            loop {
                changed.insert(f.to_string());
                if listing.dirs.contains_key(f) || f.is_empty() {
                    break;
                }
                f = parent_of(f);
            }
        }
        written.files.insert(rel.clone(), entry);
    }
    for d in needed {
        let mtime = match listing.dirs.get(&d) {
            Some(&m) if !changed.contains(&d) => m,
            _ => std::fs::symlink_metadata(dir.join(&d))
                .ok()
                .as_ref()
                .map_or(-1, mtime_of),
        };
        written.dirs.insert(d, mtime);
    }
    write_manifest(base, &manifest_file, &written)
}

/// Bring `dir/rel` to `bytes` unless it already holds them: its manifest entry (length,
/// mtime, hash), and whether the file is new.
fn sync_file(
    dir: &Path,
    rel: &str,
    bytes: &[u8],
    known: Option<&Manifest>,
) -> Result<((u64, i128, u64), bool), EmitError> {
    let p = dir.join(rel);
    let hash = content_hash(bytes);
    let meta = std::fs::symlink_metadata(&p).ok().filter(|m| m.is_file());
    let same = match (&meta, known.and_then(|k| k.files.get(rel))) {
        (Some(m), Some(&(len, mtime, h))) if m.len() == len && mtime_of(m) == mtime => h == hash,
        (Some(m), _) => {
            m.len() == bytes.len() as u64 && std::fs::read(&p).is_ok_and(|old| old == bytes)
        }
        (None, _) => false,
    };
    let created = meta.is_none();
    if !same {
        if created && let Some(parent) = p.parent() {
            io(parent, std::fs::create_dir_all(parent))?;
        }
        io(&p, std::fs::write(&p, bytes))?;
    }
    let meta = if same {
        meta
    } else {
        std::fs::symlink_metadata(&p).ok()
    };
    let entry = (bytes.len() as u64, meta.as_ref().map_or(-1, mtime_of), hash);
    Ok((entry, created))
}

/// Replace `dist` with the outputs, all or nothing: the new generation is prepared in the
/// spare folder and swapped in with renames, so a failure leaves `dist` as it was.
///
/// `dist` ends up holding exactly the files of `outputs`, plus those of `carry` (paths
/// relative to `dist`: the files of the targets a filtered build did not render) that
/// `dist` held. Anything else in `dist` — files signin-pages did not write, links — is
/// gone after every build. `dist`, its spare and their manifests must not be links
/// (`P010`).
pub fn write_dist(
    root: &Path,
    dist: &Path,
    outputs: &[TargetOutput],
    carry: &[String],
) -> Result<(), EmitError> {
    // Links are looked for below the project (or, for an `--out` elsewhere, at the
    // folder itself): what is above is the user's choice of place.
    let base = if dist.starts_with(root) && dist != root {
        root.to_path_buf()
    } else {
        dist.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf()
    };
    let spare = spare_path(dist);
    for p in [dist, &spare, &manifest_path(dist), &manifest_path(&spare)] {
        write::refuse_links(&base, p)?;
    }
    // What was rendered is written from the outputs (borrowed, not copied); what a
    // filtered build carries over, from `dist/`.
    let rendered: std::collections::HashSet<&str> =
        outputs.iter().map(|o| o.dir.as_str()).collect();
    let mut want: BTreeMap<String, Cow<'_, [u8]>> = BTreeMap::new();
    for rel in carry {
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        if rendered.contains(dir) {
            continue;
        }
        let p = dist.join(rel);
        // Only real files reached through real folders: never carry what a link shows.
        if write::refuse_links(&base, &p).is_ok() && p.is_file() {
            want.insert(rel.clone(), Cow::Owned(io(&p, std::fs::read(&p))?));
        }
    }
    for out in outputs {
        for (name, contents) in out.files() {
            want.insert(
                format!("{}/{name}", out.dir),
                Cow::Borrowed(contents.as_bytes()),
            );
        }
    }
    if let Some(parent) = dist.parent().filter(|p| !p.as_os_str().is_empty()) {
        write::create_dirs(&base, parent)?;
    }
    if std::fs::symlink_metadata(&spare).is_ok_and(|m| !m.is_dir()) {
        io(&spare, std::fs::remove_file(&spare))?;
    }
    sync_tree(&base, &spare, &want)?;
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
        return Err(EmitError::Io {
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
        // `test --visual`'s screenshots (`snapshots/visual/…/*.png`) and the name of the
        // browser that took them are its own to judge.
        let screenshot = (rel.starts_with("snapshots/visual/") && rel.ends_with(".png"))
            || rel == "snapshots/visual/browser.txt";
        if !expected.contains(&rel) && !screenshot {
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
    // Refused before anything is written: `snapshots` itself a link.
    write::refuse_links(root, &root.join("snapshots"))?;
    for out in outputs {
        for (name, contents) in out.files() {
            let p = root.join(format!("snapshots/{}/{name}", out.dir));
            if std::fs::read_to_string(&p).ok().as_deref() != Some(contents) {
                write::atomic(root, &p, contents.as_bytes())?;
            }
        }
    }
    for c in changes {
        if let SnapshotChange::Stale { path } = c {
            let p = root.join(path);
            write::refuse_links(root, &p)?;
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
        // `DirEntry::file_type` does not follow links: a link is listed, never entered.
        if e.file_type().is_ok_and(|t| t.is_dir()) {
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
