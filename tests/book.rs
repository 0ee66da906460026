//! The user guide's reference pages stay in step with the code (book/, docs/).
//!
//! - `book/src/reference/commands.md` is generated from clap's command tree
//!   (`signin_pages::cli_doc`): `UPDATE_DOCS=1 cargo test book_commands_md` rewrites it.
//! - docs/configuration.md is written by hand, so it is checked instead: the parser itself
//!   says which keys each table takes (every table refuses unknown keys, and its error
//!   lists the keys it expected), a fixture project that sets every one of them
//!   (`tests/fixtures/reference/`) is walked table by table, and every key the parser
//!   takes must be a row of the page, every key row of the page one the parser takes.
//! - The checks page is docs/checks.md (tests/checks/general.rs generates it), which the
//!   book includes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use toml_edit::{DocumentMut, Item, TableLike, Value};

use crate::support::repo;

#[test]
fn book_commands_md_is_the_cli() {
    let doc = signin_pages::cli_doc::commands_markdown();
    let path = repo().join("book/src/reference/commands.md");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &doc).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap_or_default(),
        doc,
        "book/src/reference/commands.md is stale: run `UPDATE_DOCS=1 cargo test book_commands_md`"
    );
}

/// The commands page names every subcommand and every flag `--help` shows: a sample
/// read back from the binary, so a generator that dropped arguments would fail here.
#[test]
fn book_commands_md_has_every_flag_of_help() {
    let page = signin_pages::cli_doc::commands_markdown();
    for cmd in [
        vec!["build"],
        vec!["deploy"],
        vec!["serve"],
        vec!["test"],
        vec!["kmsi", "apply"],
    ] {
        let out = std::process::Command::new(crate::support::BIN)
            .args(&cmd)
            .arg("--help")
            .output()
            .unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(
            page.contains(&format!("## `signin-pages {}`", cmd.join(" "))),
            "{cmd:?} has no section"
        );
        // The option lines of `--help`: `  -p, --port <PORT>  The port…`.
        let flags = help
            .lines()
            .map(str::trim_start)
            .filter(|l| l.starts_with('-'))
            .flat_map(|l| l.split_whitespace().take_while(|w| w.starts_with('-')))
            .map(|w| w.trim_end_matches(',').trim_end_matches("..."));
        for flag in flags {
            if flag.starts_with("--") && flag != "--help" && flag != "--version" {
                assert!(
                    page.contains(&format!("`{flag}")) || page.contains(&format!(", {flag}")),
                    "`{flag}` of `{}` is missing from the commands page",
                    cmd.join(" ")
                );
            }
        }
    }
}

const PROBE: &str = "zz_not_a_key";

/// One step down a TOML document: a key, or an element of an array of tables.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// Every table of the document (the root included), with its path.
fn tables(item: &dyn TableLike, path: &[Step], out: &mut Vec<(Vec<Step>, Vec<String>)>) {
    out.push((
        path.to_vec(),
        item.iter().map(|(k, _)| k.to_string()).collect(),
    ));
    for (k, v) in item.iter() {
        let mut p = path.to_vec();
        p.push(Step::Key(k.to_string()));
        match v {
            Item::ArrayOfTables(a) => {
                for (i, t) in a.iter().enumerate() {
                    let mut p = p.clone();
                    p.push(Step::Index(i));
                    tables(t, &p, out);
                }
            }
            Item::Value(Value::Array(a)) => {
                for (i, t) in a.iter().enumerate() {
                    if let Value::InlineTable(t) = t {
                        let mut p = p.clone();
                        p.push(Step::Index(i));
                        tables(t, &p, out);
                    }
                }
            }
            other => {
                if let Some(t) = other.as_table_like() {
                    tables(t, &p, out);
                }
            }
        }
    }
}

fn table_at<'a>(doc: &'a mut DocumentMut, path: &[Step]) -> &'a mut dyn TableLike {
    let mut t: &mut dyn TableLike = doc.as_table_mut();
    for (i, step) in path.iter().enumerate() {
        let Step::Key(k) = step else { continue };
        let item = t.get_mut(k).unwrap();
        t = match (item, path.get(i + 1)) {
            (Item::ArrayOfTables(a), Some(Step::Index(n))) => a.get_mut(*n).unwrap(),
            (Item::Value(Value::Array(a)), Some(Step::Index(n))) => {
                a.get_mut(*n).unwrap().as_inline_table_mut().unwrap()
            }
            (item, _) => item.as_table_like_mut().unwrap(),
        };
    }
    t
}

/// The keys of the table at `path` as the parser knows them, when it is a table of fixed
/// keys: a key it does not know is written there and the project loaded; the error
/// (serde's "unknown field `zz_not_a_key`, expected one of `a`, `b`") lists them. `None`
/// for a table of free names (`[vars]`, `[environments]`, `[widget.tokens]`, …).
fn keys_of(project: &Path, file: &str, text: &str, path: &[Step]) -> Option<Vec<String>> {
    let mut doc: DocumentMut = text.parse().unwrap();
    table_at(&mut doc, path).insert(PROBE, Item::Value(Value::from(1)));
    let dir = tempfile::tempdir().unwrap();
    copy_dir(project, dir.path());
    std::fs::write(dir.path().join(file), doc.to_string()).unwrap();
    let mut diags = signin_pages::diag::Diagnostics::new();
    let _ = signin_pages::project::load(dir.path(), &mut diags);
    let message = diags
        .iter()
        .map(|d| d.message.clone())
        .find(|m| m.starts_with(&format!("unknown field `{PROBE}`")))?;
    let expected = message.split_once("expected").map_or("", |(_, e)| e);
    Some(
        expected
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect(),
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `[environments.<name>.kmsi]`, `[[brands]].theme`: the path as the reference page
/// names it, free names as `<name>`.
fn display(path: &[Step], fixed: &BTreeMap<String, bool>) -> String {
    let mut out = String::new();
    for (i, step) in path.iter().enumerate() {
        match step {
            Step::Index(_) => out.push_str("[]"),
            Step::Key(k) => {
                let parent = display(&path[..i], fixed);
                let free = fixed.get(&parent).is_some_and(|f| !f);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(if free { "<name>" } else { k });
            }
        }
    }
    out
}

/// Every table of fixed keys the fixture's file has, grouped by the keys the parser takes
/// there (one group per struct: a brand's `widget_customizations` and the project's are
/// one), each group with the path it was first met at and the keys the fixture sets in
/// any of its tables.
type Tables = BTreeMap<Vec<String>, (String, BTreeSet<String>)>;

fn parser_tables(project: &Path, file: &str) -> Tables {
    let text = std::fs::read_to_string(project.join(file)).unwrap();
    let doc: DocumentMut = text.parse().unwrap();
    let mut all = Vec::new();
    tables(doc.as_table(), &[], &mut all);
    // Parents come before their children, so a table's parent is known to be fixed or
    // free when the table is named.
    let mut fixed: BTreeMap<String, bool> = BTreeMap::new();
    let mut out: Tables = BTreeMap::new();
    for (path, present) in all {
        let name = display(&path, &fixed);
        let keys = keys_of(project, file, &text, &path);
        fixed.insert(name.clone(), keys.is_some());
        if let Some(keys) = keys {
            let entry = out
                .entry(keys)
                .or_insert_with(|| (format!("{file}: [{name}]"), BTreeSet::new()));
            entry.1.extend(present);
        }
    }
    out
}

/// The fixture project is valid, so that a probe's error is the only one.
fn assert_loads(project: &Path) {
    let mut diags = signin_pages::diag::Diagnostics::new();
    let loaded = signin_pages::project::load(project, &mut diags);
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == signin_pages::diag::Severity::Error)
        .map(|d| format!("{}: {}", d.code(), d.message))
        .collect();
    assert!(
        loaded.is_some() && errors.is_empty(),
        "{}: {errors:?}",
        project.display()
    );
}

/// The key rows of docs/configuration.md (`| \`key\` |`), by section.
fn documented_keys(page: &str) -> BTreeSet<String> {
    page.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`'))
        .filter(|(_, rest)| rest.starts_with(" |"))
        .map(|(k, _)| k.to_string())
        .collect()
}

#[test]
fn configuration_md_lists_every_key_the_parser_takes() {
    let project = repo().join("tests/fixtures/reference");
    assert_loads(&project);
    let page = std::fs::read_to_string(repo().join("docs/configuration.md")).unwrap();
    // The sections on the project file and the locale files (not the template context,
    // the output folders or the codes, whose tables name other things).
    let start = page
        .find("\n## `signin-pages.toml`")
        .expect("the project file's section");
    let end = page
        .find("\n## How `vars` merge")
        .expect("the section after the KMSI labels");
    let page = &page[start..end];
    // The project file and its locale files: every table of fixed keys in them.
    let mut checked = Tables::new();
    for file in ["signin-pages.toml", "locales/en.toml"] {
        checked.extend(parser_tables(&project, file));
    }
    let rows = documented_keys(page);
    let mut missing_in_fixture = Vec::new();
    let mut missing_in_page = Vec::new();
    let mut known = BTreeSet::new();
    for (keys, (table, present)) in &checked {
        for key in keys {
            known.insert(key.clone());
            if !present.contains(key) {
                missing_in_fixture.push(format!("{table} {key}"));
            }
            // A table's row may name it as written: `[[brands]]`, `[environments.<name>]`.
            let row = |r: &String| {
                r == key
                    || r.trim_start_matches('[').trim_end_matches(']') == key
                    || r.trim_start_matches('[').starts_with(&format!("{key}."))
            };
            if !rows.iter().any(row) {
                missing_in_page.push(format!("{table} {key}"));
            }
        }
    }
    assert!(
        missing_in_fixture.is_empty(),
        "tests/fixtures/reference does not set these keys, so the check cannot follow them: {missing_in_fixture:#?}"
    );
    assert!(
        missing_in_page.is_empty(),
        "docs/configuration.md has no row `| `key` |` for these keys the parser takes: {missing_in_page:#?}"
    );
    // The other way: a key row of the page's key tables is a key the parser takes.
    let stale: Vec<&String> = rows
        .iter()
        .filter(|r| {
            let bare = r.trim_start_matches("[[").trim_start_matches('[');
            let bare = bare
                .trim_end_matches(']')
                .split('.')
                .rfind(|s| !s.starts_with('<'))
                .unwrap_or("");
            !known.contains(bare)
        })
        .collect();
    assert!(
        stale.is_empty(),
        "docs/configuration.md has rows for keys the parser refuses: {stale:#?}"
    );
}

/// Every page of docs/ is in the book, and every page of the book is in its SUMMARY.md
/// (mdbook fails on a listed page that is missing, but says nothing of one left out).
#[test]
fn book_has_every_doc_and_lists_every_page() {
    let src = repo().join("book/src");
    let summary = std::fs::read_to_string(src.join("SUMMARY.md")).unwrap();
    let mut pages = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                pages.push(path);
            }
        }
    }
    let texts: Vec<String> = pages
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    for page in &pages {
        let rel = page
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel != "SUMMARY.md" {
            assert!(
                summary.contains(&format!("]({rel})")),
                "book/src/{rel} is not listed in book/src/SUMMARY.md"
            );
        }
    }
    for doc in std::fs::read_dir(repo().join("docs")).unwrap() {
        let name = doc.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") {
            assert!(
                texts
                    .iter()
                    .any(|t| t.contains("{{#include ") && t.contains(&format!("docs/{name}}}}}"))),
                "docs/{name} is not included in the book: add a page under book/src/reference/ with {{{{#include ../../../docs/{name}}}}}"
            );
        }
    }
}
