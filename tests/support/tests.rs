//! The helpers' own tests.

use std::path::Path;
use std::process::{Command, Output};

use super::*;

/// A test of this binary, run in a child process with `SIGNIN_PAGES_SHARED` set to `dir`.
fn run_one_test_with_shared(test: &str, dir: &Path) -> Output {
    Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--test-threads=1"])
        .env("SIGNIN_PAGES_SHARED", dir)
        .output()
        .unwrap()
}

/// No test looks for `../shared` at a path of one particular machine: `SIGNIN_PAGES_SHARED`
/// says where it is, and a test that needs it and does not find it says how to provide it.
#[test]
fn the_shared_folder_is_where_signin_pages_shared_says_or_the_test_says_how_to_provide_it() {
    // A test that reads Okta's default page from the shared folder.
    let needs_shared = "build::okta_default_page_builds_byte_identical";

    let nowhere = tempfile::tempdir().unwrap();
    let missing = nowhere.path().join("shared");
    let out = run_one_test_with_shared(needs_shared, &missing);
    let text = all(&out);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains(&format!("found no folder at {}", missing.display()))
            && text.contains("set SIGNIN_PAGES_SHARED to where it is"),
        "{text}"
    );

    let elsewhere = tempfile::tempdir().unwrap();
    let page = "okta/default-sign-in-page.html";
    std::fs::create_dir_all(elsewhere.path().join("okta")).unwrap();
    std::fs::copy(shared().join(page), elsewhere.path().join(page)).unwrap();
    let out = run_one_test_with_shared(needs_shared, elsewhere.path());
    assert!(
        out.status.success() && stdout(&out).contains("1 passed"),
        "{}",
        all(&out)
    );
}
