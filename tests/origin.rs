//! The admin token never leaves the org: every URL the client requests (from the config,
//! a `Link` header, a redirect, the service app's token endpoint) must have exactly the
//! org's origin, and answers are bounded. Each test runs the real binary against the fake
//! org and a second fake standing for a foreign origin, which must see nothing.

use std::net::TcpListener;
use std::process::Output;

use crate::support::fake_okta::{DEFAULT_TOKEN, FakeOkta, Fault};
use crate::support::*;

/// The fake org with the brands Default and Acme.
fn seeded(okta: FakeOkta) -> FakeOkta {
    okta.with_brands(&["Acme"])
}

/// A project whose `prod` environment is `org`, with the brand Acme.
fn project(org: &FakeOkta) -> Project {
    Project::with_page(WIDGET_PAGE).file("signin-pages.toml", org_toml(&org.url(), &["Acme"]))
}

/// `diff --env prod -vv` with the fake's token and quick retries.
fn diff(p: &Project) -> Output {
    command_with_token(p, &["diff", "--env", "prod", "-vv"])
        .env("SIGNIN_PAGES_TIMEOUT_MS", "5000")
        .output()
        .expect("run signin-pages")
}

/// Two listeners on 127.0.0.1: one on a port P, the other on a port whose decimal
/// string starts with P's (P = 1808, then 18080..=18089), so that the second one's URL
/// starts with the first one's.
fn prefix_ports() -> (TcpListener, TcpListener) {
    let seed = u64::from(std::process::id())
        ^ std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos() as u64;
    for i in 0..5000u64 {
        let p = 1024 + (seed + i * 37) % (6553 - 1024 + 1);
        let Ok(short) = TcpListener::bind(("127.0.0.1", p as u16)) else {
            continue;
        };
        for q in (p * 10..p * 10 + 10).filter(|q| *q <= 65535) {
            if let Ok(long) = TcpListener::bind(("127.0.0.1", q as u16)) {
                return (short, long);
            }
        }
    }
    panic!("no free pair of loopback ports P, P·10+d");
}

/// `http://127.0.0.1:PORT` of a fake: its origin.
fn origin(okta: &FakeOkta) -> String {
    okta.url()
}

/// The command stopped (exit 1) with an error naming `foreign`'s origin; the foreign
/// server saw no request at all; no secret is printed; the org did get the token (so
/// the run really authenticated before it stopped).
fn refused(out: &Output, org: &FakeOkta, foreign: &FakeOkta, secrets: &[&str]) {
    let text = all(out);
    assert_eq!(code(out), 1, "{text}");
    assert!(
        text.contains(&format!("points at {}", origin(foreign)))
            && text.contains(&format!("not the org ({})", origin(org)))
            && text.contains("nothing was sent there"),
        "{text}"
    );
    assert!(
        foreign.requests().is_empty(),
        "the foreign origin was contacted:\n{}",
        foreign.requests_text()
    );
    for s in secrets {
        assert!(!text.contains(s), "a secret is printed:\n{text}");
    }
    assert!(!text.contains("panicked"), "{text}");
    assert!(!org.requests().is_empty());
}

fn brands_list() -> (&'static str, &'static str) {
    ("GET", "/api/v1/brands")
}

#[test]
fn a_next_link_to_a_port_that_merely_starts_with_the_orgs_is_refused() {
    let (short, long) = prefix_ports();
    let org = seeded(FakeOkta::start_on(short));
    let foreign = seeded(FakeOkta::start_on(long));
    assert!(foreign.url().starts_with(&org.url()));
    org.fail_next(
        brands_list(),
        Fault::WithHeader(
            "Link".into(),
            format!(
                "<{}/api/v1/brands?after=x&limit=20>; rel=\"next\"",
                foreign.url()
            ),
        ),
    );
    let out = diff(&project(&org));
    refused(&out, &org, &foreign, &[DEFAULT_TOKEN]);
    assert!(all(&out).contains("Link: rel=\"next\""), "{}", all(&out));
}

#[test]
fn a_next_link_with_user_info_is_refused() {
    let org = seeded(FakeOkta::start());
    let foreign = seeded(FakeOkta::start());
    // `http://127.0.0.1:P@127.0.0.1:Q/…` starts with the org's URL; its host is Q.
    let link = format!(
        "{}@{}/api/v1/brands?after=x",
        org.url(),
        foreign.url().trim_start_matches("http://")
    );
    assert!(link.starts_with(&org.url()));
    org.fail_next(
        brands_list(),
        Fault::WithHeader("Link".into(), format!("<{link}>; rel=\"next\"")),
    );
    let out = diff(&project(&org));
    refused(&out, &org, &foreign, &[DEFAULT_TOKEN]);
    assert!(all(&out).contains("(with user info)"), "{}", all(&out));
}

#[test]
fn a_redirect_to_another_origin_is_not_followed() {
    let org = seeded(FakeOkta::start());
    let foreign = seeded(FakeOkta::start());
    org.fail_next(
        brands_list(),
        Fault::Redirect {
            status: 302,
            location: format!("{}/api/v1/brands", foreign.url()),
        },
    );
    let out = diff(&project(&org));
    refused(&out, &org, &foreign, &[DEFAULT_TOKEN]);
    assert!(all(&out).contains("Okta's redirect"), "{}", all(&out));
    // Refused at once, not retried.
    assert_eq!(
        org.requests_matching(Some("GET"), "/api/v1/brands").len(),
        1
    );
}

#[test]
fn same_origin_redirects_are_followed_three_times_not_four() {
    let org = seeded(FakeOkta::start());
    let p = project(&org);
    let baseline = diff(&p);
    assert_ne!(code(&baseline), 1, "{}", all(&baseline));

    let hops = |n: usize| {
        org.clear_requests();
        for i in 1..=n {
            org.fail_next(
                brands_list(),
                Fault::Redirect {
                    status: 302,
                    location: format!("{}/api/v1/brands?hop={i}", org.url()),
                },
            );
        }
        diff(&p)
    };

    // Three hops: followed, with the token, to the same result as without them.
    let out = hops(3);
    assert_eq!(code(&out), code(&baseline), "{}", all(&out));
    assert_eq!(stdout(&out), stdout(&baseline));
    let last = org.requests_matching(Some("GET"), "hop=3");
    assert_eq!(last.len(), 1);
    assert_eq!(
        last[0].header("authorization"),
        Some(format!("SSWS {DEFAULT_TOKEN}").as_str())
    );

    // Four: the fourth is not followed and the command stops.
    let out = hops(4);
    assert_eq!(code(&out), 1, "{}", all(&out));
    assert!(
        all(&out).contains("redirected more than 3 times"),
        "{}",
        all(&out)
    );
    assert!(org.requests_matching(Some("GET"), "hop=4").is_empty());
    assert!(!all(&out).contains(DEFAULT_TOKEN));
}

#[test]
fn an_answer_over_the_cap_stops_the_command() {
    const CAP: u64 = 16 * 1024 * 1024;
    for declared in [false, true] {
        let org = seeded(FakeOkta::start());
        org.fail_next(
            brands_list(),
            Fault::HugeBody {
                bytes: CAP + 1024 * 1024,
                declared,
            },
        );
        let out = diff(&project(&org));
        let text = all(&out);
        assert_eq!(code(&out), 1, "{text}");
        assert!(
            text.contains("GET /api/v1/brands: Okta's answer is larger than 16 MiB"),
            "declared {declared}: {text}"
        );
        assert!(
            !text.contains("timeout") && !text.contains("retry"),
            "{text}"
        );
        assert!(!text.contains(DEFAULT_TOKEN));
    }
}

#[test]
fn the_service_app_token_request_stays_on_the_org() {
    let org = seeded(FakeOkta::start());
    let foreign = seeded(FakeOkta::start());
    org.oauth_client("0oaservice");
    foreign.oauth_client("0oaservice");
    let p = project(&org);
    std::fs::create_dir_all(p.path().join("keys")).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/keys/test-service-app.pem"),
        p.path().join("keys/app.pem"),
    )
    .unwrap();
    p.write(
        "signin-pages.toml",
        p.read("signin-pages.toml").replace(
            "[[brands]]",
            "[environments.prod.oauth]\nclient_id = \"0oaservice\"\nprivate_key_file = \"keys/app.pem\"\nscopes = [\"okta.brands.read\"]\n\n[[brands]]",
        ),
    );
    // A 307 keeps the method and the body: the signed client assertion would go along.
    org.fail_next(
        ("POST", "/oauth2/v1/token"),
        Fault::Redirect {
            status: 307,
            location: format!("{}/oauth2/v1/token", foreign.url()),
        },
    );
    let out = diff(&p);
    let key = std::fs::read_to_string(p.path().join("keys/app.pem")).unwrap();
    let key_line = key.lines().nth(1).unwrap();
    refused(
        &out,
        &org,
        &foreign,
        &[key_line, &org.access_token(), "client_assertion"],
    );
    assert!(all(&out).contains("POST /oauth2/v1/token"), "{}", all(&out));
    assert_eq!(org.token_requests(), 0);
    assert_eq!(foreign.token_requests(), 0);
}

#[test]
fn a_redirect_without_a_location_is_not_a_success() {
    let org = seeded(FakeOkta::start());
    let p = project(&org);
    // A 302 reqwest cannot follow reaches the client as it is: it must not count as
    // "written".
    org.fail_next(
        ("PUT", "/pages/sign-in/preview"),
        Fault::Status(302, serde_json::json!({})),
    );
    let out = run_with_token(&p, &["deploy", "--env", "prod", "--preview"]);
    let text = all(&out);
    assert_eq!(code(&out), 1, "{text}");
    assert!(text.contains("Okta answered 302"), "{text}");
    let acme = org.brand_id("Acme").unwrap();
    assert!(org.sign_in(&acme, "preview").is_none());
}

#[test]
fn an_org_url_from_the_environment_is_checked_and_never_echoed() {
    let org = seeded(FakeOkta::start());
    let p = project(&org);
    p.write(
        "signin-pages.toml",
        p.read("signin-pages.toml")
            .replace(&format!("org_url = \"{}\"\n", org.url()), ""),
    );
    let out = command_with_token(&p, &["diff", "--env", "prod"])
        .env(
            "OKTA_CLIENT_ORGURL",
            "https://00secretINuserinfo@acme.okta.com",
        )
        .output()
        .unwrap();
    let text = all(&out);
    assert_eq!(code(&out), 1, "{text}");
    assert!(
        text.contains(
            "OKTA_CLIENT_ORGURL of environment `prod`: an org_url must not carry credentials"
        ),
        "{text}"
    );
    assert!(!text.contains("00secretINuserinfo"), "{text}");
}
