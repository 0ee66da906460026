//! The files the preview serves from memory under `/__preview/`: the stand-in widget and
//! `OktaUtil`, the preview's client script, the stylesheets and neutral images that stand
//! in for a theme.

/// Name under `/__preview/` → contents.
const FILES: &[(&str, &str)] = &[
    ("client.js", include_str!("assets/client.js")),
    ("widget.js", include_str!("assets/widget.js")),
    ("widget.css", include_str!("assets/widget.css")),
    ("okta-util.js", include_str!("assets/okta-util.js")),
    ("themed.css", include_str!("assets/themed.css")),
    ("toolbar.css", include_str!("assets/toolbar.css")),
    ("preview.css", include_str!("assets/preview.css")),
    ("visual.css", include_str!("assets/visual.css")),
    ("background.svg", include_str!("assets/background.svg")),
    ("logo.svg", include_str!("assets/logo.svg")),
    ("favicon.svg", include_str!("assets/favicon.svg")),
    ("signed-in", include_str!("assets/signed-in.html")),
];

/// `/__preview/<name>?v=<hash of every file>`: the files are part of the binary, so a
/// browser may keep them for good, and a page reloads with one request.
pub(crate) fn url(name: &str) -> String {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let v = VERSION.get_or_init(|| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        FILES.hash(&mut h);
        format!("{:x}", h.finish())
    });
    format!("/__preview/{name}?v={v}")
}

/// The content type and contents of a file.
pub(crate) fn get(name: &str) -> Option<(&'static str, &'static str)> {
    FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, body)| (content_type(n), *body))
}

/// A content type by file extension (`text/html` without one).
pub(crate) fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map_or("html", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
