//! The preview pin: `deploy --preview` records the SHA-256 of each page's request body
//! in `.signin-pages/state/<env>/<brand dir>.json`, and `--publish` sends only a body
//! with that hash (the byte-identical payload that was previewed).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::okta::pages::Page;
use crate::write::WriteError;

/// SHA-256 of a request body, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `.signin-pages/state/<env>/<brand dir>.json`.
fn state_path(root: &Path, env: &str, brand_dir: &str) -> PathBuf {
    root.join(".signin-pages/state")
        .join(env)
        .join(format!("{brand_dir}.json"))
}

/// The hash recorded when `page` last went to preview.
pub fn previewed_hash(root: &Path, env: &str, brand_dir: &str, page: Page) -> Option<String> {
    let v: Value =
        serde_json::from_slice(&std::fs::read(state_path(root, env, brand_dir)).ok()?).ok()?;
    v.get(page.segment())?
        .get("previewedSha256")?
        .as_str()
        .map(String::from)
}

/// Record that `page`'s body with hash `sha` is what preview holds (atomic, durable).
pub fn record_preview(
    root: &Path,
    env: &str,
    brand_dir: &str,
    page: Page,
    sha: &str,
) -> Result<(), WriteError> {
    let path = state_path(root, env, brand_dir);
    let mut v: Value = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        // Anything but an object (a damaged file) is started afresh: indexing it panics.
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({}));
    v[page.segment()] = json!({ "previewedSha256": sha, "at": super::clock::timestamp() });
    let mut text = serde_json::to_string_pretty(&v).expect("state serializes");
    text.push('\n');
    crate::write::atomic(root, &path, text.as_bytes())
}
