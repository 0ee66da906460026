//! The Sign-In Widget facts in `data/widget/` (written by `scripts/widget-facts.mjs`) and
//! what the binary embeds of them (`src/widget/`): the same files, all loading, names and
//! facts only, and small.

use signin_pages::widget::{self, Widget};

use crate::support::repo;

fn data_files() -> Vec<(String, String)> {
    let dir = repo().join("data/widget");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_str().unwrap().to_string();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort_by_key(|(n, _)| widget::Version::parse(n));
    files
}

/// Adding `data/widget/7.50.0.json` without listing it in `src/widget/data.rs` (or the
/// other way round) fails here, as does a file that does not load.
#[test]
fn every_data_file_is_embedded_and_loads() {
    let on_disk: Vec<String> = data_files().into_iter().map(|(n, _)| n).collect();
    let (embedded, errors) = widget::embedded();
    assert_eq!(
        embedded, on_disk,
        "src/widget/data.rs and data/widget/ differ"
    );
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(Widget::known().versions().len(), on_disk.len());
}

/// Every 7.x minor published on npm from 7.0 on has its newest patch here (as of the
/// data's newest version), so `7.M` resolves for any of them; README.md says why.
#[test]
fn every_minor_up_to_the_newest_resolves() {
    let known = Widget::known();
    let newest = known.versions().last().unwrap().version();
    let minors: std::collections::BTreeSet<u32> = known
        .versions()
        .iter()
        .filter(|f| f.version().major == 7)
        .map(|f| f.version().minor)
        .collect();
    assert!(minors.contains(&8) && minors.contains(&13) && minors.contains(&newest.minor));
    for m in minors {
        let f = widget::resolve(&format!("7.{m}")).unwrap();
        assert_eq!((f.version().major, f.version().minor), (7, m));
    }
}

/// Names and facts only: the files hold the widget's key names, never its texts. A key
/// or language with a space in it would be a sentence that slipped in.
#[test]
fn data_holds_names_not_texts() {
    for (name, text) in data_files() {
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut names = Vec::new();
        for field in ["/i18n/keys", "/i18n/languages", "/i18n/country_codes"] {
            let v = value.pointer(field).unwrap();
            let list = v.as_array().or_else(|| {
                // shared with an older version: only what it adds is written here
                v.get("add").and_then(serde_json::Value::as_array)
            });
            names.extend(
                list.into_iter()
                    .flatten()
                    .map(|s| s.as_str().unwrap().to_string()),
            );
        }
        for n in names {
            assert!(
                !n.is_empty() && !n.contains(char::is_whitespace) && n.len() <= 256,
                "{name}: `{n}` is no key or code"
            );
        }
    }
}

/// The binary carries every version's facts: keep them small (measured: 145 KB for the
/// 37 versions 7.0.2–7.49.0, each version sharing what did not change with the one
/// before). A jump means the sharing broke or a field grew that should not have.
#[test]
fn embedded_data_stays_small() {
    let total: usize = data_files().iter().map(|(_, t)| t.len()).sum();
    assert!(total < 256 * 1024, "data/widget/ holds {total} bytes");
}

/// The preview's stand-in widget shows the widget's own texts from
/// `data/widget/stand-in/strings.json`: the file holds every key the stand-in's script
/// asks for (`t('key')`, `rich(t, 'key', …)`) and no key the script never names, and
/// English has every key (other languages fall back to it).
#[test]
fn the_stand_in_s_strings_are_the_keys_its_script_uses() {
    let file: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("data/widget/stand-in/strings.json")).unwrap(),
    )
    .unwrap();
    let script = std::fs::read_to_string(repo().join("src/preview/assets/widget.js")).unwrap();
    let keys: Vec<&str> = file["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    let english = file["languages"]["en"].as_object().unwrap();
    assert_eq!(english.keys().map(String::as_str).collect::<Vec<_>>(), keys);
    // Every key the script asks for.
    let mut asked = Vec::new();
    for call in ["t('", "rich(t, '"] {
        let mut pieces = script.split(call);
        let mut before = pieces.next().unwrap();
        for piece in pieces {
            // `t(` itself, not `input(` or `_emit(`.
            if !before.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.') {
                asked.push(piece.split('\'').next().unwrap());
            }
            before = piece;
        }
    }
    assert!(asked.len() > 30, "{asked:?}");
    let missing: Vec<&&str> = asked.iter().filter(|k| !keys.contains(k)).collect();
    assert!(
        missing.is_empty(),
        "widget.js asks for {missing:?}, which the data lacks"
    );
    // Every key of the data is named in the script (as a call's argument or in a table).
    let unused: Vec<&&str> = keys
        .iter()
        .filter(|k| !script.contains(&format!("'{k}'")))
        .collect();
    assert!(
        unused.is_empty(),
        "the data holds {unused:?}, which widget.js never names"
    );
    // From the newest known version.
    let newest = Widget::known()
        .versions()
        .last()
        .unwrap()
        .version()
        .to_string();
    assert_eq!(file["version"], newest.as_str());
}
