//! kmsi plan / apply / reset and `rollback --policies` against the fake Okta on a real
//! loopback socket.

use serde_json::{Value, json};

use crate::support::fake_okta::{FakeOkta, Fault};
use crate::support::run_with_token as run;
use crate::support::*;

/// Post-authentication KMSI for two of the org's three app sign-in policies.
pub(crate) const APP: &str = "[kmsi]\npost_auth = \"allowed\"\nprompt_frequency = \"P30D\"\napp_policies = [\"Portal\", \"Kiosk\"]\nrules = \"all\"\n";

/// An org with app sign-in policies Portal (a rule without KMSI), Kiosk (a rule that
/// already allows it every 30 days, as `PT720H`, and a rule that denies access) and
/// Admin; each also has Okta's Catch-all Rule (KMSI not allowed).
pub(crate) fn org() -> FakeOkta {
    let okta = FakeOkta::start();
    let portal = okta.add_policy("ACCESS_POLICY", "Portal");
    okta.add_rule(
        &portal,
        json!({
            "name": "Portal rule", "priority": 0,
            "conditions": {"network": {"connection": "ANYWHERE"}},
            "actions": {"appSignOn": {
                "access": "ALLOW",
                "verificationMethod": {"factorMode": "2FA", "type": "ASSURANCE", "reauthenticateIn": "PT2H"},
                "keepMeSignedIn": {"postAuth": "NOT_ALLOWED"}
            }}
        }),
    );
    let kiosk = okta.add_policy("ACCESS_POLICY", "Kiosk");
    okta.add_rule(
        &kiosk,
        json!({
            "name": "Kiosk rule", "priority": 0,
            "actions": {"appSignOn": {
                "access": "ALLOW",
                "verificationMethod": {"factorMode": "1FA", "type": "ASSURANCE", "reauthenticateIn": "PT12H"},
                "keepMeSignedIn": {"postAuth": "ALLOWED", "postAuthPromptFrequency": "P30D"}
            }}
        }),
    );
    okta.add_rule(
        &kiosk,
        json!({"name": "Kiosk deny", "priority": 1, "actions": {"appSignOn": {"access": "DENY"}}}),
    );
    okta.add_policy("ACCESS_POLICY", "Admin");
    okta
}

pub(crate) fn project(okta: &FakeOkta, kmsi: &str) -> Project {
    Project::with_page(WIDGET_PAGE).file(
        "signin-pages.toml",
        format!(
            "[project]\nname = \"t\"\n\n[environments.prod]\norg_url = \"{}\"\n\n[[brands]]\nname = \"Acme\"\n\n{kmsi}",
            okta.url()
        ),
    )
}

/// Every write (PUT, POST, DELETE) the fake received: method, path and JSON body.
fn writes(okta: &FakeOkta) -> Vec<Value> {
    okta.requests()
        .iter()
        .filter(|r| r.method != "GET")
        .map(|r| json!({"method": r.method, "path": r.path, "body": r.json()}))
        .collect()
}

fn rule_named(okta: &FakeOkta, policy: &str, rule: &str) -> Value {
    let pid = okta
        .policies("ACCESS_POLICY")
        .into_iter()
        .chain(okta.policies("OKTA_SIGN_ON"))
        .find(|p| p["name"] == policy)
        .unwrap_or_else(|| panic!("no policy {policy}"))["id"]
        .as_str()
        .unwrap()
        .to_string();
    let rid = okta
        .rule_id(&pid, rule)
        .unwrap_or_else(|| panic!("no rule {rule}"));
    okta.rule(&pid, &rid).unwrap()
}

fn kmsi_of(okta: &FakeOkta, policy: &str, rule: &str) -> Value {
    rule_named(okta, policy, rule)["actions"]["appSignOn"]["keepMeSignedIn"].clone()
}

#[test]
fn plan_apply_then_nothing_left_to_do() {
    let okta = org();
    let p = project(&okta, APP);
    let out = run(&p, &["kmsi", "plan", "--env", "prod"]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    let text = stdout(&out);
    for line in [
        "app sign-in policy \"Portal\" › rule \"Portal rule\": update",
        "  actions.appSignOn.keepMeSignedIn.postAuth: \"NOT_ALLOWED\" → \"ALLOWED\"",
        "  actions.appSignOn.keepMeSignedIn.postAuthPromptFrequency: (unset) → \"P30D\" (30 days)",
        "app sign-in policy \"Portal\" › rule \"Catch-all Rule\": update",
        // Okta holds PT720H: the same as P30D.
        "app sign-in policy \"Kiosk\" › rule \"Kiosk rule\": no change",
        "app sign-in policy \"Kiosk\" › rule \"Kiosk deny\": skip (the rule denies access: KMSI does not apply)",
        "rules: 3 to update, 1 unchanged, 1 skipped",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
    assert!(!text.contains("Admin"), "{text}");
    assert!(writes(&okta).is_empty(), "plan writes nothing");
    for path in ["/api/v1/policies?type=ACCESS_POLICY", "/api/v1/policies/"] {
        assert!(
            !okta.requests_matching(Some("GET"), path).is_empty(),
            "{path}"
        );
    }

    let out = run(&p, &["kmsi", "apply", "--env", "prod"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let text = stdout(&out);
    assert!(
        text.lines().any(|l| l.starts_with("Portal")
            && l.contains("Portal rule")
            && l.contains("update")
            && l.contains(" ok ")
            && l.contains("2 fields changed")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("Kiosk") && l.contains("Kiosk rule") && l.contains("unchanged")),
        "{text}"
    );
    // Whole rules went back, with keepMeSignedIn inside actions.appSignOn.
    let puts = writes(&okta);
    assert_eq!(puts.len(), 3, "{puts:#?}");
    for w in &puts {
        assert_eq!(w["method"], "PUT");
        let body = &w["body"];
        assert_eq!(
            body["actions"]["appSignOn"]["keepMeSignedIn"],
            json!({"postAuth": "ALLOWED", "postAuthPromptFrequency": "P30D"})
        );
        assert!(
            body.get("keepMeSignedIn").is_none() && body["actions"].get("keepMeSignedIn").is_none()
        );
        assert!(
            body["actions"]["appSignOn"]["verificationMethod"].is_object(),
            "{body}"
        );
        for read_only in ["id", "created", "lastUpdated", "_links"] {
            assert!(body.get(read_only).is_none(), "{read_only} sent");
        }
    }
    insta::assert_json_snapshot!("apply_app_rule_puts", puts);
    // The rest of each rule is as the org had it.
    let portal = rule_named(&okta, "Portal", "Portal rule");
    assert_eq!(
        portal["actions"]["appSignOn"]["verificationMethod"]["reauthenticateIn"],
        "PT2H"
    );
    assert_eq!(portal["conditions"]["network"]["connection"], "ANYWHERE");
    assert_eq!(
        portal["actions"]["appSignOn"]["keepMeSignedIn"],
        json!({"postAuth": "ALLOWED", "postAuthPromptFrequency": "PT720H"})
    );
    assert_eq!(
        kmsi_of(&okta, "Admin", "Catch-all Rule"),
        json!({"postAuth": "NOT_ALLOWED"})
    );
    assert_eq!(kmsi_of(&okta, "Kiosk", "Kiosk deny"), Value::Null);
    // A backup of each rule changed, with what Okta had.
    let b = p.backups("prod", "policies");
    assert_eq!(b.len(), 3);
    assert!(b.iter().all(|x| x["run"] == b[0]["run"]), "one run");
    let portal_backup = b.iter().find(|x| x["rule"] == "Portal rule").unwrap();
    assert_eq!(portal_backup["policy"], "Portal");
    assert_eq!(
        portal_backup["body"]["actions"]["appSignOn"]["keepMeSignedIn"],
        json!({"postAuth": "NOT_ALLOWED"})
    );

    // Okta answers PT720H for P30D: compared by value, nothing is left to do.
    let out = run(&p, &["kmsi", "plan", "--env", "prod"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(
        stdout(&out).contains("nothing to change (4 rules as asked)"),
        "{}",
        stdout(&out)
    );
    let before = writes(&okta).len();
    assert_eq!(code(&run(&p, &["kmsi", "apply", "--env", "prod"])), 0);
    assert_eq!(writes(&okta).len(), before);
}

#[test]
fn plan_as_json() {
    let okta = org();
    let p = project(&okta, APP);
    let out = run(&p, &["kmsi", "plan", "--env", "prod", "--format", "json"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("one JSON document");
    assert_eq!(doc["environment"], "prod");
    assert_eq!(doc["changed"], true);
    let changes = doc["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 6, "{changes:#?}");
    let c = changes
        .iter()
        .find(|c| {
            c["rule"] == "Portal rule" && c["field"] == "actions.appSignOn.keepMeSignedIn.postAuth"
        })
        .unwrap();
    assert_eq!(c["policy"], "Portal");
    assert_eq!(c["policyType"], "ACCESS_POLICY");
    assert_eq!(c["old"], "NOT_ALLOWED");
    assert_eq!(c["new"], "ALLOWED");
    assert_eq!(c["action"], "update");
    let rules = doc["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 5);
    assert!(
        rules
            .iter()
            .any(|r| r["rule"] == "Kiosk rule" && r["action"] == "unchanged")
    );
    assert!(
        rules
            .iter()
            .any(|r| r["rule"] == "Kiosk deny" && r["action"] == "skip")
    );
}

#[test]
fn a_refused_rule_is_named_and_a_rerun_converges() {
    let okta = org();
    okta.refuse_rule(
        "Portal rule",
        "actions.appSignOn.keepMeSignedIn: KMSI is not available for this app.",
    );
    let p = project(&okta, APP);
    let out = run(&p, &["kmsi", "apply", "--env", "prod"]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    let text = all(&out);
    assert!(
        text.lines()
            .any(|l| l.starts_with("Portal") && l.contains("Portal rule") && l.contains("FAILED")),
        "{text}"
    );
    assert!(
        text.contains("E0000001")
            && text.contains(
                "cause: actions.appSignOn.keepMeSignedIn: KMSI is not available for this app."
            ),
        "{text}"
    );
    assert!(
        text.contains("not done for: `Portal` / `Portal rule`"),
        "{text}"
    );
    // The others went through; the refused rule is as it was.
    assert_eq!(
        kmsi_of(&okta, "Portal", "Portal rule"),
        json!({"postAuth": "NOT_ALLOWED"})
    );
    assert_eq!(
        kmsi_of(&okta, "Kiosk", "Catch-all Rule")["postAuth"],
        "ALLOWED"
    );
    // Okta accepts it now: only that rule is written.
    okta.org().refused_rules.clear();
    okta.clear_requests();
    let out = run(&p, &["kmsi", "apply", "--env", "prod"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let puts = writes(&okta);
    assert_eq!(puts.len(), 1, "{puts:#?}");
    assert_eq!(
        kmsi_of(&okta, "Portal", "Portal rule")["postAuth"],
        "ALLOWED"
    );
}

#[test]
fn a_429_mid_run_is_waited_out() {
    let okta = org();
    let p = project(&okta, APP);
    okta.fail_next(
        ("PUT", "/rules/"),
        Fault::Status429 {
            reset_in: std::time::Duration::from_secs(1),
        },
    );
    okta.fail_next(("GET", "/rules/"), Fault::Status503);
    let out = run(&p, &["kmsi", "apply", "--env", "prod", "-v"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(
        stderr(&out).contains("429 (rate limit); waiting"),
        "{}",
        stderr(&out)
    );
    assert_eq!(okta.pending_faults(), 0);
    for (policy, rule) in [
        ("Portal", "Portal rule"),
        ("Portal", "Catch-all Rule"),
        ("Kiosk", "Catch-all Rule"),
    ] {
        assert_eq!(
            kmsi_of(&okta, policy, rule)["postAuth"],
            "ALLOWED",
            "{policy}/{rule}"
        );
    }
    // One backup per rule, even though a PUT was answered 429 first.
    assert_eq!(p.backups("prod", "policies").len(), 3);
}

#[test]
fn the_default_rule_keeps_its_persistent_cookie() {
    let okta = org();
    let p = project(
        &okta,
        "[kmsi.session]\npersistent_cookie = true\nmax_idle_minutes = 720\n",
    );
    let out = run(&p, &["kmsi", "plan", "--env", "prod"]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    let err = stderr(&out);
    assert!(err.contains("error[P002]: `usePersistentCookie` is read-only on the default rule (`Default Rule`) of the default global session policy (`Default Policy`)"), "{err}");
    assert!(err.contains("--> signin-pages.toml:11:21"), "{err}");
    assert!(writes(&okta).is_empty());
    assert!(
        okta.requests_matching(Some("GET"), "type=OKTA_SIGN_ON")
            .len()
            == 1
    );
    assert_eq!(code(&run(&p, &["kmsi", "apply", "--env", "prod"])), 1);
    assert!(writes(&okta).is_empty(), "nothing is sent");

    // The same value the rule has is fine; the idle time is changed in the Default Rule.
    p.write(
        "signin-pages.toml",
        p.read("signin-pages.toml")
            .replace("persistent_cookie = true", "persistent_cookie = false"),
    );
    let out = run(&p, &["kmsi", "plan", "--env", "prod"]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    assert!(stdout(&out).contains("global session policy \"Default Policy\" › rule \"Default Rule\": update\n  actions.signon.session.maxSessionIdleMinutes: 120 → 720\n"), "{}", stdout(&out));
    let out = run(&p, &["kmsi", "apply", "--env", "prod"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let puts = writes(&okta);
    assert_eq!(puts.len(), 1);
    insta::assert_json_snapshot!("apply_default_session_rule_put", puts[0]);
    let rule = okta
        .rule(
            &okta.default_sign_on_policy_id(),
            &okta.default_sign_on_rule_id(),
        )
        .unwrap();
    assert_eq!(
        rule["actions"]["signon"]["session"]["maxSessionIdleMinutes"],
        720
    );
    assert_eq!(
        rule["actions"]["signon"]["primaryFactor"],
        "PASSWORD_IDP_ANY_FACTOR"
    );
}

#[test]
fn a_missing_session_policy_is_created_the_way_the_guide_does() {
    let okta = org();
    let pilot = okta.add_group("KMSI Pilot");
    okta.add_group("KMSI Pilot Leads");
    let toml = "[kmsi.session]\npolicy = \"KMSI\"\ngroups = [\"Everyone\", \"KMSI Pilot\"]\nrule = \"KMSI rule\"\npersistent_cookie = true\nmax_idle_minutes = 120\nmax_lifetime_minutes = 0\nrequire_mfa = true\nmfa_prompt = \"device\"\nmfa_lifetime_minutes = 200\n";
    let p = project(&okta, toml);
    let out = run(&p, &["kmsi", "plan", "--env", "prod"]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    let text = stdout(&out);
    assert!(text.contains("global session policy \"KMSI\" › rule \"KMSI rule\": create (creates the policy (active, for Everyone, KMSI Pilot) and its rule)"), "{text}");
    assert!(
        text.contains("  actions.signon.factorLifetime: (unset) → 200\n"),
        "{text}"
    );
    assert!(
        text.contains("  actions.signon.session.usePersistentCookie: (unset) → true\n"),
        "{text}"
    );
    assert!(writes(&okta).is_empty());

    let out = run(&p, &["kmsi", "apply", "--env", "prod"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(
        stdout(&out).contains("created the policy"),
        "{}",
        stdout(&out)
    );
    let w = writes(&okta);
    assert_eq!(w.len(), 2, "{w:#?}");
    assert_eq!(w[0]["path"], "/api/v1/policies?activate=true");
    let everyone = okta.call("GET", "/api/v1/groups?q=Everyone", None).json()[0]["id"].clone();
    assert_eq!(
        w[0]["body"]["conditions"]["people"]["groups"]["include"],
        json!([everyone, pilot])
    );
    insta::assert_json_snapshot!("create_session_policy_and_rule", w);
    let policy = okta
        .policies("OKTA_SIGN_ON")
        .into_iter()
        .find(|p| p["name"] == "KMSI")
        .unwrap();
    assert_eq!(policy["status"], "ACTIVE");
    let rule = rule_named(&okta, "KMSI", "KMSI rule");
    assert_eq!(rule["status"], "ACTIVE");
    assert_eq!(rule["actions"]["signon"]["factorLifetime"], 200);
    assert_eq!(
        rule["actions"]["signon"]["session"]["usePersistentCookie"],
        true
    );

    let out = run(&p, &["kmsi", "plan", "--env", "prod"]);
    assert_eq!(code(&out), 0, "{}", all(&out));

    // The policy exists, another rule does not: only the rule is created.
    okta.clear_requests();
    p.write(
        "signin-pages.toml",
        p.read("signin-pages.toml")
            .replace("rule = \"KMSI rule\"", "rule = \"KMSI kiosk rule\""),
    );
    let out = run(&p, &["kmsi", "apply", "--env", "prod"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(
        stdout(&out).contains("rule \"KMSI kiosk rule\": create (creates the rule)"),
        "{}",
        stdout(&out)
    );
    let w = writes(&okta);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(
        w[0]["path"],
        format!(
            "/api/v1/policies/{}/rules?activate=true",
            policy["id"].as_str().unwrap()
        )
    );
    assert_eq!(okta.policies("OKTA_SIGN_ON").len(), 2);
}

#[test]
fn kmsi_values_are_checked_before_any_request() {
    let okta = org();
    let toml = "[kmsi]\npost_auth = \"allowed\"\nprompt_frequency = \"P\"\napp_policies = []\nrules = \"some\"\n\n[kmsi.session]\nmax_idle_minutes = 0\nmax_lifetime_minutes = 300000\nrequire_mfa = true\nmfa_lifetime_minutes = \"200\"\n";
    let p = project(&okta, toml);
    let out = run(&p, &["kmsi", "plan", "--env", "prod"]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    assert!(
        okta.requests().is_empty(),
        "no request before the project is valid"
    );
    let err = stderr(&out);
    for at in ["12:20", "13:16", "14:9", "17:20", "18:24", "19:15", "20:24"] {
        assert!(
            err.contains(&format!("--> signin-pages.toml:{at}")),
            "{at} in:\n{err}"
        );
    }
    insta::assert_snapshot!("kmsi_config_errors", err);
    // The same file refuses to build: the project file is wrong.
    assert_eq!(code(&run(&p, &["build"])), 1);
}

#[test]
fn durations_and_mfa_settings_each_get_their_diagnostic() {
    let okta = FakeOkta::start();
    for (kmsi, expect, at) in [
        (
            "[kmsi]\nprompt_frequency = \"PT\"\n",
            "`PT` is not an ISO 8601 duration: `T` must be followed by hours, minutes or seconds",
            "11:20",
        ),
        (
            "[kmsi]\nprompt_frequency = \"P1Y2W\"\n",
            "weeks (`W`) cannot be combined with other units",
            "11:20",
        ),
        (
            "[kmsi]\nprompt_frequency = \"30D\"\n",
            "it must start with `P`",
            "11:20",
        ),
        (
            "[kmsi]\nprompt_frequency = \"P1M\"\n",
            "years and months have no fixed length, and Okta answers the frequency in hours",
            "11:20",
        ),
        (
            "[kmsi]\nprompt_frequency = \"PT30M\"\n",
            "30 minutes is shorter than an hour",
            "11:20",
        ),
        (
            "[kmsi]\nprompt_frequency = \"P400D\"\n",
            "400 days is longer than a year",
            "11:20",
        ),
        (
            "[kmsi.session]\nrequire_mfa = true\nmfa_prompt = \"session\"\n",
            "`mfa_prompt = \"session\"` needs `mfa_lifetime_minutes`",
            "12:14",
        ),
        (
            "[kmsi.session]\nmfa_lifetime_minutes = \"200\"\n",
            "`mfa_lifetime_minutes` is the string \"200\": Okta's `factorLifetime` is an integer number of minutes",
            "11:24",
        ),
        (
            "[kmsi]\npost_auth = \"yes\"\n",
            "unknown variant `yes`, expected `allowed` or `not_allowed`",
            "11:13",
        ),
        (
            "[kmsi]\nrules = 3\n",
            "invalid type: integer `3`, expected \"all\" or a list of names",
            "11:9",
        ),
        (
            "[kmsi]\nprompt_frequency = \"P30D\"\n[environments.prod.kmsi]\nprompt_frequency = \"P7\"\n",
            "`P7` is not an ISO 8601 duration: `7` has no unit after it",
            "13:20",
        ),
        // A value every environment overrides is still checked.
        (
            "[kmsi]\nprompt_frequency = \"P7\"\n[environments.prod.kmsi]\nprompt_frequency = \"P30D\"\n",
            "`P7` is not an ISO 8601 duration",
            "11:20",
        ),
    ] {
        let p = project(&okta, kmsi);
        let out = run(&p, &["kmsi", "plan", "--env", "prod"]);
        assert_eq!(code(&out), 1, "{kmsi}: {}", all(&out));
        let err = stderr(&out);
        assert!(err.contains(expect), "{kmsi}: {err}");
        assert!(
            err.contains(&format!("--> signin-pages.toml:{at}")),
            "{kmsi}: {err}"
        );
    }
    assert!(okta.requests().is_empty());
}

#[test]
fn unknown_policy_and_rule_names_are_diagnostics_at_their_line() {
    let okta = org();
    let p = project(
        &okta,
        "[kmsi]\npost_auth = \"allowed\"\napp_policies = [\"Portal\", \"Portl\"]\nrules = [\"Portal rule\", \"Kiosk rul\"]\n",
    );
    let out = run(&p, &["kmsi", "apply", "--env", "prod"]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    let err = stderr(&out);
    assert!(
        err.contains("the org has no app sign-in policy named `Portl`"),
        "{err}"
    );
    assert!(err.contains("did you mean `Portal`?"), "{err}");
    assert!(err.contains("--> signin-pages.toml:12:27"), "{err}");
    assert!(
        err.contains("no rule named `Kiosk rul` in the selected app sign-in policies"),
        "{err}"
    );
    assert!(err.contains("--> signin-pages.toml:13:25"), "{err}");
    assert!(writes(&okta).is_empty());
}

#[test]
fn named_rules_and_per_environment_overrides() {
    let okta = org();
    let p = Project::with_page(WIDGET_PAGE).file(
        "signin-pages.toml",
        format!(
            "[project]\nname = \"t\"\n\n[kmsi]\npost_auth = \"allowed\"\nprompt_frequency = \"P30D\"\napp_policies = \"all\"\nrules = [\"Portal rule\"]\n\n[environments.dev]\norg_url = \"{0}\"\n\n[environments.dev.kmsi]\nprompt_frequency = \"P1W\"\n\n[environments.prod]\norg_url = \"{0}\"\n\n[[brands]]\nname = \"Acme\"\n",
            okta.url()
        ),
    );
    let out = run(&p, &["kmsi", "plan", "--env", "dev"]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    let text = stdout(&out);
    assert!(
        text.contains("postAuthPromptFrequency: (unset) → \"P1W\" (7 days)"),
        "{text}"
    );
    assert!(
        text.contains("rules: 1 to update"),
        "only the named rule: {text}"
    );
    let out = run(&p, &["kmsi", "plan", "--env", "prod"]);
    assert!(
        stdout(&out).contains("(unset) → \"P30D\" (30 days)"),
        "{}",
        stdout(&out)
    );
    // Applied in dev, prod's plan then sees 7 days where it wants 30.
    assert_eq!(code(&run(&p, &["kmsi", "apply", "--env", "dev"])), 0);
    let out = run(&p, &["kmsi", "plan", "--env", "prod"]);
    assert_eq!(code(&out), 2);
    assert!(
        stdout(&out).contains("postAuthPromptFrequency: \"PT168H\" (7 days) → \"P30D\" (30 days)"),
        "{}",
        stdout(&out)
    );
    assert_eq!(code(&run(&p, &["kmsi", "plan", "--env", "dev"])), 0);
}

#[test]
fn dry_run_writes_nothing() {
    let okta = org();
    let p = project(&okta, APP);
    let out = run(&p, &["kmsi", "apply", "--env", "prod", "--dry-run"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(
        stdout(&out).contains("dry run: nothing is written"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("\"NOT_ALLOWED\" → \"ALLOWED\""));
    assert!(writes(&okta).is_empty());
    assert!(!p.exists(".signin-pages"));
}

#[test]
fn rollback_restores_the_policy_rules_of_the_last_apply() {
    let okta = org();
    let p = project(&okta, APP);
    let before = rule_named(&okta, "Portal", "Portal rule");
    assert_eq!(code(&run(&p, &["kmsi", "apply", "--env", "prod"])), 0);
    assert_eq!(
        kmsi_of(&okta, "Portal", "Portal rule")["postAuth"],
        "ALLOWED"
    );
    let out = run(&p, &["rollback", "--env", "prod", "--policies"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(stdout(&out).contains("restored"), "{}", stdout(&out));
    let after = rule_named(&okta, "Portal", "Portal rule");
    assert_eq!(after["actions"], before["actions"]);
    assert_eq!(after["conditions"], before["conditions"]);
    assert_eq!(
        kmsi_of(&okta, "Kiosk", "Catch-all Rule"),
        json!({"postAuth": "NOT_ALLOWED"})
    );
    // What the rollback replaced is backed up too, as a run of its own.
    let b = p.backups("prod", "policies");
    assert_eq!(b.len(), 6);
    assert_eq!(b.iter().filter(|x| x["run"] == b[5]["run"]).count(), 3);
    assert_eq!(
        b[5]["body"]["actions"]["appSignOn"]["keepMeSignedIn"]["postAuth"],
        "ALLOWED"
    );
    // One file can be restored on its own: the plan then has that one rule to do.
    let one = b
        .iter()
        .find(|x| x["rule"] == "Portal rule" && x["run"] == b[5]["run"])
        .unwrap();
    let name = format!(
        "{}-{}-{}",
        one["run"].as_str().unwrap(),
        one["policyId"].as_str().unwrap(),
        one["ruleId"].as_str().unwrap()
    );
    let out = run(
        &p,
        &["rollback", "--env", "prod", "--policies", "--to", &name],
    );
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert_eq!(
        kmsi_of(&okta, "Portal", "Portal rule")["postAuth"],
        "ALLOWED"
    );
    let out = run(&p, &["kmsi", "plan", "--env", "prod"]);
    assert!(
        stdout(&out).contains("rules: 2 to update, 2 unchanged, 1 skipped"),
        "{}",
        stdout(&out)
    );
    // Brand rollback still needs its brand; --policies takes none.
    let out = run(
        &p,
        &["rollback", "--env", "prod", "--policies", "--brand", "Acme"],
    );
    assert_ne!(code(&out), 0);
    let out = run(
        &p,
        &["rollback", "--env", "prod", "--policies", "--to", "nope"],
    );
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("no policy-rule backup or run named `nope`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn reset_clears_a_users_sessions() {
    let okta = org();
    let ada = okta.add_user("ada@example.com");
    let p = project(&okta, APP);
    // Not interactive and no --yes: nothing is done.
    let out = run(
        &p,
        &[
            "kmsi",
            "reset",
            "--env",
            "prod",
            "--user",
            "ada@example.com",
        ],
    );
    assert_eq!(code(&out), 1, "{}", all(&out));
    assert!(stderr(&out).contains("pass --yes"), "{}", stderr(&out));
    assert!(okta.cleared_sessions().is_empty());

    let out = run(
        &p,
        &[
            "kmsi",
            "reset",
            "--env",
            "prod",
            "--user",
            "ada@example.com",
            "--revoke-tokens",
            "--yes",
        ],
    );
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(
        stdout(&out).contains(&format!(
            "cleared the sessions of ada@example.com ({ada}) and revoked their OAuth tokens"
        )),
        "{}",
        stdout(&out)
    );
    assert_eq!(okta.cleared_sessions(), vec![(ada.clone(), true)]);
    assert_eq!(
        okta.requests_matching(Some("DELETE"), "/sessions")[0].path,
        format!("/api/v1/users/{ada}/sessions?oauthTokens=true")
    );
    // By id, keeping the tokens.
    let out = run(
        &p,
        &["kmsi", "reset", "--env", "prod", "--user", &ada, "--yes"],
    );
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert_eq!(okta.cleared_sessions()[1], (ada, false));

    let out = run(
        &p,
        &[
            "kmsi",
            "reset",
            "--env",
            "prod",
            "--user",
            "nobody@example.com",
            "--yes",
        ],
    );
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("no user with the login or id `nobody@example.com`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(okta.cleared_sessions().len(), 2);
}

#[test]
fn pre_auth_is_explained_and_a_hidden_checkbox_is_flagged() {
    let okta = org();
    let page = WIDGET_PAGE.replace(
        "var config = OktaUtil.getSignInWidgetConfig();\n",
        "var config = OktaUtil.getSignInWidgetConfig();\nconfig.features = { showKeepMeSignedIn: false };\n",
    );
    let p = project(&okta, "[kmsi]\npre_auth = true\n").file("templates/sign-in.html", page);
    let out = run(&p, &["kmsi", "plan", "--env", "prod"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Pre-authentication KMSI (`pre_auth = true`) is an org setting with no API"),
        "{text}"
    );
    assert!(
        text.contains("  1. In the Admin Console, go to Security › General."),
        "{text}"
    );
    assert!(
        text.contains("3. Turn on \"Show option to stay signed in before users sign in\"."),
        "{text}"
    );
    assert!(
        stderr(&out).contains(
            "warning: templates/sign-in.html:12: the page hides the pre-authentication checkbox"
        ),
        "{}",
        stderr(&out)
    );
    let out = run(&p, &["kmsi", "plan", "--env", "prod", "--format", "json"]);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["preAuth"]["asked"], true);
    assert_eq!(
        doc["preAuth"]["hiddenCheckbox"],
        json!([{"file": "templates/sign-in.html", "line": 12}])
    );
    // Without pre_auth the checkbox is the page's business.
    p.write(
        "signin-pages.toml",
        p.read("signin-pages.toml")
            .replace("pre_auth = true", "pre_auth = false"),
    );
    let out = run(&p, &["kmsi", "plan", "--env", "prod"]);
    assert!(!stderr(&out).contains("hides"), "{}", stderr(&out));
    assert!(
        stdout(&out)
            .contains("3. Turn off \"Show option to stay signed in before users sign in\"."),
        "{}",
        stdout(&out)
    );
    assert!(writes(&okta).is_empty());
}

#[test]
fn an_environment_without_kmsi_has_nothing_to_do() {
    let okta = org();
    let p = project(&okta, "");
    let out = run(&p, &["kmsi", "plan", "--env", "prod"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(stderr(&out).contains("no [kmsi]"), "{}", stderr(&out));
    assert!(okta.requests().is_empty());
    let out = run(&p, &["kmsi", "plan", "--env", "staging"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("no environment named `staging`"),
        "{}",
        stderr(&out)
    );
}

/// A policy-rule backup exactly as earlier versions wrote it (by hand here) is listed
/// and restored by `rollback --policies`.
#[test]
fn a_rule_backup_written_by_an_earlier_version_is_restored() {
    let okta = org();
    let p = project(&okta, APP);
    let rule = rule_named(&okta, "Portal", "Portal rule");
    let pid = okta
        .policies("ACCESS_POLICY")
        .into_iter()
        .find(|x| x["name"] == "Portal")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let rid = rule["id"].as_str().unwrap().to_string();
    let mut then = rule.clone();
    then["actions"]["appSignOn"]["keepMeSignedIn"] = json!({"postAuth": "ALLOWED"});
    let run_id = "20250101T000000.000Z";
    let doc = json!({
        "environment": "prod", "run": run_id, "takenAt": run_id,
        "policyType": "ACCESS_POLICY", "policyId": pid, "policy": "Portal",
        "ruleId": rid, "rule": "Portal rule", "body": then
    });
    p.write(
        &format!(".signin-pages/backups/prod/policies/{run_id}-{pid}-{rid}.json"),
        serde_json::to_string_pretty(&doc).unwrap(),
    );
    let out = run(&p, &["rollback", "--env", "prod", "--policies"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(stdout(&out).contains("restored"), "{}", stdout(&out));
    assert_eq!(
        kmsi_of(&okta, "Portal", "Portal rule")["postAuth"],
        "ALLOWED"
    );
    let b = p.backups("prod", "policies");
    assert_eq!(b.len(), 2);
    assert_eq!(b[0], doc);
    assert_eq!(b[1]["body"]["id"], json!(rid));
    assert_eq!(b[1]["rule"], "Portal rule");
}
