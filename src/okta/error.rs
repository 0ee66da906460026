//! Okta's errors, shown as Okta means them, with our advice for the known cases.

use std::fmt;

/// An error from talking to Okta.
#[derive(Debug)]
pub enum OktaError {
    /// Okta answered with an error status.
    Api {
        method: String,
        path: String,
        status: u16,
        code: Option<String>,
        summary: Option<String>,
        causes: Vec<String>,
        id: Option<String>,
        advice: Option<String>,
    },
    /// No usable answer: connection refused or reset, timeout, TLS, invalid JSON.
    Transport {
        method: String,
        path: String,
        message: String,
    },
    /// A URL outside the org's origin (from a `Link` header, a redirect, anywhere):
    /// refused before anything was sent there.
    Foreign {
        method: String,
        path: String,
        /// Where the URL came from: "Okta's redirect", "Okta's `Link: rel=\"next\"` header".
        via: &'static str,
        /// `scheme://host[:port]` it points at (never its user info).
        origin: String,
        /// The org's origin.
        org: String,
    },
    /// Credentials or configuration missing or unusable.
    Setup(String),
}

impl OktaError {
    pub fn status(&self) -> Option<u16> {
        match self {
            OktaError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn with_advice(mut self, text: impl Into<String>) -> Self {
        if let OktaError::Api { advice, .. } = &mut self {
            *advice = Some(text.into());
        }
        self
    }

    /// Build from an error answer: Okta's `{errorCode, errorSummary, errorCauses, errorId}`.
    pub fn from_answer(method: &str, path: &str, status: u16, body: &[u8], oauth: bool) -> Self {
        let v: serde_json::Value = serde_json::from_slice(body).unwrap_or(serde_json::Value::Null);
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(String::from);
        let causes: Vec<String> = v
            .get("errorCauses")
            .and_then(|c| c.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|c| {
                        c.get("errorSummary")
                            .and_then(|x| x.as_str())
                            .map(String::from)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let code = s("errorCode");
        let summary = s("errorSummary").or_else(|| {
            (!body.is_empty() && v.is_null())
                .then(|| String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned())
        });
        let advice = advice(
            status,
            code.as_deref(),
            summary.as_deref().unwrap_or(""),
            &causes,
            path,
            oauth,
        );
        OktaError::Api {
            method: method.to_string(),
            path: path.to_string(),
            status,
            code,
            summary,
            causes,
            id: s("errorId"),
            advice,
        }
    }
}

/// The scope a Management API path needs, for a service app's 403: the default `scopes`
/// cover brands and policies only, so `kmsi reset` (users) and a `[kmsi]` naming groups
/// meet this first.
fn scope_for(path: &str) -> &'static str {
    let path = path.split('?').next().unwrap_or(path);
    if path.starts_with("/api/v1/policies") {
        "`okta.policies.manage`"
    } else if path.starts_with("/api/v1/users") {
        "`okta.users.manage` (and `okta.users.read`)"
    } else if path.starts_with("/api/v1/groups") {
        "`okta.groups.read`"
    } else {
        "`okta.brands.manage`"
    }
}

/// What to do about the errors people meet most.
fn advice(
    status: u16,
    code: Option<&str>,
    summary: &str,
    causes: &[String],
    path: &str,
    oauth: bool,
) -> Option<String> {
    let all = format!("{summary} {}", causes.join(" ")).to_lowercase();
    match status {
        401 => Some("the credentials were refused: check the API token (or the service app's key and client id) for this environment; tokens expire after 30 days unused".into()),
        403 if path.contains("/pages/") && (all.contains("default brand") || all.contains("multibrand") || all.contains("multi-brand")) => Some(
            "with multibrand customization on, the default brand's pages cannot be changed: put the page on a brand that has its own custom domain, or turn multibrand off".into(),
        ),
        403 if oauth => Some(format!(
            "the service app lacks a scope this call needs: grant {} in the Admin Console (Applications › your app › Okta API Scopes) and request it in `scopes`",
            scope_for(path)
        )),
        403 => Some("the token's admin lacks permission: brands and pages need a super admin or an admin with customization rights".into()),
        _ if all.contains("custom domain") || all.contains("customdomain") => Some(
            "customized pages and CSP settings need a custom domain: set one up under Customizations › Brands › Domains, then use that brand".into(),
        ),
        404 if path.starts_with("/api/v1/brands/") => Some("the brand (or page) does not exist in this org: check the brand name and the environment's org_url".into()),
        429 => Some("Okta's rate limit: signin-pages waited and retried; try again later or deploy fewer brands at once".into()),
        400 if code == Some("E0000001") && causes.is_empty() => Some("Okta did not say which field it refused: run with -vv to see the request".into()),
        _ => None,
    }
}

impl fmt::Display for OktaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OktaError::Api {
                method,
                path,
                status,
                code,
                summary,
                causes,
                id,
                advice,
            } => {
                write!(f, "{method} {path}: Okta answered {status}")?;
                if let Some(c) = code {
                    write!(f, " {c}")?;
                }
                if let Some(s) = summary {
                    write!(f, ": {s}")?;
                }
                for c in causes {
                    write!(f, "\n  cause: {c}")?;
                }
                if let Some(i) = id {
                    write!(f, "\n  errorId: {i} (give it to Okta support)")?;
                }
                if let Some(a) = advice {
                    write!(f, "\n  help: {a}")?;
                }
                Ok(())
            }
            OktaError::Transport {
                method,
                path,
                message,
            } => write!(f, "{method} {path}: {message}"),
            OktaError::Foreign {
                method,
                path,
                via,
                origin,
                org,
            } => write!(
                f,
                "{method} {path}: {via} points at {origin}, which is not the org ({org}); refused, nothing was sent there"
            ),
            OktaError::Setup(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for OktaError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_okta_fields_and_advice() {
        let body = br#"{"errorCode":"E0000001","errorSummary":"Api validation failed: widgetVersion","errorId":"oae1","errorCauses":[{"errorSummary":"widgetVersion: invalid"}]}"#;
        let e = OktaError::from_answer(
            "PUT",
            "/api/v1/brands/b/pages/sign-in/preview",
            400,
            body,
            false,
        );
        let text = e.to_string();
        assert!(text.contains("400 E0000001: Api validation failed: widgetVersion"));
        assert!(text.contains("cause: widgetVersion: invalid"));
        assert!(text.contains("errorId: oae1"));
        let e = OktaError::from_answer("PUT", "/api/v1/brands/b/pages/sign-in/customized", 403, br#"{"errorCode":"E0000006","errorSummary":"You do not have permission","errorCauses":[{"errorSummary":"The default brand's sign-in page cannot be changed when multibrand is enabled"}]}"#, false);
        assert!(
            e.to_string()
                .contains("default brand's pages cannot be changed")
        );
    }

    #[test]
    fn a_service_apps_403_names_the_scope_of_the_path() {
        let forbidden = |path| OktaError::from_answer("GET", path, 403, b"{}", true).to_string();
        assert!(forbidden("/api/v1/users/ada%40example.com").contains("`okta.users.manage`"));
        assert!(forbidden("/api/v1/groups?q=Staff").contains("`okta.groups.read`"));
        assert!(forbidden("/api/v1/policies/p1/rules").contains("`okta.policies.manage`"));
        assert!(forbidden("/api/v1/brands/b/themes").contains("`okta.brands.manage`"));
    }
}
