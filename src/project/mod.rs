//! A project on disk: `signin-pages.toml`, `locales/*.toml` and `templates/`.
//!
//! Loading reads every file once, refuses what cannot be a template (invalid UTF-8,
//! the mask's reserved bytes, files reached through a link that leaves `templates/`)
//! and reports each problem as a diagnostic with its file and line. The locale files
//! are `locales`'; the index of every string the TOML files hold, which findings use to
//! point at the variable a page's text came from, is `values`'.

mod locales;
mod values;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, Config};
use crate::diag::{Diagnostic, Diagnostics, Location, Rule};
use crate::okta_tags;
use crate::source::SourceFile;

/// The one page every project has.
pub const SIGN_IN_TEMPLATE: &str = "sign-in.html";
/// The optional error page.
pub const ERROR_TEMPLATE: &str = "error.html";
/// Templates larger than this are refused before Tera sees them.
pub const MAX_TEMPLATE_BYTES: u64 = 8 * 1024 * 1024;

pub use locales::{KmsiLabels, Locale};
pub use values::{ValueScope, ValueSite};

/// A loaded project.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    pub config: Config,
    /// One per listed locale, in the order of `locales`.
    pub locales: Vec<Locale>,
    /// Every file under `templates/`, path `templates/…`.
    pub templates: Vec<Arc<SourceFile>>,
    /// Every string written in `signin-pages.toml` and the locale files, with where it
    /// is: what a finding in a page points at when its text came from a variable.
    pub values: Vec<Arc<ValueSite>>,
}

impl Project {
    pub fn default_locale(&self) -> &Locale {
        self.locales
            .iter()
            .find(|l| l.tag == self.config.default_locale)
            .expect("the default locale is always loaded")
    }

    pub fn template(&self, name: &str) -> Option<&Arc<SourceFile>> {
        let path = format!("templates/{name}");
        self.templates.iter().find(|t| t.path == path)
    }

    pub fn has_error_page(&self) -> bool {
        self.template(ERROR_TEMPLATE).is_some()
    }
}

/// Read a text file as a [`SourceFile`], or say why not.
pub fn read_source(root: &Path, rel: &str, diags: &mut Diagnostics) -> Option<Arc<SourceFile>> {
    let path = root.join(rel);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(
                Diagnostic::new(Rule::P003, format!("cannot read `{rel}`: {e}"))
                    .help("check that the file exists and is readable"),
            );
            return None;
        }
    };
    match String::from_utf8(bytes) {
        // A NUL byte is valid UTF-8 but marks a binary file, never a template or TOML.
        Ok(text) if text.contains('\0') => {
            let at = text.find('\0').unwrap_or(0);
            let file = Arc::new(SourceFile::new(rel, text));
            diags.push(
                Diagnostic::new(
                    Rule::P004,
                    format!("`{rel}` holds a NUL byte: it is a binary file, not text"),
                )
                .at(Location::bytes(&file, at..at + 1))
                .help("save the file as UTF-8 text without NUL bytes"),
            );
            None
        }
        Ok(text) => Some(Arc::new(SourceFile::new(rel, text))),
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..good]).into_owned();
            let line = prefix.matches('\n').count() + 1;
            let shown = SourceFile::new(rel, String::from_utf8_lossy(&bytes).into_owned());
            diags.push(
                Diagnostic::new(
                    Rule::P004,
                    format!("`{rel}` is not valid UTF-8 (byte {good})"),
                )
                .at(Location::line(&Arc::new(shown), line))
                .help("save the file as UTF-8"),
            );
            None
        }
    }
}

/// Load the project rooted at `root`. `None` when something stops every target.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<Project> {
    if !root.join(config::CONFIG_FILE).is_file() {
        diags.push(
            Diagnostic::new(Rule::P003, format!("no `{}` in `{}`", config::CONFIG_FILE, root.display()))
                .help("run the command inside a project, pass `--project DIR`, or create one with `signin-pages init DIR`"),
        );
        return None;
    }
    let config_file = read_source(root, config::CONFIG_FILE, diags)?;
    let config = config::parse(config_file, diags);
    let templates = load_templates(root, diags);
    let config = config?;
    reserved_in_values(&config.file, diags);
    let locales = locales::load(root, &config, diags);
    // Only when the file is absent (or a folder): a file refused for its contents is
    // reported already.
    if root.join("templates").is_dir() && !root.join("templates").join(SIGN_IN_TEMPLATE).is_file() {
        let missing = Arc::new(SourceFile::new(format!("templates/{SIGN_IN_TEMPLATE}"), ""));
        diags.push(
            Diagnostic::new(Rule::P003, format!("no `templates/{SIGN_IN_TEMPLATE}`"))
                .at(Location::line(&missing, 1))
                .help("every project needs the sign-in page template; `signin-pages init` writes a starter"),
        );
    }
    if diags.has_errors() {
        return None;
    }
    Some(Project {
        root: root.to_path_buf(),
        values: values::value_sites(&config, &locales),
        config,
        locales,
        templates,
    })
}

fn load_templates(root: &Path, diags: &mut Diagnostics) -> Vec<Arc<SourceFile>> {
    let dir = root.join("templates");
    if !dir.is_dir() {
        diags.push(
            Diagnostic::new(Rule::P003, "the project has no `templates/` folder")
                .help("create `templates/sign-in.html`; `signin-pages init` writes a starter"),
        );
        return Vec::new();
    }
    if let Some(d) = escapes_project(root, "templates") {
        diags.push(d);
        return Vec::new();
    }
    let Ok(canonical_dir) = dir.canonicalize() else {
        return Vec::new();
    };
    let mut files = Vec::new();
    walk(&dir, &mut |path| files.push(path.to_path_buf()));
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let rel = match path.strip_prefix(root) {
            Ok(r) => r.to_string_lossy().replace('\\', "/"),
            Err(_) => continue,
        };
        match path.canonicalize() {
            Ok(real) if real.starts_with(&canonical_dir) => {}
            _ => {
                diags.push(
                    Diagnostic::new(
                        Rule::P006,
                        format!("`{rel}` is a link that leads outside `templates/`"),
                    )
                    .at(Location::line(
                        &Arc::new(SourceFile::new(rel.clone(), "")),
                        1,
                    ))
                    .help("copy the file into `templates/` instead of linking to it"),
                );
                continue;
            }
        }
        match std::fs::metadata(&path) {
            Ok(m) if m.len() > MAX_TEMPLATE_BYTES => {
                diags.push(
                    Diagnostic::new(Rule::P007, format!("`{rel}` is {} MB; templates are limited to {} MB", m.len() / (1024 * 1024), MAX_TEMPLATE_BYTES / (1024 * 1024)))
                        .at(Location::line(&Arc::new(SourceFile::new(rel.clone(), "")), 1))
                        .help("move large assets (images, scripts) to a CDN listed in `[csp] src_list` and link to them"),
                );
                continue;
            }
            _ => {}
        }
        let Some(file) = read_source(root, &rel, diags) else {
            continue;
        };
        if let Some(r) = okta_tags::find_reserved(&file.text) {
            diags.push(
                Diagnostic::new(
                    Rule::P008,
                    format!(
                        "`{rel}` holds the control byte 0x{:02X}, which signin-pages reserves",
                        file.text.as_bytes()[r.offset]
                    ),
                )
                .at(Location::bytes(&file, r.offset..r.offset + 1))
                .help("remove the control character (it is invisible in most editors)"),
            );
            continue;
        }
        out.push(file);
    }
    out
}

/// P008 for a TOML value holding a reserved byte (written `\u000E` / `\u000F`): rendered
/// into a page, unmasking would turn it into a brace and forge an Okta tag.
pub(crate) fn reserved_in_values(file: &Arc<SourceFile>, diags: &mut Diagnostics) {
    fn has_reserved(v: &toml::Value) -> bool {
        match v {
            toml::Value::String(s) => okta_tags::find_reserved(s).is_some(),
            toml::Value::Array(a) => a.iter().any(has_reserved),
            toml::Value::Table(t) => t
                .iter()
                .any(|(k, v)| okta_tags::find_reserved(k).is_some() || has_reserved(v)),
            _ => false,
        }
    }
    let Ok(value) = toml::from_str::<toml::Value>(&file.text) else {
        return;
    };
    if !has_reserved(&value) {
        return;
    }
    // Only escapes can write them (TOML refuses raw control bytes): point at the first.
    let lower = file.text.to_ascii_lowercase();
    let at = ["\\u000e", "\\u000f", "\\u0000000e", "\\u0000000f"]
        .iter()
        .filter_map(|n| lower.find(n).map(|o| o..o + n.len()))
        .min_by_key(|r| r.start);
    let loc = match at {
        Some(r) => Location::bytes(file, r),
        None => Location::line(file, 1),
    };
    diags.push(
        Diagnostic::new(
            Rule::P008,
            format!(
                "`{}` holds the control character U+000E or U+000F, which signin-pages reserves",
                file.path
            ),
        )
        .at(loc)
        .help("remove the control character from the value"),
    );
}

/// A P006 diagnostic when `rel` (a file or folder of the project) resolves outside the
/// project through a link: a build must not read, and then publish, other files.
pub(crate) fn escapes_project(root: &Path, rel: &str) -> Option<Diagnostic> {
    let (Ok(real_root), Ok(real)) = (root.canonicalize(), root.join(rel).canonicalize()) else {
        return None;
    };
    (!real.starts_with(&real_root)).then(|| {
        let file = Arc::new(SourceFile::new(rel, ""));
        Diagnostic::new(
            Rule::P006,
            format!("`{rel}` is a link that leads outside the project"),
        )
        .at(Location::line(&file, 1))
        .help("copy the files into the project instead of linking to them")
    })
}

/// Every file below `dir`, following links (their targets are checked by the caller),
/// skipping hidden files and folders.
fn walk(dir: &Path, f: &mut dyn FnMut(&Path)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = e.path();
        let is_link = e.file_type().is_ok_and(|t| t.is_symlink());
        if path.is_dir() && !is_link {
            // A link to a folder outside is reported through its files.
            walk(&path, f);
        } else {
            f(&path);
        }
    }
}
