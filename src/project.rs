//! A project on disk: `signin-pages.toml`, `locales/*.toml` and `templates/`.
//!
//! Loading reads every file once, refuses what cannot be a template (invalid UTF-8,
//! the mask's reserved bytes, files reached through a link that leaves `templates/`)
//! and reports each problem as a diagnostic with its file and line.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::config::{self, Config, toml_error};
use crate::diag::{Diagnostic, Diagnostics, Location, Rule};
use crate::okta_tags;
use crate::source::SourceFile;

/// The one page every project has.
pub const SIGN_IN_TEMPLATE: &str = "sign-in.html";
/// The optional error page.
pub const ERROR_TEMPLATE: &str = "error.html";
/// Templates larger than this are refused before Tera sees them.
pub const MAX_TEMPLATE_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KmsiLabels {
    pub title: Option<Spanned<String>>,
    pub subtitle: Option<Spanned<String>>,
    pub accept: Option<Spanned<String>>,
    pub reject: Option<Spanned<String>>,
    pub remember: Option<Spanned<String>>,
}

impl KmsiLabels {
    /// Each label with its key and the widget i18n key it feeds.
    pub fn entries(&self) -> [(&'static str, &'static str, Option<&Spanned<String>>); 5] {
        [
            ("title", "oie.kmsi.title", self.title.as_ref()),
            ("subtitle", "oie.kmsi.subtitle", self.subtitle.as_ref()),
            ("accept", "oie.kmsi.accept", self.accept.as_ref()),
            ("reject", "oie.kmsi.reject", self.reject.as_ref()),
            ("remember", "oie.remember", self.remember.as_ref()),
        ]
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocale {
    #[serde(default)]
    kmsi: KmsiLabels,
    #[serde(default)]
    widget: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    strings: BTreeMap<String, Spanned<String>>,
}

/// One `locales/<lang>.toml`.
#[derive(Debug, Clone)]
pub struct Locale {
    pub tag: String,
    pub file: Arc<SourceFile>,
    pub kmsi: KmsiLabels,
    pub widget: BTreeMap<String, Spanned<String>>,
    pub strings: BTreeMap<String, Spanned<String>>,
}

impl Locale {
    fn empty(tag: &str) -> Self {
        Locale {
            tag: tag.to_string(),
            file: Arc::new(SourceFile::new(format!("locales/{tag}.toml"), "")),
            kmsi: KmsiLabels::default(),
            widget: BTreeMap::new(),
            strings: BTreeMap::new(),
        }
    }
}

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

/// Which part of the project a string belongs to, for the order in which a target's
/// template context merges them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueScope {
    /// `[vars]`.
    Project,
    /// `[environments.<name>.vars]`.
    Env(String),
    /// The `vars` of the brand with this name.
    Brand(String),
    /// A locale file (its tag): `[strings]`, `[widget]`, `[kmsi]`.
    Locale(String),
    /// Any other string in `signin-pages.toml` (names, `org_url`, …).
    Other,
}

/// One string value and where it is written.
#[derive(Debug, Clone)]
pub struct ValueSite {
    pub file: Arc<SourceFile>,
    pub scope: ValueScope,
    /// The value, escapes resolved.
    pub value: String,
    /// The literal in the file, quotes included.
    pub literal: Range<usize>,
    /// Where the value stands in the file byte for byte (a literal without escapes).
    pub verbatim: Option<usize>,
}

impl ValueSite {
    /// The value's bytes in the file, or the whole literal when it has escapes.
    pub fn span(&self) -> Range<usize> {
        match self.verbatim {
            Some(at) => at..at + self.value.len(),
            None => self.literal.clone(),
        }
    }
}

type OnString<'a> = &'a mut dyn FnMut(&[String], &str, Range<usize>);

fn walk_value(v: &toml_edit::Value, path: &mut Vec<String>, f: OnString<'_>) {
    use toml_edit::Value;
    match v {
        Value::String(s) => {
            if let Some(span) = v.span() {
                f(path, s.value(), span);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                path.push(i.to_string());
                walk_value(v, path, f);
                path.pop();
            }
        }
        Value::InlineTable(t) => {
            for (k, v) in t.iter() {
                path.push(k.to_string());
                walk_value(v, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

fn walk_item(it: &toml_edit::Item, path: &mut Vec<String>, f: OnString<'_>) {
    use toml_edit::Item;
    match it {
        Item::Value(v) => walk_value(v, path, f),
        Item::Table(t) => {
            for (k, i) in t.iter() {
                path.push(k.to_string());
                walk_item(i, path, f);
                path.pop();
            }
        }
        Item::ArrayOfTables(a) => {
            for (n, t) in a.iter().enumerate() {
                path.push(n.to_string());
                for (k, i) in t.iter() {
                    path.push(k.to_string());
                    walk_item(i, path, f);
                    path.pop();
                }
                path.pop();
            }
        }
        Item::None => {}
    }
}

/// Every string value of a TOML file; `scope` classifies each by its key path (table
/// keys and array indices).
fn string_values(
    file: &Arc<SourceFile>,
    scope: impl Fn(&[String]) -> ValueScope,
) -> Vec<Arc<ValueSite>> {
    let Ok(doc) = toml_edit::Document::parse(file.text.as_str()) else {
        return Vec::new();
    };
    let text = file.text.as_str();
    let mut out = Vec::new();
    walk_item(doc.as_item(), &mut Vec::new(), &mut |path, v, span| {
        let raw = text.get(span.clone()).unwrap_or("");
        // The text between the quotes (a multi-line string drops its first line break).
        let inner = if raw.len() >= 6 && (raw.starts_with("\"\"\"") || raw.starts_with("'''")) {
            let inner = &raw[3..raw.len() - 3];
            let skip = if inner.starts_with("\r\n") {
                2
            } else {
                usize::from(inner.starts_with('\n'))
            };
            Some((span.start + 3 + skip, &inner[skip..]))
        } else if raw.len() >= 2 {
            Some((span.start + 1, &raw[1..raw.len() - 1]))
        } else {
            None
        };
        out.push(Arc::new(ValueSite {
            file: Arc::clone(file),
            scope: scope(path),
            value: v.to_string(),
            verbatim: inner.filter(|(_, i)| *i == v).map(|(at, _)| at),
            literal: span,
        }));
    });
    out
}

/// The strings of the project file and the locale files.
fn value_sites(config: &Config, locales: &[Locale]) -> Vec<Arc<ValueSite>> {
    let brand_name = |i: &str| {
        i.parse::<usize>()
            .ok()
            .and_then(|i| config.brands.get(i))
            .map(|b| b.name.get_ref().clone())
    };
    let mut out = string_values(&config.file, |path| match path {
        [v, ..] if v == "vars" => ValueScope::Project,
        [e, name, v, ..] if e == "environments" && v == "vars" => ValueScope::Env(name.clone()),
        [b, i, v, ..] if b == "brands" && v == "vars" => {
            brand_name(i).map_or(ValueScope::Other, ValueScope::Brand)
        }
        _ => ValueScope::Other,
    });
    for l in locales {
        out.extend(string_values(&l.file, |_| {
            ValueScope::Locale(l.tag.clone())
        }));
    }
    out
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
    let locales = load_locales(root, &config, diags);
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
        values: value_sites(&config, &locales),
        config,
        locales,
        templates,
    })
}

fn load_locales(root: &Path, config: &Config, diags: &mut Diagnostics) -> Vec<Locale> {
    let dir = root.join("locales");
    // Locale files that exist but are not listed.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        names.sort();
        for n in names {
            let tag = n.trim_end_matches(".toml");
            if !config.locales.iter().any(|l| l == tag) {
                let file = Arc::new(SourceFile::new(format!("locales/{n}"), ""));
                diags.push(
                    Diagnostic::new(Rule::P005, format!("`locales/{n}` is for locale `{tag}`, which `[project] locales` does not list"))
                        .at(Location::line(&file, 1))
                        .help(format!("add \"{tag}\" to `locales` in signin-pages.toml, or remove the file")),
                );
            }
        }
    }
    let mut out = Vec::new();
    for tag in &config.locales {
        let rel = format!("locales/{tag}.toml");
        if !root.join(&rel).is_file() {
            if tag == &config.default_locale {
                // A project may rely on Okta's defaults entirely.
                out.push(Locale::empty(tag));
                continue;
            }
            let at = config
                .file
                .text
                .find(&format!("\"{tag}\""))
                .map(|o| Location::bytes(&config.file, o..o + tag.len() + 2));
            diags.push(
                Diagnostic::new(
                    Rule::P005,
                    format!("locale `{tag}` is listed but `{rel}` does not exist"),
                )
                .at_opt(at)
                .help(format!(
                    "create `{rel}` with its `[kmsi]` labels, or remove `{tag}` from `locales`"
                )),
            );
            continue;
        }
        if let Some(d) = escapes_project(root, &rel) {
            diags.push(d);
            continue;
        }
        let Some(file) = read_source(root, &rel, diags) else {
            continue;
        };
        match toml::from_str::<RawLocale>(&file.text) {
            Ok(raw) => out.push({
                reserved_in_values(&file, diags);
                Locale {
                    tag: tag.clone(),
                    file,
                    kmsi: raw.kmsi,
                    widget: raw.widget,
                    strings: raw.strings,
                }
            }),
            Err(e) => diags.push(toml_error(&file, &e, Rule::P001)),
        }
    }
    out
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
fn reserved_in_values(file: &Arc<SourceFile>, diags: &mut Diagnostics) {
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
fn escapes_project(root: &Path, rel: &str) -> Option<Diagnostic> {
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
