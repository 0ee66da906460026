//! The checks of `[kmsi]` and the merge of `[environments.E.kmsi]` over it. Each key is
//! checked alone where it is written (so a bad project value is reported even when every
//! environment overrides it); the rules between keys only on an environment's merged
//! settings, since an environment may complete the project's.

use std::ops::RangeInclusive;

use toml::Spanned;

use super::raw::{RawKmsi, RawKmsiSession, RawSelection};
use super::{
    Kmsi, KmsiSession, MAX_IDLE_MINUTES, MAX_LIFETIME_MINUTES, MFA_LIFETIME_MINUTES, MfaPrompt,
    Selection, prompt_frequency_problem,
};
use crate::config::validate::{Findings, NameProblem, name_problems};
use crate::duration::IsoDuration;

/// A `[kmsi.session]` key in whole minutes: the Okta field it sets, the range it must
/// fall in, and what to say when it does not.
struct Minutes {
    key: &'static str,
    okta_field: &'static str,
    range: RangeInclusive<u64>,
    range_help: &'static str,
}

const MAX_IDLE: Minutes = Minutes {
    key: "max_idle_minutes",
    okta_field: "maxSessionIdleMinutes",
    range: MAX_IDLE_MINUTES,
    range_help: "Okta's global session idle time is 1 minute to 30 days (43200 minutes)",
};

const MAX_LIFETIME: Minutes = Minutes {
    key: "max_lifetime_minutes",
    okta_field: "maxSessionLifetimeMinutes",
    range: MAX_LIFETIME_MINUTES,
    range_help: "0 means no limit; otherwise at most 180 days (259200 minutes), Okta's longest global session",
};

const MFA_LIFETIME: Minutes = Minutes {
    key: "mfa_lifetime_minutes",
    okta_field: "factorLifetime",
    range: MFA_LIFETIME_MINUTES,
    range_help: "the MFA lifetime is 1 minute to 180 days (259200 minutes)",
};

/// Check `[kmsi]`; `keys_together`: also the rules between keys (only on the merged
/// settings of an environment).
pub(crate) fn validate(f: &mut Findings<'_>, raw: &RawKmsi, keys_together: bool) -> Option<Kmsi> {
    let before = f.errors();
    let prompt_frequency = raw
        .prompt_frequency
        .as_ref()
        .and_then(|p| prompt_frequency(f, p));
    let app_policies = selection(
        f,
        "app_policies",
        "app sign-in policy",
        raw.app_policies.as_ref(),
    );
    let rules = selection(f, "rules", "rule", raw.rules.as_ref());
    let session = raw.session.as_ref().map(|s| session(f, s, keys_together));
    if f.errors() > before {
        return None;
    }
    Some(Kmsi {
        post_auth: raw.post_auth.clone(),
        prompt_frequency,
        app_policies: app_policies?,
        rules: rules?,
        pre_auth: raw.pre_auth.clone(),
        session,
    })
}

/// `prompt_frequency`: an ISO 8601 duration Okta can store.
fn prompt_frequency(f: &mut Findings<'_>, raw: &Spanned<String>) -> Option<Spanned<IsoDuration>> {
    let text = raw.get_ref();
    match IsoDuration::parse(text) {
        Err(why) => f.p002(
            raw.span(),
            format!("`{text}` is not an ISO 8601 duration: {why}"),
            "write e.g. `P30D` (30 days), `P1W` (a week) or `PT12H` (12 hours)",
        ),
        Ok(d) => match prompt_frequency_problem(&d) {
            Some((msg, help)) => f.p002(
                raw.span(),
                format!("prompt_frequency `{text}`: {msg}"),
                help,
            ),
            None => return Some(Spanned::new(raw.span(), d)),
        },
    }
    None
}

/// `app_policies` / `rules`: `"all"` (also when not written) or a list of names.
fn selection(
    f: &mut Findings<'_>,
    key: &str,
    what: &str,
    raw: Option<&Spanned<RawSelection>>,
) -> Option<Selection> {
    let Some(raw) = raw else {
        return Some(Selection::All);
    };
    match raw.get_ref() {
        RawSelection::One(s) if s == "all" => Some(Selection::All),
        RawSelection::One(s) => {
            f.p002(
                raw.span(),
                format!("`{key}` is `\"{s}\"`: write `\"all\"` or a list of {what} names"),
                format!("`{key} = [\"{s}\"]` names one; `{key} = \"all\"` takes every one"),
            );
            None
        }
        RawSelection::Many(names) if names.is_empty() => {
            f.p002(
                raw.span(),
                format!("`{key}` is an empty list"),
                format!("name at least one {what}, write `\"all\"`, or remove the key"),
            );
            None
        }
        RawSelection::Many(names) => {
            let mut ok = true;
            for (n, problem) in name_problems(names) {
                ok = false;
                match problem {
                    NameProblem::Blank => f.p002(
                        n.span(),
                        format!("a blank {what} name in `{key}`"),
                        format!("write the {what}'s name as the Admin Console shows it"),
                    ),
                    NameProblem::Twice => f.p002(
                        n.span(),
                        format!("`{}` is listed twice in `{key}`", n.get_ref()),
                        "list each name once",
                    ),
                }
            }
            ok.then(|| Selection::Named(names.clone()))
        }
    }
}

/// `[kmsi.session]`.
fn session(f: &mut Findings<'_>, s: &RawKmsiSession, keys_together: bool) -> KmsiSession {
    for (key, v) in [("policy", &s.policy), ("rule", &s.rule)] {
        if let Some(v) = v
            && v.get_ref().trim().is_empty()
        {
            f.p002(
                v.span(),
                format!("`session.{key}` is blank"),
                format!("write the {key}'s name, or remove the key for the org's default"),
            );
        }
    }
    if let Some(g) = &s.groups {
        if g.get_ref().is_empty() {
            f.p002(
                g.span(),
                "`session.groups` is an empty list",
                "name at least one group (e.g. `[\"Everyone\"]`), or remove the key",
            );
        }
        for (n, problem) in name_problems(g.get_ref()) {
            match problem {
                NameProblem::Blank => f.p002(
                    n.span(),
                    "a blank group name",
                    "write the group's name as Okta shows it",
                ),
                NameProblem::Twice => f.p002(
                    n.span(),
                    format!("group `{}` is listed twice", n.get_ref()),
                    "list each group once",
                ),
            }
        }
    }
    let out = KmsiSession {
        policy: s.policy.clone(),
        groups: s.groups.as_ref().map(|g| g.get_ref().clone()),
        rule: s.rule.clone(),
        persistent_cookie: s.persistent_cookie.clone(),
        max_idle_minutes: minutes(f, &MAX_IDLE, s.max_idle_minutes.as_ref()),
        max_lifetime_minutes: minutes(f, &MAX_LIFETIME, s.max_lifetime_minutes.as_ref()),
        require_mfa: s.require_mfa.clone(),
        mfa_prompt: s.mfa_prompt.clone(),
        mfa_lifetime_minutes: minutes(f, &MFA_LIFETIME, s.mfa_lifetime_minutes.as_ref()),
    };
    if keys_together {
        mfa_keys_together(f, s);
    }
    out
}

/// The keys Okta requires beside `require_mfa = true` and `mfa_prompt = "session"`.
fn mfa_keys_together(f: &mut Findings<'_>, s: &RawKmsiSession) {
    if let Some(r) = &s.require_mfa
        && *r.get_ref()
        && s.mfa_prompt.is_none()
    {
        f.p002(
            r.span(),
            "`require_mfa = true` needs `mfa_prompt`: Okta requires `factorPromptMode` when `requireFactor` is true",
            "add `mfa_prompt = \"device\"` (once per device), `\"session\"` (after `mfa_lifetime_minutes`) or `\"always\"`",
        );
    }
    if let Some(p) = &s.mfa_prompt
        && *p.get_ref() == MfaPrompt::Session
        && s.mfa_lifetime_minutes.is_none()
    {
        f.p002(
            p.span(),
            "`mfa_prompt = \"session\"` needs `mfa_lifetime_minutes`: Okta prompts again when that `factorLifetime` expires",
            "add e.g. `mfa_lifetime_minutes = 200`",
        );
    }
}

/// A whole number of minutes in `m`'s range; `None` (and a finding) otherwise, or when
/// not written.
fn minutes(
    f: &mut Findings<'_>,
    m: &Minutes,
    v: Option<&Spanned<toml::Value>>,
) -> Option<Spanned<u64>> {
    let v = v?;
    let key = m.key;
    let n = match v.get_ref() {
        toml::Value::Integer(i) => *i,
        toml::Value::String(s) => {
            let help = if s.trim().parse::<i64>().is_ok() {
                format!("write `{key} = {}` without quotes", s.trim())
            } else {
                format!("write a whole number of minutes, e.g. `{key} = 120`")
            };
            f.p002(
                v.span(),
                format!(
                    "`{key}` is the string \"{s}\": Okta's `{}` is an integer number of minutes",
                    m.okta_field
                ),
                help,
            );
            return None;
        }
        other => {
            f.p002(
                v.span(),
                format!(
                    "`{key}` must be a whole number of minutes, not {}",
                    other.type_str()
                ),
                format!("e.g. `{key} = 120`"),
            );
            return None;
        }
    };
    match u64::try_from(n) {
        Ok(minutes) if m.range.contains(&minutes) => Some(Spanned::new(v.span(), minutes)),
        _ => {
            f.p002(
                v.span(),
                format!(
                    "`{key} = {n}` is out of range: {} to {} minutes",
                    m.range.start(),
                    m.range.end()
                ),
                m.range_help,
            );
            None
        }
    }
}

/// `[kmsi]` overlaid key by key with `[environments.E.kmsi]` (and `.session` likewise).
pub(crate) fn merge(base: Option<&RawKmsi>, over: Option<&RawKmsi>) -> Option<RawKmsi> {
    let (b, o) = match (base, over) {
        (None, None) => return None,
        (Some(b), None) => return Some(b.clone()),
        (None, Some(o)) => return Some(o.clone()),
        (Some(b), Some(o)) => (b, o),
    };
    macro_rules! pick {
        ($x:expr, $y:expr, $($f:ident),*) => { $( $y.$f = $y.$f.clone().or_else(|| $x.$f.clone()); )* };
    }
    let mut out = o.clone();
    pick!(
        b,
        out,
        post_auth,
        prompt_frequency,
        app_policies,
        rules,
        pre_auth
    );
    out.session = match (&b.session, &o.session) {
        (None, s) | (s, None) => s.clone(),
        (Some(bs), Some(os)) => {
            let mut s = os.clone();
            pick!(
                bs,
                s,
                policy,
                groups,
                rule,
                persistent_cookie,
                max_idle_minutes,
                max_lifetime_minutes,
                require_mfa,
                mfa_prompt,
                mfa_lifetime_minutes
            );
            Some(s)
        }
    };
    Some(out)
}
