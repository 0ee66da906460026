//! Keep Me Signed In (KMSI) in the org's policies: `kmsi plan`, `kmsi apply`,
//! `kmsi reset`, and the policy-rule backups that `rollback --policies` restores.
//!
//! Post-authentication KMSI is set per app sign-in policy rule (`ACCESS_POLICY`) at
//! `actions.appSignOn.keepMeSignedIn {postAuth, postAuthPromptFrequency}`; the global
//! session policy rule (`OKTA_SIGN_ON`, rule type `SIGN_ON`) holds the session cookie and
//! the MFA prompt at `actions.signon` (`session {usePersistentCookie,
//! maxSessionIdleMinutes, maxSessionLifetimeMinutes}`, `requireFactor`,
//! `factorPromptMode`, `factorLifetime`).
//!
//! The flow is read → plan → write: [`fetch`] ([`read`]) reads the policies and rules the
//! project names, [`plan()`] ([`plan`]) compares them with `[kmsi]` (a pure function:
//! every change and every problem the org's data reveals, as diagnostics pointing into
//! `signin-pages.toml`), and [`apply()`] ([`apply`]) writes each rule that changes: GET it
//! again, back it up ([`backups`]), set only the managed fields ([`rule_fields`]), PUT the
//! whole rule (PUT is a full replace) and check Okta's answer. Okta answers a frequency
//! in hours (`P30D` comes back `PT720H`), so durations compare by value
//! ([`crate::duration::IsoDuration`]). [`pre_auth`] says what no API can do; [`reset`]
//! clears a user's sessions. Every request goes through `okta/`'s resource files.

pub mod apply;
pub mod backups;
pub mod plan;
pub mod pre_auth;
pub mod read;
pub mod reset;
pub mod rule_fields;

pub use apply::{Done, apply};
pub use backups::{list_rule_backups, restore, select_backups};
pub use plan::{Action, Kind, Plan, Step, plan};
pub use pre_auth::{HiddenCheckbox, PreAuth, hidden_checkbox, pre_auth_steps};
pub use read::{OrgView, fetch};
pub use rule_fields::{Change, PROMPT_FREQUENCY, Setting};

/// The rule created in a new global session policy when `[kmsi.session] rule` is unset.
pub const DEFAULT_SESSION_RULE: &str = "KMSI rule";
/// The groups a new global session policy applies to when `[kmsi.session] groups` is unset.
pub const DEFAULT_GROUP: &str = "Everyone";

/// A string member of an Okta object (`""` when absent).
fn str_of<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v.get(key).and_then(serde_json::Value::as_str).unwrap_or("")
}
