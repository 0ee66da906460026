//! `[kmsi]` and `[environments.E.kmsi]` as written. Minutes are read as any TOML value
//! so that a quoted number (the guide's `"200"`) gets its own diagnostic, and a policy
//! or rule selection as `"all"` or a list so that either is checked with its span.

use serde::Deserialize;
use toml::Spanned;

use super::{MfaPrompt, PostAuth};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawKmsi {
    pub(super) post_auth: Option<Spanned<PostAuth>>,
    pub(super) prompt_frequency: Option<Spanned<String>>,
    pub(super) app_policies: Option<Spanned<RawSelection>>,
    pub(super) rules: Option<Spanned<RawSelection>>,
    pub(super) pre_auth: Option<Spanned<bool>>,
    pub(super) session: Option<RawKmsiSession>,
}

/// `[kmsi.session]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKmsiSession {
    pub(super) policy: Option<Spanned<String>>,
    pub(super) groups: Option<Spanned<Vec<Spanned<String>>>>,
    pub(super) rule: Option<Spanned<String>>,
    pub(super) persistent_cookie: Option<Spanned<bool>>,
    pub(super) max_idle_minutes: Option<Spanned<toml::Value>>,
    pub(super) max_lifetime_minutes: Option<Spanned<toml::Value>>,
    pub(super) require_mfa: Option<Spanned<bool>>,
    pub(super) mfa_prompt: Option<Spanned<MfaPrompt>>,
    pub(super) mfa_lifetime_minutes: Option<Spanned<toml::Value>>,
}

/// `"all"` or a list of names, as written.
#[derive(Debug, Clone)]
pub(super) enum RawSelection {
    One(String),
    Many(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for RawSelection {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawSelection;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("\"all\" or a list of names")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<RawSelection, E> {
                Ok(RawSelection::One(s.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RawSelection, A::Error> {
                let mut names = Vec::new();
                while let Some(n) = seq.next_element::<Spanned<String>>()? {
                    names.push(n);
                }
                Ok(RawSelection::Many(names))
            }
        }
        d.deserialize_any(V)
    }
}
