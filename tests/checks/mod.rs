//! `check`: one fixture per rule that triggers it (exactly that code, at the right line
//! and column, in all three formats) and one that does not.

mod csp;
mod general;
mod okta;
mod origins;
mod scanner;
mod theme;
mod tokens;
mod widget;

use crate::support::*;

/// A page wrapped so that it is otherwise clean: doctype, lang, title, Okta's resources
/// and util, the mount element and a nonce'd script.
pub(crate) fn clean_page(head_extra: &str, body_extra: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<title>{{{{pageTitle}}}}</title>\n{{{{{{SignInWidgetResources}}}}}}\n{head_extra}</head>\n<body>\n<div id=\"okta-login-container\"></div>\n{{{{{{OktaUtil}}}}}}\n<script nonce=\"{{{{nonceValue}}}}\">\nvar config = OktaUtil.getSignInWidgetConfig();\nnew OktaSignIn(config).renderEl({{ el: '#okta-login-container' }}, OktaUtil.completeLogin);\n</script>\n{body_extra}</body>\n</html>\n"
    )
}

/// The project file used by rule fixtures, with `extra` appended (e.g. a `[csp]`).
pub(crate) fn config(extra: &str) -> String {
    format!(
        "[project]\nname = \"t\"\n{extra}\n[environments.prod]\norg_url = \"https://t.okta.com\"\n\n[[brands]]\nname = \"B\"\n"
    )
}

/// One finding as the JSON renderer reports it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub code: String,
    pub severity: String,
    pub file: Option<String>,
    pub line: Option<u64>,
    pub column: Option<u64>,
}

/// Run `check` on a project in all three formats; return the findings (from JSON) and
/// each format's output.
pub(crate) fn check_all_formats(p: &Project) -> (Vec<Found>, String, String, String) {
    let human = p.run(&["check"]);
    let json = p.run(&["check", "--format", "json"]);
    let github = p.run(&["check", "--format", "github"]);
    let found: Vec<Found> = stdout(&json)
        .lines()
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}"));
            let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
            assert_eq!(
                keys,
                [
                    "brand",
                    "code",
                    "column",
                    "end_column",
                    "end_line",
                    "env",
                    "file",
                    "help",
                    "line",
                    "message",
                    "severity"
                ],
                "JSON fields"
            );
            Found {
                code: v["code"].as_str().unwrap().to_string(),
                severity: v["severity"].as_str().unwrap().to_string(),
                file: v["file"].as_str().map(String::from),
                line: v["line"].as_u64(),
                column: v["column"].as_u64(),
            }
        })
        .collect();
    // The same findings in every format.
    for f in &found {
        let loc = match (&f.file, f.line, f.column) {
            (Some(file), Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(file), Some(l), None) => format!("{file}:{l}"),
            _ => String::new(),
        };
        assert!(
            stderr(&human).contains(&format!("[{}]", f.code)),
            "human output lacks {}: {}",
            f.code,
            stderr(&human)
        );
        if !loc.is_empty() {
            assert!(
                stderr(&human).contains(&loc),
                "human output lacks {loc}: {}",
                stderr(&human)
            );
            let gh = match (&f.file, f.line, f.column) {
                (Some(file), Some(l), Some(c)) => format!("file={file},line={l},col={c}"),
                (Some(file), Some(l), None) => format!("file={file},line={l}"),
                _ => unreachable!(),
            };
            assert!(
                stdout(&github).contains(&gh),
                "github output lacks {gh}: {}",
                stdout(&github)
            );
        }
        assert!(stdout(&github).contains(&format!("title={}::", f.code)));
    }
    let has_error = found.iter().any(|f| f.severity == "error");
    assert_eq!(code(&human), if has_error { 1 } else { 0 }, "exit code");
    (found, stderr(&human), stdout(&json), stdout(&github))
}

/// The fixture triggers exactly `code`, once, at `file:line:column`; the three formats
/// are pinned by a snapshot named after the code.
pub(crate) fn expect_only(p: &Project, code: &str, file: &str, line: u64, column: Option<u64>) {
    expect_only_as(&format!("rule_{code}"), p, code, file, line, column);
}

/// [`expect_only`] with its own snapshot name, for a second fixture of the same rule.
pub(crate) fn expect_only_as(
    snapshot: &str,
    p: &Project,
    code: &str,
    file: &str,
    line: u64,
    column: Option<u64>,
) {
    let (found, human, json, github) = check_all_formats(p);
    assert_eq!(
        found.len(),
        1,
        "expected exactly one {code}, got {found:?}\n{human}"
    );
    let f = &found[0];
    assert_eq!(f.code, code, "{human}");
    assert_eq!(f.file.as_deref(), Some(file), "{human}");
    assert_eq!(f.line, Some(line), "{human}");
    assert_eq!(f.column, column, "{human}");
    insta::assert_snapshot!(
        snapshot.to_string(),
        format!("--- human\n{human}\n--- json\n{json}\n--- github\n{github}")
    );
}

/// The fixture is clean: no diagnostics at all, exit 0.
pub(crate) fn expect_clean(p: &Project) {
    let (found, human, _, _) = check_all_formats(p);
    assert!(
        found.is_empty(),
        "expected no findings, got {found:?}\n{human}"
    );
}

/// Every real-world page through `check` (as the sign-in page; the error page 012 also as
/// the error page), in a project that enforces a CSP with an empty src_list. No panic,
/// and the findings are pinned: each was read and is true for its page (see the closing
/// note of the check issue for the ones discussed).
#[test]
fn corpus_findings() {
    let pages = corpus_pages();
    let mut summary = String::new();
    for page in pages {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&page).unwrap();
        let as_error = name.contains("error-page");
        let p = if as_error {
            Project::with_page(&clean_page("", "")).file("templates/error.html", &text)
        } else {
            Project::with_page(&text)
        }
        .file(
            "signin-pages.toml",
            config("[csp]\nmode = \"enforced\"\nsrc_list = []"),
        );
        let out = p.run(&["check", "--format", "json"]);
        assert!(
            matches!(code(&out), 0 | 1),
            "{name}: exit {}: {}",
            code(&out),
            stderr(&out)
        );
        summary.push_str(&format!("## {name}\n"));
        for line in stdout(&out).lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let col = v["column"]
                .as_u64()
                .map_or(String::new(), |c| format!(":{c}"));
            summary.push_str(&format!(
                "{} {} {}:{}{} {}\n",
                v["code"].as_str().unwrap(),
                v["severity"].as_str().unwrap(),
                v["file"].as_str().unwrap_or("-"),
                v["line"].as_u64().unwrap_or(0),
                col,
                v["message"].as_str().unwrap()
            ));
        }
    }
    insta::assert_snapshot!(summary);
}
