//! S001: secrets in a page (Okta API tokens, private keys, client secrets), and anywhere
//! in the project's files.
//!
//! The page is public, so a finding never repeats the secret: messages show at most its
//! first four characters and its length; the caret points at it, and every renderer
//! masks it in the source line it shows ([`crate::redact`]).

use std::path::Path;
use std::sync::Arc;

use super::Page;
use crate::diag::{Diagnostic, Location, Rule};
use crate::project::{MAX_TEMPLATE_BYTES, Project};
use crate::redact::{self, Found, Kind};
use crate::source::SourceFile;

fn what(text: &str, f: &Found) -> String {
    let s = &text[f.at.clone()];
    match f.kind {
        Kind::ApiToken => format!("an Okta API token ({})", redact::preview(s)),
        Kind::PrivateKey => format!("a private key (`{s}`)"),
        Kind::ClientSecret => format!("a client secret ({})", redact::preview(s)),
    }
}

fn help(kind: Kind) -> &'static str {
    match kind {
        Kind::ApiToken => API_TOKEN_HELP,
        Kind::PrivateKey => PRIVATE_KEY_HELP,
        Kind::ClientSecret => CLIENT_SECRET_HELP,
    }
}

pub(super) fn check(page: &Page, out: &mut Vec<Diagnostic>) {
    let text = page.rendered.text.as_str();
    for f in redact::find(text) {
        out.push(
            Diagnostic::new(
                Rule::S001,
                format!(
                    "the page holds {}: anyone who opens the sign-in page can read it",
                    what(text, &f)
                ),
            )
            .at(page.locate(f.at.clone()))
            .label("secret")
            .help(help(f.kind)),
        );
    }
}

const API_TOKEN_HELP: &str = "remove it and revoke the token in Okta (Security › API › Tokens): a sign-in page never needs an API token";
const PRIVATE_KEY_HELP: &str = "remove it and replace the key pair wherever it is registered: a sign-in page never needs a private key";
const CLIENT_SECRET_HELP: &str = "remove it and rotate the app's client secret in Okta: code in a browser cannot keep a secret (use PKCE)";

/// S001 for secrets anywhere in the project's files — `signin-pages.toml`, the locale
/// files, every file under `templates/` (rendered or not, comments included) and every
/// text file under `static/` — even when no page shows them: they are in the
/// repository. A secret a page check reported already at the same place (`reported`:
/// file and byte range) is not reported again.
pub(super) fn in_project_files(
    project: &Project,
    reported: &[(String, std::ops::Range<usize>)],
) -> Vec<Diagnostic> {
    let mut files: Vec<Arc<SourceFile>> = vec![Arc::clone(&project.config.file)];
    files.extend(project.locales.iter().map(|l| Arc::clone(&l.file)));
    files.extend(project.templates.iter().cloned());
    files.extend(static_files(&project.root));
    let mut out = Vec::new();
    for file in files {
        let text = file.text.as_str();
        for f in redact::find(text) {
            if reported
                .iter()
                .any(|(path, r)| *path == file.path && *r == f.at)
            {
                continue;
            }
            out.push(
                Diagnostic::new(Rule::S001,
                    format!(
                        "`{}` holds {}: it is in the project's files (and in its history once committed), whether or not a page shows it",
                        file.path,
                        what(text, &f)
                    ),
                )
                .at(Location::bytes(&file, f.at.clone()))
                .label("secret")
                .help(format!(
                    "{}; keep secrets out of the project (an environment variable, a secrets manager)",
                    help(f.kind)
                        .split(':')
                        .next()
                        .unwrap_or("remove it")
                )),
            );
        }
    }
    out
}

/// The text files under `static/` (not following links, skipping binary files and files
/// over the template size limit), paths `static/…`.
fn static_files(root: &Path) -> Vec<Arc<SourceFile>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<Arc<SourceFile>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let Ok(t) = e.file_type() else { continue };
            let path = e.path();
            if t.is_dir() {
                walk(root, &path, out);
            } else if t.is_file()
                && e.metadata().is_ok_and(|m| m.len() <= MAX_TEMPLATE_BYTES)
                && let Ok(bytes) = std::fs::read(&path)
                && !bytes.contains(&0)
                && let Ok(text) = String::from_utf8(bytes)
                && let Ok(rel) = path.strip_prefix(root)
            {
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.push(Arc::new(SourceFile::new(rel, text)));
            }
        }
    }
    let mut out = Vec::new();
    let dir = root.join("static");
    // A `static` that is itself a link is not followed either.
    if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
        walk(root, &dir, &mut out);
    }
    out
}
