//! Credentials: API tokens and OAuth 2.0 service apps (client credentials with a
//! `private_key_jwt` assertion: the key read from PEM by `rustls-pki-types`, signed by
//! `ring`, its times from `jiff`). Secrets live in [`Secret`], which never prints itself.
//! The client ([`super::client`]) sends the token request; this file says what is in it
//! and what the answer means.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::Timestamp;
use ring::rand::{SecureRandom as _, SystemRandom};
use ring::signature::RsaKeyPair;
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject as _;
use serde_json::{Value, json};

use super::error::OktaError;

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

/// The RSA key in a PEM block (`PRIVATE KEY` or `RSA PRIVATE KEY`), read by
/// `rustls-pki-types` (the first private-key block; text around it is skipped).
fn rsa_key(pem: &str) -> Result<RsaKeyPair, KeyError> {
    let der = PrivateKeyDer::from_pem_slice(pem.as_bytes()).map_err(|_| KeyError::NotPem)?;
    match &der {
        PrivateKeyDer::Pkcs8(k) => RsaKeyPair::from_pkcs8(k.secret_pkcs8_der()),
        PrivateKeyDer::Pkcs1(k) => RsaKeyPair::from_der(k.secret_pkcs1_der()),
        // An `EC PRIVATE KEY` (SEC1): Okta's private_key_jwt here is RS256.
        _ => return Err(KeyError::Unusable),
    }
    .map_err(|_| KeyError::Unusable)
}

/// A signed client assertion (RFC 7523) for Okta's token endpoint, valid five minutes.
pub fn client_assertion(
    client_id: &str,
    audience: &str,
    key: &Secret,
    key_id: Option<&str>,
) -> Result<Secret, KeyError> {
    let pair = rsa_key(key.expose())?;
    let rng = SystemRandom::new();
    let now = Timestamp::now().as_second();
    let mut header = json!({"alg": "RS256", "typ": "JWT"});
    if let Some(kid) = key_id {
        header["kid"] = Value::String(kid.to_string());
    }
    // A random id: Okta refuses an assertion whose `jti` it has seen.
    let mut jti = [0u8; 16];
    rng.fill(&mut jti).map_err(|_| KeyError::Unusable)?;
    let claims = json!({
        "iss": client_id, "sub": client_id, "aud": audience,
        "iat": now, "exp": now + 300, "jti": URL_SAFE_NO_PAD.encode(jti),
    });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut sig = vec![0u8; pair.public().modulus_len()];
    pair.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &rng,
        signing_input.as_bytes(),
        &mut sig,
    )
    .map_err(|_| KeyError::Unusable)?;
    Ok(Secret::new(format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(sig)
    )))
}

/// The form of a client-credentials token request for a service app (`audience`: the
/// token endpoint's URL). `Setup` for API-token credentials, which need none.
pub fn token_form(
    creds: &Credentials,
    audience: &str,
) -> Result<Vec<(&'static str, String)>, OktaError> {
    let Credentials::ServiceApp {
        client_id,
        key,
        key_id,
        scopes,
        ..
    } = creds
    else {
        return Err(OktaError::Setup(
            "an API token needs no token request".into(),
        ));
    };
    let assertion = client_assertion(client_id, audience, key, key_id.as_deref())
        .map_err(|e| OktaError::Setup(format!("service app `{client_id}`: {e}")))?;
    Ok(vec![
        ("grant_type", "client_credentials".into()),
        ("scope", scopes.join(" ")),
        (
            "client_assertion_type",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".into(),
        ),
        ("client_assertion", assertion.expose().to_string()),
    ])
}

/// The access token in the token endpoint's answer, or why there is none.
pub fn token_from_answer(
    creds: &Credentials,
    status: u16,
    body: &[u8],
) -> Result<Secret, OktaError> {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    if status != 200 {
        let (client_id, scopes) = match creds {
            Credentials::ServiceApp {
                client_id, scopes, ..
            } => (client_id.as_str(), scopes.join(", ")),
            Credentials::ApiToken { .. } => ("?", String::new()),
        };
        let what = v
            .get("error_description")
            .or(v.get("error"))
            .and_then(|x| x.as_str())
            .unwrap_or("no reason given");
        return Err(OktaError::Setup(format!(
            "the service app `{client_id}` could not get a token ({status}): {what}; check its client id, its registered public key and its granted scopes ({scopes})"
        )));
    }
    v.get("access_token")
        .and_then(|t| t.as_str())
        .map(Secret::new)
        .ok_or_else(|| OktaError::Setup("Okta's token answer has no access_token".into()))
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

    /// PKCS#8 and PKCS#1 blocks of one key, with CRLF lines and text around them, sign
    /// the same way; an EC key is named unusable, not "not a PEM".
    #[test]
    fn reads_rsa_keys_in_both_pem_forms() {
        let pkcs8 = include_str!("../../tests/fixtures/keys/test-service-app.pem");
        let pkcs1 = include_str!("../../tests/fixtures/keys/test-service-app.pkcs1.pem");
        let public = rsa_key(pkcs8).unwrap().public().as_ref().to_vec();
        let verify = |jwt: &Secret| {
            let (input, sig) = jwt.expose().rsplit_once('.').unwrap();
            ring::signature::UnparsedPublicKey::new(
                &ring::signature::RSA_PKCS1_2048_8192_SHA256,
                &public,
            )
            .verify(input.as_bytes(), &URL_SAFE_NO_PAD.decode(sig).unwrap())
            .is_ok()
        };
        let claims = |jwt: &Secret| -> Value {
            let part = jwt.expose().split('.').nth(1).unwrap();
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
        };
        let wrapped = format!("key of app c\r\n{}", pkcs1.replace('\n', "\r\n"));
        let mut jtis = Vec::new();
        for pem in [pkcs8, pkcs1, &wrapped] {
            let jwt = client_assertion(
                "c",
                "https://o.example/oauth2/v1/token",
                &Secret::new(pem),
                None,
            )
            .unwrap();
            assert!(verify(&jwt));
            let c = claims(&jwt);
            assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 300);
            assert!((c["iat"].as_i64().unwrap() - Timestamp::now().as_second()).abs() < 60);
            jtis.push(c["jti"].clone());
        }
        jtis.dedup();
        assert_eq!(jtis.len(), 3, "every assertion has its own jti");
        let ec = include_str!("../../tests/fixtures/keys/test-ec.pem");
        assert!(matches!(
            client_assertion("c", "a", &Secret::new(ec), None),
            Err(KeyError::Unusable)
        ));
    }

    #[test]
    fn refuses_what_is_not_a_key() {
        assert!(matches!(
            client_assertion("c", "a", &Secret::new("nope"), None),
            Err(KeyError::NotPem)
        ));
    }
}
