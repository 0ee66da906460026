//! What the remote commands share: connecting to an environment's org, the backups
//! taken before every write, the state that pins what was previewed, and field-by-field
//! comparison of what the org has with what the project builds.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::config::Environment;
use crate::emit;
use crate::okta::ops::{Page, Slot};
use crate::okta::{Client, Credentials, OktaError, OrgUrl, Secret};
use crate::project::Project;

/// The org URL and credentials of an environment: `org_url` (or `OKTA_CLIENT_ORGURL`),
/// then a service app (`[environments.E.oauth]`), the variable `token_env` names,
/// `OKTA_API_TOKEN`, or Okta's SDK variable `OKTA_CLIENT_TOKEN`.
pub fn connect(project: &Project, env: &Environment, verbose: u8) -> Result<Client, OktaError> {
    let (org_url, source) = match &env.org_url {
        Some(u) => (u.get_ref().clone(), "org_url"),
        None => (
            std::env::var("OKTA_CLIENT_ORGURL").map_err(|_| {
                OktaError::Setup(format!(
                    "environment `{}` has no org_url: set `org_url` in signin-pages.toml or OKTA_CLIENT_ORGURL",
                    env.name
                ))
            })?,
            "OKTA_CLIENT_ORGURL",
        ),
    };
    // The value itself is not repeated: it may carry credentials.
    let org = OrgUrl::parse(&org_url).map_err(|problem| {
        OktaError::Setup(format!("{source} of environment `{}`: {problem}", env.name))
    })?;
    let creds = credentials(project, env)?;
    Client::new(org, creds, verbose)
}

fn credentials(project: &Project, env: &Environment) -> Result<Credentials, OktaError> {
    if let Some(o) = &env.oauth {
        let (key, source) = match (&o.private_key_file, &o.private_key_env) {
            (Some(f), _) => {
                let path = project.root.join(f.get_ref());
                let pem = std::fs::read_to_string(&path).map_err(|e| {
                    OktaError::Setup(format!(
                        "cannot read the service app's private key `{}`: {e}",
                        f.get_ref()
                    ))
                })?;
                (pem, format!("the key file {}", f.get_ref()))
            }
            (None, Some(v)) => {
                let pem = std::env::var(v.get_ref()).map_err(|_| {
                    OktaError::Setup(format!(
                        "the variable {} (the service app's private key) is not set",
                        v.get_ref()
                    ))
                })?;
                (pem, format!("the variable {}", v.get_ref()))
            }
            (None, None) => {
                return Err(OktaError::Setup(
                    "the service app has no private key".into(),
                ));
            }
        };
        return Ok(Credentials::ServiceApp {
            client_id: o.client_id.get_ref().clone(),
            key: Secret::new(key),
            key_id: o.key_id.clone(),
            scopes: o.scopes.clone(),
            source,
        });
    }
    let names: Vec<String> = match &env.token_env {
        Some(v) => vec![v.get_ref().clone()],
        None => vec!["OKTA_API_TOKEN".into(), "OKTA_CLIENT_TOKEN".into()],
    };
    for n in &names {
        if let Ok(t) = std::env::var(n)
            && !t.trim().is_empty()
        {
            return Ok(Credentials::ApiToken {
                token: Secret::new(t.trim()),
                source: format!("the variable {n}"),
            });
        }
    }
    Err(OktaError::Setup(format!(
        "no credentials for environment `{}`: set {} to an API token (Admin Console › Security › API › Tokens), or configure `[environments.{}.oauth]`",
        env.name,
        names.join(" or "),
        env.name
    )))
}

/// SHA-256 of a request body, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// UTC time as `20261127T051502Z` (sortable, safe in file names).
pub fn timestamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_millis());
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}.{nanos:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `.signin-pages/backups/<env>/<brand dir>/`.
pub fn backup_dir(root: &Path, env: &str, brand_dir: &str) -> PathBuf {
    root.join(".signin-pages/backups").join(env).join(brand_dir)
}

/// A saved copy of what the org had, before a write.
#[derive(Debug, Clone)]
pub struct Backup {
    pub path: PathBuf,
    pub file_name: String,
    pub slot: String,
    pub page: String,
    pub brand: String,
    pub body: Value,
}

/// Whose page a backup holds.
pub struct BackupOf<'a> {
    pub root: &'a Path,
    pub env: &'a str,
    pub brand: &'a str,
    pub brand_dir: &'a str,
    pub brand_id: &'a str,
}

/// Write what `slot` of `page` held (`None`: nothing) before a write. Atomic; an error
/// here must stop the write.
pub fn save_backup(
    of: &BackupOf<'_>,
    page: Page,
    slot: Slot,
    current: Option<&Value>,
) -> Result<PathBuf, emit::EmitError> {
    let BackupOf {
        root,
        env,
        brand,
        brand_dir,
        brand_id,
    } = *of;
    let taken = timestamp();
    let name = format!("{taken}-{}-{}.json", page.segment(), slot.segment());
    let path = backup_dir(root, env, brand_dir).join(name);
    let doc = json!({
        "brand": brand,
        "brandId": brand_id,
        "environment": env,
        "page": page.segment(),
        "slot": slot.segment(),
        "takenAt": taken,
        "body": current.cloned().unwrap_or(Value::Null),
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("backups serialize");
    text.push('\n');
    crate::write::atomic(root, &path, text.as_bytes())?;
    Ok(path)
}

/// Every backup of a brand, oldest first. A brand whose name is not ASCII had another
/// folder before folder names kept every script ([`crate::config::ascii_brand_dir`]);
/// its backups there (and only its own: several names shared such a folder) are
/// listed too.
pub fn list_backups(root: &Path, env: &str, brand: &crate::config::Brand) -> Vec<Backup> {
    let name = brand.name.get_ref();
    let mut out = read_backups(&backup_dir(root, env, &brand.dir), None);
    let legacy = crate::config::ascii_brand_dir(name);
    if legacy != brand.dir {
        out.extend(read_backups(&backup_dir(root, env, &legacy), Some(name)));
    }
    out.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    out
}

/// The backups in `dir`; with `only`, those of that brand alone.
fn read_backups(dir: &Path, only: Option<&str>) -> Vec<Backup> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
        .filter_map(|e| {
            let v: Value = serde_json::from_slice(&std::fs::read(e.path()).ok()?).ok()?;
            let brand = v
                .get("brand")
                .and_then(|b| b.as_str())
                .unwrap_or("")
                .to_string();
            if only.is_some_and(|o| o != brand) {
                return None;
            }
            Some(Backup {
                path: e.path(),
                file_name: e.file_name().to_string_lossy().into_owned(),
                slot: v.get("slot")?.as_str()?.to_string(),
                page: v.get("page")?.as_str()?.to_string(),
                brand,
                body: v.get("body").cloned().unwrap_or(Value::Null),
            })
        })
        .collect()
}

/// `.signin-pages/state/<env>/<brand dir>.json`: the hash of the payload last sent to
/// preview, per page, which `--publish` must match.
fn state_path(root: &Path, env: &str, brand_dir: &str) -> PathBuf {
    root.join(".signin-pages/state")
        .join(env)
        .join(format!("{brand_dir}.json"))
}

pub fn previewed_hash(root: &Path, env: &str, brand_dir: &str, page: Page) -> Option<String> {
    let v: Value =
        serde_json::from_slice(&std::fs::read(state_path(root, env, brand_dir)).ok()?).ok()?;
    v.get(page.segment())?
        .get("previewedSha256")?
        .as_str()
        .map(String::from)
}

pub fn record_preview(
    root: &Path,
    env: &str,
    brand_dir: &str,
    page: Page,
    sha: &str,
) -> Result<(), emit::EmitError> {
    let path = state_path(root, env, brand_dir);
    let mut v: Value = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_else(|| json!({}));
    v[page.segment()] = json!({ "previewedSha256": sha, "at": timestamp() });
    let mut text = serde_json::to_string_pretty(&v).expect("state serializes");
    text.push('\n');
    crate::write::atomic(root, &path, text.as_bytes())
}

/// One field that differs: its dotted name, what the org has, what the project sends.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

/// Flatten an object to dotted leaves (arrays stay whole); nulls are dropped, since
/// Okta answers null for every field a PUT did not send.
fn leaves(prefix: &str, v: &Value, out: &mut Map<String, Value>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(&key, x, out);
            }
        }
        Value::Null => {}
        other => {
            out.insert(prefix.to_string(), other.clone());
        }
    }
}

/// Every field where `remote` (None: the slot is empty) differs from `ours`, in a
/// stable order, `pageContent` first. Absent and null are the same (Okta answers null
/// for what a PUT did not send); a field the org has and `ours` leaves out is a change
/// to null, which [`would_reset`] guards. For a KMSI prompt label that is a real change
/// too: with the label null the widget shows its own text in the visitor's language,
/// with it set every language without its own `config.i18n` label shows the org's text.
pub fn field_changes(remote: Option<&Value>, ours: &Value) -> Vec<FieldChange> {
    let mut old = Map::new();
    let mut new = Map::new();
    if let Some(r) = remote {
        leaves("", r, &mut old);
    }
    leaves("", ours, &mut new);
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort_by_key(|k| (k.as_str() != "pageContent", k.as_str()));
    keys.dedup();
    keys.into_iter()
        .filter(|k| old.get(*k) != new.get(*k))
        .map(|k| FieldChange {
            field: k.clone(),
            old: old.get(k).cloned().unwrap_or(Value::Null),
            new: new.get(k).cloned().unwrap_or(Value::Null),
        })
        .collect()
}

/// Fields the org has set that the project does not send: a PUT would reset them.
pub fn would_reset(changes: &[FieldChange]) -> Vec<&FieldChange> {
    changes
        .iter()
        .filter(|c| c.new.is_null() && !c.old.is_null())
        .collect()
}

/// `v` without null members (Okta's GET answers null for unset fields; a PUT need not
/// send them).
pub fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, x)| !x.is_null())
                .map(|(k, x)| (k.clone(), without_nulls(x)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A value as a short one-line text for "old → new".
pub fn show(v: &Value) -> String {
    match v {
        Value::Null => "(unset)".into(),
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

/// Fields Okta's answer to a PUT does not echo as sent (everything we sent must come
/// back the same).
pub fn mismatches(sent: &Value, answer: &Value) -> Vec<String> {
    field_changes(Some(answer), sent)
        .into_iter()
        .filter(|c| !c.new.is_null())
        .map(|c| c.field)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_784), (2026, 11, 27));
    }

    #[test]
    fn changes_and_resets() {
        let remote = json!({"pageContent": "a", "widgetVersion": "^7", "widgetCustomizations": {"helpUrl": "https://h", "signInLabel": null}});
        let ours = json!({"pageContent": "b", "widgetVersion": "^7", "widgetCustomizations": {"widgetGeneration": "G3"}});
        let c = field_changes(Some(&remote), &ours);
        let names: Vec<&str> = c.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            names,
            [
                "pageContent",
                "widgetCustomizations.helpUrl",
                "widgetCustomizations.widgetGeneration"
            ]
        );
        let r = would_reset(&c);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].field, "widgetCustomizations.helpUrl");
        assert!(mismatches(&ours, &json!({"pageContent": "b", "widgetVersion": "^7", "widgetCustomizations": {"widgetGeneration": "G3", "helpUrl": null}})).is_empty());
    }
}
