//! Faults and the rate limit: what a test scripts (`fail_next`, `fault_rate`,
//! `rate_limit`) and how every request meets it on its way to the API (`handle`).

use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use super::*;

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
impl Fault {
    /// The faults `fault_rate` draws from: 429 (reset in 1 s), 500, 503, a reset
    /// connection and a 300 ms hang.
    pub fn every_kind() -> Vec<Fault> {
        vec![
            Fault::Status429 {
                reset_in: Duration::from_secs(1),
            },
            Fault::Status500,
            Fault::Status503,
            Fault::Reset,
            Fault::Hang(Duration::from_millis(300)),
        ]
    }
}

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

pub(super) struct RandomFaults {
    percent: u8,
    state: u64,
    kinds: Vec<Fault>,
    matcher: Matcher,
    methods: Option<Vec<String>>,
}

pub(super) struct RateLimit {
    limit: u64,
    window: Duration,
    window_start: Instant,
    used: u64,
}

impl FakeOkta {
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
            Fault::every_kind(),
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
}

pub(super) fn handle(shared: &Shared, mut raw: RawRequest) -> Outcome {
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
