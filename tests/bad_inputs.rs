//! The bad-input corpus: every project under tests/fixtures/bad/ is broken in one way.
//!
//! Each fixture is a whole project plus `expect.txt` (`CODE file:line`, e.g.
//! `P001 signin-pages.toml:3`). Inputs git cannot hold as they are (a 50 MB template, a
//! symbolic link leaving the project, invalid UTF-8, NUL and reserved bytes) are made at
//! run time from `GENERATE.txt`, one directive a line:
//!
//! ```text
//! replace FILE PLACEHOLDER HEX…   replace PLACEHOLDER in FILE with these bytes
//! big FILE SIZE                   write FILE with SIZE bytes of valid HTML
//! outside NAME HEX…               write NAME beside the project (outside it) with these bytes
//! symlink LINK TARGET             LINK in the project -> TARGET beside the project (absolute)
//! ```
//!
//! For each fixture, `check --format json` and `build` must both exit 1 (never 101), the
//! JSON must hold a diagnostic with the expected code, file and line, nothing may print
//! "panicked", and no `dist/` (nor a half-written `.dist.*`) may be left behind.

use std::path::Path;

use crate::support::*;

const META: [&str; 2] = ["expect.txt", "GENERATE.txt"];

fn copy_fixture(from: &Path, to: &Path, top: bool) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if top && META.iter().any(|m| name == *m) {
            continue;
        }
        let dst = to.join(&name);
        if e.file_type().unwrap().is_dir() {
            copy_fixture(&e.path(), &dst, false);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
}

fn hex_bytes(words: &[&str]) -> Vec<u8> {
    words
        .iter()
        .map(|w| u8::from_str_radix(w, 16).unwrap_or_else(|_| panic!("bad hex byte {w:?}")))
        .collect()
}

/// Apply the directives of GENERATE.txt; `root` holds `project/` and `outside/`.
fn generate(spec: &str, root: &Path, project: &Path) {
    for line in spec.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["replace", file, placeholder, hex @ ..] => {
                let path = project.join(file);
                let old = std::fs::read(&path).unwrap();
                let needle = placeholder.as_bytes();
                let at = old
                    .windows(needle.len())
                    .position(|w| w == needle)
                    .unwrap_or_else(|| panic!("{placeholder} not in {file}"));
                let mut new = old[..at].to_vec();
                new.extend(hex_bytes(hex));
                new.extend(&old[at + needle.len()..]);
                std::fs::write(path, new).unwrap();
            }
            ["big", file, size] => {
                let size: usize = size.parse().unwrap();
                let unit = b"<p>filler</p>\n";
                let mut body = Vec::with_capacity(size);
                while body.len() + unit.len() <= size {
                    body.extend_from_slice(unit);
                }
                body.resize(size, b'\n');
                let path = project.join(file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, body).unwrap();
            }
            ["outside", name, hex @ ..] => {
                let path = root.join("outside").join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, hex_bytes(hex)).unwrap();
            }
            ["symlink", link, target] => {
                let link = project.join(link);
                std::fs::create_dir_all(link.parent().unwrap()).unwrap();
                let _ = std::fs::remove_dir_all(&link);
                let _ = std::fs::remove_file(&link);
                #[cfg(unix)]
                std::os::unix::fs::symlink(root.join(target), &link).unwrap();
                #[cfg(not(unix))]
                panic!("symlink fixtures need unix: {}", link.display());
            }
            _ => panic!("unknown GENERATE.txt directive: {line}"),
        }
    }
}

/// Run one fixture; `Err` describes every way it went wrong.
fn run_fixture(dir: &Path) -> Result<(), String> {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let expect = std::fs::read_to_string(dir.join("expect.txt"))
        .map_err(|e| format!("{name}: expect.txt: {e}"))?;
    let expect = expect.trim();
    let (code_want, loc) = expect
        .split_once(' ')
        .ok_or_else(|| format!("{name}: expect.txt must be `CODE file:line`, is {expect:?}"))?;
    let (file_want, line_want) = loc
        .rsplit_once(':')
        .ok_or_else(|| format!("{name}: expect.txt must be `CODE file:line`, is {expect:?}"))?;
    let line_want: u64 = line_want
        .parse()
        .map_err(|_| format!("{name}: bad line in expect.txt: {expect:?}"))?;

    let p = Project::empty();
    let root = p.path();
    let project = root.join("project");
    copy_fixture(dir, &project, true);
    if let Ok(spec) = std::fs::read_to_string(dir.join("GENERATE.txt")) {
        generate(&spec, root, &project);
    }
    let run = |args: &[&str]| {
        std::process::Command::new(BIN)
            .args(args)
            .arg("--project")
            .arg(&project)
            .arg("--color")
            .arg("never")
            .env_remove("NO_COLOR")
            .current_dir(&project)
            .output()
            .expect("run signin-pages")
    };

    let mut problems = Vec::new();
    let check = run(&["check", "--format", "json"]);
    let out = stdout(&check);
    if code(&check) != 1 {
        problems.push(format!("check exited {}", code(&check)));
    }
    if stderr(&check).contains("panicked") || out.contains("panicked") {
        problems.push("check panicked".to_string());
    }
    let mut found = false;
    let mut seen = Vec::new();
    for l in out.lines().filter(|l| !l.trim().is_empty()) {
        match serde_json::from_str::<serde_json::Value>(l) {
            Ok(v) => {
                let c = v["code"].as_str().unwrap_or("?");
                let f = v["file"].as_str().unwrap_or("-");
                let ln = v["line"].as_u64();
                seen.push(format!(
                    "{c} {f}:{} {}",
                    ln.map_or("-".to_string(), |n| n.to_string()),
                    v["message"].as_str().unwrap_or("")
                ));
                if c == code_want && f == file_want && ln == Some(line_want) {
                    found = true;
                }
            }
            Err(e) => problems.push(format!("stdout line is not JSON ({e}): {l}")),
        }
    }
    if !found {
        problems.push(format!(
            "no diagnostic `{expect}`; got:\n      {}\n    stderr: {}",
            seen.join("\n      "),
            stderr(&check).trim()
        ));
    }

    let build = run(&["build"]);
    if code(&build) != 1 {
        problems.push(format!("build exited {}", code(&build)));
    }
    if stderr(&build).contains("panicked") {
        problems.push(format!("build panicked: {}", stderr(&build)));
    }
    let leftovers: Vec<String> = std::fs::read_dir(&project)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n == "dist" || n.starts_with(".dist"))
        .collect();
    if !leftovers.is_empty() {
        problems.push(format!("build left {leftovers:?} behind"));
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{name}:\n    {}", problems.join("\n    ")))
    }
}

#[test]
fn every_bad_project_fails_with_a_located_diagnostic() {
    let corpus = repo().join("tests/fixtures/bad");
    let mut dirs: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap_or_else(|e| panic!("{}: {e}", corpus.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 40,
        "the bad-input corpus has only {} projects",
        dirs.len()
    );
    let failures: Vec<String> = dirs.iter().filter_map(|d| run_fixture(d).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} bad projects misbehaved:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}
