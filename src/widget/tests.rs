//! Unit tests of the embedded widget facts: every file loads, versions resolve, keys,
//! languages, tokens and CSS landmarks read as the data says.

use super::*;

fn newest_name() -> &'static str {
    data::FILES.last().unwrap().0
}

fn widget() -> &'static Widget {
    Widget::known()
}

#[test]
fn every_embedded_file_loads_oldest_first() {
    let (names, errors) = embedded();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(widget().versions().len(), names.len());
    let parsed: Vec<Version> = names.iter().map(|n| Version::parse(n).unwrap()).collect();
    let mut sorted = parsed.clone();
    sorted.sort();
    assert_eq!(parsed, sorted, "data.rs lists the files oldest first");
}

#[test]
fn resolving_one_version_reads_what_reading_them_all_does() {
    // `resolve` reads only the version it finds (and the files it shares fields with);
    // `Widget::known` reads every file. Each version read both ways is the same.
    for (name, _) in data::FILES {
        let lazy = resolve(name).expect("an embedded version resolves");
        let all = widget().resolve(name).unwrap();
        assert_eq!(lazy.version(), all.version(), "{name}");
        assert!(lazy.keys().eq(all.keys()), "{name}: keys");
        assert_eq!(lazy.languages(), all.languages(), "{name}: languages");
        assert!(
            lazy.tokens()
                .map(|(n, _)| n)
                .eq(all.tokens().map(|(n, _)| n)),
            "{name}: tokens"
        );
    }
    for spec in ["*", "^7", "7", "7.13", "7.8", "6", "8", "7.22", "latest"] {
        assert_eq!(
            resolve(spec).map(Facts::version),
            widget().resolve(spec).map(Facts::version),
            "{spec}"
        );
    }
}

#[test]
fn ranges_resolve_to_the_newest_known_match() {
    let newest = Version::parse(newest_name()).unwrap();
    for spec in ["*", "^7", "7", " ^7 "] {
        assert_eq!(resolve(spec).map(Facts::version), Some(newest), "{spec}");
    }
    // `7.13` → the newest 7.13.x that has a file
    let newest_13 = data::FILES
        .iter()
        .filter_map(|(n, _)| Version::parse(n))
        .filter(|v| v.major == 7 && v.minor == 13)
        .max()
        .unwrap();
    assert_eq!(resolve("7.13").map(Facts::version), Some(newest_13));
    assert_eq!(
        resolve(&newest_13.to_string()).map(Facts::version),
        Some(newest_13)
    );
    // nothing known, or a form Okta refuses
    for spec in [
        "6", "^6", "8", "7.22", "7.13.0", "^7.13", "v7", "latest", "", "7.", ".7", "^",
    ] {
        assert!(resolve(spec).is_none(), "{spec}");
    }
}

#[test]
fn string_keys_and_country_keys() {
    let f = resolve("^7").unwrap();
    assert!(f.has_key("primaryauth.title"));
    assert!(f.has_key("oie.kmsi.title"));
    assert!(f.has_kmsi_prompt());
    assert!(f.has_key("country.JP"));
    assert!(!f.has_key("country.XX"));
    assert!(!f.has_key("primaryauth.titel"));
    assert!(!f.has_key("PRIMARYAUTH.TITLE"), "keys are case-sensitive");
    assert!(f.keys().any(|k| k == "oie.remember"));
    // The post-sign-in KMSI prompt's strings arrived in 7.13 (DESIGN.md): none before.
    assert!(!resolve("7.8").unwrap().has_kmsi_prompt());
    assert!(resolve("7.13").unwrap().has_kmsi_prompt());
}

#[test]
fn project_locales_map_to_the_widget_languages() {
    let f = resolve("^7").unwrap();
    for (locale, want) in [
        ("en", Some("en")),
        ("en-GB", Some("en")),
        ("fr", Some("fr")),
        ("fr-CA", Some("fr")),
        ("pt-BR", Some("pt_BR")),
        ("PT-br", Some("pt_BR")),
        ("pt_BR", Some("pt_BR")),
        ("pt", Some("pt_BR")),
        ("pt-PT", Some("pt_BR")),
        ("nl", Some("nl_NL")),
        ("nl-BE", Some("nl_NL")),
        ("zh", Some("zh_CN")),
        ("zh-CN", Some("zh_CN")),
        ("zh-Hans", Some("zh_CN")),
        ("zh-SG", Some("zh_CN")),
        ("zh-TW", Some("zh_TW")),
        ("zh-Hant", Some("zh_TW")),
        ("zh-Hant-HK", Some("zh_TW")),
        ("zh-HK", Some("zh_TW")),
        ("no", Some("nb")),
        ("ga", None),
        ("sr-Latn", None),
    ] {
        assert_eq!(f.widget_language(locale), want, "{locale}");
    }
    assert_eq!(language_tag("pt_BR"), "pt-BR");
    assert!(f.languages().iter().any(|l| l == "en"));
}

#[test]
fn tokens_from_7_11_and_their_kinds() {
    assert!(!resolve("7.8").unwrap().reads_theme_tokens());
    assert_eq!(resolve("7.8").unwrap().tokens().count(), 0);
    let f = resolve("^7").unwrap();
    assert!(f.has_g3());
    assert!(f.reads_theme_tokens());
    let primary = f.token("PalettePrimaryMain").unwrap();
    assert_eq!(primary.kind, TokenKind::Colour);
    assert_eq!(
        f.token("TypographyLineHeightBody").unwrap().kind,
        TokenKind::Number
    );
    assert_eq!(f.token("Spacing4").unwrap().kind, TokenKind::Length);
    assert_eq!(
        f.token("TypographyFamilyBody").unwrap().kind,
        TokenKind::FontFamily
    );
    assert!(f.token("PalettePrimaryMian").is_none());
    // What the script decided and what this module accepts agree, for every version.
    for v in widget().versions() {
        for (name, t) in v.tokens() {
            assert!(
                t.kind.accepts(&t.default),
                "{} {name} = {:?}",
                v.version(),
                t
            );
        }
    }
}

#[test]
fn token_kinds_accept_and_refuse() {
    use TokenKind::*;
    for (kind, ok) in [
        (
            Colour,
            &[
                "#1662dd",
                "#FFF",
                "#11223344",
                "rgb(1, 2, 3)",
                "rgba(0,0,0,.5)",
                "RebeccaPurple",
                "transparent",
            ][..],
        ),
        (
            Length,
            &[
                "0",
                "6px",
                "1.5rem",
                "87.5%",
                ".5em",
                "calc(1rem + 2px)",
                "-1px",
            ],
        ),
        (Number, &["1.5", "100", "0"]),
        (FontWeight, &["400", "bold", "1000"]),
        (FontFamily, &["'Inter', sans-serif"]),
        (FontStyle, &["normal", "italic"]),
        (BorderStyle, &["solid", "dashed"]),
        (
            Shadow,
            &[
                "none",
                "0px 1px 2px 0px rgba(39, 39, 39, 0.07)",
                "0 1px 2px red, 0 2px 4px blue",
            ],
        ),
        (Duration, &["100ms", "0.2s"]),
        (
            TimingFunction,
            &["linear", "ease-in-out", "cubic-bezier(0.1, 0.7, 1, 0.1)"],
        ),
        (Alpha, &["BF", "ff"]),
    ] {
        for v in ok {
            assert!(kind.accepts(v), "{kind:?} should accept {v:?}");
        }
        // Real Gen3 pages (corpus 008, 009) give tokens CSS custom properties.
        assert!(kind.accepts("var(--color-fuchsia)"), "{kind:?}");
    }
    for (kind, bad) in [
        (
            Colour,
            &["#12345", "blue-ish", "16px", "", "rgb(1,2,3", "var(--x"][..],
        ),
        (Length, &["16", "px", "1.2.3px", "bold"]),
        (Number, &["1.5rem", "one", ""]),
        (FontWeight, &["heavy", "0", "1001"]),
        (FontFamily, &["", "x; color: red"]),
        (BorderStyle, &["solid 1px", "#fff"]),
        (Shadow, &["", "red"]),
        (Duration, &["100", "ms"]),
        (TimingFunction, &["fast"]),
        (Alpha, &["B", "GG", "0.5"]),
    ] {
        for v in bad {
            assert!(!kind.accepts(v), "{kind:?} should refuse {v:?}");
        }
    }
}

#[test]
fn contrast_pairs_name_known_tokens() {
    let f = resolve("^7").unwrap();
    let primary = f
        .contrast_pairs()
        .iter()
        .find(|p| p.background == Side::Token("PalettePrimaryMain".into()))
        .expect("text on the primary colour");
    assert!(
        primary
            .places
            .iter()
            .any(|p| p.contains("button (variant primary)"))
    );
    assert!(f.contrast_pairs().iter().any(|p| {
        p.text.token() == Some("TypographyColorBody")
            && p.places.iter().any(|w| w.contains("widget's card"))
    }));
    for v in widget().versions() {
        if !v.reads_theme_tokens() {
            assert!(v.contrast_pairs().is_empty());
        }
        for p in v.contrast_pairs() {
            for side in [&p.text, &p.background] {
                match side {
                    Side::Token(t) => assert!(v.token(t).is_some(), "{} {t}", v.version()),
                    Side::Fixed(c) => assert!(TokenKind::Colour.accepts(c)),
                }
            }
            assert!(p.text.token().is_some() || p.background.token().is_some());
            assert!(!p.places.is_empty());
            assert!(
                p.places
                    .iter()
                    .all(|w| !w.to_lowercase().contains("disabled"))
            );
        }
    }
}

#[test]
fn gen2_landmarks() {
    let f = resolve("^7").unwrap();
    for class in [
        "button-primary",
        "auth-container",
        "o-form-button-bar",
        "okta-form-title",
    ] {
        assert!(f.is_gen2_only_class(class), "{class}");
        assert!(f.is_gen2_class(class), "{class}");
    }
    // Gen3's form carries `class="o-form"` (a hook only) from 7.16 on.
    assert!(f.is_gen2_class("o-form"));
    assert!(!f.is_gen2_only_class("o-form"));
    assert!(resolve("7.13").unwrap().is_gen2_only_class("o-form"));
    // Generated and page-level names are no Gen2 landmark.
    assert!(!f.is_gen2_class("MuiButton-root"));
    assert!(!f.is_gen2_class("button"));
    assert!(f.ids().iter().any(|i| i.id == "okta-sign-in" && i.gen3));
    assert!(!f.gen3_only_classes().is_empty());
}

#[test]
fn generations() {
    assert!(!resolve("7.7").unwrap().has_g3());
    assert!(resolve("7.8").unwrap().has_g3());
    assert!(resolve("7.7").unwrap().has_g2());
}

const BASE: &str = r#"{
 "format": 1, "package": "@okta/okta-signin-widget", "version": "7.1.0",
 "generations": {"g2": true, "g3": false},
 "i18n": {"languages": ["en", "fr"], "keys": ["a", "b", "c"], "country_codes": ["JP"]},
 "tokens": null, "contrast_pairs": [],
 "css": {"gen2_only": ["x-y"], "shared": [], "gen3_only": [], "ids": []}
}"#;

fn delta(version: &str, keys: &str) -> String {
    format!(
        r#"{{
 "format": 1, "package": "@okta/okta-signin-widget", "version": "{version}",
 "generations": {{"g2": true, "g3": true}},
 "i18n": {{"languages": {{"from": "7.1.0"}}, "keys": {keys}, "country_codes": {{"from": "7.1.0"}}}},
 "tokens": {{"from": "7.1.0"}}, "contrast_pairs": {{"from": "7.1.0"}},
 "css": {{"gen2_only": {{"from": "7.1.0", "add": ["z-z"]}}, "shared": [], "gen3_only": [], "ids": {{"from": "7.1.0"}}}}
}}"#
    )
}

#[test]
fn shared_fields_expand_from_the_older_file() {
    let second = delta(
        "7.2.0",
        r#"{"from": "7.1.0", "add": ["d"], "remove": ["a"]}"#,
    );
    let (versions, errors) = load(&[("7.1.0", BASE), ("7.2.0", &second)]);
    assert!(errors.is_empty(), "{errors:?}");
    let f = &versions[1];
    assert_eq!(f.keys().collect::<Vec<_>>(), ["b", "c", "d"]);
    assert!(f.has_key("country.JP"));
    assert_eq!(f.languages(), ["en", "fr"]);
    assert_eq!(f.gen2_only_classes(), ["x-y", "z-z"]);
    assert!(f.has_g3() && !f.reads_theme_tokens());
    let w = Widget { versions };
    assert_eq!(w.resolve("7").unwrap().version().to_string(), "7.2.0");
    assert_eq!(w.resolve("7.1").unwrap().version().to_string(), "7.1.0");
}

#[test]
fn broken_files_are_reported_not_loaded() {
    let newer_ref = delta("7.2.0", r#"{"from": "7.3.0"}"#);
    let unknown_field = BASE.replace("\"tokens\": null", "\"tokens\": null, \"labels\": {}");
    let wrong_format = BASE.replace("\"format\": 1", "\"format\": 2");
    let wrong_name = BASE;
    for (name, text, why) in [
        ("7.2.0", newer_ref.as_str(), "refers to 7.3.0"),
        ("7.1.0", unknown_field.as_str(), "unknown field `labels`"),
        ("7.1.0", wrong_format.as_str(), "format 2"),
        ("7.1.1", wrong_name, "says it is 7.1.0"),
        ("7.1.0", "{", "EOF"),
    ] {
        let files: Vec<(&str, &str)> = if name == "7.2.0" {
            vec![("7.1.0", BASE), (name, text)]
        } else {
            vec![(name, text)]
        };
        let (_, errors) = load(&files);
        assert_eq!(errors.len(), 1, "{name}: {errors:?}");
        assert!(errors[0].contains(why), "{errors:?} lacks {why:?}");
    }
}
