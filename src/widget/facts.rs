//! The facts of one widget version, typed: what `data/widget/<version>.json` holds once
//! its shared fields are expanded (data/widget/README.md describes every field).

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

/// A published version, `major.minor.patch`, ordered numerically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl Version {
    /// `7.13.1`; anything else (a range, a prefix, a tag) is `None`.
    pub fn parse(s: &str) -> Option<Version> {
        let mut parts = s.split('.').map(number);
        let v = Version {
            major: parts.next()??,
            minor: parts.next()??,
            patch: parts.next()??,
        };
        parts.next().is_none().then_some(v)
    }
}

/// 1 to 4 ASCII digits (the widths `[widget] version` accepts).
pub(super) fn number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Everything signin-pages knows about one widget version.
#[derive(Debug, Clone)]
pub struct Facts {
    version: Version,
    g2: bool,
    g3: bool,
    languages: Vec<String>,
    keys: Vec<String>,
    country_codes: Vec<String>,
    tokens: Option<BTreeMap<String, Token>>,
    contrast_pairs: Vec<ContrastPair>,
    css: Css,
}

/// A design token the widget reads from `config.theme.tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Token {
    /// The kind of value it takes.
    pub kind: TokenKind,
    /// Its value when the page sets none, as Odyssey (or the widget) writes it.
    pub default: String,
}

/// The closed set of token kinds (data/widget/README.md says how each is decided).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenKind {
    /// Two hex digits appended to a colour (`PaletteAlphaSemi = "BF"`).
    Alpha,
    /// A CSS `border-style` / `outline-style` keyword.
    BorderStyle,
    /// A CSS colour.
    Colour,
    /// A CSS time (`100ms`).
    Duration,
    /// A CSS `font-family` list.
    FontFamily,
    /// A CSS `font-style` keyword.
    FontStyle,
    /// A CSS `font-weight` (`400`).
    FontWeight,
    /// A CSS length or percentage (`0`, `6px`, `1.5rem`, `87.5%`).
    Length,
    /// A plain number (line heights; a duration in milliseconds).
    Number,
    /// A CSS `box-shadow`.
    Shadow,
    /// A CSS timing function (`linear`, `cubic-bezier(…)`).
    TimingFunction,
}

impl TokenKind {
    /// What people call a value of this kind, with an example.
    pub fn describe(self) -> &'static str {
        match self {
            TokenKind::Alpha => "two hex digits of opacity such as `BF`",
            TokenKind::BorderStyle => "a border style such as `solid`",
            TokenKind::Colour => "a colour such as `#1662dd` or `rgb(22, 98, 221)`",
            TokenKind::Duration => "a duration such as `100ms`",
            TokenKind::FontFamily => "a font family list such as `'Inter', sans-serif`",
            TokenKind::FontStyle => "a font style such as `normal` or `italic`",
            TokenKind::FontWeight => "a font weight such as `400` or `bold`",
            TokenKind::Length => "a length such as `6px`, `1rem` or `0`",
            TokenKind::Number => "a plain number such as `1.5`",
            TokenKind::Shadow => "a shadow such as `0px 1px 2px rgba(0, 0, 0, 0.1)`",
            TokenKind::TimingFunction => "a timing function such as `linear` or `ease-in`",
        }
    }

    /// Whether `value` is a value of this kind. Lenient where CSS is (any colour syntax,
    /// any font list), strict where a typo is likely (`16` for a length, `#12345` for a
    /// colour, `solid 1px` for a style). A CSS custom property (`var(--brand)`, as real
    /// Gen3 pages write) fits every kind: its value is only known in the browser.
    pub fn accepts(self, value: &str) -> bool {
        let v = value.trim();
        let lower = v.to_ascii_lowercase();
        if is_function(&lower, &["var"]) {
            return true;
        }
        let one_of = |words: &[&str]| words.contains(&lower.as_str());
        match self {
            TokenKind::Alpha => v.len() == 2 && v.bytes().all(|b| b.is_ascii_hexdigit()),
            TokenKind::BorderStyle => one_of(&[
                "none", "hidden", "dotted", "dashed", "solid", "double", "groove", "ridge",
                "inset", "outset",
            ]),
            TokenKind::Colour => is_colour(&lower),
            TokenKind::Duration => lower
                .strip_suffix("ms")
                .or_else(|| lower.strip_suffix('s'))
                .is_some_and(is_number),
            TokenKind::FontFamily => !v.is_empty() && !v.contains([';', '{', '}', '<', '>']),
            TokenKind::FontStyle => {
                one_of(&["normal", "italic", "oblique"]) || lower.starts_with("oblique ")
            }
            TokenKind::FontWeight => {
                one_of(&["normal", "bold", "bolder", "lighter"])
                    || (is_number(&lower)
                        && lower
                            .parse::<f64>()
                            .is_ok_and(|n| (1.0..=1000.0).contains(&n)))
            }
            TokenKind::Length => is_length(&lower),
            TokenKind::Number => is_number(&lower),
            TokenKind::Shadow => {
                lower == "none"
                    || (!v.is_empty()
                        && !v.contains([';', '{', '}', '<', '>'])
                        && split_top_level(&lower, ',')
                            .iter()
                            .all(|s| s.split_whitespace().any(is_length)))
            }
            TokenKind::TimingFunction => {
                one_of(&[
                    "linear",
                    "ease",
                    "ease-in",
                    "ease-out",
                    "ease-in-out",
                    "step-start",
                    "step-end",
                ]) || is_function(&lower, &["cubic-bezier", "steps", "linear"])
            }
        }
    }
}

/// `s` split on `sep` outside parentheses: `0 1px rgba(0, 0, 0, .1), 0 2px red` → two.
fn split_top_level(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            c if c == sep && depth == 0 => {
                parts.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

fn is_number(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    (!int.is_empty() || !frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && s.matches('.').count() <= 1
}

fn is_length(s: &str) -> bool {
    const UNITS: &[&str] = &[
        "px", "rem", "em", "ch", "ex", "%", "vh", "vw", "vmin", "vmax", "pt", "cm", "mm", "in",
    ];
    s == "0"
        || UNITS.iter().any(|u| {
            s.strip_suffix(u)
                .is_some_and(|n| !n.is_empty() && is_number(n))
        })
        || is_function(s, &["calc", "min", "max", "clamp", "var"])
}

/// `name(…)` for one of `names`, with balanced parentheses.
fn is_function(s: &str, names: &[&str]) -> bool {
    names.iter().any(|n| {
        s.strip_prefix(n)
            .and_then(|r| r.strip_prefix('('))
            .and_then(|r| r.strip_suffix(')'))
            .is_some_and(|inner| {
                let mut depth = 0i32;
                inner.chars().all(|c| {
                    depth += i32::from(c == '(') - i32::from(c == ')');
                    depth >= 0
                }) && depth == 0
            })
    })
}

fn is_colour(s: &str) -> bool {
    if let Some(hex) = s.strip_prefix('#') {
        return matches!(hex.len(), 3 | 4 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    is_function(
        s,
        &[
            "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color",
        ],
    ) || s == "currentcolor"
        || super::colour::Rgba::is_named(s)
}

/// One side of a contrast pair: a token the page may set, or a colour the widget draws
/// whatever the tokens say (7.11–7.15 draw some text in fixed white).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Side {
    Token(String),
    Fixed(String),
}

impl Side {
    fn parse(s: String) -> Side {
        if s.starts_with('#') {
            Side::Fixed(s)
        } else {
            Side::Token(s)
        }
    }

    /// The token's name, if this side is one.
    pub fn token(&self) -> Option<&str> {
        match self {
            Side::Token(t) => Some(t),
            Side::Fixed(_) => None,
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Side::Token(t) => f.write_str(t),
            Side::Fixed(c) => f.write_str(c),
        }
    }
}

/// Text the widget draws in one colour on another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContrastPair {
    pub text: Side,
    pub background: Side,
    /// Where, for people: `button (variant primary)`, `typography h1 on the widget's card`.
    pub places: Vec<String>,
}

/// CSS landmarks of the two generations.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Css {
    /// Gen2 classes no Gen3 page carries.
    pub gen2_only: Vec<String>,
    /// Gen2 classes Gen3 keeps (`o-form`: a hook only; Gen3 styles through tokens).
    pub shared: Vec<String>,
    /// Classes only Gen3 gives an element.
    pub gen3_only: Vec<String>,
    /// Ids of Gen2's widget-scoped selectors, and whether Gen3 keeps them.
    pub ids: Vec<IdFact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdFact {
    pub id: String,
    pub gen3: bool,
}

/// The file's shape once expanded (the form `scripts/widget-facts.mjs` writes).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Raw {
    format: u32,
    package: String,
    version: String,
    generations: RawGenerations,
    i18n: RawI18n,
    tokens: Option<BTreeMap<String, Token>>,
    contrast_pairs: Vec<RawPair>,
    css: Css,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGenerations {
    g2: bool,
    g3: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawI18n {
    languages: Vec<String>,
    keys: Vec<String>,
    country_codes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPair {
    text: String,
    background: String,
    #[serde(rename = "where")]
    places: Vec<String>,
}

/// The data format this build reads (`FORMAT` in scripts/widget-facts.mjs).
pub(super) const FORMAT: u32 = 1;

impl Raw {
    pub(super) fn into_facts(self) -> Result<Facts, String> {
        if self.format != FORMAT {
            return Err(format!(
                "format {} (this build reads {FORMAT})",
                self.format
            ));
        }
        if self.package != "@okta/okta-signin-widget" {
            return Err(format!("facts of {}, not the widget", self.package));
        }
        let version = Version::parse(&self.version)
            .ok_or_else(|| format!("`{}` is not a version", self.version))?;
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v.dedup();
            v
        };
        Ok(Facts {
            version,
            g2: self.generations.g2,
            g3: self.generations.g3,
            languages: sorted(self.i18n.languages),
            keys: sorted(self.i18n.keys),
            country_codes: sorted(self.i18n.country_codes),
            tokens: self.tokens,
            contrast_pairs: self
                .contrast_pairs
                .into_iter()
                .map(|p| ContrastPair {
                    text: Side::parse(p.text),
                    background: Side::parse(p.background),
                    places: p.places,
                })
                .collect(),
            css: Css {
                gen2_only: sorted(self.css.gen2_only),
                shared: sorted(self.css.shared),
                gen3_only: sorted(self.css.gen3_only),
                ids: self.css.ids,
            },
        })
    }
}

/// The KMSI prompt after sign-in (`postAuthKeepMeSignedInPrompt`) shows these strings.
const KMSI_PROMPT_KEY: &str = "oie.kmsi.title";

impl Facts {
    pub fn version(&self) -> Version {
        self.version
    }

    /// Whether this version has the Gen2 bundle (`okta-sign-in.min.js`).
    pub fn has_g2(&self) -> bool {
        self.g2
    }

    /// Whether this version has the Gen3 bundle (`okta-sign-in.next.js`; 7.8 on).
    pub fn has_g3(&self) -> bool {
        self.g3
    }

    /// Whether `key` is one of the widget's strings (`config.i18n[lang][key]` takes
    /// effect): a key of `login.json`, or `country.<code>` for a country name.
    pub fn has_key(&self, key: &str) -> bool {
        match key.strip_prefix("country.") {
            Some(code) => self
                .country_codes
                .binary_search_by(|c| c.as_str().cmp(code))
                .is_ok(),
            None => self.keys.binary_search_by(|k| k.as_str().cmp(key)).is_ok(),
        }
    }

    /// The keys of `login.json`, sorted (for "did you mean").
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(String::as_str)
    }

    /// The country codes `country.<code>` keys may name.
    pub fn country_codes(&self) -> impl Iterator<Item = &str> {
        self.country_codes.iter().map(String::as_str)
    }

    /// Whether the post-sign-in KMSI prompt's strings exist (`oie.kmsi.title`; the data
    /// has them from 7.12.2 on, Okta documents the prompt from 7.13).
    pub fn has_kmsi_prompt(&self) -> bool {
        self.has_key(KMSI_PROMPT_KEY)
    }

    /// The languages the widget ships, as its files name them (`en`, `fr`, `pt_BR`).
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// The widget's language for a project locale (BCP 47, `pt-BR`), or `None` when it
    /// ships none (the widget then shows English, apart from the page's own strings):
    ///
    /// 1. the same tag, ignoring case and `-`/`_`: `pt-BR` → `pt_BR`, `fr` → `fr`;
    /// 2. Chinese by script, written or implied by the region: `zh-Hant`, `zh-TW`,
    ///    `zh-HK`, `zh-MO` → `zh_TW`; `zh`, `zh-Hans`, `zh-CN`, `zh-SG` → `zh_CN`;
    /// 3. the tag with its last subtags dropped, as the widget itself falls back:
    ///    `fr-CA` → `fr`, `de-AT` → `de`;
    /// 4. the one language the widget ships for the same primary language, as it maps a
    ///    browser's `nl` and `pt` itself: `nl` → `nl_NL`, `pt-PT` → `pt_BR`;
    /// 5. `no` (Norwegian) → `nb`.
    pub fn widget_language(&self, locale: &str) -> Option<&str> {
        let norm = |s: &str| s.replace('_', "-").to_ascii_lowercase();
        let tag = norm(locale);
        let find = |t: &str| {
            self.languages
                .iter()
                .find(|l| norm(l) == t)
                .map(String::as_str)
        };
        if let Some(l) = find(&tag) {
            return Some(l);
        }
        let parts: Vec<&str> = tag.split('-').collect();
        let primary = parts[0];
        if primary == "zh" {
            let traditional = parts[1..]
                .iter()
                .any(|p| matches!(*p, "hant" | "tw" | "hk" | "mo"));
            return find(if traditional { "zh-tw" } else { "zh-cn" });
        }
        for n in (1..parts.len()).rev() {
            if let Some(l) = find(&parts[..n].join("-")) {
                return Some(l);
            }
        }
        let mut same_primary = self
            .languages
            .iter()
            .filter(|l| norm(l).split('-').next() == Some(primary));
        if let (Some(l), None) = (same_primary.next(), same_primary.next()) {
            return Some(l);
        }
        match primary {
            "no" => find("nb"),
            _ => None,
        }
    }

    /// Whether this version reads `config.theme.tokens` (7.11 on).
    pub fn reads_theme_tokens(&self) -> bool {
        self.tokens.is_some()
    }

    /// The tokens this version reads, by name (empty when it reads none).
    pub fn tokens(&self) -> impl Iterator<Item = (&str, &Token)> {
        self.tokens
            .iter()
            .flat_map(|t| t.iter().map(|(n, t)| (n.as_str(), t)))
    }

    pub fn token(&self, name: &str) -> Option<&Token> {
        self.tokens.as_ref()?.get(name)
    }

    /// The colour pairs the widget draws text on (empty before 7.11).
    pub fn contrast_pairs(&self) -> &[ContrastPair] {
        &self.contrast_pairs
    }

    /// Gen2 classes no Gen3 page carries: a selector naming one is Gen2 CSS.
    pub fn gen2_only_classes(&self) -> &[String] {
        &self.css.gen2_only
    }

    /// Whether Gen2 styles or renders `class` (the Gen2-only ones and those Gen3 kept).
    pub fn is_gen2_class(&self, class: &str) -> bool {
        let has = |list: &[String]| list.binary_search_by(|c| c.as_str().cmp(class)).is_ok();
        has(&self.css.gen2_only) || has(&self.css.shared)
    }

    /// Whether `class` is a Gen2 class that Gen3 does not carry.
    pub fn is_gen2_only_class(&self, class: &str) -> bool {
        self.css
            .gen2_only
            .binary_search_by(|c| c.as_str().cmp(class))
            .is_ok()
    }

    /// Gen2 classes that Gen3 also gives an element.
    pub fn shared_classes(&self) -> &[String] {
        &self.css.shared
    }

    /// Stable class names only Gen3 gives an element (`siwIconFillPrimaryDark`).
    pub fn gen3_only_classes(&self) -> &[String] {
        &self.css.gen3_only
    }

    /// Ids of Gen2's widget-scoped selectors, and whether Gen3 keeps them.
    pub fn ids(&self) -> &[IdFact] {
        &self.css.ids
    }
}

/// A widget language as a BCP 47 tag, for messages: `pt_BR` → `pt-BR`.
pub fn language_tag(code: &str) -> String {
    code.replace('_', "-")
}
