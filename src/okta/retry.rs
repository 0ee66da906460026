//! Okta's rate-limit manners, and how hard to try: when to wait and for how long.
//!
//! 429 waits until `X-Rate-Limit-Reset` (plus jitter); 5xx, timeouts and broken
//! connections back off exponentially a bounded number of times; only idempotent
//! requests (GET, PUT, DELETE, HEAD) are tried again. When `X-Rate-Limit-Remaining` runs
//! low, requests wait for the window to reset instead of provoking a 429 ([`Pacer`]).
//! The client ([`super::client`]) asks here and sleeps; nothing here sends anything.

use std::sync::Mutex;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use jiff::Timestamp;

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

/// Milliseconds since the epoch (`X-Rate-Limit-Reset` is in epoch seconds).
fn epoch_ms() -> u64 {
    u64::try_from(Timestamp::now().as_millisecond()).unwrap_or(0)
}

/// 0–250 ms, so that parallel workers do not all wake at once.
fn jitter() -> Duration {
    let n = Timestamp::now().subsec_nanosecond().unsigned_abs();
    Duration::from_millis(u64::from(n % 251))
}

/// The tries of one request: what went wrong so far decides whether to try again.
#[derive(Debug, Default)]
pub(super) struct Attempts {
    retries: u32,
    limited: u32,
}

/// Wait this long, then try again; the text says why (printed with `-v`).
pub(super) struct Wait {
    pub duration: Duration,
    pub why: String,
    /// A 429 (counted apart in [`Stats::rate_limited`]).
    pub rate_limited: bool,
}

impl RetryPolicy {
    fn backoff(&self, retries: u32) -> Duration {
        self.base * 2u32.pow(retries - 1) + jitter()
    }

    /// After an answer with `status`: wait and try again, or `None` (the answer stands).
    /// `reset` is the answer's `X-Rate-Limit-Reset`; `what` names the request.
    pub(super) fn after_status(
        &self,
        tries: &mut Attempts,
        idempotent: bool,
        status: u16,
        reset: Option<u64>,
        what: &str,
    ) -> Option<Wait> {
        if !idempotent {
            return None;
        }
        if status == 429 && tries.limited < self.max_rate_limited {
            tries.limited += 1;
            let now = epoch_ms() / 1000;
            let reset = reset.unwrap_or(now + 1);
            let d = Duration::from_secs(reset.saturating_sub(now)).min(self.max_wait) + jitter();
            return Some(Wait {
                duration: d,
                why: format!(
                    "{what}: 429 (rate limit); waiting {:.1} s until X-Rate-Limit-Reset",
                    d.as_secs_f64()
                ),
                rate_limited: true,
            });
        }
        if (500..600).contains(&status) && tries.retries < self.max_retries {
            tries.retries += 1;
            let d = self.backoff(tries.retries);
            return Some(Wait {
                duration: d,
                why: format!(
                    "{what}: {status} from Okta; retry {}/{} in {:.1} s",
                    tries.retries,
                    self.max_retries,
                    d.as_secs_f64()
                ),
                rate_limited: false,
            });
        }
        None
    }

    /// After no answer at all (`problem` says what happened): wait and try again, or
    /// `None` (the failure stands).
    pub(super) fn after_failure(
        &self,
        tries: &mut Attempts,
        idempotent: bool,
        problem: &str,
        what: &str,
    ) -> Option<Wait> {
        if !idempotent || tries.retries >= self.max_retries {
            return None;
        }
        tries.retries += 1;
        let d = self.backoff(tries.retries);
        Some(Wait {
            duration: d,
            why: format!(
                "{what}: {problem}; retry {}/{} in {:.1} s",
                tries.retries,
                self.max_retries,
                d.as_secs_f64()
            ),
            rate_limited: false,
        })
    }
}

#[derive(Debug, Default)]
struct Window {
    remaining: Option<u64>,
    reset: Option<u64>,
}

/// The org's rate-limit window as the answers report it, shared by every request of the
/// run (parallel workers included).
#[derive(Debug, Default)]
pub(super) struct Pacer {
    window: Mutex<Window>,
}

impl Pacer {
    /// Wait when the window is nearly used up. Each request takes one from the count the
    /// last answer reported before it is sent, so that parallel workers do not all spend
    /// the last requests of a window at once. `note` hears about every wait.
    pub(super) fn wait_turn(&self, policy: &RetryPolicy, note: impl Fn(&str)) {
        loop {
            let wait = {
                let mut w = self.window.lock().expect("rate window");
                match (w.remaining, w.reset) {
                    // Wait until the reset instant itself (to the millisecond), not the
                    // whole second after it: rounding up cost up to 2 s per window.
                    (Some(rem), Some(reset))
                        if rem <= policy.reserve && reset * 1000 > epoch_ms() =>
                    {
                        Some(
                            Duration::from_millis(reset * 1000 - epoch_ms()).min(policy.max_wait)
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
            note(&format!(
                "pacing: {:.1} s until Okta's rate-limit window resets (X-Rate-Limit-Remaining is low)",
                d.as_secs_f64()
            ));
            std::thread::sleep(d);
            let mut w = self.window.lock().expect("rate window");
            if w.reset.is_some_and(|r| r * 1000 <= epoch_ms()) {
                w.remaining = None;
            }
        }
    }

    /// Take in an answer's `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset`.
    pub(super) fn record(&self, remaining: Option<u64>, reset: Option<u64>) {
        if remaining.is_none() && reset.is_none() {
            return;
        }
        let mut w = self.window.lock().expect("rate window");
        // Answers to parallel requests arrive out of order: within one window, the
        // lowest count (ours, already decremented for requests in flight, or Okta's) is
        // the true one.
        w.remaining = match (w.remaining, remaining) {
            (Some(mine), Some(theirs)) if w.reset == reset => Some(mine.min(theirs)),
            _ => remaining,
        };
        w.reset = reset;
    }
}
