//! The HTTP client: one org, blocking `reqwest` over rustls. How hard it tries and how it
//! paces itself is [`super::retry`]; what it sends is built by the resource files
//! (`brands`, `pages`, `policies`, `groups`, `users`).
//!
//! The token never leaves the org: every request, and every redirect, goes through
//! [`OrgUrl::admit`] first (exactly the org's scheme, host and port; no user info), same-
//! origin redirects are followed at most [`MAX_REDIRECTS`] times, and no answer is read
//! past [`MAX_BODY`] bytes. (Response headers are bounded by hyper: 100 headers, about
//! 400 KiB in all.) Paths are built from segments ([`api_path`]), queries and forms are
//! encoded by reqwest: an id or a login from anywhere stays one segment or one value.
//!
//! A theme's images are the one thing fetched from a URL an answer names
//! ([`Client::fetch_asset`], in `client/assets.rs`): only from the org's origin or Okta's
//! CDN (`https://*.oktacdn.com`), redirects held to the same rule, never with the
//! credentials, and no more than the caller's cap. Reading an answer (the cap, JSON,
//! Okta's errors) is `client/answer.rs`.

use std::sync::atomic::Ordering;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use reqwest::Method;
use reqwest::blocking::{Request, RequestBuilder, Response};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde_json::Value;
use url::Url;

use super::auth::{self, Credentials, Secret};
use super::error::OktaError;
use super::org_url::{Foreign, OrgUrl, path_of};
use super::retry::{Attempts, Pacer, RetryPolicy, Stats};

mod answer;
mod assets;

use answer::{answer, bad_url, describe, json, kind, read_body, transport};
pub use assets::asset_allowed;

/// Same-origin redirects followed for one request.
pub const MAX_REDIRECTS: usize = 3;

/// The largest answer read (Okta's pages of 200 brands or rules are far smaller): past
/// it the command stops instead of holding whatever a broken server streams.
pub const MAX_BODY: u64 = 16 * 1024 * 1024;

/// A query: `(name, value)` pairs, encoded by reqwest.
pub type Query<'a> = &'a [(&'a str, &'a str)];

/// `/api/v1/` and `segments`, each percent-encoded as one path segment (by `url`): an id
/// or a login never adds a segment, a query or a fragment.
pub fn api_path(segments: &[&str]) -> String {
    let mut u = Url::parse("http://org.invalid/api/v1").expect("a valid base");
    u.path_segments_mut()
        .expect("an http URL has a path")
        .extend(segments);
    u.path().to_string()
}

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

/// A client for one org.
pub struct Client {
    org: OrgUrl,
    http: reqwest::blocking::Client,
    creds: Credentials,
    bearer: Mutex<Option<Secret>>,
    policy: RetryPolicy,
    pacer: Pacer,
    verbose: u8,
    /// The client for images ([`Client::fetch_asset`]), built on first use.
    assets: OnceLock<reqwest::blocking::Client>,
    pub stats: Stats,
}

/// What a request carries.
#[derive(Clone, Copy)]
pub enum Payload<'a> {
    Empty,
    Json(&'a Value),
    /// Bytes built by the caller (a multipart form) with their `Content-Type`.
    Raw {
        content_type: &'a str,
        bytes: &'a [u8],
    },
}

/// Whether a failed request may be sent again (after a 429, a 5xx or a broken
/// connection): by its method (GET, PUT, DELETE, HEAD), or always, for a POST that
/// replaces a thing whole (an image upload), so that sending it twice changes nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    ByMethod,
    Replaces,
}

/// An answer with a success status.
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
    /// `Link: <…>; rel="next"`, resolved against the answer's URL (not yet admitted).
    pub next: Option<Url>,
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
            .connect_timeout(policy.timeout.min(std::time::Duration::from_secs(10)))
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
            pacer: Pacer::default(),
            verbose,
            assets: OnceLock::new(),
            stats: Stats::default(),
        })
    }

    pub fn base(&self) -> &str {
        self.org.as_str()
    }

    /// Every request starts here: `url` must be on the org's origin, or nothing is built
    /// or sent. (Before reqwest sees it: reqwest would move a URL's user info into an
    /// `Authorization` header.) `via` says where the URL came from and `from` which call
    /// led to it, for the error.
    fn request(
        &self,
        method: Method,
        url: Url,
        via: &'static str,
        from: &str,
    ) -> Result<RequestBuilder, OktaError> {
        self.org.admit(&url).map_err(|foreign| OktaError::Foreign {
            method: method.to_string(),
            path: from.to_string(),
            via,
            origin: foreign.to_string(),
            org: self.org.to_string(),
        })?;
        Ok(self.http.request(method, url))
    }

    /// The request with its query or form encoded (by reqwest, which does not change the
    /// origin: the URL stays admitted).
    fn build(
        &self,
        method: &str,
        builder: RequestBuilder,
        from: &str,
    ) -> Result<Request, OktaError> {
        builder.build().map_err(|e| OktaError::Transport {
            method: method.into(),
            path: from.to_string(),
            message: format!("the request cannot be built: {}", describe(&e)),
        })
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

    /// The `Authorization` header value (marked sensitive: reqwest never prints it).
    fn authorization(&self) -> Result<HeaderValue, OktaError> {
        let text = match &self.creds {
            Credentials::ApiToken { token, .. } => format!("SSWS {}", token.expose()),
            Credentials::ServiceApp { .. } => {
                let mut cached = self.bearer.lock().expect("token cache");
                if cached.is_none() {
                    *cached = Some(self.service_app_token()?);
                }
                format!("Bearer {}", cached.as_ref().expect("just set").expose())
            }
        };
        let mut value = HeaderValue::from_str(&text).map_err(|_| {
            OktaError::Setup(format!(
                "the credentials from {} hold characters an HTTP header cannot carry",
                self.creds.source()
            ))
        })?;
        value.set_sensitive(true);
        Ok(value)
    }

    /// The service app's access token: client credentials with a signed assertion,
    /// posted as a form to the org's own token endpoint.
    fn service_app_token(&self) -> Result<Secret, OktaError> {
        const TOKEN_PATH: &str = "/oauth2/v1/token";
        let endpoint = self
            .org
            .endpoint(TOKEN_PATH)
            .map_err(|e| bad_url("POST", TOKEN_PATH, &e))?;
        let form = auth::token_form(&self.creds, endpoint.as_str())?;
        self.note(2, "POST /oauth2/v1/token (client credentials)");
        let builder = self
            .request(Method::POST, endpoint, "the token endpoint", TOKEN_PATH)?
            .header("Accept", "application/json")
            .form(&form);
        let req = self.build("POST", builder, TOKEN_PATH)?;
        let r = self
            .http
            .execute(req)
            .map_err(|e| self.failed("POST", TOKEN_PATH, &e))?;
        let status = r.status().as_u16();
        let bytes = read_body(r, "POST", TOKEN_PATH, MAX_BODY)?;
        auth::token_from_answer(&self.creds, status, &bytes)
    }

    /// Send a request for a path on the org (`/api/v1/…`), with retries as the policy says.
    pub fn send(
        &self,
        method: Method,
        path: &str,
        query: Query<'_>,
        body: Option<&Value>,
    ) -> Result<Answer, OktaError> {
        let payload = body.map_or(Payload::Empty, Payload::Json);
        self.send_payload(method, path, query, payload, Repeat::ByMethod)
    }

    /// [`Client::send`] with any payload, and whether it may be repeated.
    pub fn send_payload(
        &self,
        method: Method,
        path: &str,
        query: Query<'_>,
        payload: Payload<'_>,
        repeat: Repeat,
    ) -> Result<Answer, OktaError> {
        let url = self
            .org
            .endpoint(path)
            .map_err(|e| bad_url(method.as_str(), path, &e))?;
        let m = method.as_str().to_string();
        let mut builder = self
            .request(method.clone(), url, "the request", path)?
            .query(query)
            .header("Accept", "application/json");
        match payload {
            Payload::Empty => {}
            Payload::Json(b) => builder = builder.json(b),
            Payload::Raw {
                content_type,
                bytes,
            } => {
                builder = builder
                    .header(CONTENT_TYPE, content_type)
                    .body(bytes.to_vec());
            }
        }
        let request = self.build(&m, builder, path)?;
        let idempotent = repeat == Repeat::Replaces || is_idempotent(&method);
        self.exchange(&self.http, request, Some(Auth), idempotent, MAX_BODY)
    }

    /// Send a GET to `url` (a `Link` from an answer) with retries. `via` and `from` name
    /// where the URL came from, should it be refused.
    fn get_link(&self, url: Url, via: &'static str, from: &str) -> Result<Answer, OktaError> {
        let builder = self
            .request(Method::GET, url, via, from)?
            .header("Accept", "application/json");
        let request = self.build("GET", builder, from)?;
        self.exchange(&self.http, request, Some(Auth), true, MAX_BODY)
    }

    /// Send a built request until it has an answer that stands, as the retry policy
    /// says: with the credentials when `auth` is given, through `http`, reading no more
    /// than `cap` bytes of the answer.
    fn exchange(
        &self,
        http: &reqwest::blocking::Client,
        request: Request,
        auth: Option<Auth>,
        idempotent: bool,
        cap: u64,
    ) -> Result<Answer, OktaError> {
        let m = request.method().as_str().to_string();
        let path = path_of(request.url()).to_string();
        let what = format!("{m} {path}");
        let oauth = matches!(self.creds, Credentials::ServiceApp { .. });
        let mut tries = Attempts::default();
        loop {
            self.pacer.wait_turn(&self.policy, |t| self.note(1, t));
            let mut attempt = request.try_clone().expect("an in-memory body clones");
            if auth.is_some() {
                attempt
                    .headers_mut()
                    .insert(AUTHORIZATION, self.authorization()?);
            }
            let started = Instant::now();
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            let wait = match http.execute(attempt) {
                Ok(r) => {
                    let reset = header_u64(&r, "x-rate-limit-reset");
                    let remaining = header_u64(&r, "x-rate-limit-remaining");
                    self.pacer.record(remaining, reset);
                    let status = r.status().as_u16();
                    self.note(
                        2,
                        &format!(
                            "{what} → {status} ({} ms, {} left in the rate-limit window)",
                            started.elapsed().as_millis(),
                            remaining.map_or("?".into(), |n| n.to_string())
                        ),
                    );
                    match self
                        .policy
                        .after_status(&mut tries, idempotent, status, reset, &what)
                    {
                        Some(w) => w,
                        None => return answer(r, status, &m, &path, oauth, cap),
                    }
                }
                Err(e) if e.is_redirect() => {
                    let refused = self.failed(&m, &path, &e);
                    self.note(2, &format!("{what} → redirect refused"));
                    return Err(refused);
                }
                Err(e) => {
                    let problem = describe(&e);
                    self.note(
                        2,
                        &format!("{what} → {problem} ({} ms)", started.elapsed().as_millis()),
                    );
                    match self
                        .policy
                        .after_failure(&mut tries, idempotent, &problem, &what)
                    {
                        Some(w) => w,
                        None => return Err(transport(&m, &path, &e)),
                    }
                }
            };
            if wait.rate_limited {
                self.stats.rate_limited.fetch_add(1, Ordering::Relaxed);
            }
            self.stats.retries.fetch_add(1, Ordering::Relaxed);
            self.note(1, &wait.why);
            std::thread::sleep(wait.duration);
        }
    }

    /// GET a JSON object; `None` on 404.
    pub fn get(&self, path: &str, query: Query<'_>) -> Result<Option<Value>, OktaError> {
        match self.send(Method::GET, path, query, None) {
            Ok(a) => json(&a.body, "GET", path).map(Some),
            Err(e) if e.status() == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// GET every page of a list, following `Link: rel="next"`.
    pub fn list(&self, path: &str, query: Query<'_>) -> Result<Vec<Value>, OktaError> {
        let mut out = Vec::new();
        let mut answer = self.send(Method::GET, path, query, None)?;
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
            answer = self.get_link(next, "Okta's `Link: rel=\"next\"` header", path)?;
        }
        Ok(out)
    }

    pub fn put(&self, path: &str, body: &Value) -> Result<Value, OktaError> {
        let a = self.send(Method::PUT, path, &[], Some(body))?;
        json(&a.body, "PUT", path)
    }

    pub fn post(&self, path: &str, query: Query<'_>, body: &Value) -> Result<Value, OktaError> {
        let a = self.send(Method::POST, path, query, Some(body))?;
        json(&a.body, "POST", path)
    }

    pub fn delete(&self, path: &str, query: Query<'_>) -> Result<(), OktaError> {
        self.send(Method::DELETE, path, query, None).map(|_| ())
    }
}

fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::PUT | Method::DELETE | Method::HEAD
    )
}

/// Marks a request that carries the credentials (`Authorization`).
#[derive(Clone, Copy)]
struct Auth;

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

    #[test]
    fn path_segments_stay_segments() {
        assert_eq!(
            api_path(&["brands", "b1", "pages", "sign-in", "preview"]),
            "/api/v1/brands/b1/pages/sign-in/preview"
        );
        assert_eq!(
            api_path(&["users", "a b/../c?d#e"]),
            "/api/v1/users/a%20b%2F..%2Fc%3Fd%23e"
        );
    }
}
