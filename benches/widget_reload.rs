//! `serve` with the real Sign-In Widget: the time from a template save to the preview
//! showing the real widget again, in headless Chromium.
//!
//! Copies examples/acme to a temporary folder, starts the preview in process (live mode:
//! file watcher, event stream, the page's reload script) with the installed widget
//! (`SIGNIN_WIDGET_DIR`, default tests/browser/node_modules/@okta/okta-signin-widget, see
//! tests/browser/setup.sh), opens a sign-in page in Chromium (found as `test --visual`
//! finds it) and waits until the widget has drawn its view. Then, `BENCH_EDITS` times
//! (default 20), it saves the page's template with a new visible word and times the save
//! until the reloaded page shows that word and the widget, reloaded with it, has drawn
//! its view again (`afterRender`). That covers the watcher, the recompile, the event, the
//! page's reload, the widget's code, its answers and its first render.
//!
//! Goal: median under 1 s. The bench prints whether the goal is met; it never fails on it.
//!
//! Run with `cargo bench --bench widget_reload` (`BENCH_STATE=password`, `BENCH_LOCALE=fr`
//! pick another page).

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use signin_pages::preview::{Options, Preview};
use signin_pages::visual::chromium::{self, Browser};

const GOAL_MS: f64 = 1000.0;
const TIMEOUT: Duration = Duration::from_secs(20);

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if e.file_type().unwrap().is_dir() {
            // The screenshots are not needed to serve the pages.
            if e.file_name() != "visual" {
                copy_dir(&src, &dst);
            }
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let widget = std::env::var_os("SIGNIN_WIDGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("tests/browser/node_modules/@okta/okta-signin-widget"));
    if !widget.join("dist/js").is_dir() {
        println!(
            "SKIPPED: no Sign-In Widget at {} (bash tests/browser/setup.sh installs it)",
            widget.display()
        );
        return;
    }
    let chromium = match chromium::find(None) {
        Ok(c) => c,
        Err(e) => {
            println!("SKIPPED: {e}");
            return;
        }
    };
    let edits: usize = std::env::var("BENCH_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let state = std::env::var("BENCH_STATE").unwrap_or_else(|_| "identify".into());
    let locale = std::env::var("BENCH_LOCALE").unwrap_or_else(|_| "en".into());

    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("acme");
    copy_dir(&repo.join("examples/acme"), &root);
    let template = root.join("templates/sign-in.html");
    let original = std::fs::read_to_string(&template).unwrap();
    let preview = Preview::start(
        &root,
        Options {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            widget_dir: Some(widget.clone()),
            quiet: true,
            ..Options::default()
        },
    )
    .expect("the preview starts");
    let url = preview.sign_in_url("prod/Acme", &state, &locale);
    let mut browser = Browser::start(&chromium).expect("Chromium starts");
    browser.navigate(&url).expect("Chromium opens the page");
    let drawn = browser
        .wait_for("window.__signinVisualDrawn === true", TIMEOUT)
        .expect("Chromium answers");
    assert!(drawn, "the widget never drew its first view");

    let mut save = |i: usize| -> f64 {
        let word = format!("edit-{i}-{}", std::process::id());
        let text = original.replacen(
            "{% block main %}",
            &format!("{{% block main %}}<p>{word}</p>"),
            1,
        );
        assert_ne!(
            text, original,
            "the template has a main block to put the word in"
        );
        let start = Instant::now();
        std::fs::write(&template, &text).unwrap();
        let shown = browser
            .wait_for(
                &format!(
                    "document.body !== null && document.body.innerText.includes('{word}') \
                     && window.__signinVisualDrawn === true"
                ),
                TIMEOUT,
            )
            .expect("Chromium answers");
        assert!(
            shown,
            "edit {i}: the page never showed it with the widget drawn"
        );
        let took = start.elapsed().as_secs_f64() * 1000.0;
        // A pause between saves, as a person leaves.
        std::thread::sleep(Duration::from_millis(300));
        took
    };
    for i in 0..2 {
        save(i);
    }
    let mut ms: Vec<f64> = (0..edits).map(|i| save(100 + i)).collect();
    drop(browser);
    preview.shutdown();
    ms.sort_by(|a, b| a.total_cmp(b));

    let median = percentile(&ms, 50.0);
    println!(
        "save to real widget shown again, over {edits} edits of templates/sign-in.html \
         ({state}, {locale}, widget from {})",
        widget.display()
    );
    println!("  median {median:7.1} ms");
    println!("  p90    {:7.1} ms", percentile(&ms, 90.0));
    println!("  min    {:7.1} ms", ms[0]);
    println!("  max    {:7.1} ms", ms[ms.len() - 1]);
    println!(
        "goal: median < {GOAL_MS} ms: {}",
        if median < GOAL_MS { "met" } else { "NOT met" }
    );
}
