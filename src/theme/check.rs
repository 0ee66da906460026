//! The theme checks that need more than one value on its own: each image a layer names
//! (B003 what its header says against what Okta takes, B004 a file missing or outside
//! the project) and, per target, each colour against its contrast colour (B005, the
//! design tokens' WCAG rule and threshold). Colours and variants are checked while the
//! project file is read (`config::theme`).

use std::path::{Component, Path};
use std::sync::Arc;

use toml::Spanned;

use super::image::{self, Format, Header};
use crate::config::{ColorKey, ImageKey, ThemeLayer};
use crate::diag::{Diagnostic, Location, Rule};
use crate::project::Project;
use crate::source::SourceFile;
use crate::widget::colour::{AA_NORMAL_TEXT, Ratio, Rgba, contrast};

/// What Okta takes for one image of the theme.
#[derive(Debug, Clone, Copy)]
pub struct ImageRule {
    pub formats: &'static [Format],
    /// The file must be smaller than this many bytes. Okta documents "less than 100 kB"
    /// and "less than 2 MB"; the decimal reading is the stricter, so that nothing this
    /// check lets through is refused at upload.
    pub below_bytes: u64,
    pub square: bool,
    /// The longest side, in pixels.
    pub max_side: Option<u32>,
}

pub fn image_rule(kind: ImageKey) -> ImageRule {
    match kind {
        ImageKey::Logo => ImageRule {
            formats: &[Format::Png, Format::Jpeg, Format::Gif],
            below_bytes: 100_000,
            square: false,
            max_side: None,
        },
        ImageKey::Favicon => ImageRule {
            formats: &[Format::Png, Format::Ico],
            below_bytes: u64::MAX,
            square: true,
            max_side: Some(512),
        },
        ImageKey::Background => ImageRule {
            formats: &[Format::Png, Format::Jpeg, Format::Gif],
            below_bytes: 2_000_000,
            square: false,
            max_side: None,
        },
    }
}

/// Every theme finding of the project: each layer's images, each target's contrast.
pub fn check_project(project: &Project) -> Vec<Diagnostic> {
    let config = &project.config;
    let file = &config.file;
    let mut out = Vec::new();
    let layers = config
        .theme
        .iter()
        .chain(config.environments.iter().filter_map(|e| e.theme.as_ref()))
        .chain(config.brands.iter().filter_map(|b| b.theme.as_ref()));
    for layer in layers {
        for (kind, rel) in &layer.images {
            if let Some(d) = check_image(&project.root, file, *kind, rel) {
                out.push(d);
            }
        }
    }
    for env in &config.environments {
        for brand in &config.brands {
            let layers = super::theme_layers(config, env, brand);
            for d in contrast_pairs(file, &layers) {
                out.push(d.target(&env.name, brand.name.get_ref()));
            }
        }
    }
    out
}

/// B005 for each colour of the merged layers whose contrast colour is written too and
/// reads below 4.5:1 on it; at the contrast colour's key.
fn contrast_pairs(file: &Arc<SourceFile>, layers: &[&ThemeLayer]) -> Vec<Diagnostic> {
    let colors = super::merged(layers.iter().map(|l| &l.colors));
    let mut out = Vec::new();
    for k in ColorKey::ALL {
        let Some(text_key) = k.contrast() else {
            continue;
        };
        let (Some(bg), Some(text)) = (colors.get(&k), colors.get(&text_key)) else {
            continue;
        };
        let (Some(b), Some(t)) = (Rgba::parse(bg.get_ref()), Rgba::parse(text.get_ref())) else {
            continue;
        };
        let ratio = contrast(t, b);
        if ratio >= AA_NORMAL_TEXT {
            continue;
        }
        out.push(
            Diagnostic::new(
                Rule::B005,
                format!(
                    "`{}` (`{}`) on `{}` (`{}`) has a contrast of {}, below the {}:1 WCAG AA asks for text",
                    text_key.key(),
                    text.get_ref(),
                    k.key(),
                    bg.get_ref(),
                    Ratio(ratio),
                    AA_NORMAL_TEXT
                ),
            )
            .at(Location::bytes(file, text.span()))
            .help(format!(
                "darken or lighten one of the two until the ratio is at least {AA_NORMAL_TEXT}:1 (Okta draws `{}` as text on `{}`)",
                text_key.key(),
                k.key()
            )),
        );
    }
    out
}

/// B004 or B003 for the image `rel` a layer names as `kind`, or nothing when Okta would
/// take it.
fn check_image(
    root: &Path,
    file: &Arc<SourceFile>,
    kind: ImageKey,
    rel: &Spanned<String>,
) -> Option<Diagnostic> {
    let at = Location::bytes(file, rel.span());
    let key = kind.key();
    let name = rel.get_ref();
    let missing = |why: String| {
        Diagnostic::new(Rule::B004, why)
            .at(at.clone())
            .help("put the image in the project (e.g. `static/logo.png`) and write its path relative to the project folder")
    };
    if name.trim().is_empty() {
        return Some(missing(format!("`{key}` names no file")));
    }
    let leaves = Path::new(name).components().any(|c| {
        matches!(
            c,
            Component::ParentDir | Component::RootDir | Component::Prefix(_)
        )
    }) || name.contains('\\');
    if leaves {
        return Some(missing(format!(
            "`{key}` `{name}` is outside the project: write a path below the project folder, without `..`"
        )));
    }
    let path = root.join(name);
    let real = match path.canonicalize() {
        Ok(real) => real,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Some(missing(format!("`{key}` `{name}` does not exist")));
        }
        Err(e) => return Some(missing(format!("`{key}` `{name}` cannot be read: {e}"))),
    };
    if let Ok(real_root) = root.canonicalize()
        && !real.starts_with(&real_root)
    {
        return Some(missing(format!(
            "`{key}` `{name}` is a link that leads outside the project"
        )));
    }
    let meta = match std::fs::metadata(&real) {
        Ok(m) if m.is_file() => m,
        Ok(_) => return Some(missing(format!("`{key}` `{name}` is not a file"))),
        Err(e) => return Some(missing(format!("`{key}` `{name}` cannot be read: {e}"))),
    };
    let rule = image_rule(kind);
    let header = std::fs::File::open(&real)
        .map_err(image::HeaderError::Io)
        .and_then(|mut f| image::read_header(&mut f));
    let problems = problems(&rule, meta.len(), header);
    if problems.is_empty() {
        return None;
    }
    let names: Vec<&str> = rule.formats.iter().map(|f| f.name()).collect();
    let takes = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    };
    let mut help = format!("Okta takes a {key} as {takes}");
    if rule.below_bytes != u64::MAX {
        help.push_str(&format!(", smaller than {}", bytes(rule.below_bytes)));
    }
    if rule.square {
        help.push_str(", square");
    }
    if let Some(max) = rule.max_side {
        help.push_str(&format!(", at most {max} × {max} pixels"));
    }
    help.push_str(": export it again accordingly");
    Some(
        Diagnostic::new(
            Rule::B003,
            format!("`{key}` `{name}` {}", problems.join(", and ")),
        )
        .at(at)
        .help(help),
    )
}

/// What is wrong with an image of `len` bytes whose header reads `header`.
fn problems(rule: &ImageRule, len: u64, header: Result<Header, image::HeaderError>) -> Vec<String> {
    let mut out = Vec::new();
    if len >= rule.below_bytes {
        out.push(format!(
            "is {} (limit: below {})",
            bytes(len),
            bytes(rule.below_bytes)
        ));
    }
    let h = match header {
        Ok(h) => h,
        Err(e) => {
            out.push(e.to_string());
            return out;
        }
    };
    if !rule.formats.contains(&h.format) {
        out.push(format!("is {} {}", article(h.format), h.format));
        return out;
    }
    if let Some((w, hh)) = h.ico_not_square.or(h.size.filter(|(w, h)| w != h))
        && rule.square
    {
        out.push(format!("is {w} × {hh} pixels, not square"));
    }
    if let (Some(max), Some((w, hh))) = (rule.max_side, h.size)
        && (w > max || hh > max)
    {
        out.push(format!("is {w} × {hh} pixels (at most {max} × {max})"));
    }
    out
}

fn article(f: Format) -> &'static str {
    match f {
        Format::Svg | Format::Ico => "an",
        _ => "a",
    }
}

/// A size as people read it: `98.3 kB`, `2.4 MB`, `512 bytes`.
fn bytes(n: u64) -> String {
    let short = |v: f64, unit: &str| {
        let s = format!("{v:.1}");
        format!("{} {unit} ({n} bytes)", s.trim_end_matches(".0"))
    };
    if n >= 1_000_000 {
        short(n as f64 / 1e6, "MB")
    } else if n >= 1_000 {
        short(n as f64 / 1e3, "kB")
    } else {
        format!("{n} bytes")
    }
}
