//! Test helpers: scratch projects on disk and a way to run the real binary on them
//! (README.md beside this file says what each helper is for).

#![allow(dead_code)]

pub mod fake_okta;
pub mod http;
pub mod preview;
/// The helpers' own tests. (`benches/ratelimit.rs` includes this folder too, and
/// `cargo clippy --all-targets` builds it with `--cfg test` but no test harness: the tests
/// vanish there, and their imports would be reported unused.)
#[cfg(test)]
#[allow(unused_imports)]
mod tests;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use fake_okta::DEFAULT_TOKEN;

pub const BIN: &str = env!("CARGO_BIN_EXE_signin-pages");

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared folder: Okta's spec and default page, the real-world corpus. It is
/// `$SIGNIN_PAGES_SHARED` when set, else `../shared` beside the repository (beside its
/// main checkout, when this is a linked `git worktree`). A test that needs it and finds
/// none fails saying where it looked and how to point it there.
pub fn shared() -> PathBuf {
    let tried: Vec<PathBuf> = match std::env::var_os("SIGNIN_PAGES_SHARED") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => std::iter::once(repo())
            .chain(main_checkout())
            .map(|r| r.join("../shared"))
            .collect(),
    };
    if let Some(dir) = tried.iter().find(|d| d.is_dir()) {
        return dir.clone();
    }
    let tried: Vec<String> = tried.iter().map(|d| d.display().to_string()).collect();
    panic!(
        "this test needs the shared folder (Okta's spec and default page, the real-world \
         corpus) and found no folder at {}: put it beside the repository as `../shared`, \
         or set SIGNIN_PAGES_SHARED to where it is",
        tried.join(" or ")
    );
}

/// The main checkout when the repository is a linked `git worktree`: its `.git` is then a
/// file `gitdir: <main>/.git/worktrees/<name>`, and that folder's `commondir` leads back
/// to `<main>/.git`.
fn main_checkout() -> Option<PathBuf> {
    let dot_git = std::fs::read_to_string(repo().join(".git")).ok()?;
    let gitdir = repo().join(dot_git.strip_prefix("gitdir:")?.trim());
    let common = std::fs::read_to_string(gitdir.join("commondir")).ok()?;
    let common = gitdir.join(common.trim()).canonicalize().ok()?;
    common.parent().map(Path::to_path_buf)
}

/// The pages of the real-world corpus (`../shared/corpus/real-world/*.html`), sorted.
pub fn corpus_pages() -> Vec<PathBuf> {
    let dir = shared().join("corpus/real-world");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    assert!(
        pages.len() >= 20,
        "the corpus at {} is incomplete",
        dir.display()
    );
    pages
}

/// A project in a temporary folder.
pub struct Project {
    pub dir: tempfile::TempDir,
}

/// A minimal valid signin-pages.toml: one environment, one brand.
pub const MINIMAL_TOML: &str = r#"[project]
name = "t"

[environments.prod]
org_url = "https://t.okta.com"

[[brands]]
name = "B"
"#;

/// A sign-in page that signs in through the widget, with the brand's name in it (so that
/// every brand's page differs): what the tests publish to the fake org.
pub const WIDGET_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<title>{{pageTitle}}</title>\n{{{SignInWidgetResources}}}\n</head>\n<body>\n<div id=\"okta-login-container\"></div>\n{{{OktaUtil}}}\n<script nonce=\"{{nonceValue}}\">\nvar config = OktaUtil.getSignInWidgetConfig();\nnew OktaSignIn(config).renderEl({ el: '#okta-login-container' }, OktaUtil.completeLogin);\n</script>\n<p>{{ brand.name }}</p>\n</body>\n</html>\n";

/// A signin-pages.toml whose one environment, `prod`, is the org at `org_url`, with the
/// widget `^7` (G3) and `brands`.
pub fn org_toml(org_url: &str, brands: &[&str]) -> String {
    let mut toml = format!(
        "[project]\nname = \"t\"\n[widget]\nversion = \"^7\"\ngeneration = \"G3\"\n[environments.prod]\norg_url = \"{org_url}\"\n"
    );
    for b in brands {
        toml.push_str(&format!("[[brands]]\nname = \"{b}\"\n"));
    }
    toml
}

impl Project {
    pub fn empty() -> Self {
        Project {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A project with the minimal config and `page` as templates/sign-in.html.
    pub fn with_page(page: &str) -> Self {
        Project::empty()
            .file("signin-pages.toml", MINIMAL_TOML)
            .file("templates/sign-in.html", page)
    }

    /// A copy of a fixture under tests/fixtures/.
    pub fn fixture(name: &str) -> Self {
        let p = Project::empty();
        copy_tree(&repo().join("tests/fixtures").join(name), p.path());
        p
    }

    /// The starter project `init` writes.
    pub fn starter() -> Self {
        let p = Project::empty();
        let out = p.run(&["init", "."]);
        assert!(out.status.success(), "init failed: {}", stderr(&out));
        p
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> Self {
        self.write(rel, contents);
        self
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// A JSON file of the project (a built body, a backup …), parsed.
    pub fn read_bytes(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path().join(rel)).expect("read a project file")
    }

    pub fn read_json(&self, rel: &str) -> Value {
        serde_json::from_str(&self.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path().join(rel).exists()
    }

    /// What `.signin-pages/backups/<env>/<of>/` holds (`of`: a brand's folder, or
    /// `policies`), oldest first; none when the folder is missing.
    pub fn backups(&self, env: &str, of: &str) -> Vec<Value> {
        let dir = self.path().join(".signin-pages/backups").join(env).join(of);
        // As the tool lists them: `*.json` only. A run killed mid-write may leave its
        // temporary file (`.<name>.json.<tag>-<pid>-<nanos>`) beside them, never read.
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
                    .map(|e| e.path())
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .map(|f| serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap())
            .collect()
    }

    /// Run the binary with `--project <dir>` appended, colour off.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .arg("--project")
            .arg(self.path())
            .arg("--color")
            .arg("never")
            .env_remove("NO_COLOR")
            .env_remove("GITHUB_WORKSPACE")
            // No test reaches Okta's CDN or the developer's widget cache.
            .env("SIGNIN_PAGES_WIDGET_CDN", "off")
            .env("SIGNIN_PAGES_CACHE_DIR", self.path().join(".no-cache"))
            .current_dir(self.path())
            .output()
            .expect("run signin-pages")
    }
}

/// The binary on `p` against a fake org (`FakeOkta`): `args`, then `--project` and
/// colour off; the fake's API token and none of the developer's `OKTA_CLIENT_*`
/// variables; quick retries (20 ms base) and a 1.5 s request timeout. A test that wants
/// other timings or variables sets them with `.env(…)` before it runs the command.
pub fn command_with_token(p: &Project, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .arg("--project")
        .arg(p.path())
        .arg("--color")
        .arg("never")
        .env("OKTA_API_TOKEN", DEFAULT_TOKEN)
        .env_remove("OKTA_CLIENT_TOKEN")
        .env_remove("OKTA_CLIENT_ORGURL")
        .env("SIGNIN_PAGES_RETRY_BASE_MS", "20")
        .env("SIGNIN_PAGES_TIMEOUT_MS", "1500");
    c
}

/// `command_with_token`, run to the end.
pub fn run_with_token(p: &Project, args: &[&str]) -> Output {
    command_with_token(p, args)
        .output()
        .expect("run signin-pages")
}

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// stdout, then stderr: for assertions that do not care which one says it.
pub fn all(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Every file below `dir` with its bytes, paths relative and sorted.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk(base, &e.path(), out);
            } else {
                let rel = e
                    .path()
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read(e.path()).unwrap()));
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// A real PNG of `w` × `h` (one colour, so it compresses to a few hundred bytes): theme
/// images for the checks and the preview.
pub fn png_image(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(png::ColorType::Rgb);
        e.set_depth(png::BitDepth::Eight);
        let mut writer = e.write_header().expect("PNG header");
        writer
            .write_image_data(&vec![200u8; (w * h * 3) as usize])
            .expect("PNG data");
    }
    out
}
