//! `[environments.<name>]`: at least one; names usable as folder names that differ in
//! more than case; an org address Okta would answer at; one way to the service app's
//! key; and each environment's `[kmsi]` (the project's, overlaid with its own).

use std::collections::BTreeMap;

use toml::Spanned;

use super::Findings;
use crate::config::folders::folder_key;
use crate::config::kmsi::{self, RawKmsi};
use crate::config::model::Environment;
use crate::config::raw::{RawEnvironment, table_to_json};

fn valid_env_name(n: &str) -> bool {
    !n.is_empty()
        && n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub(super) fn validate(
    f: &mut Findings<'_>,
    raw: &BTreeMap<Spanned<String>, RawEnvironment>,
    project_kmsi: Option<&RawKmsi>,
) -> Vec<Environment> {
    if raw.is_empty() {
        f.p002(
            0..0,
            "the project has no environment",
            "add one, e.g. `[environments.prod]` with `org_url = \"https://login.example.com\"`",
        );
    }
    // `[kmsi]` on its own too, for values every environment overrides (a finding made
    // again for an environment is folded into one by `Diagnostics::finish`).
    if let Some(k) = project_kmsi {
        let _ = kmsi::validate(f, k, false);
    }
    case_collisions(f, raw);
    raw.iter()
        .map(|(name, env)| environment(f, name, env, project_kmsi))
        .collect()
}

/// Environment names are folder names too: two that differ only in case collide on
/// macOS and Windows. Reported at the later one in the file.
fn case_collisions(f: &mut Findings<'_>, raw: &BTreeMap<Spanned<String>, RawEnvironment>) {
    let mut by_position: Vec<&Spanned<String>> = raw.keys().collect();
    by_position.sort_by_key(|n| n.span().start);
    for (i, name) in by_position.iter().enumerate() {
        if let Some(first) = by_position[..i]
            .iter()
            .find(|p| folder_key(p.get_ref()) == folder_key(name.get_ref()))
        {
            f.p002(
                name.span(),
                format!(
                    "environments `{}` and `{}` would share a folder on a file system that ignores case (macOS, Windows)",
                    first.get_ref(),
                    name.get_ref()
                ),
                "give each environment a name that differs in more than case",
            );
        }
    }
}

fn environment(
    f: &mut Findings<'_>,
    name: &Spanned<String>,
    env: &RawEnvironment,
    project_kmsi: Option<&RawKmsi>,
) -> Environment {
    if !valid_env_name(name.get_ref()) {
        f.p002(
            name.span(),
            format!("`{}` is not a usable environment name", name.get_ref()),
            "use letters, digits, `-` and `_` only",
        );
    }
    if let Some(url) = &env.org_url
        && let Err(problem) = crate::okta::OrgUrl::parse(url.get_ref())
    {
        f.p002(
            url.span(),
            problem.to_string(),
            "write the org's address, e.g. `https://acme.okta.com` or your custom domain",
        );
    }
    if let Some(o) = &env.oauth
        && o.private_key_file.is_some() == o.private_key_env.is_some()
    {
        f.p002(
            o.client_id.span(),
            "the service app needs exactly one of `private_key_file` and `private_key_env`",
            "name the PEM file holding the app's private key, or the environment variable that holds it",
        );
    }
    let kmsi =
        kmsi::merge(project_kmsi, env.kmsi.as_ref()).and_then(|k| kmsi::validate(f, &k, true));
    Environment {
        name: name.get_ref().clone(),
        org_url: env.org_url.clone(),
        token_env: env.token_env.clone(),
        oauth: env.oauth.clone(),
        vars: table_to_json(&env.vars),
        kmsi,
        tokens: super::widget::tokens(f, &env.tokens),
        theme: crate::config::theme::theme(f, env.theme.as_ref()),
        sign_out: crate::config::theme::sign_out(f, env.sign_out.as_ref()),
    }
}
