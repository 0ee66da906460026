//! The HTTP client: one org, blocking `reqwest` over rustls, with Okta's rate-limit
//! manners. 429 waits until `X-Rate-Limit-Reset` (plus jitter); 5xx, timeouts and broken
//! connections back off a bounded number of times; only idempotent requests (GET, PUT,
//! DELETE) are retried. When `X-Rate-Limit-Remaining` runs low, requests wait for the
//! window to reset instead of provoking a 429. Every wait is printed with `-v`.
//!
//! The token never leaves the org: every request, and every redirect, goes through
//! [`OrgUrl::admit`] first (exactly the org's scheme, host and port; no user info), same-
//! origin redirects are followed at most [`MAX_REDIRECTS`] times, and no answer is read
//! past [`MAX_BODY`] bytes. (Response headers are bounded by hyper: 100 headers, about
//! 400 KiB in all.)

use std::io::Read;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::Method;
use reqwest::blocking::{RequestBuilder, Response};
use serde_json::Value;
use url::Url;

use super::auth::{Credentials, Secret, client_assertion};
use super::error::OktaError;
use super::org_url::{Foreign, OrgUrl, path_of};

/// Same-origin redirects followed for one request.
pub const MAX_REDIRECTS: usize = 3;

/// The largest answer read (Okta's pages of 200 brands or rules are far smaller): past
/// it the command stops instead of holding whatever a broken server streams.
pub const MAX_BODY: u64 = 16 * 1024 * 1024;

/// Why the redirect policy stopped a redirect (found again in reqwest's error chain).
#[derive(Debug)]
enum RedirectRefused {
    Foreign(Foreign),
    TooMany,
}

impl std::fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RedirectRefused::Foreign(o) => write!(f, "a redirect to {o}"),
            RedirectRefused::TooMany => write!(f, "more than {MAX_REDIRECTS} redirects"),
        }
    }
}

impl std::error::Error for RedirectRefused {}

/// How hard to try. Tests shrink the delays with `SIGNIN_PAGES_RETRY_BASE_MS` and the
/// timeout with `SIGNIN_PAGES_TIMEOUT_MS`.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Retries after a 5xx or a broken connection.
    pub max_retries: u32,
    /// Retries after a 429.
    pub max_rate_limited: u32,
    /// First back-off; doubles each time.
    pub base: Duration,
    /// The longest single wait (for a far-away `X-Rate-Limit-Reset`).
    pub max_wait: Duration,
    pub timeout: Duration,
    /// Requests kept in hand: below this many remaining, wait for the window to reset.
    pub reserve: u64,
}

impl RetryPolicy {
    pub fn from_env() -> Self {
        let ms = |k: &str, d: u64| {
            std::env::var(k)
                .ok()
                .and_then(|v| v.parse().ok())
                .map_or(Duration::from_millis(d), Duration::from_millis)
        };
        RetryPolicy {
            max_retries: 4,
            max_rate_limited: 8,
            base: ms("SIGNIN_PAGES_RETRY_BASE_MS", 500),
            max_wait: Duration::from_secs(120),
            timeout: ms("SIGNIN_PAGES_TIMEOUT_MS", 30_000),
            reserve: 2,
        }
    }
}

/// What the client did, for the summary and for tests.
#[derive(Debug, Default)]
pub struct Stats {
    pub requests: AtomicU64,
    pub retries: AtomicU64,
    pub rate_limited: AtomicU64,
}

#[derive(Debug, Default)]
struct Window {
    remaining: Option<u64>,
    reset: Option<u64>,
}

/// A client for one org.
pub struct Client {
    org: OrgUrl,
    http: reqwest::blocking::Client,
    creds: Credentials,
    bearer: Mutex<Option<Secret>>,
    policy: RetryPolicy,
    window: Mutex<Window>,
    verbose: u8,
    pub stats: Stats,
}

/// An answer with a success status.
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
    /// `Link: <…>; rel="next"`, resolved against the answer's URL (not yet admitted).
    pub next: Option<Url>,
}

fn epoch_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn epoch_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// 0–250 ms, so that parallel workers do not all wake at once.
fn jitter() -> Duration {
    let n = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    Duration::from_millis(u64::from(n % 251))
}

fn header_u64(r: &Response, name: &str) -> Option<u64> {
    r.headers().get(name)?.to_str().ok()?.trim().parse().ok()
}

/// The `rel="next"` target of a `Link` header.
pub fn link_next(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim().replace(' ', "") == "rel=\"next\"")
            .then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
    })
}

impl Client {
    pub fn new(org: OrgUrl, creds: Credentials, verbose: u8) -> Result<Client, OktaError> {
        let policy = RetryPolicy::from_env();
        // Redirects pass the same origin check as requests, before anything is sent to
        // where they point.
        let gate = org.clone();
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if let Err(foreign) = gate.admit(attempt.url()) {
                attempt.error(RedirectRefused::Foreign(foreign))
            } else if attempt.previous().len() > MAX_REDIRECTS {
                attempt.error(RedirectRefused::TooMany)
            } else {
                attempt.follow()
            }
        });
        let http = reqwest::blocking::Client::builder()
            .timeout(policy.timeout)
            .connect_timeout(policy.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("signin-pages/", env!("CARGO_PKG_VERSION")))
            .https_only(org.is_https())
            .redirect(redirects)
            .build()
            .map_err(|e| OktaError::Setup(format!("cannot start the HTTP client: {e}")))?;
        Ok(Client {
            org,
            http,
            creds,
            bearer: Mutex::new(None),
            policy,
            window: Mutex::new(Window::default()),
            verbose,
            stats: Stats::default(),
        })
    }

    pub fn base(&self) -> &str {
        self.org.as_str()
    }

    /// Every request starts here: `url` must be on the org's origin, or nothing is sent.
    /// `via` says where the URL came from and `from` which call led to it, for the error.
    fn request(
        &self,
        method: Method,
        url: &Url,
        via: &'static str,
        from: &str,
    ) -> Result<RequestBuilder, OktaError> {
        self.org.admit(url).map_err(|foreign| OktaError::Foreign {
            method: method.to_string(),
            path: from.to_string(),
            via,
            origin: foreign.to_string(),
            org: self.org.to_string(),
        })?;
        Ok(self.http.request(method, url.clone()))
    }

    /// A failed send; a redirect the policy refused names where it pointed.
    fn failed(&self, method: &str, path: &str, e: &reqwest::Error) -> OktaError {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(c) = cause {
            match c.downcast_ref::<RedirectRefused>() {
                Some(RedirectRefused::Foreign(foreign)) => {
                    return OktaError::Foreign {
                        method: method.into(),
                        path: path.into(),
                        via: "Okta's redirect",
                        origin: foreign.to_string(),
                        org: self.org.to_string(),
                    };
                }
                Some(RedirectRefused::TooMany) => {
                    return OktaError::Transport {
                        method: method.into(),
                        path: path.into(),
                        message: format!(
                            "Okta redirected more than {MAX_REDIRECTS} times; stopped"
                        ),
                    };
                }
                None => cause = c.source(),
            }
        }
        transport(method, path, e)
    }

    fn note(&self, level: u8, text: &str) {
        if self.verbose >= level {
            errln!("  {text}");
        }
    }

    /// The `Authorization` header value.
    fn authorization(&self) -> Result<String, OktaError> {
        match &self.creds {
            Credentials::ApiToken { token, .. } => Ok(format!("SSWS {}", token.expose())),
            Credentials::ServiceApp {
                client_id,
                key,
                key_id,
                scopes,
                ..
            } => {
                let mut cached = self.bearer.lock().expect("token cache");
                if let Some(t) = cached.as_ref() {
                    return Ok(format!("Bearer {}", t.expose()));
                }
                const TOKEN_PATH: &str = "/oauth2/v1/token";
                let endpoint = self
                    .org
                    .endpoint(TOKEN_PATH)
                    .map_err(|e| bad_url("POST", TOKEN_PATH, &e))?;
                let audience = endpoint.as_str();
                let assertion = client_assertion(client_id, audience, key, key_id.as_deref())
                    .map_err(|e| OktaError::Setup(format!("service app `{client_id}`: {e}")))?;
                let form = [
                    ("grant_type", "client_credentials"),
                    ("scope", &scopes.join(" ")),
                    (
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    ),
                    ("client_assertion", assertion.expose()),
                ];
                let body = form
                    .iter()
                    .map(|(k, v)| format!("{k}={}", form_encode(v)))
                    .collect::<Vec<_>>()
                    .join("&");
                self.note(2, "POST /oauth2/v1/token (client credentials)");
                let r = self
                    .request(Method::POST, &endpoint, "the token endpoint", TOKEN_PATH)?
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json")
                    .body(body)
                    .send()
                    .map_err(|e| self.failed("POST", TOKEN_PATH, &e))?;
                let status = r.status().as_u16();
                let bytes = read_body(r, "POST", TOKEN_PATH)?;
                if status != 200 {
                    let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                    let what = v
                        .get("error_description")
                        .or(v.get("error"))
                        .and_then(|x| x.as_str())
                        .unwrap_or("no reason given");
                    return Err(OktaError::Setup(format!(
                        "the service app `{client_id}` could not get a token ({status}): {what}; check its client id, its registered public key and its granted scopes ({})",
                        scopes.join(", ")
                    )));
                }
                let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                let token = v
                    .get("access_token")
                    .and_then(|t| t.as_str())
                    .ok_or_else(|| {
                        OktaError::Setup("Okta's token answer has no access_token".into())
                    })?;
                let token = Secret::new(token);
                *cached = Some(token.clone());
                Ok(format!("Bearer {}", token.expose()))
            }
        }
    }

    /// Wait when the rate-limit window is nearly used up. Each request takes one from the
    /// count the last answer reported before it is sent, so that parallel workers do not
    /// all spend the last requests of a window at once.
    fn pace(&self) {
        loop {
            let wait = {
                let mut w = self.window.lock().expect("rate window");
                match (w.remaining, w.reset) {
                    // Wait until the reset instant itself (to the millisecond), not the
                    // whole second after it: rounding up cost up to 2 s per window.
                    (Some(rem), Some(reset))
                        if rem <= self.policy.reserve && reset * 1000 > epoch_ms() =>
                    {
                        Some(
                            Duration::from_millis(reset * 1000 - epoch_ms())
                                .min(self.policy.max_wait)
                                + jitter(),
                        )
                    }
                    (Some(rem), _) => {
                        w.remaining = Some(rem.saturating_sub(1));
                        None
                    }
                    _ => None,
                }
            };
            let Some(d) = wait else { return };
            self.note(1, &format!("pacing: {:.1} s until Okta's rate-limit window resets (X-Rate-Limit-Remaining is low)", d.as_secs_f64()));
            std::thread::sleep(d);
            let mut w = self.window.lock().expect("rate window");
            if w.reset.is_some_and(|r| r * 1000 <= epoch_ms()) {
                w.remaining = None;
            }
        }
    }

    fn record_window(&self, r: &Response) {
        let (rem, reset) = (
            header_u64(r, "x-rate-limit-remaining"),
            header_u64(r, "x-rate-limit-reset"),
        );
        if rem.is_some() || reset.is_some() {
            let mut w = self.window.lock().expect("rate window");
            // Answers to parallel requests arrive out of order: within one window, the
            // lowest count (ours, already decremented for requests in flight, or Okta's)
            // is the true one.
            w.remaining = match (w.remaining, rem) {
                (Some(mine), Some(theirs)) if w.reset == reset => Some(mine.min(theirs)),
                _ => rem,
            };
            w.reset = reset;
        }
    }

    /// Send a request for a path on the org (`/api/v1/…`), with retries as the policy says.
    pub fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Answer, OktaError> {
        let url = self
            .org
            .endpoint(path)
            .map_err(|e| bad_url(method.as_str(), path, &e))?;
        self.send_to(method, &url, "the request", path, body)
    }

    /// Send a request to `url` (a path resolved on the org, or a `Link` from an answer)
    /// with retries. `via` and `from` name where the URL came from, should it be refused.
    fn send_to(
        &self,
        method: Method,
        url: &Url,
        via: &'static str,
        from: &str,
        body: Option<&Value>,
    ) -> Result<Answer, OktaError> {
        let path = path_of(url).to_string();
        let m = method.as_str().to_string();
        let idempotent = matches!(
            method,
            Method::GET | Method::PUT | Method::DELETE | Method::HEAD
        );
        let oauth = matches!(self.creds, Credentials::ServiceApp { .. });
        let (mut retries, mut limited) = (0u32, 0u32);
        loop {
            self.pace();
            let mut req = self
                .request(method.clone(), url, via, from)?
                .header("Accept", "application/json")
                .header("Authorization", self.authorization()?);
            if let Some(b) = body {
                req = req
                    .header("Content-Type", "application/json")
                    .body(serde_json::to_vec(b).expect("JSON serializes"));
            }
            let started = Instant::now();
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            let outcome = req.send();
            let wait = match outcome {
                Ok(r) => {
                    self.record_window(&r);
                    let status = r.status().as_u16();
                    self.note(
                        2,
                        &format!(
                            "{m} {path} → {status} ({} ms, {} left in the rate-limit window)",
                            started.elapsed().as_millis(),
                            header_u64(&r, "x-rate-limit-remaining")
                                .map_or("?".into(), |n| n.to_string())
                        ),
                    );
                    if status == 429 && idempotent && limited < self.policy.max_rate_limited {
                        limited += 1;
                        self.stats.rate_limited.fetch_add(1, Ordering::Relaxed);
                        let reset = header_u64(&r, "x-rate-limit-reset").unwrap_or(epoch_now() + 1);
                        let d = Duration::from_secs(reset.saturating_sub(epoch_now()))
                            .min(self.policy.max_wait)
                            + jitter();
                        Some((
                            d,
                            format!(
                                "{m} {path}: 429 (rate limit); waiting {:.1} s until X-Rate-Limit-Reset",
                                d.as_secs_f64()
                            ),
                        ))
                    } else if (500..600).contains(&status)
                        && idempotent
                        && retries < self.policy.max_retries
                    {
                        retries += 1;
                        let d = self.policy.base * 2u32.pow(retries - 1) + jitter();
                        Some((
                            d,
                            format!(
                                "{m} {path}: {status} from Okta; retry {retries}/{} in {:.1} s",
                                self.policy.max_retries,
                                d.as_secs_f64()
                            ),
                        ))
                    } else {
                        let next = r
                            .headers()
                            .get_all("link")
                            .iter()
                            .filter_map(|v| v.to_str().ok())
                            .find_map(link_next)
                            .map(|link| {
                                OrgUrl::resolve(r.url(), &link).map_err(|e| OktaError::Transport {
                                    method: m.clone(),
                                    path: path.clone(),
                                    message: format!(
                                        "Okta's `Link: rel=\"next\"` header is not a URL ({e})"
                                    ),
                                })
                            })
                            .transpose()?;
                        let bytes = read_body(r, &m, &path)?;
                        // A 3xx here is a redirect without a usable `Location`.
                        if status >= 300 {
                            return Err(OktaError::from_answer(&m, &path, status, &bytes, oauth));
                        }
                        return Ok(Answer {
                            status,
                            body: bytes,
                            next,
                        });
                    }
                }
                Err(e) if e.is_redirect() => {
                    let refused = self.failed(&m, &path, &e);
                    self.note(2, &format!("{m} {path} → redirect refused"));
                    return Err(refused);
                }
                Err(e) => {
                    self.note(
                        2,
                        &format!(
                            "{m} {path} → {} ({} ms)",
                            describe(&e),
                            started.elapsed().as_millis()
                        ),
                    );
                    if idempotent && retries < self.policy.max_retries {
                        retries += 1;
                        let d = self.policy.base * 2u32.pow(retries - 1) + jitter();
                        Some((
                            d,
                            format!(
                                "{m} {path}: {}; retry {retries}/{} in {:.1} s",
                                describe(&e),
                                self.policy.max_retries,
                                d.as_secs_f64()
                            ),
                        ))
                    } else {
                        return Err(transport(&m, &path, &e));
                    }
                }
            };
            if let Some((d, why)) = wait {
                self.stats.retries.fetch_add(1, Ordering::Relaxed);
                self.note(1, &why);
                std::thread::sleep(d);
            }
        }
    }

    /// GET a JSON object; `None` on 404.
    pub fn get(&self, path: &str) -> Result<Option<Value>, OktaError> {
        match self.send(Method::GET, path, None) {
            Ok(a) => json(&a.body, "GET", path).map(Some),
            Err(e) if e.status() == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// GET every page of a list, following `Link: rel="next"`.
    pub fn list(&self, path: &str) -> Result<Vec<Value>, OktaError> {
        let mut out = Vec::new();
        let mut answer = self.send(Method::GET, path, None)?;
        let mut pages = 1;
        loop {
            let a = answer;
            match json(&a.body, "GET", path)? {
                Value::Array(items) => out.extend(items),
                other => {
                    return Err(OktaError::Transport {
                        method: "GET".into(),
                        path: path.into(),
                        message: format!("expected a JSON list, got {}", kind(&other)),
                    });
                }
            }
            let Some(next) = a.next else { break };
            pages += 1;
            if pages > 1000 {
                return Err(OktaError::Setup(format!(
                    "GET {path}: more than 1,000 pages of results; stopping"
                )));
            }
            answer = self.send_to(
                Method::GET,
                &next,
                "Okta's `Link: rel=\"next\"` header",
                path,
                None,
            )?;
        }
        Ok(out)
    }

    pub fn put(&self, path: &str, body: &Value) -> Result<Value, OktaError> {
        let a = self.send(Method::PUT, path, Some(body))?;
        json(&a.body, "PUT", path)
    }

    pub fn post(&self, path: &str, body: &Value) -> Result<Value, OktaError> {
        let a = self.send(Method::POST, path, Some(body))?;
        json(&a.body, "POST", path)
    }

    pub fn delete(&self, path: &str) -> Result<(), OktaError> {
        self.send(Method::DELETE, path, None).map(|_| ())
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn json(body: &[u8], method: &str, path: &str) -> Result<Value, OktaError> {
    if body.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body).map_err(|e| OktaError::Transport {
        method: method.into(),
        path: path.into(),
        message: format!("Okta's answer is not JSON: {e}"),
    })
}

fn describe(e: &reqwest::Error) -> String {
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

/// An answer's body, read through `take(MAX_BODY + 1)`: never more than the cap is held.
fn read_body(r: Response, method: &str, path: &str) -> Result<Vec<u8>, OktaError> {
    let too_big = || OktaError::Transport {
        method: method.into(),
        path: path.into(),
        message: format!(
            "Okta's answer is larger than {} MiB; stopped reading it",
            MAX_BODY >> 20
        ),
    };
    if r.content_length().is_some_and(|n| n > MAX_BODY) {
        return Err(too_big());
    }
    let mut body = Vec::new();
    r.take(MAX_BODY + 1)
        .read_to_end(&mut body)
        .map_err(|e| OktaError::Transport {
            method: method.into(),
            path: path.into(),
            message: describe_io(&e),
        })?;
    if body.len() as u64 > MAX_BODY {
        return Err(too_big());
    }
    Ok(body)
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

fn bad_url(method: &str, path: &str, e: &url::ParseError) -> OktaError {
    OktaError::Transport {
        method: method.into(),
        path: path.into(),
        message: format!("not a usable URL path ({e})"),
    }
}

fn transport(method: &str, path: &str, e: &reqwest::Error) -> OktaError {
    OktaError::Transport {
        method: method.into(),
        path: path.into(),
        message: describe(e),
    }
}

fn form_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers() {
        assert_eq!(
            link_next(
                r#"<https://o.okta.com/api/v1/brands?limit=20>; rel="self", <https://o.okta.com/api/v1/brands?after=x&limit=20>; rel="next""#
            ),
            Some("https://o.okta.com/api/v1/brands?after=x&limit=20".into())
        );
        assert_eq!(
            link_next(r#"<https://o.okta.com/api/v1/brands?limit=20>; rel="self""#),
            None
        );
    }
}
