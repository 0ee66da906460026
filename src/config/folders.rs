//! Folder names made from names in the project file: a brand's folder under `dist/`,
//! `snapshots/` and the backups, and the key two folder names collide on where case
//! does not count. Brand and environment names are checked against these when the
//! project file is validated, so that no two targets ever share a folder.

/// A folder name for a brand under `dist/<env>/`, `snapshots/<env>/` and
/// `.signin-pages/backups/<env>/`: its name in Unicode NFC, keeping letters, marks and
/// digits of every script and `-`, `_`, `.`; everything else (spaces, punctuation,
/// separators, the characters Windows reserves `<>:"/\\|?*`, control characters) becomes
/// `-`. Leading and trailing dots go, a Windows device name (`CON`, `NUL`, `COM1`, …)
/// gets a leading `_`, and the name is cut to 100 bytes. ASCII names map as they always
/// did (`Acme Health` → `Acme-Health`).
pub fn brand_dir(name: &str) -> String {
    use icu_properties::CodePointMapData;
    use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};
    let gc = CodePointMapData::<GeneralCategory>::new();
    let keep = |c: char| {
        if c.is_ascii() {
            return c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        }
        let cat = gc.get(c);
        GeneralCategoryGroup::Letter.contains(cat)
            || GeneralCategoryGroup::Mark.contains(cat)
            || GeneralCategoryGroup::Number.contains(cat)
    };
    let nfc = icu_normalizer::ComposingNormalizerBorrowed::new_nfc().normalize(name);
    let s: String = nfc.chars().map(|c| if keep(c) { c } else { '-' }).collect();
    let mut s = s.trim_matches('.').to_string();
    // Most file systems allow 255 bytes per name; leave room for `.tmp-…` siblings.
    if s.len() > 100 {
        let mut end = 100;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s = s.trim_end_matches('.').to_string();
    }
    if s.is_empty() {
        return "brand".to_string();
    }
    if windows_device_name(&s) {
        s.insert(0, '_');
    }
    s
}

/// The folder name earlier versions gave a brand: every character other than ASCII
/// letters, digits, `-`, `_` and `.` replaced by `-`. Backups taken then are still
/// found there.
pub fn ascii_brand_dir(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('.').to_string();
    if s.is_empty() { "brand".to_string() } else { s }
}

/// `CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9`, `LPT0`–`LPT9` (also with superscript
/// digits), in any case and with any extension: names Windows refuses for a file or
/// folder.
fn windows_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    match stem.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" => true,
        _ => {
            let (Some(head), Some(tail)) = (stem.get(..3), stem.get(3..)) else {
                return false;
            };
            matches!(head, "COM" | "LPT")
                && tail.chars().count() == 1
                && tail
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '¹' | '²' | '³'))
        }
    }
}

/// The key two folder names collide on where case does not count (macOS and Windows by
/// default): Unicode lowercase.
pub fn folder_key(dir: &str) -> String {
    dir.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brand_folders() {
        assert_eq!(brand_dir("Acme Health"), "Acme-Health");
        assert_eq!(brand_dir("B: one/two"), "B--one-two");
        assert_eq!(brand_dir("Äcme Ωmega 東京"), "Äcme-Ωmega-東京");
        assert_eq!(brand_dir("हिन्दी"), "हिन्दी");
        // Decomposed input comes out composed.
        assert_eq!(brand_dir("Cafe\u{301}"), "Café");
        assert_eq!(
            brand_dir("a<b>c:d\"e/f\\g|h?i*j\u{7}k"),
            "a-b-c-d-e-f-g-h-i-j-k"
        );
        assert_eq!(brand_dir("..x.."), "x");
        assert_eq!(brand_dir("..."), "brand");
        assert_eq!(brand_dir("con"), "_con");
        assert_eq!(brand_dir("NUL.txt"), "_NUL.txt");
        assert_eq!(brand_dir("COM1"), "_COM1");
        assert_eq!(brand_dir("LPT²"), "_LPT²");
        assert_eq!(brand_dir("COM10"), "COM10");
        assert_eq!(brand_dir("Console"), "Console");
        assert!(brand_dir(&"é".repeat(200)).len() <= 100);
        assert_eq!(folder_key("ÄCME"), folder_key("äcme"));
    }
}
