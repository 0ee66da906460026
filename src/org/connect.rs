//! An environment's org: its URL and credentials, and a client for it.

use crate::config::Environment;
use crate::okta::{Client, Credentials, OktaError, OrgUrl, Secret};
use crate::project::Project;

/// The environment named `name`, or a message naming the ones there are.
pub fn environment<'a>(project: &'a Project, name: &str) -> Result<&'a Environment, String> {
    let envs = &project.config.environments;
    envs.iter().find(|e| e.name == name).ok_or_else(|| {
        let names: Vec<&str> = envs.iter().map(|e| e.name.as_str()).collect();
        format!(
            "no environment named `{name}` in signin-pages.toml (it has: {})",
            names.join(", ")
        )
    })
}

/// The org URL and credentials of an environment: `org_url` (or `OKTA_CLIENT_ORGURL`),
/// then a service app (`[environments.E.oauth]`), the variable `token_env` names,
/// `OKTA_API_TOKEN`, or Okta's SDK variable `OKTA_CLIENT_TOKEN`.
pub fn connect(project: &Project, env: &Environment, verbose: u8) -> Result<Client, OktaError> {
    let (org_url, source) = match &env.org_url {
        Some(u) => (u.get_ref().clone(), "org_url"),
        None => (
            std::env::var("OKTA_CLIENT_ORGURL").map_err(|_| {
                OktaError::Setup(format!(
                    "environment `{}` has no org_url: set `org_url` in signin-pages.toml or OKTA_CLIENT_ORGURL",
                    env.name
                ))
            })?,
            "OKTA_CLIENT_ORGURL",
        ),
    };
    // The value itself is not repeated: it may carry credentials.
    let org = OrgUrl::parse(&org_url).map_err(|problem| {
        OktaError::Setup(format!("{source} of environment `{}`: {problem}", env.name))
    })?;
    let creds = credentials(project, env)?;
    Client::new(org, creds, verbose)
}

fn credentials(project: &Project, env: &Environment) -> Result<Credentials, OktaError> {
    if let Some(o) = &env.oauth {
        let (key, source) = match (&o.private_key_file, &o.private_key_env) {
            (Some(f), _) => {
                let path = project.root.join(f.get_ref());
                let pem = std::fs::read_to_string(&path).map_err(|e| {
                    OktaError::Setup(format!(
                        "cannot read the service app's private key `{}`: {e}",
                        f.get_ref()
                    ))
                })?;
                (pem, format!("the key file {}", f.get_ref()))
            }
            (None, Some(v)) => {
                let pem = std::env::var(v.get_ref()).map_err(|_| {
                    OktaError::Setup(format!(
                        "the variable {} (the service app's private key) is not set",
                        v.get_ref()
                    ))
                })?;
                (pem, format!("the variable {}", v.get_ref()))
            }
            (None, None) => {
                return Err(OktaError::Setup(
                    "the service app has no private key".into(),
                ));
            }
        };
        return Ok(Credentials::ServiceApp {
            client_id: o.client_id.get_ref().clone(),
            key: Secret::new(key),
            key_id: o.key_id.clone(),
            scopes: o.scopes.clone(),
            source,
        });
    }
    let names: Vec<String> = match &env.token_env {
        Some(v) => vec![v.get_ref().clone()],
        None => vec!["OKTA_API_TOKEN".into(), "OKTA_CLIENT_TOKEN".into()],
    };
    for n in &names {
        if let Ok(t) = std::env::var(n)
            && !t.trim().is_empty()
        {
            return Ok(Credentials::ApiToken {
                token: Secret::new(t.trim()),
                source: format!("the variable {n}"),
            });
        }
    }
    Err(OktaError::Setup(format!(
        "no credentials for environment `{}`: set {} to an API token (Admin Console › Security › API › Tokens), or configure `[environments.{}.oauth]`",
        env.name,
        names.join(" or "),
        env.name
    )))
}
