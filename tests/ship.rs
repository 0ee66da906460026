//! What an installed user has without the repository: shell completions and the man
//! page, generated from the clap definitions (so they name every command and option
//! there is), and help texts that point at no file of the repository.

use std::process::Command;

use clap::CommandFactory;
use signin_pages::cli::Cli;

use crate::support::*;

/// One command of the tree: its words after `signin-pages` (`["kmsi", "plan"]`), its
/// subcommands' names and its long options.
struct Node {
    path: Vec<String>,
    children: Vec<String>,
    longs: Vec<String>,
}

/// Every command, from clap's own definition (the tool itself first), without clap's
/// `help` subcommand.
fn commands() -> Vec<Node> {
    fn walk(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<Node>) {
        let subs: Vec<&clap::Command> = cmd
            .get_subcommands()
            .filter(|s| s.get_name() != "help" && !s.is_hide_set())
            .collect();
        out.push(Node {
            path: path.clone(),
            children: subs.iter().map(|s| s.get_name().to_string()).collect(),
            longs: cmd
                .get_arguments()
                .filter(|a| !a.is_hide_set())
                .filter_map(|a| a.get_long().map(str::to_string))
                .collect(),
        });
        for s in subs {
            let mut p = path.clone();
            p.push(s.get_name().to_string());
            walk(s, p, out);
        }
    }
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, Vec::new(), &mut out);
    out
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run signin-pages")
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_tree_has_nested_commands() {
    // The walk below is only as good as the tree it walks.
    let t = commands();
    for path in [
        vec!["kmsi", "plan"],
        vec!["backups", "list"],
        vec!["completions"],
        vec!["man"],
    ] {
        assert!(t.iter().any(|n| n.path == path), "{path:?}");
    }
}

#[test]
fn every_shell_gets_every_command_and_option() {
    let t = commands();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        for n in &t {
            for name in n.children.iter().chain(n.path.last()) {
                let word = regex::Regex::new(&format!(r"(^|[^a-z-]){name}([^a-z-]|$)")).unwrap();
                assert!(word.is_match(&script), "{shell}: no command `{name}`");
            }
            for long in &n.longs {
                // fish writes `-l env`, the others `--env`.
                let written = if shell == "fish" {
                    format!("-l {long}")
                } else {
                    format!("--{long}")
                };
                assert!(
                    script.contains(&written),
                    "{shell}: `{}` lacks `--{long}`",
                    n.path.join(" ")
                );
            }
        }
    }
}

/// What bash completes after `signin-pages <words> <cur>`, with the script loaded.
fn bash_completes(script: &std::path::Path, words: &[String], cur: &str) -> Vec<String> {
    let mut line = vec!["signin-pages".to_string()];
    line.extend(words.iter().cloned());
    let prev = line.last().unwrap().clone();
    line.push(cur.to_string());
    let quoted: Vec<String> = line.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={}\n_signin__pages signin-pages '{cur}' '{prev}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script.display(),
        quoted.join(" "),
        line.len() - 1
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .expect("run bash");
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out).lines().map(str::to_string).collect()
}

#[test]
fn bash_completes_every_command_and_option() {
    if !have("bash") {
        eprintln!("skipped: no bash");
        return;
    }
    let out = run(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("signin-pages.bash");
    std::fs::write(&script, &out.stdout).unwrap();
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(syntax.status.success(), "bash -n: {}", stderr(&syntax));
    for n in commands() {
        let offered = bash_completes(&script, &n.path, "");
        for child in &n.children {
            assert!(
                offered.contains(child),
                "`signin-pages {} <TAB>` offers {offered:?}, not `{child}`",
                n.path.join(" ")
            );
        }
        let offered = bash_completes(&script, &n.path, "--");
        for long in &n.longs {
            assert!(
                offered.contains(&format!("--{long}")),
                "`signin-pages {} --<TAB>` offers {offered:?}, not `--{long}`",
                n.path.join(" ")
            );
        }
    }
}

/// The section of the one-page manual that documents `path` (`SIGNIN-PAGES KMSI PLAN`),
/// up to the next command's.
fn section<'a>(page: &'a str, path: &[String]) -> &'a str {
    let title = if path.is_empty() {
        ".TH signin-pages".to_string()
    } else {
        format!(".SH \"SIGNIN-PAGES {}\"\n", path.join(" ").to_uppercase())
    };
    let start = page
        .find(&title)
        .unwrap_or_else(|| panic!("the man page has no `{title}`"));
    let rest = &page[start + title.len()..];
    let end = rest.find(".SH \"SIGNIN-PAGES ").unwrap_or(rest.len());
    &rest[..end]
}

/// groff reads the page without a warning (`-ww`: all of them), else at least the title
/// and the sections a man page has.
fn assert_roff(page: &str, what: &str) {
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "{what}");
    for header in [".TH ", ".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION"] {
        assert!(page.contains(header), "{what} lacks {header}");
    }
    if !have("groff") {
        eprintln!("groff not installed: roff checked for its headers only");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("page.1");
    std::fs::write(&file, page).unwrap();
    // -k: the page is UTF-8 (×, →), as `man` reads it through preconv.
    let out = Command::new("groff")
        .args(["-k", "-man", "-Tutf8", "-ww", "-z"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{what}: {}", stderr(&out));
    assert_eq!(stderr(&out), "", "{what}: groff warns");
}

#[test]
fn the_man_page_documents_every_command_and_option() {
    let out = run(&["man"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let page = stdout(&out);
    assert_roff(&page, "signin-pages man");
    for n in commands() {
        let text = section(&page, &n.path);
        for long in &n.longs {
            let written = format!("\\fB\\-\\-{}\\fR", long.replace('-', "\\-"));
            assert!(
                text.contains(&written),
                "the section of `signin-pages {}` lacks --{long}",
                n.path.join(" ")
            );
        }
        for child in &n.children {
            assert!(
                text.contains(&format!("\\-{}(1)", child.replace('-', "\\-"))),
                "the section of `signin-pages {}` does not list `{child}`",
                n.path.join(" ")
            );
        }
    }
}

#[test]
fn man_out_dir_writes_one_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let man1 = dir.path().join("share/man/man1");
    let out = run(&["man", "--out-dir", man1.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let t = commands();
    let mut written: Vec<String> = std::fs::read_dir(&man1)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    let mut expected: Vec<String> = t
        .iter()
        .map(|n| {
            let mut name = vec!["signin-pages".to_string()];
            name.extend(n.path.iter().cloned());
            format!("{}.1", name.join("-"))
        })
        .collect();
    expected.sort();
    assert_eq!(written, expected);
    for file in &expected {
        let page = std::fs::read_to_string(man1.join(file)).unwrap();
        assert_roff(&page, file);
    }
}

/// An installed binary has no docs/ beside it: no help, explanation or diagnostic may
/// send the user to a file of the repository.
#[test]
fn no_text_points_into_the_repository() {
    let mut texts = Vec::new();
    for n in commands() {
        let mut args: Vec<&str> = n.path.iter().map(String::as_str).collect();
        args.push("--help");
        texts.push((format!("{args:?}"), all(&run(&args))));
    }
    for rule in signin_pages::diag::rules::RULES {
        let out = run(&["explain", rule.code()]);
        texts.push((format!("explain {rule}"), all(&out)));
    }
    // The helps of project-file errors: an unknown key, a wrong type, a missing key.
    let base = |extra: &str| {
        format!(
            "[project]\nname = \"t\"\n{extra}\n[environments.prod]\norg_url = \"https://t.okta.com\"\n\n[[brands]]\nname = \"B\"\n"
        )
    };
    for toml in [
        base("[widget]\nversoin = \"^7\"\n"),
        base("[csp]\nsrc_list = \"https://cdn.example.com\"\n"),
        "[project]\nname = \"t\"\n[[brands]]\nname = \"B\"\n".to_string(),
    ] {
        let p = Project::with_page("<p></p>\n").file("signin-pages.toml", &toml);
        let out = p.run(&["check"]);
        assert_eq!(code(&out), 1, "{}", all(&out));
        texts.push((toml, all(&out)));
    }
    let p = Project::starter();
    texts.push((
        "kmsi plan".into(),
        all(&p.run(&["kmsi", "plan", "--env", "prod"])),
    ));
    // The starter's own comments are read by its users too.
    for (path, text) in tree(p.path()) {
        texts.push((path, String::from_utf8_lossy(&text).into_owned()));
    }
    for (what, text) in texts {
        for repo_path in ["docs/", "README", "examples/", "CONTRIBUTING"] {
            assert!(
                !text.contains(repo_path),
                "{what}: `{repo_path}` in\n{text}"
            );
        }
    }
}

/// Every command and every argument says what it does: `--help`, the man page, the
/// completions' descriptions and the guide's command reference all read it, and an empty
/// cell there is a question the user cannot ask anyone.
#[test]
fn every_command_and_argument_has_help() {
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        if cmd.get_about().is_none() {
            missing.push(format!("`{path}` has no about"));
        }
        for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            if a.get_help().is_none() && !["help", "version"].contains(&a.get_id().as_str()) {
                missing.push(format!("`{path}` argument `{}` has no help", a.get_id()));
            }
        }
        for s in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            walk(s, &format!("{path} {}", s.get_name()), missing);
        }
    }
    let mut cmd = Cli::command();
    cmd.build();
    let mut missing = Vec::new();
    walk(&cmd, "signin-pages", &mut missing);
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// A page planted as a link to a file elsewhere is not written through: the file keeps
/// its bytes, and the message says what to do about a file (not a folder).
#[cfg(unix)]
#[test]
fn man_out_dir_does_not_write_through_a_planted_link() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::write(&elsewhere, "keep").unwrap();
    let man1 = dir.path().join("man1");
    std::fs::create_dir(&man1).unwrap();
    std::os::unix::fs::symlink(&elsewhere, man1.join("signin-pages.1")).unwrap();
    let out = run(&["man", "--out-dir", man1.to_str().unwrap()]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "keep");
    let said = stderr(&out);
    assert!(
        said.contains("P010") && said.contains("signin-pages.1"),
        "{said}"
    );
    assert!(!said.contains("as a folder"), "{said}");
}
