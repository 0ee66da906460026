//! The fake itself, driven by a plain HTTP/1.1 client: the behaviour the client tests
//! lean on (pagination, replace semantics, refusals, faults) is pinned here.

use std::io::ErrorKind;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::*;
use crate::support::http::{Reply, request, request_timeout};

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The `rel="next"` URL among the Link headers, if any.
fn next_link(r: &Reply) -> Option<String> {
    r.header_all("link").into_iter().find_map(|l| {
        l.ends_with("rel=\"next\"")
            .then(|| l[1..l.find('>').unwrap()].to_string())
    })
}

#[test]
fn brands_paginate_with_link_headers() {
    let fake = FakeOkta::start();
    let default = fake.add_brand("Brand 00", true);
    for i in 1..45 {
        fake.add_brand(&format!("Brand {i:02}"), false);
    }

    let first = fake.call("GET", "/api/v1/brands", None);
    assert_eq!(first.status, 200);
    assert_eq!(first.header("content-type"), Some("application/json"));
    let items = first.json();
    assert_eq!(items.as_array().unwrap().len(), 20, "default limit is 20");
    assert_eq!(items[0]["id"], default.as_str());
    assert_eq!(items[0]["isDefault"], true);
    assert_eq!(items[1]["isDefault"], false);
    assert_eq!(
        items[0]["_links"]["self"]["href"],
        format!("{}/api/v1/brands/{default}", fake.url())
    );
    assert!(
        first
            .header_all("link")
            .contains(&format!("<{}/api/v1/brands?limit=20>; rel=\"self\"", fake.url()).as_str())
    );

    let mut names = Vec::new();
    let mut url = Some(format!("{}/api/v1/brands?limit=20", fake.url()));
    let mut pages = 0;
    while let Some(u) = url {
        let path = u.strip_prefix(&fake.url()).unwrap().to_string();
        let r = fake.call("GET", &path, None);
        assert_eq!(r.status, 200);
        for b in r.json().as_array().unwrap() {
            names.push(b["name"].as_str().unwrap().to_string());
        }
        url = next_link(&r);
        pages += 1;
    }
    assert_eq!(pages, 3);
    let expected: Vec<String> = (0..45).map(|i| format!("Brand {i:02}")).collect();
    assert_eq!(names, expected);

    let small = fake.call("GET", "/api/v1/brands?limit=7", None);
    assert_eq!(small.json().as_array().unwrap().len(), 7);
    let next = next_link(&small).unwrap();
    assert!(
        next.contains("after=") && next.contains("limit=7"),
        "{next}"
    );

    let one = fake.call("GET", &format!("/api/v1/brands/{default}"), None);
    assert_eq!(one.json()["name"], "Brand 00");
    let missing = fake.call("GET", "/api/v1/brands/bndNOPE", None);
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["errorCode"], "E0000007");
    assert!(fake.call("GET", "/api/v1/brands?limit=0", None).status == 400);
}

#[test]
fn sign_in_put_replaces_the_whole_page() {
    let fake = FakeOkta::start();
    let b = fake.add_brand("Acme", false);
    let base = format!("/api/v1/brands/{b}/pages/sign-in");

    // Never set: 404 with an Okta error body.
    let r = fake.call("GET", &format!("{base}/customized"), None);
    assert_eq!(r.status, 404);
    let e = r.json();
    assert_eq!(e["errorCode"], "E0000007");
    assert!(
        e["errorSummary"]
            .as_str()
            .unwrap()
            .starts_with("Not found: Resource not found: ")
    );
    assert_eq!(e["errorCauses"], json!([]));
    assert!(e["errorId"].as_str().unwrap().starts_with("oae"));

    // The default page is Okta's.
    let d = fake.call("GET", &format!("{base}/default"), None).json();
    assert_eq!(d["widgetVersion"], "^7");
    assert!(
        d["pageContent"]
            .as_str()
            .unwrap()
            .contains("{{{SignInWidgetResources}}}")
    );
    assert_eq!(
        d["widgetCustomizations"]["postAuthKeepMeSignedInPrompt"]["acceptButtonText"],
        "Stay signed in"
    );

    let full = json!({
        "pageContent": "<html>{{{SignInWidgetResources}}}</html>",
        "widgetVersion": "7.13",
        "contentSecurityPolicySetting": {"mode": "enforced", "reportUri": "https://r.example.com", "srcList": ["https://cdn.example.com"]},
        "widgetCustomizations": {
            "helpLabel": "Help",
            "widgetGeneration": "G3",
            "showUserIdentifier": true,
            "postAuthKeepMeSignedInPrompt": {"title": "Stay?", "subtitle": "Less often", "acceptButtonText": "Yes", "rejectButtonText": "No"}
        }
    });
    let r = fake.call("PUT", &format!("{base}/preview"), Some(&full));
    assert_eq!(r.status, 200, "{}", r.body);
    let answer = r.json();
    assert_eq!(answer["widgetCustomizations"]["helpLabel"], "Help");
    assert_eq!(answer["widgetCustomizations"]["usernameLabel"], Value::Null);
    assert_eq!(
        answer["widgetCustomizations"]["showPasswordVisibilityToggle"],
        false
    );
    assert_eq!(
        answer["widgetCustomizations"]["postAuthKeepMeSignedInPrompt"]["title"],
        "Stay?"
    );
    assert_eq!(answer["contentSecurityPolicySetting"]["mode"], "enforced");
    assert_eq!(
        answer["widgetCustomizations"].as_object().unwrap().len(),
        22,
        "all 21 fields + the KMSI prompt"
    );
    let got = fake.call("GET", &format!("{base}/preview"), None).json();
    assert_eq!(got, answer);
    assert_eq!(fake.sign_in(&b, "preview"), Some(answer));
    assert_eq!(fake.sign_in(&b, "customized"), None);

    // A second PUT with only the HTML: everything else comes back null, and the KMSI
    // prompt is absent from the PUT answer but present (all null) on GET.
    let r = fake.call(
        "PUT",
        &format!("{base}/preview"),
        Some(&json!({"pageContent": "<p>x</p>"})),
    );
    let answer = r.json();
    assert_eq!(answer["widgetVersion"], Value::Null);
    assert_eq!(answer["widgetCustomizations"]["helpLabel"], Value::Null);
    assert_eq!(
        answer["widgetCustomizations"]["widgetGeneration"],
        Value::Null
    );
    assert!(answer.get("contentSecurityPolicySetting").is_none());
    assert!(
        answer["widgetCustomizations"]
            .get("postAuthKeepMeSignedInPrompt")
            .is_none()
    );
    let got = fake.call("GET", &format!("{base}/preview"), None).json();
    assert_eq!(
        got["widgetCustomizations"]["postAuthKeepMeSignedInPrompt"],
        json!({"title": null, "subtitle": null, "acceptButtonText": null, "rejectButtonText": null})
    );

    // DELETE → 204, then 404 again.
    let r = fake.call("DELETE", &format!("{base}/preview"), None);
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
    assert_eq!(
        fake.call("GET", &format!("{base}/preview"), None).status,
        404
    );

    let v = fake
        .call("GET", &format!("{base}/widget-versions"), None)
        .json();
    assert_eq!(v, json!(["7.13", "7.14", "7.40"]));

    // Error pages: the same slots, a smaller object.
    let ep = format!("/api/v1/brands/{b}/pages/error");
    assert_eq!(
        fake.call("GET", &format!("{ep}/customized"), None).status,
        404
    );
    let r = fake.call(
        "PUT",
        &format!("{ep}/customized"),
        Some(&json!({"pageContent": "<h1>{{errorSummary}}</h1>", "extra": 1})),
    );
    assert_eq!(
        r.json(),
        json!({"pageContent": "<h1>{{errorSummary}}</h1>"})
    );
    assert!(fake.error_page(&b, "default").unwrap()["pageContent"].is_string());
}

#[test]
fn okta_validation_refuses_what_okta_refuses() {
    let fake = FakeOkta::start();
    let b = fake.add_brand("Acme", false);
    let url = format!("/api/v1/brands/{b}/pages/sign-in/customized");

    let emoji = json!({"pageContent": "<p>hi</p>", "widgetCustomizations": {"postAuthKeepMeSignedInPrompt": {"title": "Stay 😀"}}});
    let r = fake.call("PUT", &url, Some(&emoji));
    assert_eq!(r.status, 400);
    let e = r.json();
    assert_eq!(e["errorCode"], "E0000001");
    assert!(
        e["errorSummary"]
            .as_str()
            .unwrap()
            .starts_with("Api validation failed")
    );
    let cause = e["errorCauses"][0]["errorSummary"].as_str().unwrap();
    assert!(
        cause.contains("widgetCustomizations.postAuthKeepMeSignedInPrompt.title"),
        "{cause}"
    );
    // 3-byte characters are fine.
    let r = fake.call(
        "PUT",
        &url,
        Some(&json!({"pageContent": "<p>日本語 €</p>"})),
    );
    assert_eq!(r.status, 200);

    for bad in ["7.x", "latest", "^7.1.2.3", ""] {
        let r = fake.call(
            "PUT",
            &url,
            Some(&json!({"pageContent": "x", "widgetVersion": bad})),
        );
        assert_eq!(r.status, 400, "{bad}");
        assert!(!r.json()["errorCauses"].as_array().unwrap().is_empty());
    }
    for good in ["*", "^7", "7", "7.13", "7.13.1"] {
        let r = fake.call(
            "PUT",
            &url,
            Some(&json!({"pageContent": "x", "widgetVersion": good})),
        );
        assert_eq!(r.status, 200, "{good}");
    }

    let auth = format!("SSWS {}", fake.token());
    let r = request(
        "PUT",
        &format!("{}{url}", fake.url()),
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        Some(b"{\"pageContent\": "),
    )
    .unwrap();
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["errorCode"], "E0000003");

    // The page is untouched by refused writes.
    assert_eq!(
        fake.sign_in(&b, "customized").unwrap()["widgetVersion"],
        "7.13.1"
    );
}

#[test]
fn default_brand_page_is_read_only_with_multibrand() {
    let fake = FakeOkta::start();
    let default = fake.add_brand("Default", true);
    let other = fake.add_brand("Other", false);
    let page = json!({"pageContent": "<p>x</p>", "widgetVersion": "^7"});
    fake.multibrand(true);

    for slot in ["customized", "preview"] {
        let url = format!("/api/v1/brands/{default}/pages/sign-in/{slot}");
        let r = fake.call("PUT", &url, Some(&page));
        assert_eq!(r.status, 403, "{slot}");
        let e = r.json();
        assert_eq!(e["errorCode"], "E0000006");
        assert!(
            e["errorSummary"]
                .as_str()
                .unwrap()
                .contains("default brand"),
            "{e}"
        );
        assert_eq!(fake.call("DELETE", &url, None).status, 403);
        assert_eq!(fake.call("GET", &url, None).status, 404, "reads still work");
    }
    let r = fake.call(
        "PUT",
        &format!("/api/v1/brands/{other}/pages/sign-in/customized"),
        Some(&page),
    );
    assert_eq!(r.status, 200);

    fake.multibrand(false);
    let r = fake.call(
        "PUT",
        &format!("/api/v1/brands/{default}/pages/sign-in/customized"),
        Some(&page),
    );
    assert_eq!(r.status, 200);
}

#[test]
fn auth_is_required_and_recorded() {
    let fake = FakeOkta::start();
    fake.add_brand("Acme", true);
    let url = format!("{}/api/v1/brands", fake.url());

    let r = request("GET", &url, &[], None).unwrap();
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["errorCode"], "E0000011");
    assert_eq!(r.json()["errorSummary"], "Invalid token provided");
    assert!(r.header("x-rate-limit-reset").is_some());
    let r = request("GET", &url, &[("Authorization", "SSWS wrong")], None).unwrap();
    assert_eq!(r.status, 401);
    let r = request(
        "GET",
        &url,
        &[("Authorization", &format!("SSWS {DEFAULT_TOKEN}"))],
        None,
    )
    .unwrap();
    assert_eq!(r.status, 200);

    let log = fake.requests();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].header("authorization"), None);
    assert_eq!(
        log[2].header("Authorization"),
        Some(format!("SSWS {DEFAULT_TOKEN}").as_str())
    );
    assert_eq!(log[2].method, "GET");
    assert_eq!(log[2].path, "/api/v1/brands");
    assert_eq!(log[2].status, Some(200));
    assert!(fake.requests_text().contains(DEFAULT_TOKEN));
}

#[test]
fn oauth_client_credentials_issue_a_bearer_token() {
    let fake = FakeOkta::start();
    fake.add_brand("Acme", true);
    fake.oauth_client("0oafakeclient");
    let token_url = format!("{}/oauth2/v1/token", fake.url());
    let assertion = |aud: &str, exp: u64, jti: &str| {
        fake_jwt(&json!({
            "iss": "0oafakeclient", "sub": "0oafakeclient", "aud": aud,
            "exp": exp, "iat": now_secs(), "jti": jti
        }))
    };
    let form = |jwt: &str| {
        format!(
            "grant_type=client_credentials&scope={}&client_assertion_type={}&client_assertion={}",
            form_encode("okta.brands.manage okta.policies.read"),
            form_encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            form_encode(jwt)
        )
    };
    let post = |body: String| {
        request(
            "POST",
            &token_url,
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Accept", "application/json"),
            ],
            Some(body.as_bytes()),
        )
        .unwrap()
    };

    let r = post(form(&assertion(&token_url, now_secs() + 300, "j1")));
    assert_eq!(r.status, 200, "{}", r.body);
    let t = r.json();
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["expires_in"], 3600);
    assert_eq!(t["scope"], "okta.brands.manage okta.policies.read");
    assert_eq!(t["access_token"], fake.access_token().as_str());
    assert_eq!(fake.token_requests(), 1);

    let bearer = format!("Bearer {}", fake.access_token());
    let r = request(
        "GET",
        &format!("{}/api/v1/brands", fake.url()),
        &[("Authorization", &bearer)],
        None,
    )
    .unwrap();
    assert_eq!(r.status, 200);

    // Refusals: wrong audience, expired, replayed jti, wrong algorithm.
    let r = post(form(&assertion(
        "https://elsewhere/oauth2/v1/token",
        now_secs() + 300,
        "j2",
    )));
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (401, json!("invalid_client"))
    );
    let r = post(form(&assertion(&token_url, now_secs() - 10, "j3")));
    assert_eq!(r.status, 401);
    let r = post(form(&assertion(&token_url, now_secs() + 300, "j1")));
    assert_eq!(r.status, 401, "jti reuse");
    let hs256 = format!(
        "{}.{}.sig",
        b64url(br#"{"alg":"HS256"}"#),
        b64url(json!({"iss": "0oafakeclient", "sub": "0oafakeclient", "aud": token_url, "exp": now_secs() + 60}).to_string().as_bytes())
    );
    assert_eq!(post(form(&hs256)).status, 401);
    assert_eq!(fake.token_requests(), 1);
}

#[test]
fn scripted_429_then_success_and_rate_limit_windows() {
    let fake = FakeOkta::start();
    fake.add_brand("Acme", true);
    fake.fail_next(
        ("GET", "/api/v1/brands"),
        Fault::Status429 {
            reset_in: Duration::from_secs(2),
        },
    );

    let r = fake.call("GET", "/api/v1/brands", None);
    assert_eq!(r.status, 429);
    assert_eq!(r.json()["errorCode"], "E0000047");
    assert_eq!(r.header("x-rate-limit-remaining"), Some("0"));
    let reset: u64 = r.header("x-rate-limit-reset").unwrap().parse().unwrap();
    assert!(reset > now_secs() && reset <= now_secs() + 3, "{reset}");
    let r = fake.call("GET", "/api/v1/brands", None);
    assert_eq!(r.status, 200);
    assert_eq!(fake.pending_faults(), 0);
    let log = fake.requests();
    assert_eq!(
        log[0].fault,
        Some(Fault::Status429 {
            reset_in: Duration::from_secs(2)
        })
    );
    assert_eq!(log[0].status, Some(429));

    // Every answer carries the three headers.
    for h in [
        "x-rate-limit-limit",
        "x-rate-limit-remaining",
        "x-rate-limit-reset",
    ] {
        assert!(r.header(h).is_some(), "{h}");
    }

    // A real window: two calls, then 429 until it resets.
    fake.rate_limit(2, Duration::from_millis(1500));
    assert_eq!(
        fake.call("GET", "/api/v1/brands", None)
            .header("x-rate-limit-remaining"),
        Some("1")
    );
    assert_eq!(fake.call("GET", "/api/v1/brands", None).status, 200);
    let limited = fake.call("GET", "/api/v1/brands", None);
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("x-rate-limit-limit"), Some("2"));
    assert_eq!(limited.header("x-rate-limit-remaining"), Some("0"));
    let reset: u64 = limited
        .header("x-rate-limit-reset")
        .unwrap()
        .parse()
        .unwrap();
    let wait = Duration::from_secs(reset.saturating_sub(now_secs())) + Duration::from_millis(100);
    assert!(wait <= Duration::from_secs(4), "{wait:?}");
    std::thread::sleep(wait.max(Duration::from_millis(1600)));
    assert_eq!(fake.call("GET", "/api/v1/brands", None).status, 200);

    // Other scripted statuses; a matcher only catches what it names.
    fake.fail_next(("PUT", "/sign-in/"), Fault::Status503);
    fake.fail_next(
        "/api/v1/brands",
        Fault::Status(418, json!({"errorCode": "X"})),
    );
    let r = fake.call("GET", "/api/v1/brands", None);
    assert_eq!((r.status, r.json()["errorCode"].clone()), (418, json!("X")));
    assert_eq!(fake.pending_faults(), 1, "the PUT fault waits for a PUT");
}

#[test]
fn hang_sends_nothing_then_closes() {
    let fake = FakeOkta::start();
    fake.add_brand("Acme", true);
    let url = format!("{}/api/v1/brands", fake.url());
    let auth = format!("SSWS {}", fake.token());

    fake.fail_next((None, "/brands"), Fault::Hang(Duration::from_millis(1500)));
    let started = Instant::now();
    let err = request_timeout(
        "GET",
        &url,
        &[("Authorization", &auth)],
        None,
        Duration::from_millis(300),
    )
    .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "{err:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(300));

    // With a patient client: nothing, then a close without a byte of answer.
    fake.fail_next((None, "/brands"), Fault::Hang(Duration::from_millis(400)));
    let started = Instant::now();
    let err = request("GET", &url, &[("Authorization", &auth)], None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedEof, "{err:?}");
    assert!(started.elapsed() >= Duration::from_millis(400));

    // The server is fine afterwards.
    assert_eq!(fake.call("GET", "/api/v1/brands", None).status, 200);
    let log = fake.requests();
    assert_eq!(log[0].status, None);
    assert_eq!(log[2].status, Some(200));
}

#[test]
fn reset_closes_without_an_answer() {
    let fake = FakeOkta::start();
    let b = fake.add_brand("Acme", true);
    let url = format!("{}/api/v1/brands/{b}/pages/sign-in/preview", fake.url());
    let auth = format!("SSWS {}", fake.token());
    fake.fail_next(("PUT", "/sign-in/preview"), Fault::Reset);

    let body = json!({"pageContent": "<p>x</p>"}).to_string();
    let err = request(
        "PUT",
        &url,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        Some(body.as_bytes()),
    )
    .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::ConnectionReset | ErrorKind::UnexpectedEof
        ),
        "{err:?}"
    );
    assert_eq!(
        fake.sign_in(&b, "preview"),
        None,
        "a reset request changes nothing"
    );
    let log = fake.requests();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].fault, Some(Fault::Reset));
    assert_eq!(log[0].json().unwrap()["pageContent"], "<p>x</p>");

    let r = fake.call(
        "PUT",
        &format!("/api/v1/brands/{b}/pages/sign-in/preview"),
        Some(&json!({"pageContent": "<p>x</p>"})),
    );
    assert_eq!(r.status, 200);
}

#[test]
fn random_faults_are_deterministic_for_a_seed() {
    let run = |seed: u64| {
        let fake = FakeOkta::start();
        fake.add_brand("Acme", true);
        fake.fault_rate_with(
            40,
            seed,
            vec![
                Fault::Status500,
                Fault::Status503,
                Fault::Status(502, json!({})),
            ],
            Matcher::any(),
            None,
        );
        (0..30)
            .map(|_| fake.call("GET", "/api/v1/brands", None).status)
            .collect::<Vec<u16>>()
    };
    let a = run(7);
    assert_eq!(a, run(7));
    assert_ne!(a, run(8));
    let faults = a.iter().filter(|s| **s != 200).count();
    assert!((4..=20).contains(&faults), "{a:?}");

    // The default mix only touches idempotent requests.
    let fake = FakeOkta::start();
    fake.fault_rate(100, 1);
    let r = fake.call(
        "POST",
        "/api/v1/policies",
        Some(&json!({"type": "ACCESS_POLICY", "name": "App"})),
    );
    assert_eq!(r.status, 200);
}

#[test]
fn kmsi_policy_rules_answer_like_okta() {
    let fake = FakeOkta::start();
    let pid = fake.add_policy("ACCESS_POLICY", "My App");
    let list = fake
        .call("GET", "/api/v1/policies?type=ACCESS_POLICY", None)
        .json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], pid.as_str());
    assert_eq!(
        fake.call("GET", "/api/v1/policies", None).status,
        400,
        "type is required"
    );

    let rules = fake
        .call("GET", &format!("/api/v1/policies/{pid}/rules"), None)
        .json();
    assert_eq!(rules[0]["name"], "Catch-all Rule");
    assert_eq!(rules[0]["system"], true);

    let rule = json!({
        "name": "KMSI", "priority": 0, "type": "ACCESS_POLICY",
        "conditions": {"network": {"connection": "ANYWHERE"}, "platform": {}},
        "actions": {"appSignOn": {
            "access": "ALLOW",
            "verificationMethod": {"factorMode": "2FA", "type": "ASSURANCE", "reauthenticateIn": "PT2H"},
            "keepMeSignedIn": {"postAuth": "ALLOWED", "postAuthPromptFrequency": "P7D"}
        }}
    });
    let r = fake.call(
        "POST",
        &format!("/api/v1/policies/{pid}/rules"),
        Some(&rule),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let created = r.json();
    let rid = created["id"].as_str().unwrap().to_string();
    assert_eq!(
        created["actions"]["appSignOn"]["keepMeSignedIn"]["postAuthPromptFrequency"],
        "PT168H"
    );
    assert_eq!(
        created["conditions"]["userType"],
        json!({"include": [], "exclude": []})
    );
    assert!(created["conditions"].get("platform").is_none());
    assert_eq!(created["status"], "ACTIVE");

    let mut put = rule.clone();
    put["actions"]["appSignOn"]["keepMeSignedIn"]["postAuthPromptFrequency"] = json!("P30D");
    let url = format!("/api/v1/policies/{pid}/rules/{rid}");
    let r = fake.call("PUT", &url, Some(&put));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json()["actions"]["appSignOn"]["keepMeSignedIn"]["postAuthPromptFrequency"],
        "PT720H"
    );
    let got = fake.call("GET", &url, None).json();
    assert_eq!(
        got["actions"]["appSignOn"]["keepMeSignedIn"]["postAuthPromptFrequency"],
        "PT720H"
    );
    assert_eq!(got["created"], created["created"]);

    // Full replace: what isn't sent is gone.
    put["actions"]["appSignOn"]["keepMeSignedIn"] = json!({"postAuth": "NOT_ALLOWED"});
    let r = fake.call("PUT", &url, Some(&put));
    assert_eq!(
        r.json()["actions"]["appSignOn"]["keepMeSignedIn"],
        json!({"postAuth": "NOT_ALLOWED"})
    );

    // A refused rule.
    fake.refuse_rule("KMSI", "The rule can't be changed right now.");
    let r = fake.call("PUT", &url, Some(&put));
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["errorCauses"],
        json!([{"errorSummary": "The rule can't be changed right now."}])
    );

    // The default global session policy's Default Rule: usePersistentCookie is read-only.
    let sid = fake.default_sign_on_policy_id();
    let drid = fake.default_sign_on_rule_id();
    let surl = format!("/api/v1/policies/{sid}/rules/{drid}");
    let mut d = fake.call("GET", &surl, None).json();
    assert_eq!(d["system"], true);
    assert_eq!(d["type"], "SIGN_ON");
    d["actions"]["signon"]["session"]["maxSessionIdleMinutes"] = json!(720);
    let r = fake.call("PUT", &surl, Some(&d));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json()["actions"]["signon"]["session"]["maxSessionIdleMinutes"],
        720
    );
    d["actions"]["signon"]["session"]["usePersistentCookie"] = json!(true);
    let r = fake.call("PUT", &surl, Some(&d));
    assert_eq!(r.status, 400);
    assert!(r.body.contains("usePersistentCookie"));

    // Unit conversion on its own.
    assert_eq!(iso_duration_to_hours("P30D").as_deref(), Some("PT720H"));
    assert_eq!(iso_duration_to_hours("PT168H").as_deref(), Some("PT168H"));
    assert_eq!(iso_duration_to_hours("P1W").as_deref(), Some("PT168H"));
    assert_eq!(iso_duration_to_hours("PT90M").as_deref(), Some("PT1H30M"));
    assert_eq!(iso_duration_to_hours("P1M"), None);
    assert_eq!(iso_duration_to_hours("30D"), None);
}

#[test]
fn groups_users_and_sessions() {
    let fake = FakeOkta::start();
    let g = fake.add_group("KMSI Pilot");
    fake.add_group("Kiosk");
    let u = fake.add_user("ada@example.com");

    let r = fake
        .call("GET", "/api/v1/groups?q=KMSI%20Pilot", None)
        .json();
    assert_eq!(r.as_array().unwrap().len(), 1);
    assert_eq!(r[0]["id"], g.as_str());
    assert_eq!(r[0]["profile"]["name"], "KMSI Pilot");
    assert_eq!(
        fake.call("GET", "/api/v1/groups?q=K", None)
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let by_login = fake
        .call("GET", "/api/v1/users/ada%40example.com", None)
        .json();
    assert_eq!(by_login["id"], u.as_str());
    assert_eq!(by_login["profile"]["login"], "ada@example.com");
    assert_eq!(
        fake.call("GET", &format!("/api/v1/users/{u}"), None).json()["id"],
        u.as_str()
    );
    assert_eq!(fake.call("GET", "/api/v1/users/nobody", None).status, 404);

    let r = fake.call(
        "DELETE",
        &format!("/api/v1/users/{u}/sessions?oauthTokens=true"),
        None,
    );
    assert_eq!(r.status, 204);
    assert_eq!(fake.cleared_sessions(), vec![(u, true)]);
}

#[test]
fn keep_alive_and_chunked_bodies() {
    use std::io::{Read, Write};
    let fake = FakeOkta::start();
    let b = fake.add_brand("Acme", true);
    let mut s = std::net::TcpStream::connect(fake.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let body = r#"{"pageContent":"<p>chunked</p>"}"#;
    let (a, z) = body.split_at(10);
    let req = format!(
        "PUT /api/v1/brands/{b}/pages/error/preview HTTP/1.1\r\nHost: x\r\n\
         Authorization: SSWS {DEFAULT_TOKEN}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{a}\r\n{:x}\r\n{z}\r\n0\r\n\r\n\
         GET /api/v1/brands/{b}/pages/error/preview HTTP/1.1\r\nHost: x\r\n\
         Authorization: SSWS {DEFAULT_TOKEN}\r\nConnection: close\r\n\r\n",
        a.len(),
        z.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    assert_eq!(out.matches("HTTP/1.1 200 OK").count(), 2, "{out}");
    assert!(out.contains("Connection: keep-alive") && out.contains("Connection: close"));
    assert_eq!(out.matches("<p>chunked</p>").count(), 2, "{out}");
    assert_eq!(fake.requests()[0].body_str(), body);
}

#[test]
fn brand_domains_are_listed_per_brand() {
    let fake = FakeOkta::start();
    let default = fake.add_brand("Default", true);
    let acme = fake.add_brand("Acme Corp", false);
    let list = |id: &str| {
        let r = fake.call("GET", &format!("/api/v1/brands/{id}/domains"), None);
        assert_eq!(r.status, 200);
        r.json()["domains"].as_array().unwrap().clone()
    };
    // The default brand (the Okta subdomain's) has none; another brand one, verified.
    assert!(list(&default).is_empty());
    let d = list(&acme);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["domain"], "login.acmecorp.example.com");
    assert_eq!(d[0]["validationStatus"], "VERIFIED");
    assert_eq!(d[0]["brandId"], acme.as_str());
    fake.set_domains(&acme, &[("id.acme.test", "IN_PROGRESS")]);
    assert_eq!(list(&acme)[0]["validationStatus"], "IN_PROGRESS");
    fake.set_domains(&acme, &[]);
    assert!(list(&acme).is_empty());
    assert_eq!(
        fake.call("GET", "/api/v1/brands/nope/domains", None).status,
        404
    );
    // Widget versions: the org's list, or a brand's own.
    fake.set_brand_widget_versions(&acme, &["^6"]);
    let versions = |id: &str| {
        fake.call(
            "GET",
            &format!("/api/v1/brands/{id}/pages/sign-in/widget-versions"),
            None,
        )
        .json()
    };
    assert_eq!(versions(&acme), json!(["^6"]));
    assert_eq!(versions(&default), json!(["7.13", "7.14", "7.40"]));
}

/// The brand PUT is a full replace: what the body leaves out is gone (so the client
/// tests catch a client that forgets a field), and a theme PUT needs every required field.
#[test]
fn brand_and_theme_puts_replace_whole() {
    let fake = FakeOkta::start().with_brands(&["Acme"]);
    let id = fake.brand_id("Acme").unwrap();
    fake.set_brand_field(&id, "emailDomainId", json!("OeD1"));
    let r = fake.call(
        "PUT",
        &format!("/api/v1/brands/{id}"),
        Some(&json!({"name": "Acme", "futureField": 1})),
    );
    assert_eq!(r.status, 200);
    let b = fake.brand(&id);
    assert!(b.get("emailDomainId").is_none(), "{b}");
    assert_eq!(b["futureField"], 1);
    assert_eq!(b["id"], id.as_str());
    let r = fake.call("PUT", &format!("/api/v1/brands/{id}"), Some(&json!({})));
    assert_eq!(r.status, 400);
    let r = fake.call(
        "PUT",
        &format!("/api/v1/brands/{id}"),
        Some(&json!({"name": "Acme", "customPrivacyPolicyUrl": "https://x.example/p"})),
    );
    assert_eq!(r.status, 400, "a custom privacy URL needs the consent flag");

    let theme = fake.theme(&id);
    let tid = theme["id"].as_str().unwrap();
    let r = fake.call(
        "PUT",
        &format!("/api/v1/brands/{id}/themes/{tid}"),
        Some(&json!({"primaryColorHex": "#000000", "secondaryColorHex": "#ffffff"})),
    );
    assert_eq!(r.status, 400);
    assert!(r.json().to_string().contains("signInPageTouchPointVariant"));
    assert_eq!(fake.theme(&id), theme, "a refused PUT changes nothing");
}
