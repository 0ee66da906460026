//! The file watcher: `notify` on the project's inputs (`signin-pages.toml`,
//! `templates/`, `locales/`, `static/`), debounced so that one save — which editors
//! turn into several events — recompiles once.
//!
//! Debounce: after the first event, wait until the files have been quiet for
//! [`QUIET`] (at most [`MAX_WAIT`] in all), then call back with every path that changed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// How long the files must be quiet before a recompile.
pub(crate) const QUIET: Duration = Duration::from_millis(8);
/// The longest a stream of events delays a recompile.
pub(crate) const MAX_WAIT: Duration = Duration::from_millis(100);
/// The folders whose files feed the pages.
const INPUT_DIRS: &[&str] = &["templates", "locales", "static"];

/// A running watcher; dropping it stops the watching and its thread.
pub(crate) struct Watcher {
    watcher: Option<Arc<Mutex<RecommendedWatcher>>>,
    thread: Option<JoinHandle<()>>,
}

impl Watcher {
    pub(crate) fn start(
        root: &Path,
        on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
    ) -> notify::Result<Watcher> {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<Event>| {
            let _ = tx.send(res);
        })?;
        watcher.watch(&root, RecursiveMode::NonRecursive)?;
        for dir in INPUT_DIRS {
            let d = root.join(dir);
            if d.is_dir() {
                watcher.watch(&d, RecursiveMode::Recursive)?;
            }
        }
        let watcher = Arc::new(Mutex::new(watcher));
        let weak = Arc::downgrade(&watcher);
        let thread = std::thread::Builder::new()
            .name("preview-watch".into())
            .spawn(move || debounce(&root, &rx, &weak, &on_change))
            .expect("spawn the watch thread");
        Ok(Watcher {
            watcher: Some(watcher),
            thread: Some(thread),
        })
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        // Dropping the notify watcher drops its sender, which ends the thread's loop.
        self.watcher.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn debounce(
    root: &Path,
    rx: &Receiver<notify::Result<Event>>,
    watcher: &Weak<Mutex<RecommendedWatcher>>,
    on_change: &dyn Fn(Vec<PathBuf>),
) {
    let mut changed = BTreeSet::new();
    let absorb = |ev: notify::Result<Event>, changed: &mut BTreeSet<PathBuf>| {
        let Ok(ev) = ev else { return };
        if !counts(&ev.kind) {
            return;
        }
        for p in ev.paths {
            // A new input folder (say `locales/` created after start) is watched too.
            if ev.kind == EventKind::Create(CreateKind::Folder) || p.is_dir() {
                let top_level = p.parent() == Some(root);
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if top_level
                    && INPUT_DIRS.contains(&name)
                    && let Some(w) = watcher.upgrade()
                {
                    let _ = w
                        .lock()
                        .expect("watcher lock")
                        .watch(&p, RecursiveMode::Recursive);
                }
            }
            if relevant(root, &p) {
                changed.insert(p);
            }
        }
    };
    while let Ok(first) = rx.recv() {
        absorb(first, &mut changed);
        if changed.is_empty() {
            continue;
        }
        let deadline = Instant::now() + MAX_WAIT;
        let mut open = true;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(QUIET.min(left)) {
                Ok(ev) => absorb(ev, &mut changed),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    open = false;
                    break;
                }
            }
        }
        on_change(std::mem::take(&mut changed).into_iter().collect());
        if !open {
            return;
        }
    }
}

/// Events that may change a file's contents (not reads: compiling reads every file).
fn counts(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// An editor's scratch file (vim's swap and probe files, emacs' locks, backups).
fn scratch(name: &str) -> bool {
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with(".#")
        || name == "4913"
}

/// A file whose change changes the pages.
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if scratch(name) {
        return false;
    }
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_str().unwrap_or(""));
    match parts.next() {
        Some("signin-pages.toml") => parts.next().is_none(),
        Some(dir) => INPUT_DIRS.contains(&dir),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inputs_count() {
        let root = Path::new("/p");
        assert!(relevant(root, Path::new("/p/signin-pages.toml")));
        assert!(relevant(root, Path::new("/p/templates/partials/w.html")));
        assert!(relevant(root, Path::new("/p/locales/fr.toml")));
        assert!(relevant(root, Path::new("/p/static/bg.png")));
        assert!(!relevant(root, Path::new("/p/dist/prod/B/sign-in.html")));
        assert!(!relevant(root, Path::new("/p/.signin-pages/state/x")));
        assert!(!relevant(root, Path::new("/p/templates/.sign-in.html.swp")));
        assert!(!relevant(root, Path::new("/p/templates/sign-in.html~")));
        assert!(!relevant(root, Path::new("/elsewhere/templates/a.html")));
    }

    #[test]
    fn reads_do_not_count() {
        assert!(!counts(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!counts(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(counts(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
    }
}
