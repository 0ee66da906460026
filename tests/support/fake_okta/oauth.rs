//! OAuth 2.0 client credentials with `private_key_jwt`: the token endpoint and the
//! access token it hands out.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::*;

impl FakeOkta {
    /// The API token accepted as `SSWS <token>`.
    pub fn token(&self) -> String {
        lock(&self.shared.ctl).api_token.clone()
    }

    /// The access token `/oauth2/v1/token` hands out and `Bearer <token>` accepts.
    pub fn access_token(&self) -> String {
        lock(&self.shared.ctl).access_token.clone()
    }

    pub fn set_access_token(&self, token: &str) {
        lock(&self.shared.ctl).access_token = token.to_string();
    }

    /// The `expires_in` the token endpoint answers (default 3600).
    pub fn set_token_expires_in(&self, secs: u64) {
        lock(&self.shared.ctl).token_expires_in = secs;
    }

    /// Only this client id may get a token (default: any, as long as `iss` = `sub`).
    pub fn oauth_client(&self, client_id: &str) {
        lock(&self.shared.ctl).oauth_client_id = Some(client_id.to_string());
    }

    /// How many tokens `/oauth2/v1/token` has issued.
    pub fn token_requests(&self) -> usize {
        lock(&self.shared.ctl).token_requests
    }
}

fn oauth_error(status: u16, error: &str, description: &str) -> Response {
    Response::json(
        status,
        &json!({"error": error, "error_description": description}),
    )
    .header("Cache-Control", "no-store")
    .header("Pragma", "no-cache")
}

/// `POST /oauth2/v1/token`. The assertion's signature is NOT verified (the fake has no
/// key registry): only its header (`alg` RS256) and claims (`iss` = `sub` = client id,
/// `aud` = this endpoint, `exp` in the future and at most an hour away, `jti` unused).
pub(super) fn token_endpoint(shared: &Shared, req: &Req) -> Response {
    if !req.header("content-type").is_some_and(|c| {
        c.to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    }) {
        return oauth_error(
            400,
            "invalid_request",
            "The request must be application/x-www-form-urlencoded.",
        );
    }
    let form = parse_form(&String::from_utf8_lossy(req.body));
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if get("grant_type") != Some("client_credentials") {
        return oauth_error(
            400,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server. Configured grant types: [client_credentials].",
        );
    }
    if get("client_assertion_type")
        != Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    {
        return oauth_error(
            401,
            "invalid_client",
            "The client_assertion_type is missing or not urn:ietf:params:oauth:client-assertion-type:jwt-bearer.",
        );
    }
    let Some(assertion) = get("client_assertion") else {
        return oauth_error(401, "invalid_client", "The client_assertion is missing.");
    };
    let parts: Vec<&str> = assertion.split('.').collect();
    let decode = |s: &str| b64url_decode(s).and_then(|b| serde_json::from_slice::<Value>(&b).ok());
    let (Some(header), Some(claims)) = (
        parts.first().and_then(|h| decode(h)),
        parts.get(1).and_then(|c| decode(c)),
    ) else {
        return oauth_error(401, "invalid_client", "The client_assertion is not a JWT.");
    };
    if parts.len() != 3 || parts[2].is_empty() {
        return oauth_error(
            401,
            "invalid_client",
            "The client_assertion is not a signed JWT.",
        );
    }
    if header["alg"] != "RS256" {
        return oauth_error(
            401,
            "invalid_client",
            "The client_assertion signature algorithm must be RS256.",
        );
    }
    let iss = claims["iss"].as_str().unwrap_or("");
    if iss.is_empty() || claims["sub"] != iss {
        return oauth_error(
            401,
            "invalid_client",
            "The client_assertion token's iss and sub must both be the client id.",
        );
    }
    if get("client_id").is_some_and(|c| c != iss) {
        return oauth_error(
            401,
            "invalid_client",
            "client_id does not match the client_assertion's iss.",
        );
    }
    let audience = format!("{}/oauth2/v1/token", shared.base);
    let aud_ok = match &claims["aud"] {
        Value::String(a) => *a == audience,
        Value::Array(a) => a.iter().any(|x| *x == audience.as_str()),
        _ => false,
    };
    if !aud_ok {
        return oauth_error(
            401,
            "invalid_client",
            &format!("The audience of the client_assertion must be {audience}."),
        );
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    match claims["exp"].as_u64() {
        Some(exp) if exp > now && exp <= now + 3600 + 60 => {}
        Some(exp) if exp <= now => {
            return oauth_error(
                401,
                "invalid_client",
                "The client_assertion token is expired.",
            );
        }
        _ => {
            return oauth_error(
                401,
                "invalid_client",
                "The client_assertion token has no exp, or one more than an hour away.",
            );
        }
    }
    let Some(scope) = get("scope").filter(|s| !s.trim().is_empty()) else {
        return oauth_error(
            400,
            "invalid_scope",
            "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
        );
    };
    let mut ctl = lock(&shared.ctl);
    if let Some(want) = &ctl.oauth_client_id
        && want != iss
    {
        return oauth_error(
            401,
            "invalid_client",
            "Invalid value for 'client_id' parameter.",
        );
    }
    if let Some(jti) = claims["jti"].as_str()
        && !ctl.used_jtis.insert(jti.to_string())
    {
        return oauth_error(
            401,
            "invalid_client",
            "The client_assertion token has already been used (jti).",
        );
    }
    ctl.token_requests += 1;
    oauth_json_ok(&json!({
        "token_type": "Bearer",
        "expires_in": ctl.token_expires_in,
        "access_token": ctl.access_token,
        "scope": scope
    }))
}

fn oauth_json_ok(body: &Value) -> Response {
    Response::json(200, body)
        .header("Cache-Control", "no-store")
        .header("Pragma", "no-cache")
}
