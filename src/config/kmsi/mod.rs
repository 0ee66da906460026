//! `[kmsi]`: Keep Me Signed In in the org's policies, as the project asks for it — the
//! app sign-in policy rules' post-authentication prompt and how often it comes back,
//! and one global session policy rule (`[kmsi.session]`). An environment may override
//! any key (`[environments.E.kmsi]`); each environment gets the merged settings.
//!
//! Here: the validated settings and the ranges their values must fall in (ours, from
//! what Okta documents; see docs/configuration.md). The keys as written are in `raw`,
//! their checks and the merge in `validate`. Applying them to an org is the `kmsi`
//! command's, not this module's.

mod raw;
mod validate;

use std::ops::RangeInclusive;

use serde::Deserialize;
use toml::Spanned;

use crate::duration::IsoDuration;

pub(crate) use raw::RawKmsi;
pub(crate) use validate::{merge, validate};

/// `maxSessionIdleMinutes`: Okta's global session idle time is at most 30 days.
pub const MAX_IDLE_MINUTES: RangeInclusive<u64> = 1..=43_200;
/// `maxSessionLifetimeMinutes`: 0 is "no limit"; Okta's longest global session is 180 days.
pub const MAX_LIFETIME_MINUTES: RangeInclusive<u64> = 0..=259_200;
/// `factorLifetime`: Okta documents no maximum; we cap it at the longest session.
pub const MFA_LIFETIME_MINUTES: RangeInclusive<u64> = 1..=259_200;
/// `postAuthPromptFrequency`: at least an hour (a shorter one asks again within the same
/// working session), at most a year.
pub const PROMPT_FREQUENCY_SECS: RangeInclusive<u64> = 3_600..=365 * 86_400;

/// What is wrong with a valid duration as `prompt_frequency`: (message, help).
pub fn prompt_frequency_problem(d: &IsoDuration) -> Option<(String, String)> {
    if d.calendar() {
        return Some((
            "years and months have no fixed length, and Okta answers the frequency in hours".into(),
            "write days instead, e.g. `P30D` for a month or `P365D` for a year".into(),
        ));
    }
    if d.fractional() {
        return Some((
            "Okta takes whole units".into(),
            "write e.g. `PT90M` instead of `PT1.5H`".into(),
        ));
    }
    let secs = d.seconds().unwrap_or(0);
    if secs < *PROMPT_FREQUENCY_SECS.start() {
        return Some((
            format!("{} is shorter than an hour", d.describe()),
            "the prompt would come back within the same working session; use at least `PT1H`"
                .into(),
        ));
    }
    if secs > *PROMPT_FREQUENCY_SECS.end() {
        return Some((
            format!("{} is longer than a year", d.describe()),
            "use at most `P365D`".into(),
        ));
    }
    None
}

/// `keepMeSignedIn.postAuth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostAuth {
    Allowed,
    NotAllowed,
}

impl PostAuth {
    /// As Okta writes it.
    pub fn okta(self) -> &'static str {
        match self {
            PostAuth::Allowed => "ALLOWED",
            PostAuth::NotAllowed => "NOT_ALLOWED",
        }
    }
}

/// `signon.factorPromptMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MfaPrompt {
    Always,
    Device,
    Session,
}

impl MfaPrompt {
    pub fn okta(self) -> &'static str {
        match self {
            MfaPrompt::Always => "ALWAYS",
            MfaPrompt::Device => "DEVICE",
            MfaPrompt::Session => "SESSION",
        }
    }
}

/// Which policies or rules: every one, or these names.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    All,
    Named(Vec<Spanned<String>>),
}

impl Selection {
    pub fn includes(&self, name: &str) -> bool {
        match self {
            Selection::All => true,
            Selection::Named(names) => names.iter().any(|n| n.get_ref() == name),
        }
    }
}

/// The validated `[kmsi]` of one environment (project keys overlaid with the
/// environment's). Every field is optional: only what is set is managed.
#[derive(Debug, Clone)]
pub struct Kmsi {
    pub post_auth: Option<Spanned<PostAuth>>,
    pub prompt_frequency: Option<Spanned<IsoDuration>>,
    /// App sign-in (`ACCESS_POLICY`) policies by name; default: all.
    pub app_policies: Selection,
    /// Rules within them by name; default: all.
    pub rules: Selection,
    /// Whether the project asks for pre-authentication KMSI (an org setting, no API).
    pub pre_auth: Option<Spanned<bool>>,
    pub session: Option<KmsiSession>,
}

impl Kmsi {
    /// Whether any app sign-in policy rule setting is managed.
    pub fn manages_app_rules(&self) -> bool {
        self.post_auth.is_some() || self.prompt_frequency.is_some()
    }
}

/// `[kmsi.session]`: one global session policy (`OKTA_SIGN_ON`) rule.
#[derive(Debug, Clone, Default)]
pub struct KmsiSession {
    /// The policy by name; default: the org's default global session policy.
    pub policy: Option<Spanned<String>>,
    /// Groups the policy applies to when it is created; default `["Everyone"]`.
    pub groups: Option<Vec<Spanned<String>>>,
    /// The rule by name; default: the policy's default rule.
    pub rule: Option<Spanned<String>>,
    pub persistent_cookie: Option<Spanned<bool>>,
    pub max_idle_minutes: Option<Spanned<u64>>,
    pub max_lifetime_minutes: Option<Spanned<u64>>,
    pub require_mfa: Option<Spanned<bool>>,
    pub mfa_prompt: Option<Spanned<MfaPrompt>>,
    pub mfa_lifetime_minutes: Option<Spanned<u64>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_frequency_bounds() {
        let problem = |s: &str| prompt_frequency_problem(&IsoDuration::parse(s).expect(s));
        for ok in ["P30D", "PT1H", "P365D"] {
            assert!(problem(ok).is_none(), "{ok}");
        }
        for bad in ["PT59M", "P366D", "P1M", "PT1.5H"] {
            assert!(problem(bad).is_some(), "{bad}");
        }
    }
}
