//! The layers of `src/` only look down (docs: `src/lib.rs`, DESIGN.md's architecture):
//! each top-level module may use only modules of a lower layer, so no module uses one
//! that uses it back, and `okta/` (the Management API) knows nothing of the pipeline.
//! This test reads every file under `src/` and fails on an import that runs back up a
//! layer, on a module no layer names, and on `okta/` reaching past its few foundations.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::repo;

/// Bottom to top. A module may use modules of lower layers (and itself).
const LAYERS: &[&[&str]] = &[
    // Foundations: no knowledge of Okta or of the project.
    &[
        "out",
        "redact",
        "source",
        "duration",
        "okta_tags",
        "budget",
        "parallel",
    ],
    &["diag"],
    // The Management API (a leaf: see OKTA_MAY_USE), safe file writes, the starter files
    // (written through `write`).
    &["okta", "write", "widget"],
    &["starter"],
    // The pipeline, in the order data flows through it.
    &["config"],
    &["project"],
    // The rest of the sign-in brand: theme, images, sign-out page, brand settings.
    &["theme"],
    &["payload"],
    &["plan"],
    &["render"],
    &["check"],
    &["compile"],
    &["emit"],
    // Over the pipeline: the preview; the org-side workflow; KMSI in the org's policies.
    &["preview"],
    &["visual"],
    &["org"],
    &["kmsi"],
    // The CI workflows `init --ci` writes, from the project's config.
    &["ci"],
    // The machine-readable reports of diff, deploy and kmsi.
    &["report"],
    // Arguments, then the commands.
    &["cli"],
    &["cli_doc"],
    &["cmd"],
];

/// What `okta/` may use: it is the Management API and nothing else.
const OKTA_MAY_USE: &[&str] = &["out", "redact", "diag"];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// `crate::name` paths in Rust source (uses, inline paths, doc links), with comments
/// other than doc comments left in: a doc link to a higher layer is a dependency of the
/// reader too.
fn crate_refs(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let before = &rest[..at];
            let after = &rest[at + "crate::".len()..];
            // `$crate::…` in macros refers to the crate root: what it names is a module too.
            let ok = !before.ends_with(|c: char| c.is_alphanumeric() || c == '_')
                && !before.ends_with("::");
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if ok && !name.is_empty() {
                out.push((i + 1, name));
            }
            rest = after;
        }
        // `use crate::{a, b}` at the top of a file.
        if let Some(list) = line
            .trim_start()
            .strip_prefix("use crate::{")
            .or_else(|| line.trim_start().strip_prefix("pub use crate::{"))
        {
            for part in list.split([',', '}']) {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push((i + 1, name));
                }
            }
        }
    }
    out
}

/// Every `.rs` file below `dir`.
pub(crate) fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_import_in_src_looks_down_a_layer() {
    let src = repo().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut uses: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let rel = f
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "lib.rs" || rel == "main.rs" {
            continue;
        }
        let module = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        let Some(mine) = layer_of(&module) else {
            problems.push(format!(
                "src/{rel}: module `{module}` is in no layer of tests/layers.rs"
            ));
            continue;
        };
        let text = std::fs::read_to_string(f).unwrap();
        for (line, used) in crate_refs(&text) {
            if used == module {
                continue;
            }
            uses.entry(module.clone()).or_default().insert(used.clone());
            let Some(theirs) = layer_of(&used) else {
                problems.push(format!(
                    "src/{rel}:{line}: uses `crate::{used}`, which is in no layer"
                ));
                continue;
            };
            if theirs >= mine {
                problems.push(format!(
                    "src/{rel}:{line}: `{module}` uses `{used}`, which is not below it"
                ));
            }
            if module == "okta" && !OKTA_MAY_USE.contains(&used.as_str()) {
                problems.push(format!(
                    "src/{rel}:{line}: `okta` (the Management API) uses `{used}`: it may use only {OKTA_MAY_USE:?}"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} imports break the layers:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // The check is not vacuous: the pipeline's modules do use each other.
    assert!(uses["compile"].contains("render") && uses["cmd"].contains("compile"));
}

#[test]
fn the_layer_check_sees_a_bad_import() {
    let refs = crate_refs(
        "use crate::config::Config;\nuse crate::{emit, plan::Filter};\nlet x = $crate::out::stdout;\nfoo::crate::nope;\n",
    );
    let names: Vec<&str> = refs.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(names, ["config", "emit", "plan", "out"]);
    assert!(layer_of("config") < layer_of("compile"));
    assert_eq!(layer_of("nothing"), None);
}
