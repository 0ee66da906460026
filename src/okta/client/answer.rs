//! Reading what came back: the body through the size cap, JSON, Okta's errors, and the
//! words for a failed connection. (The client's send loop, in `client.rs`, ends here.)

use std::io::Read;

use reqwest::blocking::Response;
use serde_json::Value;

use super::super::error::OktaError;
use super::super::org_url::OrgUrl;
use super::{Answer, link_next};

/// The answer that ends a request: a success with its body and `Link: rel="next"`, or
/// Okta's error.
pub(super) fn answer(
    r: Response,
    status: u16,
    method: &str,
    path: &str,
    oauth: bool,
    cap: u64,
) -> Result<Answer, OktaError> {
    let next = r
        .headers()
        .get_all("link")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(link_next)
        .map(|link| {
            OrgUrl::resolve(r.url(), &link).map_err(|e| OktaError::Transport {
                method: method.into(),
                path: path.into(),
                message: format!("Okta's `Link: rel=\"next\"` header is not a URL ({e})"),
            })
        })
        .transpose()?;
    let bytes = read_body(r, method, path, cap)?;
    // A 3xx here is a redirect without a usable `Location`.
    if status >= 300 {
        return Err(OktaError::from_answer(method, path, status, &bytes, oauth));
    }
    Ok(Answer {
        status,
        body: bytes,
        next,
    })
}

pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

pub(super) fn json(body: &[u8], method: &str, path: &str) -> Result<Value, OktaError> {
    if body.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body).map_err(|e| OktaError::Transport {
        method: method.into(),
        path: path.into(),
        message: format!("Okta's answer is not JSON: {e}"),
    })
}

pub(super) fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "no answer before the timeout".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else {
        // reqwest's chain names the URL (never headers): keep the innermost cause.
        let mut src: &dyn std::error::Error = e;
        while let Some(s) = src.source() {
            src = s;
        }
        format!("connection failed: {src}")
    }
}

/// An answer's body, read through `take(cap + 1)`: never more than the cap is held.
pub(super) fn read_body(
    r: Response,
    method: &str,
    path: &str,
    cap: u64,
) -> Result<Vec<u8>, OktaError> {
    let too_big = || OktaError::Transport {
        method: method.into(),
        path: path.into(),
        message: format!(
            "Okta's answer is larger than {}; stopped reading it",
            size(cap)
        ),
    };
    if r.content_length().is_some_and(|n| n > cap) {
        return Err(too_big());
    }
    let mut body = Vec::new();
    r.take(cap + 1)
        .read_to_end(&mut body)
        .map_err(|e| OktaError::Transport {
            method: method.into(),
            path: path.into(),
            message: describe_io(&e),
        })?;
    if body.len() as u64 > cap {
        return Err(too_big());
    }
    Ok(body)
}

/// `16 MiB`, `4 MiB`, `100 kB`, `512 bytes`: a cap in messages.
fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1000 && bytes.is_multiple_of(1000) {
        format!("{} kB", bytes / 1000)
    } else {
        format!("{bytes} bytes")
    }
}

fn describe_io(e: &std::io::Error) -> String {
    if let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<reqwest::Error>()) {
        describe(inner)
    } else if e.kind() == std::io::ErrorKind::TimedOut {
        "no answer before the timeout".into()
    } else {
        format!("connection failed while reading the answer: {e}")
    }
}

pub(super) fn bad_url(method: &str, path: &str, e: &url::ParseError) -> OktaError {
    OktaError::Transport {
        method: method.into(),
        path: path.into(),
        message: format!("not a usable URL path ({e})"),
    }
}

pub(super) fn transport(method: &str, path: &str, e: &reqwest::Error) -> OktaError {
    OktaError::Transport {
        method: method.into(),
        path: path.into(),
        message: describe(e),
    }
}
