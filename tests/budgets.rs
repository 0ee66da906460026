//! Templates that never end: every page renders under a time budget, an output budget
//! and a memory ceiling (`[render]` in signin-pages.toml, src/budget.rs). Past one, the
//! target fails with T006 at the loop that was running; `build` exits 1 soon after the
//! budget; the preview shows the error and renders the next save. Pages larger than Okta
//! plausibly takes are O008 (error) and very large ones O009 (warning).

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

/// Long enough for any budget here to have run out many times over: a command still
/// running then would run for hours (the bug), and is killed so that the test fails
/// instead of hanging. Not a timing assertion.
const HANG: Duration = Duration::from_secs(120);

fn run_bounded(p: &Project, args: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .arg("--project")
        .arg(p.path())
        .args(["--color", "never"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run signin-pages");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > HANG {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "`signin-pages {}` was still running after {HANG:?}: {}",
                args.join(" "),
                stderr(&out)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn project(render: &str, page: &str) -> Project {
    Project::empty()
        .file("signin-pages.toml", format!("{MINIMAL_TOML}\n{render}"))
        .file("templates/sign-in.html", page)
}

/// 10^15 iterations that write nothing: only the loop hook can stop them.
const SILENT_LOOPS: &str = "<!DOCTYPE html>\n<html><head><title>x</title></head><body>\n{% set r = range(end=100000) %}\n{% for i in r %}{% for j in r %}{% for k in r %}{% endfor %}{% endfor %}{% endfor %}\n</body></html>\n";

#[test]
fn a_loop_that_never_ends_stops_at_the_time_budget_naming_the_loop() {
    let p = project("[render]\ntime_budget = \"300ms\"\n", SILENT_LOOPS);
    let out = run_bounded(&p, &["build"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert!(err.contains("error[T006]"), "{err}");
    assert!(err.contains("render time budget (300 ms)"), "{err}");
    // The caret is on the innermost loop's expression, on line 4.
    assert!(err.contains("--> templates/sign-in.html:4:45"), "{err}");
    assert!(err.contains("this loop was running"), "{err}");
    assert!(!p.exists("dist"), "nothing is written");
    // `check` stops the same way, in every format.
    let out = run_bounded(&p, &["check", "--format", "json"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("\"code\":\"T006\""),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_loop_that_writes_without_end_stops_at_the_output_budget() {
    // 10^10 writes of 80 bytes: gigabytes, which used to end in an allocation abort.
    let page = "<!DOCTYPE html>\n<html><head><title>x</title></head><body>\n{% for i in range(end=100000) %}{% for j in range(end=100000) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}\n</body></html>\n";
    let p = project("", page);
    let out = run_bounded(&p, &["build"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "a clean failure, not an abort: {err}");
    assert!(err.contains("output budget (16 MiB)"), "{err}");
    assert!(err.contains("--> templates/sign-in.html:3:"), "{err}");
    // A smaller budget from signin-pages.toml is honoured.
    let p = project(
        "[render]\noutput_budget = \"64KiB\"\n",
        "{% for i in range(end=1000) %}{{ i }} ............................................................................................................................{% endfor %}",
    );
    let err = stderr(&run_bounded(&p, &["build"]));
    assert!(err.contains("output budget (64 KiB)"), "{err}");
}

#[test]
fn text_that_doubles_in_a_loop_stops_at_the_memory_ceiling() {
    // Never written, so only the memory the render holds can stop it: 2^100 bytes.
    let page = "{% set_global s = \"xxxxxxxxxxxxxxxx\" %}\n{% for i in range(end=100) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}\n";
    let p = project("", page);
    let out = run_bounded(&p, &["build"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "a clean failure, not an abort: {err}");
    assert!(err.contains("error[T006]"), "{err}");
    assert!(err.contains("of memory"), "{err}");
    assert!(err.contains("--> templates/sign-in.html:2:"), "{err}");
}

#[test]
fn render_budgets_in_the_project_file_are_checked() {
    let p = project(
        "[render]\ntime_budget = \"2\"\noutput_budget = \"lots\"\n",
        "<p>hi</p>",
    );
    let out = run_bounded(&p, &["check"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1);
    assert!(err.contains("time_budget: `2` has no unit"), "{err}");
    assert!(err.contains("signin-pages.toml:11:15"), "{err}");
    assert!(err.contains("output_budget: `lots` is not a size"), "{err}");
    assert!(err.contains("signin-pages.toml:12:17"), "{err}");
}

#[test]
fn the_preview_shows_a_runaway_template_and_renders_the_next_save() {
    let p = project("[render]\ntime_budget = \"300ms\"\n", SILENT_LOOPS);
    let preview = preview::start(p.path());
    let addr = preview.addr();
    let page = http::get(addr, "/prod/B/sign-in").body;
    assert!(page.contains("T006"), "the error is on the page: {page}");
    assert!(page.contains("render time budget"), "{page}");
    // The server answers while the page is broken, and the next save renders.
    p.write(
        "templates/sign-in.html",
        "<!DOCTYPE html><html><head><title>x</title></head><body><p>fixed now</p></body></html>",
    );
    preview.reload();
    let page = http::get(addr, "/prod/B/sign-in").body;
    assert!(page.contains("fixed now"), "{page}");
    preview.shutdown();
}

#[test]
fn pages_larger_than_okta_plausibly_takes_are_refused_and_large_ones_warned() {
    let page = |kib: usize| {
        format!(
            "<!DOCTYPE html><html><head><title>x</title></head><body><p>{}</p></body></html>",
            "a".repeat(kib * 1024)
        )
    };
    let p = project("", &page(600));
    let out = run_bounded(&p, &["build"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    assert!(err.contains("warning[O009]"), "{err}");
    assert!(err.contains("is 600 KiB (more than 512 KiB)"), "{err}");
    assert!(p.exists("dist/prod/B/sign-in.html"));

    let p = project("", &page(2100));
    let out = run_bounded(&p, &["build"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert!(err.contains("error[O008]"), "{err}");
    assert!(err.contains("--> templates/sign-in.html:1"), "{err}");
    assert!(!p.exists("dist"), "nothing is written");
}
