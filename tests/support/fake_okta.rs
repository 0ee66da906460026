//! `FakeOkta`: an in-process fake of an Okta org's Management API, served on a real
//! socket (`127.0.0.1`, OS-assigned port) so the tests can run the real binary against it.
//!
//! It covers what `signin-pages` talks to: brands and their sign-in / error pages, the
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

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

/// The API token `FakeOkta::start` accepts (`Authorization: SSWS …`).
pub const DEFAULT_TOKEN: &str = "00fake-token-fake-token-fake-token-fake-tok";
/// The access token `/oauth2/v1/token` hands out (`Authorization: Bearer …`).
pub const DEFAULT_ACCESS_TOKEN: &str =
    "eyJraWQiOiJmYWtlIn0.eyJmYWtlIjoiYWNjZXNzLXRva2VuIn0.fake-access-signature";

/// The rate-limit window reported while no `rate_limit` is configured (never enforced).
const UNLIMITED_LIMIT: u64 = 600;

// ---------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------

/// One scripted or random failure.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// `429` with an E0000047 body, `X-Rate-Limit-Remaining: 0` and
    /// `X-Rate-Limit-Reset` = now + `reset_in` (epoch seconds, rounded up).
    Status429 { reset_in: Duration },
    /// `500` with an Okta error body (E0000009).
    Status500,
    /// `503` with an Okta error body.
    Status503,
    /// Read the request, send nothing for this long, then close the connection (FIN).
    Hang(Duration),
    /// Read the request, then close the socket with `SO_LINGER` 0: the peer gets a TCP RST
    /// and no response bytes.
    Reset,
    /// Any status with this JSON body (plus the usual headers).
    Status(u16, Value),
    /// The usual answer, plus this header (`("Link", "<…>; rel=\"next\"")`).
    WithHeader(String, String),
    /// A redirect (`301`, `302`, `307`, `308`) to `location`, with an empty body.
    Redirect { status: u16, location: String },
    /// `200` with a JSON body of `bytes` bytes (`[`, spaces, `0]`), written lazily in
    /// 64 KiB pieces (never held whole), chunked or with its `Content-Length` declared;
    /// then the connection closes.
    HugeBody { bytes: u64, declared: bool },
}

/// Which requests a fault applies to: an optional method and a substring of path+query.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Matcher {
    pub method: Option<String>,
    pub path_contains: String,
}

impl Matcher {
    /// Every request.
    pub fn any() -> Self {
        Matcher::default()
    }

    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && path.contains(&self.path_contains)
    }
}

/// `"/sign-in/preview"`: any method.
impl From<&str> for Matcher {
    fn from(path: &str) -> Self {
        Matcher {
            method: None,
            path_contains: path.to_string(),
        }
    }
}

/// `("PUT", "/sign-in/preview")`.
impl From<(&str, &str)> for Matcher {
    fn from((method, path): (&str, &str)) -> Self {
        Matcher {
            method: Some(method.to_string()),
            path_contains: path.to_string(),
        }
    }
}

/// `(Some("PUT"), "/sign-in/preview")` or `(None, "/brands")`.
impl From<(Option<&str>, &str)> for Matcher {
    fn from((method, path): (Option<&str>, &str)) -> Self {
        Matcher {
            method: method.map(str::to_string),
            path_contains: path.to_string(),
        }
    }
}

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
    /// `GET …/sign-in/widget-versions`.
    pub widget_versions: Vec<String>,
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
    next_id: u64,
}

/// A brand (`brand` holds the Brand fields without `_links`) and its pages.
pub struct BrandState {
    pub brand: Value,
    pub sign_in: Pages,
    pub error: Pages,
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

/// An HTTP answer read by `http`.
#[derive(Clone, Debug)]
pub struct HttpResponse {
    pub status: u16,
    /// Names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a header that may repeat (`Link`).
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON; `Value::Null` when empty or not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
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

struct RandomFaults {
    percent: u8,
    state: u64,
    kinds: Vec<Fault>,
    matcher: Matcher,
    methods: Option<Vec<String>>,
}

struct RateLimit {
    limit: u64,
    window: Duration,
    window_start: Instant,
    used: u64,
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
                multibrand: false,
                policies: Vec::new(),
                groups: Vec::new(),
                users: Vec::new(),
                refused_rules: HashMap::new(),
                cleared_sessions: Vec::new(),
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

    // --- auth ---------------------------------------------------------------------------

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

    // --- org state ----------------------------------------------------------------------

    /// The org, locked. Don't hold the guard across a request to the fake.
    pub fn org(&self) -> MutexGuard<'_, Org> {
        lock(&self.shared.org)
    }

    /// Adds a brand; `is_default` takes the default away from any other brand.
    /// Returns its id. Its default pages are Okta's.
    pub fn add_brand(&self, name: &str, is_default: bool) -> String {
        let mut org = self.org();
        let id = org.new_id("bnd");
        if is_default {
            for b in &mut org.brands {
                b.brand["isDefault"] = Value::Bool(false);
            }
        }
        org.brands.push(BrandState {
            brand: json!({
                "id": id,
                "name": name,
                "removePoweredByOkta": false,
                "customPrivacyPolicyUrl": null,
                "agreeToCustomPrivacyPolicy": false,
                "isDefault": is_default,
                "defaultApp": {
                    "appInstanceId": null,
                    "appLinkName": null,
                    "classicApplicationUri": null
                }
            }),
            sign_in: Pages {
                customized: None,
                preview: None,
                default: default_sign_in_page(),
            },
            error: Pages {
                customized: None,
                preview: None,
                default: default_error_page(),
            },
        });
        id
    }

    /// The id of the (first) brand with this name.
    pub fn brand_id(&self, name: &str) -> Option<String> {
        self.org()
            .brands
            .iter()
            .find(|b| b.brand["name"] == name)
            .map(|b| b.brand["id"].as_str().unwrap().to_string())
    }

    /// The brand's sign-in page in `slot` ("customized" | "preview" | "default"), as a GET
    /// would answer it. `None` if unset (or no such brand).
    pub fn sign_in(&self, brand_id: &str, slot: &str) -> Option<Value> {
        let org = self.org();
        slot_of(&org.brand(brand_id)?.sign_in, slot)
    }

    /// Sets (or, with `None`, removes) a sign-in page as if PUT (it is normalised the same
    /// way: unset fields become null). For "default", `None` is ignored.
    pub fn set_sign_in(&self, brand_id: &str, slot: &str, page: Option<Value>) {
        let stored = page.map(|p| {
            normalize_sign_in(&p)
                .unwrap_or_else(|c| panic!("set_sign_in: invalid page: {c:?}"))
                .0
        });
        let mut org = self.org();
        let b = org.brand_mut(brand_id).expect("set_sign_in: no such brand");
        set_slot(&mut b.sign_in, slot, stored);
    }

    /// The brand's error page in `slot`, as a GET would answer it.
    pub fn error_page(&self, brand_id: &str, slot: &str) -> Option<Value> {
        let org = self.org();
        slot_of(&org.brand(brand_id)?.error, slot)
    }

    /// Sets or removes an error page as if PUT.
    pub fn set_error_page(&self, brand_id: &str, slot: &str, page: Option<Value>) {
        let stored = page.map(|p| {
            normalize_error_page(&p)
                .unwrap_or_else(|c| panic!("set_error_page: invalid page: {c:?}"))
        });
        let mut org = self.org();
        let b = org
            .brand_mut(brand_id)
            .expect("set_error_page: no such brand");
        set_slot(&mut b.error, slot, stored);
    }

    /// What `GET …/sign-in/widget-versions` answers (default 7.13, 7.14, 7.40).
    pub fn set_widget_versions(&self, versions: &[&str]) {
        self.org().widget_versions = versions.iter().map(|v| v.to_string()).collect();
    }

    /// Multibrand customization on: the default brand's customized and preview sign-in
    /// pages answer PUT and DELETE with 403.
    pub fn multibrand(&self, on: bool) {
        self.org().multibrand = on;
    }

    // --- policies, groups, users --------------------------------------------------------

    /// Adds a policy of `policy_type` (`ACCESS_POLICY`, `OKTA_SIGN_ON`, …), active, not
    /// system. An `ACCESS_POLICY` gets its "Catch-all Rule" as in Okta. Returns its id.
    pub fn add_policy(&self, policy_type: &str, name: &str) -> String {
        let mut org = self.org();
        create_policy(
            &mut org,
            &json!({"type": policy_type, "name": name}),
            true,
            false,
        )
        .expect("add_policy")["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Adds a rule to a policy, normalised as a POST would be (`P30D` is stored as
    /// `PT720H`, …). `rule` needs at least `name`; `type` defaults to the policy's rule type.
    /// Returns its id.
    pub fn add_rule(&self, policy_id: &str, rule: Value) -> String {
        let mut org = self.org();
        let mut rule = rule;
        if rule.get("type").is_none() {
            let ptype = org
                .policy(policy_id)
                .expect("add_rule: no such policy")
                .policy["type"]
                .as_str()
                .unwrap()
                .to_string();
            rule["type"] = Value::String(rule_type_for(&ptype).to_string());
        }
        create_rule(&mut org, policy_id, &rule, false).unwrap_or_else(|c| panic!("add_rule: {c:?}"))
            ["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// A policy as GET answers it (with `_links`).
    pub fn policy(&self, id: &str) -> Option<Value> {
        let org = self.org();
        org.policy(id)
            .map(|p| policy_json(&p.policy, &self.shared.base))
    }

    /// Every policy of a type, as the list answers them.
    pub fn policies(&self, policy_type: &str) -> Vec<Value> {
        let org = self.org();
        org.policies
            .iter()
            .filter(|p| p.policy["type"] == policy_type)
            .map(|p| policy_json(&p.policy, &self.shared.base))
            .collect()
    }

    /// A rule as GET answers it.
    pub fn rule(&self, policy_id: &str, rule_id: &str) -> Option<Value> {
        let org = self.org();
        let r = org
            .policy(policy_id)?
            .rules
            .iter()
            .find(|r| r["id"] == rule_id)?;
        Some(rule_json(r, policy_id, &self.shared.base))
    }

    /// The id of the rule with this name in a policy.
    pub fn rule_id(&self, policy_id: &str, name: &str) -> Option<String> {
        let org = self.org();
        org.policy(policy_id)?
            .rules
            .iter()
            .find(|r| r["name"] == name)
            .map(|r| r["id"].as_str().unwrap().to_string())
    }

    /// The rules of a policy, as the list answers them.
    pub fn rules(&self, policy_id: &str) -> Vec<Value> {
        let org = self.org();
        org.policy(policy_id)
            .map(|p| {
                p.rules
                    .iter()
                    .map(|r| rule_json(r, policy_id, &self.shared.base))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The default global session policy ("Default Policy", `OKTA_SIGN_ON`, system).
    pub fn default_sign_on_policy_id(&self) -> String {
        let org = self.org();
        org.policies
            .iter()
            .find(|p| p.policy["type"] == "OKTA_SIGN_ON" && p.policy["system"] == true)
            .map(|p| p.policy["id"].as_str().unwrap().to_string())
            .expect("the default OKTA_SIGN_ON policy was removed")
    }

    /// Its "Default Rule".
    pub fn default_sign_on_rule_id(&self) -> String {
        let pid = self.default_sign_on_policy_id();
        self.rule_id(&pid, "Default Rule")
            .expect("the Default Rule was removed")
    }

    /// A PUT of a rule named `rule_name` is refused: 400 E0000001 with one cause `summary`.
    pub fn refuse_rule(&self, rule_name: &str, summary: &str) {
        self.org()
            .refused_rules
            .insert(rule_name.to_string(), summary.to_string());
    }

    /// Adds an Okta group. Returns its id.
    pub fn add_group(&self, name: &str) -> String {
        let mut org = self.org();
        add_group_to(&mut org, name, "OKTA_GROUP")
    }

    /// Adds an active user with this login (also its email). Returns its id.
    pub fn add_user(&self, login: &str) -> String {
        let mut org = self.org();
        let id = org.new_id("00u");
        let first = login.split(['@', '.']).next().unwrap_or(login);
        org.users.push(json!({
            "id": id,
            "status": "ACTIVE",
            "created": iso_now(),
            "activated": iso_now(),
            "statusChanged": iso_now(),
            "lastLogin": null,
            "lastUpdated": iso_now(),
            "passwordChanged": null,
            "type": {"id": "otyfake"},
            "profile": {
                "firstName": first,
                "lastName": "Test",
                "mobilePhone": null,
                "secondEmail": null,
                "login": login,
                "email": login
            },
            "credentials": {"provider": {"type": "OKTA", "name": "OKTA"}}
        }));
        id
    }

    /// `(user id, oauthTokens)` for each `DELETE /api/v1/users/{id}/sessions`.
    pub fn cleared_sessions(&self) -> Vec<(String, bool)> {
        self.org().cleared_sessions.clone()
    }

    // --- faults and rate limits ---------------------------------------------------------

    /// The next request that matches gets `fault` (queued faults are consumed in order;
    /// a request takes the first queued fault that matches it).
    pub fn fail_next(&self, matcher: impl Into<Matcher>, fault: Fault) {
        lock(&self.shared.ctl)
            .faults
            .push_back((matcher.into(), fault));
    }

    /// Queued faults not yet consumed.
    pub fn pending_faults(&self) -> usize {
        lock(&self.shared.ctl).faults.len()
    }

    /// Drops queued faults and random faults.
    pub fn clear_faults(&self) {
        let mut ctl = lock(&self.shared.ctl);
        ctl.faults.clear();
        ctl.random = None;
    }

    /// `percent`% of GET, PUT and DELETE requests (the idempotent ones a client may retry)
    /// get a random fault among `Status429 { reset_in: 1s }`, `Status500`, `Status503`,
    /// `Reset` and `Hang(300ms)`. Deterministic for a seed and a request order.
    /// Scripted faults (`fail_next`) take precedence.
    pub fn fault_rate(&self, percent: u8, seed: u64) {
        self.fault_rate_with(
            percent,
            seed,
            vec![
                Fault::Status429 {
                    reset_in: Duration::from_secs(1),
                },
                Fault::Status500,
                Fault::Status503,
                Fault::Reset,
                Fault::Hang(Duration::from_millis(300)),
            ],
            Matcher::any(),
            Some(&["GET", "PUT", "DELETE"]),
        );
    }

    /// Random faults drawn from `kinds`, on requests that match `matcher` and (if given)
    /// use one of `methods`.
    pub fn fault_rate_with(
        &self,
        percent: u8,
        seed: u64,
        kinds: Vec<Fault>,
        matcher: impl Into<Matcher>,
        methods: Option<&[&str]>,
    ) {
        assert!(percent <= 100 && !kinds.is_empty());
        lock(&self.shared.ctl).random = Some(RandomFaults {
            percent,
            state: seed,
            kinds,
            matcher: matcher.into(),
            methods: methods.map(|m| m.iter().map(|s| s.to_ascii_uppercase()).collect()),
        });
    }

    /// At most `limit` requests per `window` (starting now); past that, 429 (E0000047)
    /// until the window resets. Without it the headers report 600 per minute and never
    /// run out.
    pub fn rate_limit(&self, limit: u64, window: Duration) {
        lock(&self.shared.ctl).rate = Some(RateLimit {
            limit,
            window,
            window_start: Instant::now(),
            used: 0,
        });
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
    pub fn call(&self, method: &str, path: &str, body: Option<&Value>) -> HttpResponse {
        let auth = format!("SSWS {}", self.token());
        let body = body.map(|b| b.to_string());
        let mut headers = vec![
            ("Authorization", auth.as_str()),
            ("Accept", "application/json"),
        ];
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        http(
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

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for conn in listener.incoming() {
        if shared.shutdown.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = conn else {
            // Out of file descriptors or the like: don't spin.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let shared = shared.clone();
        let _ = std::thread::Builder::new()
            .name("fake-okta-conn".into())
            .spawn(move || serve_connection(stream, shared));
    }
}

enum Outcome {
    Respond(Response),
    Hang(Duration),
    Reset,
    Stream { bytes: u64, declared: bool },
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn json(status: u16, body: &Value) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: serde_json::to_vec(body).unwrap(),
        }
    }

    fn no_content() -> Response {
        Response {
            status: 204,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    fn header(mut self, name: &str, value: impl Into<String>) -> Response {
        self.headers.push((name.to_string(), value.into()));
        self
    }
}

fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let id = shared.next_conn.fetch_add(1, Ordering::SeqCst);
    if let Ok(clone) = stream.try_clone() {
        lock(&shared.conns).insert(id, clone);
    }
    let mut writer = stream;
    let Ok(read_half) = writer.try_clone() else {
        lock(&shared.conns).remove(&id);
        return;
    };
    let mut reader = BufReader::new(read_half);
    loop {
        if shared.shutdown.load(Ordering::SeqCst) {
            break;
        }
        let req = match read_request(&mut reader, &mut writer) {
            Ok(Some(r)) => r,
            Ok(None) => break,
            Err(_) => {
                let resp = Response::json(
                    400,
                    &okta_error(&shared, "E0000003", "The request was not well-formed.", &[]),
                );
                let _ = write_response(&mut writer, resp, true);
                break;
            }
        };
        let close = req.close;
        match handle(&shared, req) {
            Outcome::Respond(resp) => {
                if write_response(&mut writer, resp, close).is_err() || close {
                    break;
                }
            }
            Outcome::Hang(d) => {
                let until = Instant::now() + d;
                while Instant::now() < until && !shared.shutdown.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(10).min(until - Instant::now()));
                }
                break;
            }
            Outcome::Stream { bytes, declared } => {
                let _ = write_huge(&mut writer, &shared, bytes, declared);
                break;
            }
            Outcome::Reset => {
                set_linger_zero(&writer);
                // Every handle on the socket must go for the close (and its RST) to happen.
                lock(&shared.conns).remove(&id);
                drop(reader);
                drop(writer);
                return;
            }
        }
    }
    lock(&shared.conns).remove(&id);
    let _ = writer.shutdown(Shutdown::Both);
}

/// `SO_LINGER` with a zero timeout: `close` then sends RST instead of FIN.
#[cfg(unix)]
fn set_linger_zero(s: &TcpStream) {
    use std::os::fd::AsRawFd;
    #[repr(C)]
    struct Linger {
        l_onoff: i32,
        l_linger: i32,
    }
    unsafe extern "C" {
        fn setsockopt(
            fd: i32,
            level: i32,
            name: i32,
            value: *const std::ffi::c_void,
            len: u32,
        ) -> i32;
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    const SOL_SOCKET_SO_LINGER: (i32, i32) = (1, 13);
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    const SOL_SOCKET_SO_LINGER: (i32, i32) = (0xffff, 0x0080);
    let linger = Linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket fd and a correctly sized `struct linger`.
    unsafe {
        setsockopt(
            s.as_raw_fd(),
            SOL_SOCKET_SO_LINGER.0,
            SOL_SOCKET_SO_LINGER.1,
            (&raw const linger).cast(),
            std::mem::size_of::<Linger>() as u32,
        );
    }
}

#[cfg(not(unix))]
fn set_linger_zero(_: &TcpStream) {}

struct RawRequest {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    close: bool,
}

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 16 * 1024 * 1024;

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

/// One HTTP/1.1 request; `None` at a clean end of stream.
fn read_request(r: &mut BufReader<TcpStream>, w: &mut TcpStream) -> io::Result<Option<RawRequest>> {
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        if !line.trim_end().is_empty() {
            break;
        }
    }
    let mut parts = line.trim_end().splitn(3, ' ');
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("bad request line"));
    };
    let (method, target, version) = (method.to_string(), target.to_string(), version.to_string());
    let mut headers = Vec::new();
    let mut head_len = line.len();
    loop {
        line.clear();
        let n = r.read_line(&mut line)?;
        if n == 0 {
            return Err(bad("end of stream in headers"));
        }
        head_len += n;
        if head_len > MAX_HEAD {
            return Err(bad("headers too large"));
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            break;
        }
        let (name, value) = l.split_once(':').ok_or_else(|| bad("bad header"))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let get = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    if get("expect").is_some_and(|e| e.eq_ignore_ascii_case("100-continue")) {
        w.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }
    let mut body = Vec::new();
    if get("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let size_hex = line.trim().split(';').next().unwrap_or("");
            let size = usize::from_str_radix(size_hex, 16).map_err(|_| bad("bad chunk size"))?;
            if body.len() + size > MAX_BODY {
                return Err(bad("body too large"));
            }
            if size == 0 {
                // Trailers, up to the empty line.
                loop {
                    line.clear();
                    if r.read_line(&mut line)? == 0 || line.trim().is_empty() {
                        break;
                    }
                }
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            r.read_exact(&mut body[start..])?;
            line.clear();
            r.read_line(&mut line)?;
        }
    } else if let Some(len) = get("content-length") {
        let len: usize = len.parse().map_err(|_| bad("bad content-length"))?;
        if len > MAX_BODY {
            return Err(bad("body too large"));
        }
        body.resize(len, 0);
        r.read_exact(&mut body)?;
    }
    let close = version.eq_ignore_ascii_case("HTTP/1.0")
        || get("connection").is_some_and(|c| c.eq_ignore_ascii_case("close"));
    Ok(Some(RawRequest {
        method,
        target,
        headers,
        body,
        close,
    }))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// `Fault::HugeBody`: `[`, spaces, `0]`, `bytes` long in all, written piece by piece
/// until done, the peer goes away or the fake shuts down.
fn write_huge(w: &mut TcpStream, shared: &Shared, bytes: u64, declared: bool) -> io::Result<()> {
    const PIECE: usize = 64 * 1024;
    assert!(bytes >= 3);
    let framing = if declared {
        format!("Content-Length: {bytes}")
    } else {
        "Transfer-Encoding: chunked".to_string()
    };
    w.write_all(
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{framing}\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    )?;
    let mut at = 0u64;
    while at < bytes && !shared.shutdown.load(Ordering::SeqCst) {
        let n = (bytes - at).min(PIECE as u64) as usize;
        let mut piece = vec![b' '; n];
        for (i, b) in [(0, b'['), (bytes - 2, b'0'), (bytes - 1, b']')] {
            if (at..at + n as u64).contains(&i) {
                piece[(i - at) as usize] = b;
            }
        }
        if declared {
            w.write_all(&piece)?;
        } else {
            w.write_all(format!("{n:x}\r\n").as_bytes())?;
            w.write_all(&piece)?;
            w.write_all(b"\r\n")?;
        }
        at += n as u64;
    }
    if !declared {
        w.write_all(b"0\r\n\r\n")?;
    }
    w.flush()
}

fn write_response(w: &mut TcpStream, resp: Response, close: bool) -> io::Result<()> {
    let mut out = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (n, v) in &resp.headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n", resp.body.len()));
    out.push_str(if close {
        "Connection: close\r\n"
    } else {
        "Connection: keep-alive\r\n"
    });
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&resp.body);
    w.write_all(&bytes)?;
    w.flush()
}

// ---------------------------------------------------------------------------------------
// Dispatch: log, faults, rate limit, then the API
// ---------------------------------------------------------------------------------------

fn handle(shared: &Shared, mut raw: RawRequest) -> Outcome {
    // Absolute-form targets (as sent through a proxy) become origin-form.
    if let Some(rest) = raw.target.strip_prefix("http://") {
        raw.target = rest
            .find('/')
            .map_or("/".to_string(), |i| rest[i..].to_string());
    }
    let (fault, rate_headers, limited, index) = {
        let mut ctl = lock(&shared.ctl);
        let index = ctl.log.len();
        ctl.log.push(RecordedRequest {
            method: raw.method.clone(),
            path: raw.target.clone(),
            headers: raw.headers.clone(),
            body: raw.body.clone(),
            status: None,
            fault: None,
        });
        let fault = take_fault(&mut ctl, &raw.method, &raw.target);
        ctl.log[index].fault = fault.clone();
        let (rate_headers, limited) = if fault.is_some() {
            (rate_headers_now(&mut ctl, false).0, false)
        } else {
            rate_headers_now(&mut ctl, true)
        };
        (fault, rate_headers, limited, index)
    };

    let response = match fault {
        Some(Fault::Hang(d)) => return Outcome::Hang(d),
        Some(Fault::Reset) => return Outcome::Reset,
        Some(Fault::HugeBody { bytes, declared }) => {
            if let Some(r) = lock(&shared.ctl).log.get_mut(index) {
                r.status = Some(200);
            }
            return Outcome::Stream { bytes, declared };
        }
        Some(Fault::Status429 { reset_in }) => {
            let limit = rate_headers[0].1.clone();
            let reset = epoch_secs_ceil(SystemTime::now() + reset_in);
            too_many_requests(shared)
                .header("X-Rate-Limit-Limit", limit)
                .header("X-Rate-Limit-Remaining", "0")
                .header("X-Rate-Limit-Reset", reset.to_string())
        }
        other => {
            let resp = match other {
                Some(Fault::Status500) => Response::json(
                    500,
                    &okta_error(shared, "E0000009", "Internal Server Error", &[]),
                ),
                Some(Fault::Status503) => Response::json(
                    503,
                    &okta_error(shared, "E0000009", "Service Unavailable", &[]),
                ),
                Some(Fault::Status(code, body)) => Response::json(code, &body),
                Some(Fault::WithHeader(name, value)) => route(shared, &raw).header(&name, value),
                Some(Fault::Redirect { status, location }) => Response {
                    status,
                    headers: vec![("Location".into(), location)],
                    body: Vec::new(),
                },
                _ if limited => too_many_requests(shared),
                _ => route(shared, &raw),
            };
            let mut resp = resp;
            resp.headers.extend(rate_headers);
            resp
        }
    };
    let status = response.status;
    let response = response.header("X-Okta-Request-Id", format!("fakereq{index:013}"));
    if let Some(r) = lock(&shared.ctl).log.get_mut(index) {
        r.status = Some(status);
    }
    Outcome::Respond(response)
}

fn too_many_requests(shared: &Shared) -> Response {
    Response::json(
        429,
        &okta_error(
            shared,
            "E0000047",
            "API call exceeded rate limit due to too many requests.",
            &[],
        ),
    )
}

fn take_fault(ctl: &mut Control, method: &str, path: &str) -> Option<Fault> {
    if let Some(i) = ctl.faults.iter().position(|(m, _)| m.matches(method, path)) {
        return ctl.faults.remove(i).map(|(_, f)| f);
    }
    let r = ctl.random.as_mut()?;
    if !r.matcher.matches(method, path)
        || r.methods
            .as_ref()
            .is_some_and(|ms| !ms.iter().any(|m| m.eq_ignore_ascii_case(method)))
    {
        return None;
    }
    let roll = splitmix64(&mut r.state) % 100;
    if roll >= u64::from(r.percent) {
        return None;
    }
    let pick = splitmix64(&mut r.state) % r.kinds.len() as u64;
    Some(r.kinds[pick as usize].clone())
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The `X-Rate-Limit-*` headers for this request and whether it is over the limit.
/// `count`: whether this request uses up one call.
fn rate_headers_now(ctl: &mut Control, count: bool) -> (Vec<(String, String)>, bool) {
    let now = Instant::now();
    let (limit, remaining, reset, limited) = match ctl.rate.as_mut() {
        None => (
            UNLIMITED_LIMIT,
            UNLIMITED_LIMIT - 1,
            epoch_secs_ceil(SystemTime::now() + Duration::from_secs(60)),
            false,
        ),
        Some(rl) => {
            if now >= rl.window_start + rl.window {
                rl.window_start = now;
                rl.used = 0;
            }
            let limited = count && rl.used >= rl.limit;
            if count && !limited {
                rl.used += 1;
            }
            let left = (rl.window_start + rl.window).saturating_duration_since(now);
            (
                rl.limit,
                rl.limit.saturating_sub(rl.used),
                epoch_secs_ceil(SystemTime::now() + left),
                limited,
            )
        }
    };
    (
        vec![
            ("X-Rate-Limit-Limit".into(), limit.to_string()),
            ("X-Rate-Limit-Remaining".into(), remaining.to_string()),
            ("X-Rate-Limit-Reset".into(), reset.to_string()),
        ],
        limited,
    )
}

/// A request, parsed for routing.
struct Req<'a> {
    method: &'a str,
    segments: Vec<String>,
    query: Vec<(String, String)>,
    headers: &'a [(String, String)],
    body: &'a [u8],
}

impl Req<'_> {
    fn q(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn route(shared: &Shared, raw: &RawRequest) -> Response {
    let (path, query) = raw.target.split_once('?').unwrap_or((&raw.target, ""));
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    let req = Req {
        method: &raw.method,
        segments,
        query: parse_form(query),
        headers: &raw.headers,
        body: &raw.body,
    };
    let segs: Vec<&str> = req.segments.iter().map(String::as_str).collect();

    if segs == ["oauth2", "v1", "token"] {
        return if req.method == "POST" {
            token_endpoint(shared, &req)
        } else {
            method_not_allowed(shared)
        };
    }
    let ["api", "v1", rest @ ..] = segs.as_slice() else {
        return not_found(shared, path);
    };
    if !authorized(shared, &req) {
        return Response::json(
            401,
            &okta_error(shared, "E0000011", "Invalid token provided", &[]),
        )
        .header("WWW-Authenticate", "SSWS realm=\"okta\"");
    }
    // Parse (and screen) a JSON body once for every writing request.
    let body = if matches!(req.method, "PUT" | "POST") {
        match json_body(shared, &req) {
            Ok(v) => Some(v),
            Err(resp) => return resp,
        }
    } else {
        None
    };
    let body = body.as_ref();
    let mut org = lock(&shared.org);
    match rest {
        ["brands"] => match req.method {
            "GET" => list_brands(shared, &org, &req),
            _ => method_not_allowed(shared),
        },
        ["brands", id] => match (req.method, org.brand(id)) {
            ("GET", Some(b)) => Response::json(200, &brand_json(&b.brand, &shared.base)),
            ("GET", None) => brand_not_found(shared, id),
            _ => method_not_allowed(shared),
        },
        ["brands", id, "pages", kind @ ("sign-in" | "error"), slot] => {
            page_endpoint(shared, &mut org, &req, id, kind, slot, body)
        }
        ["policies"] => match req.method {
            "GET" => list_policies(shared, &org, &req),
            "POST" => {
                let activate = req.q("activate") != Some("false");
                match create_policy(&mut org, body.unwrap(), activate, false) {
                    Ok(p) => Response::json(200, &policy_json(&p, &shared.base)),
                    Err(causes) => validation_failed(shared, "policy", &causes),
                }
            }
            _ => method_not_allowed(shared),
        },
        ["policies", pid] => match (req.method, org.policy(pid)) {
            ("GET", Some(p)) => Response::json(200, &policy_json(&p.policy, &shared.base)),
            ("GET", None) => not_found_resource(shared, pid, "Policy"),
            _ => method_not_allowed(shared),
        },
        ["policies", pid, "rules"] => {
            if org.policy(pid).is_none() {
                return not_found_resource(shared, pid, "Policy");
            }
            match req.method {
                "GET" => {
                    let rules: Vec<Value> = org
                        .policy(pid)
                        .unwrap()
                        .rules
                        .iter()
                        .map(|r| rule_json(r, pid, &shared.base))
                        .collect();
                    Response::json(200, &Value::Array(rules))
                }
                "POST" => {
                    let activate = req.q("activate") != Some("false");
                    match create_rule(&mut org, pid, body.unwrap(), !activate) {
                        Ok(r) => Response::json(200, &rule_json(&r, pid, &shared.base)),
                        Err(causes) => validation_failed(shared, "policyRule", &causes),
                    }
                }
                _ => method_not_allowed(shared),
            }
        }
        ["policies", pid, "rules", rid] => {
            let Some(p) = org.policy(pid) else {
                return not_found_resource(shared, pid, "Policy");
            };
            let Some(existing) = p.rules.iter().find(|r| r["id"] == *rid).cloned() else {
                return not_found_resource(shared, rid, "PolicyRule");
            };
            match req.method {
                "GET" => Response::json(200, &rule_json(&existing, pid, &shared.base)),
                "PUT" => replace_rule(shared, &mut org, pid, &existing, body.unwrap()),
                _ => method_not_allowed(shared),
            }
        }
        ["groups"] => match req.method {
            "GET" => {
                let q = req.q("q").unwrap_or("").to_lowercase();
                let limit: usize = req
                    .q("limit")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(10_000);
                let groups: Vec<Value> = org
                    .groups
                    .iter()
                    .filter(|g| {
                        g["profile"]["name"]
                            .as_str()
                            .is_some_and(|n| n.to_lowercase().starts_with(&q))
                    })
                    .take(limit)
                    .map(|g| group_json(g, &shared.base))
                    .collect();
                Response::json(200, &Value::Array(groups))
            }
            _ => method_not_allowed(shared),
        },
        ["users", who] => match req.method {
            "GET" => match find_user(&org, who) {
                Some(u) => Response::json(200, &user_json(u, &shared.base)),
                None => not_found_resource(shared, who, "User"),
            },
            _ => method_not_allowed(shared),
        },
        ["users", who, "sessions"] => match req.method {
            "DELETE" => {
                let Some(id) = find_user(&org, who).map(|u| u["id"].as_str().unwrap().to_string())
                else {
                    return not_found_resource(shared, who, "User");
                };
                let oauth = req.q("oauthTokens") == Some("true");
                org.cleared_sessions.push((id, oauth));
                Response::no_content()
            }
            _ => method_not_allowed(shared),
        },
        _ => not_found(shared, path),
    }
}

fn authorized(shared: &Shared, req: &Req) -> bool {
    let ctl = lock(&shared.ctl);
    match req.header("authorization").and_then(|h| h.split_once(' ')) {
        Some(("SSWS", t)) => t.trim() == ctl.api_token,
        Some(("Bearer", t)) => t.trim() == ctl.access_token,
        _ => false,
    }
}

/// The body of a PUT/POST as JSON, after Okta's cheap screens: media type, well-formed
/// JSON, no 4-byte UTF-8 anywhere.
fn json_body(shared: &Shared, req: &Req) -> Result<Value, Response> {
    if let Some(ct) = req.header("content-type")
        && !ct.to_ascii_lowercase().starts_with("application/json")
    {
        return Err(Response::json(
            415,
            &okta_error(
                shared,
                "E0000001",
                "Unsupported Media Type: the request body must be application/json",
                &[],
            ),
        ));
    }
    let value: Value = serde_json::from_slice(req.body).map_err(|_| {
        Response::json(
            400,
            &okta_error(
                shared,
                "E0000003",
                "The request body was not well-formed.",
                &[],
            ),
        )
    })?;
    let mut paths = Vec::new();
    find_four_byte(&value, "", &mut paths);
    if let Some(field) = paths.first().cloned() {
        let causes: Vec<String> = paths
            .iter()
            .map(|p| {
                format!("{p}: The value contains characters that are not supported (4-byte UTF-8, such as emoji).")
            })
            .collect();
        return Err(validation_failed(shared, &field, &causes));
    }
    Ok(value)
}

/// The path (`a.b[0].c`) of every string or key holding a 4-byte UTF-8 character.
fn find_four_byte(v: &Value, path: &str, out: &mut Vec<String>) {
    let four_byte = |s: &str| s.chars().any(|c| c.len_utf8() == 4);
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match v {
        Value::String(s) if four_byte(s) => out.push(if path.is_empty() {
            "body".into()
        } else {
            path.into()
        }),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                find_four_byte(x, &format!("{path}[{i}]"), out);
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                if four_byte(k) {
                    out.push(join(k));
                }
                find_four_byte(x, &join(k), out);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

fn okta_error(shared: &Shared, code: &str, summary: &str, causes: &[String]) -> Value {
    let n = shared.next_error_id.fetch_add(1, Ordering::SeqCst);
    json!({
        "errorCode": code,
        "errorSummary": summary,
        "errorLink": code,
        "errorId": format!("oaefake{n:015}"),
        "errorCauses": causes.iter().map(|c| json!({"errorSummary": c})).collect::<Vec<_>>()
    })
}

fn validation_failed(shared: &Shared, field: &str, causes: &[String]) -> Response {
    Response::json(
        400,
        &okta_error(
            shared,
            "E0000001",
            &format!("Api validation failed: {field}"),
            causes,
        ),
    )
}

fn not_found(shared: &Shared, path: &str) -> Response {
    Response::json(
        404,
        &okta_error(
            shared,
            "E0000007",
            &format!("Not found: Resource not found: {path} (Endpoint)"),
            &[],
        ),
    )
}

fn not_found_resource(shared: &Shared, id: &str, kind: &str) -> Response {
    Response::json(
        404,
        &okta_error(
            shared,
            "E0000007",
            &format!("Not found: Resource not found: {id} ({kind})"),
            &[],
        ),
    )
}

fn brand_not_found(shared: &Shared, id: &str) -> Response {
    not_found_resource(shared, id, "Brand")
}

fn method_not_allowed(shared: &Shared) -> Response {
    Response::json(
        405,
        &okta_error(
            shared,
            "E0000022",
            "The endpoint does not support the provided HTTP method",
            &[],
        ),
    )
}

// ---------------------------------------------------------------------------------------
// Brands and pages
// ---------------------------------------------------------------------------------------

fn brand_json(brand: &Value, base: &str) -> Value {
    let mut b = brand.clone();
    let id = brand["id"].as_str().unwrap_or("");
    b["_links"] = json!({
        "themes": {
            "href": format!("{base}/api/v1/brands/{id}/themes"),
            "hints": {"allow": ["GET"]}
        },
        "self": {
            "href": format!("{base}/api/v1/brands/{id}"),
            "hints": {"allow": ["GET", "PUT", "DELETE"]}
        }
    });
    b
}

fn list_brands(shared: &Shared, org: &Org, req: &Req) -> Response {
    let limit = match req.q("limit").map(str::parse::<usize>) {
        None => 20,
        Some(Ok(n)) if (1..=200).contains(&n) => n,
        Some(_) => {
            return validation_failed(
                shared,
                "limit",
                &["limit: must be between 1 and 200".to_string()],
            );
        }
    };
    let after = req.q("after");
    let start = match after {
        None => 0,
        Some(a) => org
            .brands
            .iter()
            .position(|b| b.brand["id"] == a)
            .map_or(org.brands.len(), |i| i + 1),
    };
    let end = (start + limit).min(org.brands.len());
    let page: Vec<Value> = org.brands[start..end]
        .iter()
        .map(|b| brand_json(&b.brand, &shared.base))
        .collect();
    let base = &shared.base;
    let self_link = match after {
        Some(a) => format!("<{base}/api/v1/brands?after={a}&limit={limit}>; rel=\"self\""),
        None => format!("<{base}/api/v1/brands?limit={limit}>; rel=\"self\""),
    };
    let mut resp = Response::json(200, &Value::Array(page)).header("Link", self_link);
    if end < org.brands.len() {
        let last = org.brands[end - 1].brand["id"].as_str().unwrap_or("");
        resp = resp.header(
            "Link",
            format!("<{base}/api/v1/brands?after={last}&limit={limit}>; rel=\"next\""),
        );
    }
    resp
}

fn slot_of(pages: &Pages, slot: &str) -> Option<Value> {
    match slot {
        "customized" => pages.customized.clone(),
        "preview" => pages.preview.clone(),
        "default" => Some(pages.default.clone()),
        _ => None,
    }
}

fn set_slot(pages: &mut Pages, slot: &str, value: Option<Value>) {
    match slot {
        "customized" => pages.customized = value,
        "preview" => pages.preview = value,
        "default" => {
            if let Some(v) = value {
                pages.default = v;
            }
        }
        other => panic!("no page slot {other:?} (customized, preview, default)"),
    }
}

fn page_endpoint(
    shared: &Shared,
    org: &mut Org,
    req: &Req,
    brand_id: &str,
    kind: &str,
    slot: &str,
    body: Option<&Value>,
) -> Response {
    let multibrand = org.multibrand;
    let widget_versions = org.widget_versions.clone();
    let Some(brand) = org.brand_mut(brand_id) else {
        return brand_not_found(shared, brand_id);
    };
    let is_default = brand.brand["isDefault"] == true;
    let sign_in = kind == "sign-in";
    let resource = if sign_in { "SignInPage" } else { "ErrorPage" };
    let pages = if sign_in {
        &mut brand.sign_in
    } else {
        &mut brand.error
    };
    match (slot, req.method) {
        ("widget-versions", "GET") if sign_in => Response::json(200, &json!(widget_versions)),
        ("widget-versions", _) if sign_in => method_not_allowed(shared),
        ("default", "GET") => Response::json(200, &pages.default),
        ("default", _) => method_not_allowed(shared),
        ("customized" | "preview", method) => {
            if sign_in && multibrand && is_default && matches!(method, "PUT" | "DELETE") {
                let why = "The sign-in page of the default brand can't be changed while multibrand customization is enabled. Customize a non-default brand instead.";
                return Response::json(
                    403,
                    &okta_error(
                        shared,
                        "E0000006",
                        &format!(
                            "You do not have permission to perform the requested action: {why}"
                        ),
                        &[why.to_string()],
                    ),
                );
            }
            let current = if slot == "customized" {
                &mut pages.customized
            } else {
                &mut pages.preview
            };
            match method {
                "GET" => match current {
                    Some(p) => Response::json(200, p),
                    None => not_found_resource(shared, &format!("{brand_id}/{slot}"), resource),
                },
                "PUT" => {
                    let body = body.expect("PUT has a body");
                    let result = if sign_in {
                        normalize_sign_in(body)
                    } else {
                        normalize_error_page(body).map(|p| (p.clone(), p))
                    };
                    match result {
                        Ok((stored, answer)) => {
                            *current = Some(stored);
                            Response::json(200, &answer)
                        }
                        Err((field, causes)) => validation_failed(shared, &field, &causes),
                    }
                }
                "DELETE" => {
                    *current = None;
                    Response::no_content()
                }
                _ => method_not_allowed(shared),
            }
        }
        _ => not_found(
            shared,
            &format!("/api/v1/brands/{brand_id}/pages/{kind}/{slot}"),
        ),
    }
}

/// The string fields of `widgetCustomizations`, in the order Okta answers them, with
/// the two booleans and `widgetGeneration` where Okta puts them.
const WIDGET_FIELDS: [&str; 21] = [
    "signInLabel",
    "usernameLabel",
    "usernameInfoTip",
    "passwordLabel",
    "passwordInfoTip",
    "showPasswordVisibilityToggle",
    "showUserIdentifier",
    "forgotPasswordLabel",
    "forgotPasswordUrl",
    "unlockAccountLabel",
    "unlockAccountUrl",
    "helpLabel",
    "helpUrl",
    "customLink1Label",
    "customLink1Url",
    "customLink2Label",
    "customLink2Url",
    "authenticatorPageCustomLinkLabel",
    "authenticatorPageCustomLinkUrl",
    "classicRecoveryFlowEmailOrUsernameLabel",
    "widgetGeneration",
];
const WIDGET_BOOLS: [&str; 2] = ["showPasswordVisibilityToggle", "showUserIdentifier"];
const KMSI_FIELDS: [&str; 4] = ["title", "subtitle", "acceptButtonText", "rejectButtonText"];
const MAX_CSP_SOURCES: usize = 20;

fn version_pattern() -> &'static regex::Regex {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"^(?:\*|\^?\d+(?:\.\d+){0,2})$").unwrap())
}

type Invalid = (String, Vec<String>);

fn invalid(field: &str, cause: String) -> Invalid {
    (field.to_string(), vec![cause])
}

fn opt_string(v: Option<&Value>, field: &str) -> Result<Value, Invalid> {
    match v {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(Value::String(s)) => Ok(Value::String(s.clone())),
        Some(_) => Err(invalid(field, format!("{field}: must be a string"))),
    }
}

fn normalize_csp(v: Option<&Value>) -> Result<Option<Value>, Invalid> {
    let field = "contentSecurityPolicySetting";
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => {
            let mode = opt_string(m.get("mode"), &format!("{field}.mode"))?;
            if !(mode.is_null() || mode == "enforced" || mode == "report_only") {
                return Err(invalid(
                    &format!("{field}.mode"),
                    format!("{field}.mode: must be one of [enforced, report_only]"),
                ));
            }
            let report_uri = opt_string(m.get("reportUri"), &format!("{field}.reportUri"))?;
            let src_list = match m.get("srcList") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(a)) if a.iter().all(Value::is_string) => a.clone(),
                Some(_) => {
                    return Err(invalid(
                        &format!("{field}.srcList"),
                        format!("{field}.srcList: must be an array of strings"),
                    ));
                }
            };
            if src_list.len() > MAX_CSP_SOURCES {
                return Err(invalid(
                    &format!("{field}.srcList"),
                    format!(
                        "{field}.srcList: The number of sources exceeds the limit of {MAX_CSP_SOURCES}."
                    ),
                ));
            }
            Ok(Some(json!({
                "reportUri": report_uri,
                "mode": mode,
                "srcList": src_list
            })))
        }
        Some(_) => Err(invalid(field, format!("{field}: must be an object"))),
    }
}

/// A `SignInPage` PUT body → (what GET answers from now on, what the PUT answers).
/// Unknown fields are dropped, unset ones come back null (booleans false);
/// `postAuthKeepMeSignedInPrompt` is in the PUT answer only if it was sent, but GET
/// always has it (with nulls), as the observed traffic shows.
fn normalize_sign_in(body: &Value) -> Result<(Value, Value), Invalid> {
    let Some(obj) = body.as_object() else {
        return Err(invalid(
            "body",
            "The body must be a SignInPage object".into(),
        ));
    };
    let page_content = opt_string(obj.get("pageContent"), "pageContent")?;
    let widget_version = opt_string(obj.get("widgetVersion"), "widgetVersion")?;
    if let Value::String(v) = &widget_version
        && !version_pattern().is_match(v)
    {
        return Err(invalid(
            "widgetVersion",
            format!(
                "widgetVersion: '{v}' does not match the pattern ^(?:\\*|\\^?\\d+(?:\\.\\d+){{0,2}})$"
            ),
        ));
    }
    let csp = normalize_csp(obj.get("contentSecurityPolicySetting"))?;

    let empty = Map::new();
    let wc_in = match obj.get("widgetCustomizations") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(m)) => m,
        Some(_) => {
            return Err(invalid(
                "widgetCustomizations",
                "widgetCustomizations: must be an object".into(),
            ));
        }
    };
    let mut wc = Map::new();
    for f in WIDGET_FIELDS {
        let path = format!("widgetCustomizations.{f}");
        let v = if WIDGET_BOOLS.contains(&f) {
            match wc_in.get(f) {
                None | Some(Value::Null) => Value::Bool(false),
                Some(Value::Bool(b)) => Value::Bool(*b),
                Some(_) => return Err(invalid(&path, format!("{path}: must be a boolean"))),
            }
        } else {
            opt_string(wc_in.get(f), &path)?
        };
        if f == "widgetGeneration" && !(v.is_null() || v == "G2" || v == "G3") {
            return Err(invalid(&path, format!("{path}: must be one of [G2, G3]")));
        }
        wc.insert(f.to_string(), v);
    }
    for f in ["classicFooterHelpTitle"] {
        if let Some(v) = wc_in.get(f) {
            wc.insert(
                f.into(),
                opt_string(Some(v), &format!("widgetCustomizations.{f}"))?,
            );
        }
    }
    if let Some(v) = wc_in.get("gracePeriodRequiredSoon")
        && !v.is_null()
    {
        wc.insert("gracePeriodRequiredSoon".into(), v.clone());
    }
    let kmsi_sent = wc_in
        .get("postAuthKeepMeSignedInPrompt")
        .filter(|v| !v.is_null());
    let mut kmsi = Map::new();
    let kmsi_in = match kmsi_sent {
        None => &empty,
        Some(Value::Object(m)) => m,
        Some(_) => {
            return Err(invalid(
                "widgetCustomizations.postAuthKeepMeSignedInPrompt",
                "widgetCustomizations.postAuthKeepMeSignedInPrompt: must be an object".into(),
            ));
        }
    };
    for f in KMSI_FIELDS {
        kmsi.insert(
            f.into(),
            opt_string(
                kmsi_in.get(f),
                &format!("widgetCustomizations.postAuthKeepMeSignedInPrompt.{f}"),
            )?,
        );
    }

    let build = |with_kmsi: bool| {
        let mut page = Map::new();
        page.insert("pageContent".into(), page_content.clone());
        if let Some(csp) = &csp {
            page.insert("contentSecurityPolicySetting".into(), csp.clone());
        }
        page.insert("widgetVersion".into(), widget_version.clone());
        let mut w = wc.clone();
        if with_kmsi {
            w.insert(
                "postAuthKeepMeSignedInPrompt".into(),
                Value::Object(kmsi.clone()),
            );
        }
        page.insert("widgetCustomizations".into(), Value::Object(w));
        Value::Object(page)
    };
    Ok((build(true), build(kmsi_sent.is_some())))
}

/// An `ErrorPage` PUT body → what is stored and answered.
fn normalize_error_page(body: &Value) -> Result<Value, Invalid> {
    let Some(obj) = body.as_object() else {
        return Err(invalid(
            "body",
            "The body must be an ErrorPage object".into(),
        ));
    };
    let mut page = Map::new();
    page.insert(
        "pageContent".into(),
        opt_string(obj.get("pageContent"), "pageContent")?,
    );
    if let Some(csp) = normalize_csp(obj.get("contentSecurityPolicySetting"))? {
        page.insert("contentSecurityPolicySetting".into(), csp);
    }
    Ok(Value::Object(page))
}

/// Okta's default sign-in page, as `GET …/sign-in/default` answers it.
fn default_sign_in_page() -> Value {
    static PAGE: OnceLock<String> = OnceLock::new();
    let html = PAGE.get_or_init(|| {
        std::fs::read_to_string(super::shared().join("okta/default-sign-in-page.html"))
            .expect("read shared/okta/default-sign-in-page.html")
    });
    json!({
        "pageContent": html,
        "widgetVersion": "^7",
        "widgetCustomizations": {
            "signInLabel": "Sign In",
            "usernameLabel": "Username",
            "usernameInfoTip": "",
            "passwordLabel": "Password",
            "passwordInfoTip": "",
            "showPasswordVisibilityToggle": true,
            "showUserIdentifier": true,
            "forgotPasswordLabel": "Forgot password?",
            "forgotPasswordUrl": "",
            "unlockAccountLabel": "Unlock account?",
            "unlockAccountUrl": "",
            "helpLabel": "Help",
            "helpUrl": "",
            "customLink1Label": "",
            "customLink1Url": "",
            "customLink2Label": "",
            "customLink2Url": "",
            "authenticatorPageCustomLinkLabel": "",
            "authenticatorPageCustomLinkUrl": "",
            "classicRecoveryFlowEmailOrUsernameLabel": "Email or Username",
            "widgetGeneration": "G2",
            "postAuthKeepMeSignedInPrompt": {
                "title": "Keep me signed in",
                "subtitle": "Sign in and enter security methods less frequently.",
                "acceptButtonText": "Stay signed in",
                "rejectButtonText": "Don't stay signed in"
            }
        }
    })
}

/// A stand-in for Okta's default error page (its real HTML is not in `shared/okta/`).
fn default_error_page() -> Value {
    json!({
        "pageContent": concat!(
            "<!DOCTYPE html>\n<html>\n<head>\n",
            "    <meta charset=\"utf-8\">\n",
            "    <title>{{orgName}} - {{errorSummary}}</title>\n",
            "    <link href=\"{{themedStylesUrl}}\" rel=\"stylesheet\" type=\"text/css\">\n",
            "</head>\n<body>\n",
            "    <img src=\"{{orgLogo}}\" alt=\"{{orgName}}\">\n",
            "    <h1>{{errorSummary}}</h1>\n",
            "    <p>{{{errorDescription}}}</p>\n",
            "    <a href=\"{{buttonHref}}\">{{buttonText}}</a>\n",
            "</body>\n</html>\n"
        ),
        "contentSecurityPolicySetting": {
            "reportUri": null,
            "mode": "report_only",
            "srcList": []
        }
    })
}

// ---------------------------------------------------------------------------------------
// Policies, rules, groups, users
// ---------------------------------------------------------------------------------------

fn seed_org(org: &mut Org) {
    let everyone = add_group_to(org, "Everyone", "BUILT_IN");
    let policy = create_policy(
        org,
        &json!({
            "type": "OKTA_SIGN_ON",
            "name": "Default Policy",
            "description": "The default policy applies in all situations if no other policy applies.",
            "priority": 1,
            "conditions": {"people": {"groups": {"include": [everyone]}}}
        }),
        true,
        true,
    )
    .unwrap();
    let pid = policy["id"].as_str().unwrap().to_string();
    let rule = create_rule(
        org,
        &pid,
        &json!({
            "type": "SIGN_ON",
            "name": "Default Rule",
            "priority": 1,
            "conditions": {
                "people": {"users": {"exclude": []}},
                "network": {"connection": "ANYWHERE"},
                "authContext": {"authType": "ANY"},
                "risk": {"behaviors": []},
                "riskScore": {"level": "ANY"},
                "identityProvider": {"provider": "ANY"}
            },
            "actions": {
                "signon": {
                    "access": "ALLOW",
                    "requireFactor": false,
                    "primaryFactor": "PASSWORD_IDP_ANY_FACTOR",
                    "rememberDeviceByDefault": false,
                    "session": {
                        "usePersistentCookie": false,
                        "maxSessionIdleMinutes": 120,
                        "maxSessionLifetimeMinutes": 0
                    }
                }
            }
        }),
        false,
    )
    .unwrap();
    let rid = rule["id"].as_str().unwrap().to_string();
    let p = org.policy_mut(&pid).unwrap();
    for r in &mut p.rules {
        if r["id"] == rid.as_str() {
            r["system"] = Value::Bool(true);
        }
    }
}

fn add_group_to(org: &mut Org, name: &str, kind: &str) -> String {
    let id = org.new_id("00g");
    org.groups.push(json!({
        "id": id,
        "created": iso_now(),
        "lastUpdated": iso_now(),
        "lastMembershipUpdated": iso_now(),
        "objectClass": ["okta:user_group"],
        "type": kind,
        "profile": {"name": name, "description": null}
    }));
    id
}

fn group_json(g: &Value, base: &str) -> Value {
    let mut g = g.clone();
    let id = g["id"].as_str().unwrap_or("").to_string();
    g["_links"] = json!({
        "users": {"href": format!("{base}/api/v1/groups/{id}/users")},
        "apps": {"href": format!("{base}/api/v1/groups/{id}/apps")}
    });
    g
}

fn find_user<'a>(org: &'a Org, who: &str) -> Option<&'a Value> {
    org.users.iter().find(|u| {
        u["id"] == who
            || u["profile"]["login"]
                .as_str()
                .is_some_and(|l| l.eq_ignore_ascii_case(who))
    })
}

fn user_json(u: &Value, base: &str) -> Value {
    let mut u = u.clone();
    let id = u["id"].as_str().unwrap_or("").to_string();
    u["_links"] = json!({"self": {"href": format!("{base}/api/v1/users/{id}")}});
    u
}

fn rule_type_for(policy_type: &str) -> &'static str {
    match policy_type {
        "ACCESS_POLICY" => "ACCESS_POLICY",
        "OKTA_SIGN_ON" => "SIGN_ON",
        "PASSWORD" => "PASSWORD",
        "MFA_ENROLL" => "MFA_ENROLL",
        "IDP_DISCOVERY" => "IDP_DISCOVERY",
        "PROFILE_ENROLLMENT" => "PROFILE_ENROLLMENT",
        _ => "UNKNOWN",
    }
}

const POLICY_TYPES: [&str; 8] = [
    "ACCESS_POLICY",
    "OKTA_SIGN_ON",
    "PASSWORD",
    "MFA_ENROLL",
    "IDP_DISCOVERY",
    "PROFILE_ENROLLMENT",
    "POST_AUTH_SESSION",
    "ENTITY_RISK",
];

fn list_policies(shared: &Shared, org: &Org, req: &Req) -> Response {
    let Some(t) = req.q("type") else {
        return validation_failed(
            shared,
            "type",
            &["type: The type query parameter is required.".to_string()],
        );
    };
    if !POLICY_TYPES.contains(&t) {
        return validation_failed(shared, "type", &[format!("type: Invalid policy type {t}")]);
    }
    let list: Vec<Value> = org
        .policies
        .iter()
        .filter(|p| p.policy["type"] == t)
        .map(|p| policy_json(&p.policy, &shared.base))
        .collect();
    Response::json(200, &Value::Array(list))
}

fn create_policy(
    org: &mut Org,
    body: &Value,
    activate: bool,
    system: bool,
) -> Result<Value, Vec<String>> {
    let Some(obj) = body.as_object() else {
        return Err(vec!["The body must be a policy object".into()]);
    };
    let ptype = obj.get("type").and_then(Value::as_str).unwrap_or("");
    if !POLICY_TYPES.contains(&ptype) {
        return Err(vec![format!("type: Invalid policy type '{ptype}'")]);
    }
    let Some(name) = obj
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
    else {
        return Err(vec!["name: The field cannot be left blank".into()]);
    };
    let id = org.new_id(if ptype == "ACCESS_POLICY" {
        "rst"
    } else {
        "00p"
    });
    let same_type = org
        .policies
        .iter()
        .filter(|p| p.policy["type"] == ptype)
        .count();
    let now = iso_now();
    let policy = json!({
        "id": id,
        "status": if activate { "ACTIVE" } else { "INACTIVE" },
        "name": name,
        "description": obj.get("description").cloned().unwrap_or(Value::Null),
        "priority": obj.get("priority").cloned().unwrap_or(json!(same_type + 1)),
        "system": system,
        "conditions": obj.get("conditions").cloned().unwrap_or(Value::Null),
        "created": now,
        "lastUpdated": now,
        "type": ptype
    });
    org.policies.push(PolicyState {
        policy: policy.clone(),
        rules: Vec::new(),
    });
    if ptype == "ACCESS_POLICY" {
        // Okta gives every app sign-in policy a catch-all rule.
        let rule = create_rule(
            org,
            &id,
            &json!({
                "type": "ACCESS_POLICY",
                "name": "Catch-all Rule",
                "priority": 99,
                "conditions": null,
                "actions": {
                    "appSignOn": {
                        "access": "ALLOW",
                        "verificationMethod": {
                            "factorMode": "2FA",
                            "type": "ASSURANCE",
                            "reauthenticateIn": "PT12H",
                            "constraints": []
                        },
                        "keepMeSignedIn": {"postAuth": "NOT_ALLOWED"}
                    }
                }
            }),
            false,
        )?;
        let rid = rule["id"].clone();
        let p = org.policy_mut(&id).unwrap();
        for r in &mut p.rules {
            if r["id"] == rid {
                r["system"] = Value::Bool(true);
            }
        }
    }
    Ok(policy)
}

fn policy_json(p: &Value, base: &str) -> Value {
    let mut p = p.clone();
    let id = p["id"].as_str().unwrap_or("").to_string();
    p["_links"] = json!({
        "self": {
            "href": format!("{base}/api/v1/policies/{id}"),
            "hints": {"allow": ["GET", "PUT", "DELETE"]}
        },
        "rules": {
            "href": format!("{base}/api/v1/policies/{id}/rules"),
            "hints": {"allow": ["GET", "POST"]}
        }
    });
    p
}

fn rule_json(r: &Value, policy_id: &str, base: &str) -> Value {
    let mut r = r.clone();
    let id = r["id"].as_str().unwrap_or("").to_string();
    let href = format!("{base}/api/v1/policies/{policy_id}/rules/{id}");
    let active = r["status"] == "ACTIVE";
    let allow = if r["system"] == true {
        json!(["GET", "PUT"])
    } else {
        json!(["GET", "PUT", "DELETE"])
    };
    let (life, life_href) = if active {
        ("deactivate", format!("{href}/lifecycle/deactivate"))
    } else {
        ("activate", format!("{href}/lifecycle/activate"))
    };
    let mut links = Map::new();
    links.insert(
        "self".into(),
        json!({"href": href, "hints": {"allow": allow}}),
    );
    links.insert(
        life.into(),
        json!({"href": life_href, "hints": {"allow": ["POST"]}}),
    );
    r["_links"] = Value::Object(links);
    r
}

fn create_rule(
    org: &mut Org,
    policy_id: &str,
    body: &Value,
    inactive: bool,
) -> Result<Value, Vec<String>> {
    let Some(p) = org.policy(policy_id) else {
        return Err(vec![format!("policyId: no policy {policy_id}")]);
    };
    let ptype = p.policy["type"].as_str().unwrap_or("").to_string();
    let count = p.rules.len();
    let id = org.new_id(if ptype == "ACCESS_POLICY" {
        "rul"
    } else {
        "0pr"
    });
    let rule = normalize_rule(&ptype, body, None, &id, count)?;
    let mut rule = rule;
    if inactive {
        rule["status"] = json!("INACTIVE");
    }
    org.policy_mut(policy_id).unwrap().rules.push(rule.clone());
    Ok(rule)
}

fn replace_rule(
    shared: &Shared,
    org: &mut Org,
    policy_id: &str,
    existing: &Value,
    body: &Value,
) -> Response {
    let p = org.policy(policy_id).unwrap();
    let ptype = p.policy["type"].as_str().unwrap_or("").to_string();
    let policy_is_default = p.policy["system"] == true && ptype == "OKTA_SIGN_ON";
    let id = existing["id"].as_str().unwrap_or("").to_string();
    let old_name = existing["name"].as_str().unwrap_or("");
    let new_name = body.get("name").and_then(Value::as_str).unwrap_or("");
    if let Some(summary) = org
        .refused_rules
        .get(old_name)
        .or_else(|| org.refused_rules.get(new_name))
    {
        return validation_failed(shared, "policyRule", std::slice::from_ref(summary));
    }
    let rule = match normalize_rule(&ptype, body, Some(existing), &id, 0) {
        Ok(r) => r,
        Err(causes) => return validation_failed(shared, "policyRule", &causes),
    };
    if policy_is_default && existing["system"] == true && old_name == "Default Rule" {
        let cookie = |r: &Value| r["actions"]["signon"]["session"]["usePersistentCookie"].clone();
        if cookie(&rule) != cookie(existing) {
            return validation_failed(
                shared,
                "actions.signon.session.usePersistentCookie",
                &["actions.signon.session.usePersistentCookie: This property is read-only for the default rule of the default global session policy.".to_string()],
            );
        }
    }
    let p = org.policy_mut(policy_id).unwrap();
    for r in &mut p.rules {
        if r["id"] == id.as_str() {
            *r = rule.clone();
        }
    }
    Response::json(200, &rule_json(&rule, policy_id, &shared.base))
}

/// A rule body (POST or PUT: a full replace) → the rule as Okta stores and answers it.
fn normalize_rule(
    policy_type: &str,
    body: &Value,
    existing: Option<&Value>,
    id: &str,
    count: usize,
) -> Result<Value, Vec<String>> {
    let Some(obj) = body.as_object() else {
        return Err(vec!["The body must be a policy rule object".into()]);
    };
    let expected = rule_type_for(policy_type);
    let rtype = obj.get("type").and_then(Value::as_str).unwrap_or("");
    if rtype != expected {
        return Err(vec![format!(
            "type: The rule type '{rtype}' does not match the policy type {policy_type} (expected {expected})"
        )]);
    }
    let Some(name) = obj
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
    else {
        return Err(vec!["name: The field cannot be left blank".into()]);
    };
    let now = iso_now();
    let priority = match obj.get("priority") {
        Some(p) if p.is_u64() => p.clone(),
        _ => existing
            .map(|e| e["priority"].clone())
            .unwrap_or(json!(count)),
    };
    let status = existing
        .map(|e| e["status"].clone())
        .unwrap_or(json!("ACTIVE"));
    let system = existing
        .map(|e| e["system"].clone())
        .unwrap_or(json!(false));
    let created = existing.map(|e| e["created"].clone()).unwrap_or(json!(now));

    let conditions = match obj.get("conditions") {
        None | Some(Value::Null) => Value::Null,
        Some(Value::Object(c)) => {
            let mut c = c.clone();
            if policy_type == "ACCESS_POLICY" {
                // As observed: Okta drops an empty platform and fills people and userType.
                if c.get("platform")
                    .is_some_and(|p| p.as_object().is_some_and(Map::is_empty))
                {
                    c.remove("platform");
                }
                c.entry("people")
                    .or_insert_with(|| json!({"users": {"exclude": []}}));
                c.entry("userType")
                    .or_insert_with(|| json!({"include": [], "exclude": []}));
            }
            Value::Object(c)
        }
        Some(_) => return Err(vec!["conditions: must be an object".into()]),
    };

    let mut actions = obj.get("actions").cloned().unwrap_or(json!({}));
    if !actions.is_object() {
        return Err(vec!["actions: must be an object".into()]);
    }
    match policy_type {
        "ACCESS_POLICY" => {
            let app = actions
                .get_mut("appSignOn")
                .filter(|a| a.is_object())
                .ok_or_else(|| vec!["actions.appSignOn: The field is required".to_string()])?;
            if let Some(access) = app.get("access")
                && !(access == "ALLOW" || access == "DENY")
            {
                return Err(vec![
                    "actions.appSignOn.access: must be one of [ALLOW, DENY]".into(),
                ]);
            }
            if let Some(k) = app.get_mut("keepMeSignedIn").filter(|k| !k.is_null()) {
                let post_auth = k.get("postAuth").and_then(Value::as_str).unwrap_or("");
                if post_auth != "ALLOWED" && post_auth != "NOT_ALLOWED" {
                    return Err(vec![
                        "actions.appSignOn.keepMeSignedIn.postAuth: must be one of [ALLOWED, NOT_ALLOWED]".into(),
                    ]);
                }
                match k.get("postAuthPromptFrequency").filter(|f| !f.is_null()) {
                    Some(Value::String(f)) => {
                        let hours = iso_duration_to_hours(f).ok_or_else(|| {
                            vec![format!(
                                "actions.appSignOn.keepMeSignedIn.postAuthPromptFrequency: '{f}' is not a valid duration"
                            )]
                        })?;
                        k["postAuthPromptFrequency"] = Value::String(hours);
                    }
                    Some(_) => {
                        return Err(vec![
                            "actions.appSignOn.keepMeSignedIn.postAuthPromptFrequency: must be a string".into(),
                        ]);
                    }
                    None if post_auth == "ALLOWED" => {
                        // The spec's default, P30D, as Okta answers it.
                        k["postAuthPromptFrequency"] = json!("PT720H");
                    }
                    None => {}
                }
            }
        }
        "OKTA_SIGN_ON" => {
            let signon = actions
                .get_mut("signon")
                .filter(|s| s.is_object())
                .ok_or_else(|| vec!["actions.signon: The field is required".to_string()])?;
            let s = signon.as_object_mut().unwrap();
            s.entry("requireFactor").or_insert(json!(false));
            s.entry("rememberDeviceByDefault").or_insert(json!(false));
            let session = s.entry("session").or_insert_with(|| json!({}));
            let Some(session) = session.as_object_mut() else {
                return Err(vec!["actions.signon.session: must be an object".into()]);
            };
            session.entry("usePersistentCookie").or_insert(json!(false));
            session.entry("maxSessionIdleMinutes").or_insert(json!(120));
            session
                .entry("maxSessionLifetimeMinutes")
                .or_insert(json!(0));
            for (k, want) in [
                ("usePersistentCookie", "boolean"),
                ("maxSessionIdleMinutes", "integer"),
                ("maxSessionLifetimeMinutes", "integer"),
            ] {
                let ok = match want {
                    "boolean" => session[k].is_boolean(),
                    _ => session[k].is_u64(),
                };
                if !ok {
                    return Err(vec![format!(
                        "actions.signon.session.{k}: must be a {want}"
                    )]);
                }
            }
        }
        _ => {}
    }

    Ok(json!({
        "id": id,
        "status": status,
        "name": name,
        "priority": priority,
        "created": created,
        "lastUpdated": now,
        "system": system,
        "conditions": conditions,
        "actions": actions,
        "type": rtype
    }))
}

/// An ISO-8601 duration in weeks, days, hours, minutes and seconds, written the way Okta
/// answers it: in hours (`P30D` → `PT720H`, `P7D` → `PT168H`, `PT90M` → `PT1H30M`).
/// Years and months (no fixed length) are refused.
pub fn iso_duration_to_hours(s: &str) -> Option<String> {
    let rest = s.strip_prefix('P')?;
    if rest.is_empty() {
        return None;
    }
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut secs: u64 = 0;
    let mut take = |part: &str, units: &[(char, u64)]| -> Option<()> {
        let mut num = String::new();
        let mut order = 0;
        for c in part.chars() {
            if c.is_ascii_digit() {
                num.push(c);
                continue;
            }
            let i = units.iter().position(|(u, _)| *u == c)?;
            if num.is_empty() || i < order {
                return None;
            }
            order = i + 1;
            secs = secs.checked_add(num.parse::<u64>().ok()?.checked_mul(units[i].1)?)?;
            num.clear();
        }
        num.is_empty().then_some(())
    };
    take(date, &[('W', 7 * 86_400), ('D', 86_400)])?;
    if let Some(t) = time {
        take(t, &[('H', 3600), ('M', 60), ('S', 1)])?;
    }
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::from("PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || secs == 0 {
        out.push_str(&format!("{s}S"));
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------
// OAuth 2.0: client credentials with private_key_jwt
// ---------------------------------------------------------------------------------------

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
fn token_endpoint(shared: &Shared, req: &Req) -> Response {
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

// ---------------------------------------------------------------------------------------
// Small helpers: encoding, time
// ---------------------------------------------------------------------------------------

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `a=1&b=x%20y` → pairs, percent- and `+`-decoded.
pub fn parse_form(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// Percent-encodes a form value.
pub fn form_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding.
pub fn b64url(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(B64URL[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Base64url, padded or not.
pub fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = B64URL.iter().position(|&x| x == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// A JWT with an RS256 header, these claims and a bogus signature: what the fake's token
/// endpoint accepts (it does not verify signatures).
pub fn fake_jwt(claims: &Value) -> String {
    let header = json!({"alg": "RS256", "typ": "JWT", "kid": "fake-key"});
    format!(
        "{}.{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes()),
        b64url(b"not-a-real-signature")
    )
}

fn epoch_secs_ceil(t: SystemTime) -> u64 {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// Now as Okta writes timestamps: `2026-05-18T09:40:10.000Z`.
fn iso_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

// ---------------------------------------------------------------------------------------
// A plain HTTP/1.1 client for the tests
// ---------------------------------------------------------------------------------------

/// One request on a fresh connection (`Connection: close`), 10 s timeout.
pub fn http(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> io::Result<HttpResponse> {
    http_timeout(method, url, headers, body, Duration::from_secs(10))
}

/// One request on a fresh connection, reading until the server closes or `timeout`
/// passes without data (`ErrorKind::WouldBlock`/`TimedOut`). A connection closed without
/// a byte of answer is `ErrorKind::UnexpectedEof`; a reset is `ConnectionReset`.
pub fn http_timeout(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
    timeout: Duration,
) -> io::Result<HttpResponse> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| bad("only http:// URLs"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut s = TcpStream::connect(host)?;
    s.set_read_timeout(Some(timeout))?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    if let Some(b) = body {
        req.push_str(&format!("Content-Length: {}\r\n", b.len()));
    } else if matches!(method, "PUT" | "POST") {
        req.push_str("Content-Length: 0\r\n");
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body.unwrap_or_default());
    s.write_all(&bytes)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    if raw.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "connection closed without a response",
        ));
    }
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("bad status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if let Some(len) = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
    {
        body.truncate(len);
    }
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}
