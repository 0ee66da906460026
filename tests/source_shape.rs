//! The shape of `src/` that STYLE.md asks for: every file opens with a `//!` paragraph
//! saying what it is for, and no file grows past [`MAX_LINES`] (a file that long holds
//! several concepts that want files of their own). The files that do not yet are listed
//! in [`NOT_YET`], each with why; the list only shrinks: an entry that no longer needs
//! to be there fails the test too, so that it is taken off.

use crate::layers::rust_files;
use crate::support::repo;

const MAX_LINES: usize = 600;

/// Files that are longer, or open without a `//!` paragraph, today: (path, why).
const NOT_YET: &[(&str, &str)] = &[];

/// What is wrong with one file's shape, if anything.
fn shape_problem(text: &str) -> Option<String> {
    let lines = text.lines().count();
    if !text.starts_with("//!") {
        return Some("does not open with a `//!` paragraph saying what it is for".into());
    }
    (lines > MAX_LINES).then(|| format!("has {lines} lines (at most {MAX_LINES})"))
}

#[test]
fn every_source_file_says_what_it_is_for_and_stays_short() {
    let root = repo();
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 50, "src/ was not read");
    let mut problems = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let problem = shape_problem(&std::fs::read_to_string(f).unwrap());
        match (problem, NOT_YET.iter().find(|(p, _)| *p == rel)) {
            (Some(why), None) => problems.push(format!("{rel} {why}")),
            (None, Some(_)) => problems.push(format!(
                "{rel} has the shape now: take it off NOT_YET in tests/source_shape.rs"
            )),
            _ => {}
        }
    }
    for (path, _) in NOT_YET {
        if !root.join(path).is_file() {
            problems.push(format!(
                "{path} is gone: take it off NOT_YET in tests/source_shape.rs"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_shape_check_sees_a_long_file_and_a_missing_paragraph() {
    let long = format!("//! A module.\n{}", "fn f() {}\n".repeat(MAX_LINES));
    assert!(shape_problem(&long).unwrap().contains("lines"));
    assert!(shape_problem("fn f() {}\n").unwrap().contains("paragraph"));
    assert_eq!(shape_problem("//! A module.\nfn f() {}\n"), None);
}
