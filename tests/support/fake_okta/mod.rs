//! `FakeOkta`: an in-process fake of an Okta org's Management API, served on a real
//! socket (`127.0.0.1`, OS-assigned port) so the tests can run the real binary against it.
//!
//! It covers what `signin-pages` talks to: brands (read and replaced whole), their sign-in /
//! error / sign-out pages, their themes and theme images, the
//! policy rules behind Keep Me Signed In, groups, users and their sessions, and the
//! OAuth 2.0 client-credentials token endpoint. Where it is cheap, it answers the way the
//! real API does (`okta/observed-api-interactions.json` is the reference for shapes):
//! a PUT replaces the whole page and unset fields come back `null`, durations come back
//! in hours, 4-byte UTF-8 is refused, and every answer carries the `X-Rate-Limit-*`
//! headers. Tests script failures (`fail_next`, `fault_rate`, `rate_limit`) and read
//! every request back (`requests`).
//!
//! HTTP/1.1 is hand-rolled on `std::net` (keep-alive, `Content-Length` and chunked
//! bodies): that keeps full control of the wire for the faults (a hang, a reset).
//!
//! Here: `FakeOkta` (start, stop, the request log) and the org's state (`Org`). Beside it,
//! each part of the API with the methods tests set it up with: `brands.rs` (brands and
//! their pages, the brand PUT), `themes.rs` (a brand's theme, its images and its sign-out
//! page), `domains.rs` (a brand's custom domains), `policies.rs` (policies, rules, groups, users, sessions), `oauth.rs` (the
//! token endpoint); `faults.rs` (scripted and random faults, the rate limit, and the
//! dispatch of every request through them), `routes.rs` (routing, auth, Okta's error
//! answers), `wire.rs` (the socket), `encoding.rs`; and `tests.rs`, the fake's own tests.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::Value;

use super::http::{Reply, request};

mod brands;
mod domains;
mod encoding;
mod faults;
mod oauth;
mod policies;
mod routes;
/// The fake's own tests (`cargo test fake_okta`). `cargo clippy --all-targets` also
/// builds this folder into `benches/ratelimit.rs` with `--cfg test` but no test harness:
/// the tests vanish there, and their imports would be reported unused.
#[cfg(test)]
#[allow(unused_imports)]
mod tests;
mod themes;
mod wire;

use brands::*;
use domains::*;
use encoding::*;
use faults::*;
use oauth::*;
use policies::*;
use routes::*;
use themes::*;
use wire::*;

pub use faults::{Fault, Matcher};
pub use themes::StoredImage;

/// The API token `FakeOkta::start` accepts (`Authorization: SSWS …`).
pub const DEFAULT_TOKEN: &str = "00fake-token-fake-token-fake-token-fake-tok";
/// The access token `/oauth2/v1/token` hands out (`Authorization: Bearer …`).
pub const DEFAULT_ACCESS_TOKEN: &str =
    "eyJraWQiOiJmYWtlIn0.eyJmYWtlIjoiYWNjZXNzLXRva2VuIn0.fake-access-signature";

/// The rate-limit window reported while no `rate_limit` is configured (never enforced).
const UNLIMITED_LIMIT: u64 = 600;

/// One request as the fake received it.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub method: String,
    /// Path and query, as on the request line.
    pub path: String,
    /// Header names lower-cased, values as received, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The status answered; `None` for a hang or a reset (or while still in flight).
    pub status: Option<u16>,
    /// The fault injected on this request, if any.
    pub fault: Option<Fault>,
}

impl RecordedRequest {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path without the query.
    pub fn path_only(&self) -> &str {
        self.path.split('?').next().unwrap_or("")
    }

    /// A query parameter, percent-decoded.
    pub fn query(&self, key: &str) -> Option<String> {
        let q = self.path.split_once('?').map(|(_, q)| q).unwrap_or("");
        parse_form(q)
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    pub fn body_str(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// The org as the fake holds it. Tests may read and change it through `FakeOkta::org()`.
pub struct Org {
    /// In list order (`GET /api/v1/brands`).
    pub brands: Vec<BrandState>,
    /// `GET …/sign-in/widget-versions`, for every brand without a list of its own.
    pub widget_versions: Vec<String>,
    /// Brand id → the list its `…/widget-versions` answers instead (a classic brand's
    /// differs from the others', for one).
    pub brand_widget_versions: HashMap<String, Vec<String>>,
    /// When on, the default brand's customized and preview sign-in pages can't be changed (403).
    pub multibrand: bool,
    pub policies: Vec<PolicyState>,
    /// Group objects (`id`, `profile.name`, …).
    pub groups: Vec<Value>,
    /// User objects (`id`, `profile.login`, …).
    pub users: Vec<Value>,
    /// Rule name → the `errorSummary` of the cause a PUT of that rule is refused with.
    pub refused_rules: HashMap<String, String>,
    /// `DELETE /api/v1/users/{id}/sessions`: (user id, `oauthTokens`).
    pub cleared_sessions: Vec<(String, bool)>,
    /// Uploaded theme images by file id (`/bc/image/fileStoreRecord?id=…`).
    pub images: HashMap<String, StoredImage>,
    next_id: u64,
}

/// A brand (`brand` holds the Brand fields without `_links`), its pages, its custom
/// domains (`DomainResponse` objects without `_links`), its theme (`ThemeResponse`
/// without `_links`) and its sign-out page (`HostedPage`).
pub struct BrandState {
    pub brand: Value,
    pub sign_in: Pages,
    pub error: Pages,
    pub domains: Vec<Value>,
    pub theme: Value,
    pub sign_out: Value,
}

/// The three slots of a page. `customized`/`preview` are stored the way a GET answers them.
pub struct Pages {
    pub customized: Option<Value>,
    pub preview: Option<Value>,
    pub default: Value,
}

/// A policy (without `_links`) and its rules (without `_links`), rules in list order.
pub struct PolicyState {
    pub policy: Value,
    pub rules: Vec<Value>,
}

impl Org {
    pub fn brand(&self, id: &str) -> Option<&BrandState> {
        self.brands.iter().find(|b| b.brand["id"] == id)
    }

    pub fn brand_mut(&mut self, id: &str) -> Option<&mut BrandState> {
        self.brands.iter_mut().find(|b| b.brand["id"] == id)
    }

    pub fn policy(&self, id: &str) -> Option<&PolicyState> {
        self.policies.iter().find(|p| p.policy["id"] == id)
    }

    pub fn policy_mut(&mut self, id: &str) -> Option<&mut PolicyState> {
        self.policies.iter_mut().find(|p| p.policy["id"] == id)
    }

    /// An Okta-looking id: a 3-character prefix, then 17 characters.
    fn new_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}fake{:011}d7", self.next_id)
    }
}

// ---------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------

/// A fake Okta org on `http://127.0.0.1:PORT`. Stops when dropped.
pub struct FakeOkta {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

struct Shared {
    base: String,
    org: Mutex<Org>,
    ctl: Mutex<Control>,
    shutdown: AtomicBool,
    conns: Mutex<HashMap<u64, TcpStream>>,
    next_conn: AtomicU64,
    next_error_id: AtomicU64,
}

struct Control {
    api_token: String,
    access_token: String,
    token_expires_in: u64,
    oauth_client_id: Option<String>,
    token_requests: usize,
    used_jtis: HashSet<String>,
    faults: VecDeque<(Matcher, Fault)>,
    random: Option<RandomFaults>,
    rate: Option<RateLimit>,
    log: Vec<RecordedRequest>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl FakeOkta {
    /// A fake org accepting `SSWS 00fake-token-…` (`DEFAULT_TOKEN`).
    pub fn start() -> FakeOkta {
        FakeOkta::start_with_token(DEFAULT_TOKEN)
    }

    /// A fake org accepting `Authorization: SSWS <token>` (and `Bearer <access token>`).
    ///
    /// The org starts with no brand, the group "Everyone", and the default global session
    /// policy (`OKTA_SIGN_ON` "Default Policy", `system: true`) with its "Default Rule".
    pub fn start_with_token(token: &str) -> FakeOkta {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        FakeOkta::start_on_with_token(listener, token)
    }

    /// A fake org (accepting `DEFAULT_TOKEN`) on a listener the test bound itself, for
    /// tests that need particular ports.
    pub fn start_on(listener: TcpListener) -> FakeOkta {
        FakeOkta::start_on_with_token(listener, DEFAULT_TOKEN)
    }

    fn start_on_with_token(listener: TcpListener, token: &str) -> FakeOkta {
        let addr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let shared = Arc::new(Shared {
            base: base.clone(),
            org: Mutex::new(Org {
                brands: Vec::new(),
                widget_versions: vec!["7.13".into(), "7.14".into(), "7.40".into()],
                brand_widget_versions: HashMap::new(),
                multibrand: false,
                policies: Vec::new(),
                groups: Vec::new(),
                users: Vec::new(),
                refused_rules: HashMap::new(),
                cleared_sessions: Vec::new(),
                images: HashMap::new(),
                next_id: 0,
            }),
            ctl: Mutex::new(Control {
                api_token: token.to_string(),
                access_token: DEFAULT_ACCESS_TOKEN.to_string(),
                token_expires_in: 3600,
                oauth_client_id: None,
                token_requests: 0,
                used_jtis: HashSet::new(),
                faults: VecDeque::new(),
                random: None,
                rate: None,
                log: Vec::new(),
            }),
            shutdown: AtomicBool::new(false),
            conns: Mutex::new(HashMap::new()),
            next_conn: AtomicU64::new(0),
            next_error_id: AtomicU64::new(0),
        });
        seed_org(&mut lock(&shared.org));

        let accept_shared = shared.clone();
        let accept = std::thread::Builder::new()
            .name("fake-okta-accept".into())
            .spawn(move || accept_loop(listener, accept_shared))
            .expect("spawn fake okta");
        FakeOkta {
            addr,
            shared,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        self.shared.base.clone()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    // --- org state ----------------------------------------------------------------------

    /// The org, locked. Don't hold the guard across a request to the fake.
    pub fn org(&self) -> MutexGuard<'_, Org> {
        lock(&self.shared.org)
    }

    // --- the request log ----------------------------------------------------------------

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.ctl).log.clone()
    }

    /// Requests whose method is `method` (if given) and whose path+query contains `path`.
    pub fn requests_matching(&self, method: Option<&str>, path: &str) -> Vec<RecordedRequest> {
        let m = Matcher::from((method, path));
        self.requests()
            .into_iter()
            .filter(|r| m.matches(&r.method, &r.path))
            .collect()
    }

    pub fn clear_requests(&self) {
        lock(&self.shared.ctl).log.clear();
    }

    /// The whole log as text (request lines, headers, bodies): to grep for a secret.
    pub fn requests_text(&self) -> String {
        let mut out = String::new();
        for r in self.requests() {
            out.push_str(&format!("{} {}\n", r.method, r.path));
            for (n, v) in &r.headers {
                out.push_str(&format!("{n}: {v}\n"));
            }
            out.push('\n');
            out.push_str(&r.body_str());
            out.push_str("\n\n");
        }
        out
    }

    // --- a client for the tests ---------------------------------------------------------

    /// Sends a request with `Authorization: SSWS <token>` (and a JSON body if given).
    pub fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        let auth = format!("SSWS {}", self.token());
        let body = body.map(|b| b.to_string());
        let mut headers = vec![
            ("Authorization", auth.as_str()),
            ("Accept", "application/json"),
        ];
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        request(
            method,
            &format!("{}{path}", self.url()),
            &headers,
            body.as_deref().map(str::as_bytes),
        )
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }
}

impl Drop for FakeOkta {
    fn drop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
        for (_, s) in lock(&self.shared.conns).drain() {
            let _ = s.shutdown(Shutdown::Both);
        }
    }
}
