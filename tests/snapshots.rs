//! `test`: compare every target with snapshots/, `--accept` to update.

use crate::support::*;

#[test]
fn missing_changed_and_stale_snapshots() {
    let p = Project::starter();
    // No snapshots yet: each file is new, exit 1.
    let out = p.run(&["test"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("new: snapshots/prod/Example/sign-in.html"),
        "{}",
        stdout(&out)
    );

    let out = p.run(&["test", "--accept"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(p.read("snapshots/prod/Example/sign-in.json"), {
        assert_eq!(code(&p.run(&["build"])), 0);
        p.read("dist/prod/Example/sign-in.json")
    });
    let out = p.run(&["test"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    // A label edit shows as a unified diff of page and body.
    let en = p.read("locales/en.toml").replace(
        "# title = \"Keep me signed in\"",
        "title = \"Stay with us?\"",
    );
    p.write("locales/en.toml", en);
    let out = p.run(&["test"]);
    assert_eq!(code(&out), 1);
    let diff = stdout(&out);
    insta::assert_snapshot!("label_edit_diff", diff);

    // A snapshot the project no longer produces is stale.
    p.write("snapshots/prod/Gone/sign-in.html", "old");
    let out = p.run(&["test"]);
    assert!(stdout(&out).contains("stale: snapshots/prod/Gone/sign-in.html"));
    let out = p.run(&["test", "--accept"]);
    assert_eq!(code(&out), 0);
    assert!(!p.exists("snapshots/prod/Gone/sign-in.html"));
    assert_eq!(code(&p.run(&["test"])), 0);
}

#[test]
fn the_example_project_matches_its_snapshots() {
    let p = Project::empty();
    copy_tree(&repo().join("examples/acme"), p.path());
    let out = p.run(&["test"]);
    assert_eq!(
        code(&out),
        0,
        "stdout: {}\nstderr: {}",
        stdout(&out),
        stderr(&out)
    );
}
