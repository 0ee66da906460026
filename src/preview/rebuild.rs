//! Recompiling on a change: the new site replaces the old one for every request that
//! comes after, every open page is told to reload, and the terminal gets one line per
//! change (and the diagnostics in full when they changed and hold an error).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::site::Site;
use super::{Shared, guard, plural};

impl Shared {
    /// The site every request is answered from now.
    pub(super) fn current(&self) -> Arc<Site> {
        Arc::clone(&self.site.read().expect("site lock"))
    }

    /// Recompile the project, swap the site in, print what changed and tell every page.
    pub(super) fn recompile(&self, changed: &[PathBuf]) {
        if self.stopping.load(Ordering::SeqCst) {
            return;
        }
        let _one_at_a_time = self.compiling.lock().expect("compile lock");
        let start = Instant::now();
        let previous = self.current();
        let site = Arc::new(Site::compile(&self.root, previous.generation + 1));
        *self.site.write().expect("site lock") = Arc::clone(&site);
        self.events.send(
            "reload",
            &serde_json::json!({ "generation": site.generation, "ok": site.all_ok() }).to_string(),
        );
        self.print_summary(&site, Some(&previous), Some((changed, start.elapsed())));
    }

    /// One line per change; the diagnostics in full when they changed and hold an error.
    pub(super) fn print_summary(
        &self,
        site: &Site,
        previous: Option<&Site>,
        change: Option<(&[PathBuf], Duration)>,
    ) {
        let q = self.options.quiet;
        let what = match change {
            Some((paths, took)) => {
                let names: Vec<String> = paths
                    .iter()
                    .map(|p| {
                        let name = p.strip_prefix(&self.root).unwrap_or(p).display();
                        guard::terminal(&name.to_string()).into_owned()
                    })
                    .collect();
                let names = if names.is_empty() {
                    "reload".to_string()
                } else {
                    names.join(", ")
                };
                format!("{names}: recompiled in {} ms", took.as_millis())
            }
            None => format!("compiled in {} ms", site.compiled_in.as_millis()),
        };
        let (errors, warnings) = site.counts();
        if errors > 0 {
            let same = previous.is_some_and(|p| p.diag_text == site.diag_text);
            errln!(
                "{what}: {errors} error{} (the pages show them; they reload by themselves once fixed)",
                plural(errors)
            );
            if !same {
                err!("{}", site.render_diags(self.options.color));
            }
        } else if !q {
            let w = if warnings > 0 {
                format!(
                    ", {warnings} warning{} (shown on the page)",
                    plural(warnings)
                )
            } else {
                String::new()
            };
            errln!("{what}{w}");
        }
    }
}
