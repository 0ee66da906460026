//! A closed standard output or error ends a command quietly: never exit 101 (a panic),
//! never a message about the broken pipe. Reproduces `signin-pages explain | head -1`
//! and `signin-pages build 2>&1 | head` by closing the pipe before the command writes.

use std::process::{Command, Stdio};

use crate::support::{BIN, Project, repo};

/// Run with stdout and stderr on pipes whose reading ends are closed at once.
fn run_with_closed_pipes(args: &[&str]) -> std::process::ExitStatus {
    let mut child = Command::new(BIN)
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run signin-pages");
    drop(child.stdout.take());
    drop(child.stderr.take());
    child.wait().expect("wait")
}

#[test]
fn explain_into_a_closed_pipe_exits_quietly() {
    for args in [&["explain"][..], &["explain", "C002"], &["--help"]] {
        let status = run_with_closed_pipes(args);
        assert_eq!(status.code(), Some(0), "{args:?}: {status:?}");
    }
}

#[test]
fn build_check_and_test_into_a_closed_pipe_keep_their_exit_codes() {
    let acme = repo().join("examples/acme");
    let p = Project::empty();
    crate::support::copy_tree(&acme, p.path());
    let dir = p.path().to_str().unwrap();
    assert_eq!(
        run_with_closed_pipes(&["build", "--project", dir]).code(),
        Some(0)
    );
    assert!(p.exists("dist"), "the build finished its work");
    assert_eq!(
        run_with_closed_pipes(&["check", "--project", dir, "--format", "json"]).code(),
        Some(0)
    );
    // A page with an error: exit 1 (the finding), not 101 (a panic while printing it).
    p.write("templates/sign-in.html", "{{ nope }}");
    assert_eq!(
        run_with_closed_pipes(&["build", "--project", dir]).code(),
        Some(1)
    );
    assert_eq!(
        run_with_closed_pipes(&["test", "--project", dir]).code(),
        Some(1)
    );
}
