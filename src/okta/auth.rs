//! Credentials: API tokens and OAuth 2.0 service apps (client credentials with a
//! `private_key_jwt` assertion). Secrets live in [`Secret`], which never prints itself.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

/// A token or key. `Debug` and `Display` print `[redacted]`; only [`Secret::expose`]
/// gives the value, and only the HTTP layer calls it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// How the client proves who it is.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// `Authorization: SSWS <token>`; `source` names where it came from (for messages).
    ApiToken { token: Secret, source: String },
    /// An OAuth 2.0 service app: client credentials with a signed JWT assertion.
    ServiceApp {
        client_id: String,
        key: Secret,
        key_id: Option<String>,
        scopes: Vec<String>,
        source: String,
    },
}

impl Credentials {
    /// Where the credentials came from, for messages ("the variable OKTA_API_TOKEN").
    pub fn source(&self) -> &str {
        match self {
            Credentials::ApiToken { source, .. } | Credentials::ServiceApp { source, .. } => source,
        }
    }

    /// Every secret value, so that output can be checked for leaks.
    pub fn secrets(&self) -> Vec<&str> {
        match self {
            Credentials::ApiToken { token, .. } => vec![token.expose()],
            Credentials::ServiceApp { key, .. } => vec![key.expose()],
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the private key is not a PEM `PRIVATE KEY` (PKCS#8) or `RSA PRIVATE KEY` block")]
    NotPem,
    #[error(
        "the private key is not an RSA key ring can use (need RSA 2048 bits or more, PKCS#8 or PKCS#1)"
    )]
    Unusable,
}

fn pem_der(pem: &str) -> Result<(Vec<u8>, bool), KeyError> {
    let (label, rest) = if let Some(i) = pem.find("-----BEGIN PRIVATE KEY-----") {
        (false, &pem[i + "-----BEGIN PRIVATE KEY-----".len()..])
    } else if let Some(i) = pem.find("-----BEGIN RSA PRIVATE KEY-----") {
        (true, &pem[i + "-----BEGIN RSA PRIVATE KEY-----".len()..])
    } else {
        return Err(KeyError::NotPem);
    };
    let body = rest.split("-----END").next().ok_or(KeyError::NotPem)?;
    let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let der = STANDARD.decode(b64).map_err(|_| KeyError::NotPem)?;
    Ok((der, label))
}

/// A signed client assertion (RFC 7523) for Okta's token endpoint, valid five minutes.
pub fn client_assertion(
    client_id: &str,
    audience: &str,
    key: &Secret,
    key_id: Option<&str>,
) -> Result<Secret, KeyError> {
    let (der, pkcs1) = pem_der(key.expose())?;
    let pair = if pkcs1 {
        ring::signature::RsaKeyPair::from_der(&der)
    } else {
        ring::signature::RsaKeyPair::from_pkcs8(&der)
    }
    .map_err(|_| KeyError::Unusable)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut header = serde_json::json!({"alg": "RS256", "typ": "JWT"});
    if let Some(kid) = key_id {
        header["kid"] = serde_json::Value::String(kid.to_string());
    }
    let jti = format!(
        "{:x}{:x}",
        now,
        std::process::id() as u64
            ^ u64::from(
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.subsec_nanos())
            )
    );
    let claims = serde_json::json!({
        "iss": client_id, "sub": client_id, "aud": audience,
        "iat": now, "exp": now + 300, "jti": jti,
    });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut sig = vec![0u8; pair.public().modulus_len()];
    pair.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        signing_input.as_bytes(),
        &mut sig,
    )
    .map_err(|_| KeyError::Unusable)?;
    Ok(Secret::new(format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(sig)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_redact_themselves() {
        let s = Secret::new("00abcdef");
        assert_eq!(format!("{s} {s:?}"), "[redacted] [redacted]");
        let c = Credentials::ApiToken {
            token: s,
            source: "x".into(),
        };
        assert!(!format!("{c:?}").contains("00abcdef"));
    }

    #[test]
    fn refuses_what_is_not_a_key() {
        assert!(matches!(
            client_assertion("c", "a", &Secret::new("nope"), None),
            Err(KeyError::NotPem)
        ));
    }
}
