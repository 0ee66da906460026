//! Gen3 design tokens: `[widget.tokens]` for the project, and a `tokens` table per
//! environment and per brand that overrides it key by key (as `vars` merge: project <
//! environment < brand). The merged tokens of a target reach its template context as
//! `widget.tokens`; the page writes them into `config.theme.tokens`. Names and values
//! are kept with their spans so that the token checks point at the key.
//!
//! Values are TOML strings, or numbers (for the tokens that take a plain number); any
//! other TOML type is refused while parsing (P001), at the value.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use toml::Spanned;

/// One token value as written.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenValue {
    Text(String),
    Number(serde_json::Number),
}

impl TokenValue {
    /// The value as the page's script receives it.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            TokenValue::Text(s) => serde_json::Value::String(s.clone()),
            TokenValue::Number(n) => serde_json::Value::Number(n.clone()),
        }
    }
}

impl fmt::Display for TokenValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenValue::Text(s) => f.write_str(s),
            TokenValue::Number(n) => write!(f, "{n}"),
        }
    }
}

impl<'de> Deserialize<'de> for TokenValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = TokenValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string (or a number, for a token that takes a plain number)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TokenValue, E> {
                Ok(TokenValue::Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<TokenValue, E> {
                Ok(TokenValue::Number(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<TokenValue, E> {
                Ok(TokenValue::Number(v.into()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<TokenValue, E> {
                serde_json::Number::from_f64(v)
                    .map(TokenValue::Number)
                    .ok_or_else(|| E::custom(format!("`{v}` is not a number a page can use")))
            }
        }
        d.deserialize_any(V)
    }
}

/// A `tokens` table as written: name → value, both with their spans.
pub(crate) type RawTokens = BTreeMap<Spanned<String>, Spanned<TokenValue>>;

/// One token a project sets, and where.
#[derive(Debug, Clone)]
pub struct Token {
    pub name: Spanned<String>,
    pub value: Spanned<TokenValue>,
}

/// One layer's tokens, in the order written.
#[derive(Debug, Clone, Default)]
pub struct Tokens(pub Vec<Token>);

impl Tokens {
    pub(crate) fn from_raw(raw: &RawTokens) -> Tokens {
        let mut v: Vec<Token> = raw
            .iter()
            .map(|(name, value)| Token {
                name: name.clone(),
                value: value.clone(),
            })
            .collect();
        v.sort_by_key(|t| t.name.span().start);
        Tokens(v)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Token> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `layers` merged key by key, each over the ones before it: name → the token that
    /// wins (with the span of the layer that set it).
    pub fn merged<'a>(layers: &[&'a Tokens]) -> BTreeMap<&'a str, &'a Token> {
        let mut out = BTreeMap::new();
        for layer in layers {
            for t in layer.iter() {
                out.insert(t.name.get_ref().as_str(), t);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct T {
        tokens: RawTokens,
    }

    #[test]
    fn strings_and_numbers_are_token_values_and_nothing_else() {
        let t: T = toml::from_str("tokens = { A = \"#fff\", B = 1.5, C = 400 }").unwrap();
        let values: Vec<String> = t.tokens.values().map(|v| v.get_ref().to_string()).collect();
        assert_eq!(values, ["#fff", "1.5", "400"]);
        for bad in ["true", "[1]", "{ x = 1 }", "1979-05-27"] {
            let e = toml::from_str::<T>(&format!("tokens = {{ A = {bad} }}"))
                .err()
                .unwrap_or_else(|| panic!("{bad}"));
            assert!(e.message().contains("expected a string"), "{bad}: {e}");
            assert!(e.span().is_some(), "{bad}");
        }
    }

    #[test]
    fn later_layers_win_key_by_key() {
        let parse = |s: &str| Tokens::from_raw(&toml::from_str::<T>(s).unwrap().tokens);
        let project = parse("tokens = { A = \"1px\", B = \"2px\" }");
        let brand = parse("tokens = { B = \"3px\" }");
        let env = Tokens::default();
        let merged = Tokens::merged(&[&project, &env, &brand]);
        let got: Vec<(&str, String)> = merged
            .iter()
            .map(|(k, t)| (*k, t.value.get_ref().to_string()))
            .collect();
        assert_eq!(got, [("A", "1px".to_string()), ("B", "3px".to_string())]);
    }
}
