//! Rate-limit manners: a 100-brand `deploy --preview` against the fake Okta limited to
//! LIMIT requests per WINDOW. Prints the wall time, the least time the limit allows
//! (requests / LIMIT × WINDOW), their ratio, and the 429s (there must be none).
//!
//! `cargo bench --bench ratelimit` (LIMIT and WINDOW_MS from the environment: defaults
//! 50 and 5000).

#![allow(unreachable_pub, dead_code)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use support::fake_okta::{DEFAULT_TOKEN, FakeOkta};
use support::{BIN, Project, WIDGET_PAGE, org_toml};

fn env_u64(k: &str, d: u64) -> u64 {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(d)
}

fn main() {
    let brands = env_u64("BRANDS", 100) as usize;
    let limit = env_u64("LIMIT", 50);
    let window = Duration::from_millis(env_u64("WINDOW_MS", 5000));
    let names: Vec<String> = (0..brands).map(|i| format!("Brand{i:03}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let okta = FakeOkta::start().with_brands(&names);
    let p = Project::with_page(WIDGET_PAGE)
        .file("signin-pages.toml", org_toml(&okta.url(), &names))
        .file("locales/en.toml", "[kmsi]\ntitle = \"Stay signed in?\"\n");
    okta.rate_limit(limit, window);
    let started = Instant::now();
    let out = Command::new(BIN)
        .args([
            "deploy",
            "--env",
            "prod",
            "--preview",
            "-v",
            "--color",
            "never",
            "--project",
        ])
        .arg(p.path())
        .env("OKTA_API_TOKEN", DEFAULT_TOKEN)
        .env_remove("OKTA_CLIENT_TOKEN")
        .env_remove("OKTA_CLIENT_ORGURL")
        .output()
        .expect("run signin-pages");
    let took = started.elapsed();
    let reqs = okta.requests();
    let n = reqs.len();
    let limited = reqs.iter().filter(|r| r.status == Some(429)).count();
    // The first window opened when the limit was set; each further one costs a whole window.
    let least = window.as_secs_f64() * (n as f64 / limit as f64);
    let ratio = took.as_secs_f64() / least;
    let pacing = String::from_utf8_lossy(&out.stderr)
        .matches("pacing:")
        .count();
    println!(
        "ratelimit: {brands} brands, limit {limit} per {:.1} s: {n} requests, {limited} answered 429, {pacing} pacing waits",
        window.as_secs_f64()
    );
    println!(
        "ratelimit: wall {:.2} s; least the limit allows {:.2} s ({n} / {limit} × {:.1} s); ratio {ratio:.3} (target ≤ 1.2)",
        took.as_secs_f64(),
        least,
        window.as_secs_f64()
    );
    assert!(
        out.status.success(),
        "deploy failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(limited, 0, "the deploy provoked 429s");
    assert!(ratio <= 1.2, "slower than 1.2× the limit allows");
}
