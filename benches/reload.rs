//! `serve`: save-to-reload latency, from the write of a template to the `reload` event
//! on an open event stream (what every open page waits for before it reloads).
//!
//! Writes the starter project to a temporary folder, starts the preview in process on a
//! free port, opens `/__preview/events` like a page does, then saves
//! `templates/sign-in.html` with a small change `BENCH_EDITS` times (default 50), a
//! pause between saves as a person would leave, and times each save until its event
//! arrives. The time covers the file watcher (inotify on Linux), the debounce, the
//! recompile of every target and the event.
//!
//! Goal: median under 50 ms (the page itself must reload within 100 ms of the write).
//! The bench prints whether the goal is met; it never fails on it.
//!
//! Run with `cargo bench --bench reload`.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use signin_pages::starter;

/// The tests' preview helpers: the same start and the same event-stream client.
#[path = "../tests/support/preview.rs"]
#[allow(unreachable_pub)]
mod preview;

use preview::Events;

const GOAL_MS: f64 = 50.0;
const TIMEOUT: Duration = Duration::from_secs(10);

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn main() {
    let edits: usize = std::env::var("BENCH_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    starter::write(root).expect("the starter project writes");
    let template = root.join("templates/sign-in.html");
    let original = std::fs::read_to_string(&template).unwrap();

    let preview = preview::start(root);
    let mut stream = Events::open(preview.addr());

    let mut save = |i: usize| -> Duration {
        // A pause between saves, as a person leaves; and the watcher settles.
        std::thread::sleep(Duration::from_millis(40));
        let text = original.replace("margin: 1rem;", &format!("margin: 1rem; /* edit {i} */"));
        let start = Instant::now();
        write_file(&template, &text);
        stream
            .next("reload", TIMEOUT)
            .unwrap_or_else(|| panic!("no reload event for edit {i}"));
        start.elapsed()
    };
    for i in 0..3 {
        save(i);
    }
    let mut ms: Vec<f64> = (0..edits)
        .map(|i| save(1000 + i).as_secs_f64() * 1000.0)
        .collect();
    preview.shutdown();
    ms.sort_by(|a, b| a.total_cmp(b));

    let median = percentile(&ms, 50.0);
    println!(
        "save-to-reload latency over {edits} edits of templates/sign-in.html (file write -> reload event)"
    );
    println!("  median {median:6.1} ms");
    println!("  p95    {:6.1} ms", percentile(&ms, 95.0));
    println!("  min    {:6.1} ms", ms[0]);
    println!("  max    {:6.1} ms", ms[ms.len() - 1]);
    println!(
        "goal: median < {GOAL_MS} ms: {}",
        if median < GOAL_MS { "met" } else { "NOT met" }
    );
}

fn write_file(path: &Path, text: &str) {
    let mut f = std::fs::File::create(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}
