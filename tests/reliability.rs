//! Reliability: `deploy`, `rollback` and `kmsi apply` against the fake Okta with 30% of
//! requests faulted (429, 500/503, reset connection, hang), killed mid-run (SIGINT,
//! SIGKILL), and secret hygiene at `-vv`. After every run: each brand is either written
//! exactly as built or untouched, every write has a backup of what the slot held, and
//! rerunning converges. Figures are printed (`cargo test reliability -- --nocapture`).

use std::collections::BTreeMap;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::fake_okta::FakeOkta;
use crate::support::*;

const BRANDS: usize = 50;
const MAX_RUNS: usize = 5;

fn brand(i: usize) -> String {
    format!("Brand{i:02}")
}

/// An org with `n` brands; every third brand already has a preview and a live page.
fn org(n: usize) -> FakeOkta {
    let okta = FakeOkta::start();
    okta.add_brand("Default", true);
    for i in 0..n {
        let id = okta.add_brand(&brand(i), false);
        if i % 3 == 0 {
            let old =
                json!({"pageContent": format!("<p>old preview {i}</p>"), "widgetVersion": "^7"});
            okta.set_sign_in(&id, "preview", Some(old));
            let live =
                json!({"pageContent": format!("<p>old live {i}</p>"), "widgetVersion": "^7"});
            okta.set_sign_in(&id, "customized", Some(live));
        }
    }
    okta
}

fn project(okta: &FakeOkta, n: usize) -> Project {
    let brands: Vec<String> = (0..n).map(brand).collect();
    let brands: Vec<&str> = brands.iter().map(String::as_str).collect();
    let p = Project::with_page(WIDGET_PAGE)
        .file("signin-pages.toml", org_toml(&okta.url(), &brands))
        .file("locales/en.toml", "[kmsi]\ntitle = \"Stay signed in?\"\n");
    assert_eq!(code(&p.run(&["build"])), 0);
    p
}

/// Quicker retries and timeouts than `command_with_token`'s: these runs meet hundreds of
/// faults.
fn command(p: &Project, args: &[&str]) -> Command {
    let mut c = command_with_token(p, args);
    c.env("SIGNIN_PAGES_RETRY_BASE_MS", "10")
        .env("SIGNIN_PAGES_TIMEOUT_MS", "500");
    c
}

fn run(p: &Project, args: &[&str]) -> Output {
    command(p, args).output().expect("run signin-pages")
}

fn built(p: &Project, i: usize) -> Value {
    p.read_json(&format!("dist/prod/{}/sign-in.json", brand(i)))
}

fn content(v: &Option<Value>) -> Value {
    v.as_ref().map_or(Value::Null, |v| v["pageContent"].clone())
}

/// What each brand's `slot` holds (pageContent; null: nothing).
fn snapshot(okta: &FakeOkta, slot: &str) -> BTreeMap<String, Value> {
    (0..BRANDS)
        .map(|i| {
            let id = okta.brand_id(&brand(i)).unwrap();
            (brand(i), content(&okta.sign_in(&id, slot)))
        })
        .collect()
}

/// Every brand's slot holds what was built or what it held before; where it changed, a
/// backup of that slot holds what it held before. Returns how many hold the build.
fn check_invariants(
    p: &Project,
    okta: &FakeOkta,
    slot: &str,
    before: &BTreeMap<String, Value>,
    untouched_slot: Option<(&str, &BTreeMap<String, Value>)>,
) -> usize {
    let now = snapshot(okta, slot);
    let mut done = 0;
    for i in 0..BRANDS {
        let b = brand(i);
        let want = built(p, i)["pageContent"].clone();
        let (had, has) = (&before[&b], &now[&b]);
        assert!(
            *has == want || has == had,
            "{b} {slot}: neither as built nor as before: {has}"
        );
        if *has == want {
            done += 1;
        }
        if has != had {
            let bk = p.backups("prod", &b);
            assert!(
                bk.iter()
                    .any(|x| x["slot"] == slot && x["body"]["pageContent"] == *had
                        || x["slot"] == slot && had.is_null() && x["body"].is_null()),
                "{b}: {slot} changed but no backup holds what it had ({had}); backups: {bk:?}"
            );
        }
    }
    if let Some((other, was)) = untouched_slot {
        assert_eq!(&snapshot(okta, other), was, "the {other} slots changed");
    }
    done
}

struct Figures {
    requests: usize,
    faults: usize,
    runs: usize,
}

fn figures(okta: &FakeOkta) -> (usize, usize) {
    let r = okta.requests();
    (r.len(), r.iter().filter(|r| r.fault.is_some()).count())
}

/// Rerun `args` until it exits 0 (at most MAX_RUNS times), checking the invariants after
/// every run.
fn converge(
    p: &Project,
    okta: &FakeOkta,
    args: &[&str],
    mut check: impl FnMut() -> usize,
) -> Figures {
    for run_no in 1..=MAX_RUNS {
        let out = run(p, args);
        let c = code(&out);
        assert!(c == 0 || c == 1, "exit {c}: {}", all(&out));
        assert!(!all(&out).contains("panicked"), "{}", all(&out));
        let done = check();
        if c == 0 {
            assert_eq!(done, BRANDS, "exit 0 but not every brand is as built");
            let (requests, faults) = figures(okta);
            return Figures {
                requests,
                faults,
                runs: run_no,
            };
        }
        // It names the brands not done, or (when even listing the brands failed) says so.
        assert!(
            stderr(&out).contains("not done for:") || stderr(&out).contains("error: "),
            "a failed run says what failed: {}",
            all(&out)
        );
    }
    panic!("{args:?} did not converge in {MAX_RUNS} runs");
}

#[test]
fn deploy_under_30_percent_faults_converges() {
    let okta = org(BRANDS);
    let p = project(&okta, BRANDS);
    let before_preview = snapshot(&okta, "preview");
    let before_live = snapshot(&okta, "customized");
    okta.fault_rate(30, 7);
    let f = converge(&p, &okta, &["deploy", "--env", "prod", "--preview"], || {
        check_invariants(
            &p,
            &okta,
            "preview",
            &before_preview,
            Some(("customized", &before_live)),
        )
    });
    println!(
        "deploy --preview, {BRANDS} brands, 30% faults: {} requests, {} faults injected, {BRANDS}/{BRANDS} brands converged in {} run(s)",
        f.requests, f.faults, f.runs
    );
    assert!(f.faults > 0);
    okta.clear_requests();
    let after_preview = snapshot(&okta, "preview");
    let f = converge(&p, &okta, &["deploy", "--env", "prod", "--publish"], || {
        check_invariants(
            &p,
            &okta,
            "customized",
            &before_live,
            Some(("preview", &after_preview)),
        )
    });
    println!(
        "deploy --publish, {BRANDS} brands, 30% faults: {} requests, {} faults injected, {BRANDS}/{BRANDS} brands converged in {} run(s)",
        f.requests, f.faults, f.runs
    );
    // Converged: a further run writes nothing, even with the faults still on.
    okta.clear_requests();
    let out = run(&p, &["deploy", "--env", "prod", "--publish"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(okta.requests().iter().all(|r| r.method != "PUT"));
}

#[test]
fn rollback_under_30_percent_faults_converges() {
    let okta = org(BRANDS);
    let p = project(&okta, BRANDS);
    let before = snapshot(&okta, "preview");
    assert_eq!(code(&run(&p, &["deploy", "--env", "prod", "--preview"])), 0);
    okta.fault_rate(30, 11);
    okta.clear_requests();
    let (mut runs, mut restored) = (0, 0);
    // Roll every brand back to the backup deploy took (named, so that a rerun after a
    // failure restores the same one).
    for i in 0..BRANDS {
        let b = brand(i);
        let first = p.backups("prod", &b);
        let dir = p.path().join(".signin-pages/backups/prod").join(&b);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(first.len(), 1);
        let id = okta.brand_id(&b).unwrap();
        let want = &before[&b];
        let mut ok = false;
        for _ in 0..MAX_RUNS {
            runs += 1;
            let out = run(
                &p,
                &[
                    "rollback", "--env", "prod", "--brand", &b, "--to", &names[0],
                ],
            );
            let c = code(&out);
            assert!(c == 0 || c == 1, "{}", all(&out));
            assert!(!all(&out).contains("panicked"));
            let has = content(&okta.sign_in(&id, "preview"));
            let built = built(&p, i)["pageContent"].clone();
            assert!(has == *want || has == built, "{b}: {has}");
            // Every rollback attempt that wrote backed up what was there first.
            if has == *want && *want != built {
                assert!(
                    p.backups("prod", &b)
                        .iter()
                        .any(|x| x["body"]["pageContent"] == built),
                    "{b}: no backup of the built page before the rollback"
                );
            }
            if c == 0 {
                assert_eq!(has, *want, "{b}: exit 0 but not restored");
                ok = true;
                break;
            }
        }
        assert!(ok, "rollback of {b} did not converge");
        restored += 1;
    }
    let (requests, faults) = figures(&okta);
    println!(
        "rollback, {BRANDS} brands, 30% faults: {requests} requests, {faults} faults injected, {restored}/{BRANDS} brands restored in {runs} runs"
    );
    assert_eq!(snapshot(&okta, "preview"), before);
}

/// Known bug (src/cmd/rollback.rs, outside this change's scope): `rollback` without
/// `--to` backs up the current page before writing; when the write then fails, that new
/// backup is the latest, so rerunning the same command "restores" the current page and
/// reports success without undoing anything.
#[test]
fn bare_rollback_rerun_after_a_failure_restores_the_previous_page() {
    let okta = org(1);
    let p = Project::with_page(WIDGET_PAGE).file(
        "signin-pages.toml",
        format!(
            "[project]\nname = \"t\"\n[widget]\nversion = \"^7\"\n[environments.prod]\norg_url = \"{}\"\n[[brands]]\nname = \"Brand00\"\n",
            okta.url()
        ),
    );
    let id = okta.brand_id("Brand00").unwrap();
    let before = content(&okta.sign_in(&id, "preview"));
    assert_eq!(code(&run(&p, &["deploy", "--env", "prod", "--preview"])), 0);
    okta.fail_next(
        ("PUT", "/pages/sign-in/preview"),
        crate::support::fake_okta::Fault::Status(
            400,
            json!({"errorCode": "E0000001", "errorSummary": "no"}),
        ),
    );
    assert_eq!(
        code(&run(
            &p,
            &["rollback", "--env", "prod", "--brand", "Brand00"]
        )),
        1
    );
    assert_eq!(
        code(&run(
            &p,
            &["rollback", "--env", "prod", "--brand", "Brand00"]
        )),
        0
    );
    assert_eq!(content(&okta.sign_in(&id, "preview")), before);
}

/// Spawn a deploy, wait for some PUTs, kill it, then check and converge.
fn killed_mid_deploy(sigint: bool) {
    let okta = org(BRANDS);
    let p = project(&okta, BRANDS);
    let before = snapshot(&okta, "preview");
    let before_live = snapshot(&okta, "customized");
    // Slow enough to be caught mid-run: a few hangs, and some 500s.
    okta.fault_rate(20, 3);
    let mut child = command(&p, &["deploy", "--env", "prod", "--preview", "-vv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        let puts = okta
            .requests()
            .iter()
            .filter(|r| r.method == "PUT" && r.status == Some(200))
            .count();
        if puts >= 8 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "no PUTs seen");
        std::thread::sleep(Duration::from_millis(5));
    }
    if sigint {
        let s = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(s.success());
    } else {
        child.kill().unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success(), "the deploy finished before the kill");
    assert!(!all(&out).contains("panicked"), "{}", all(&out));
    // Let requests in flight land, then check.
    std::thread::sleep(Duration::from_millis(700));
    let written = check_invariants(
        &p,
        &okta,
        "preview",
        &before,
        Some(("customized", &before_live)),
    );
    // No temporary files left where a rerun would read them as backups.
    for (rel, bytes) in tree(&p.path().join(".signin-pages")) {
        if rel.ends_with(".json") {
            assert!(
                serde_json::from_slice::<Value>(&bytes).is_ok(),
                "{rel} is torn"
            );
        }
    }
    let f = converge(&p, &okta, &["deploy", "--env", "prod", "--preview"], || {
        check_invariants(
            &p,
            &okta,
            "preview",
            &before,
            Some(("customized", &before_live)),
        )
    });
    println!(
        "deploy killed by {} after {written}/{BRANDS} brands written; {} requests, {} faults injected in all, converged after {} rerun(s)",
        if sigint { "SIGINT" } else { "SIGKILL" },
        f.requests,
        f.faults,
        f.runs
    );
}

#[test]
fn deploy_killed_by_sigint_converges() {
    killed_mid_deploy(true);
}

#[test]
fn deploy_killed_by_sigkill_converges() {
    killed_mid_deploy(false);
}

// --- kmsi apply ---------------------------------------------------------------------------

const POLICIES: usize = 12;

fn kmsi_org() -> FakeOkta {
    let okta = FakeOkta::start();
    for i in 0..POLICIES {
        let pid = okta.add_policy("ACCESS_POLICY", &format!("App{i:02}"));
        okta.add_rule(
            &pid,
            json!({
                "name": format!("App{i:02} rule"), "priority": 0,
                "actions": {"appSignOn": {
                    "access": "ALLOW",
                    "verificationMethod": {"factorMode": "2FA", "type": "ASSURANCE", "reauthenticateIn": "PT2H"},
                    "keepMeSignedIn": {"postAuth": "NOT_ALLOWED"}
                }}
            }),
        );
    }
    okta
}

fn kmsi_rules(okta: &FakeOkta) -> BTreeMap<String, Value> {
    okta.policies("ACCESS_POLICY")
        .into_iter()
        .flat_map(|p| {
            let pid = p["id"].as_str().unwrap().to_string();
            okta.rules(&pid)
                .into_iter()
                .map(move |r| (format!("{pid}/{}", r["id"].as_str().unwrap()), r))
        })
        .collect()
}

#[test]
fn kmsi_apply_under_30_percent_faults_converges() {
    let okta = kmsi_org();
    let names: Vec<String> = (0..POLICIES).map(|i| format!("\"App{i:02}\"")).collect();
    let p = Project::with_page(WIDGET_PAGE).file(
        "signin-pages.toml",
        format!(
            "[project]\nname = \"t\"\n\n[environments.prod]\norg_url = \"{}\"\n\n[[brands]]\nname = \"Acme\"\n\n[kmsi]\npost_auth = \"allowed\"\nprompt_frequency = \"P30D\"\napp_policies = [{}]\nrules = \"all\"\n",
            okta.url(),
            names.join(", ")
        ),
    );
    let before = kmsi_rules(&okta);
    okta.fault_rate(30, 5);
    let mut runs = 0;
    let mut converged = false;
    for _ in 0..MAX_RUNS {
        runs += 1;
        let out = run(&p, &["kmsi", "apply", "--env", "prod"]);
        let c = code(&out);
        assert!(c == 0 || c == 1, "exit {c}: {}", all(&out));
        assert!(!all(&out).contains("panicked"), "{}", all(&out));
        let now = kmsi_rules(&okta);
        assert_eq!(now.len(), before.len(), "rules appeared or vanished");
        let dir = p.path().join(".signin-pages/backups/prod/policies");
        let saved: Vec<Value> = tree(&dir)
            .iter()
            .map(|(_, b)| serde_json::from_slice(b).unwrap())
            .collect();
        let mut done = 0;
        for (k, had) in &before {
            let has = &now[k];
            let kmsi = &has["actions"]["appSignOn"]["keepMeSignedIn"];
            let asked = kmsi["postAuth"] == "ALLOWED";
            assert!(
                asked || has == had,
                "{k}: neither as asked nor untouched: {has}"
            );
            if asked {
                done += 1;
                // Nothing else of the rule was lost.
                let mut rest = has.clone();
                let mut was = had.clone();
                for v in [&mut rest, &mut was] {
                    v["actions"]["appSignOn"]["keepMeSignedIn"] = Value::Null;
                    v.as_object_mut().unwrap().remove("lastUpdated");
                }
                assert_eq!(rest, was, "{k}: other fields changed");
                let text = serde_json::to_string(&saved).unwrap();
                assert!(
                    text.contains(had["id"].as_str().unwrap()),
                    "{k} changed without a backup"
                );
            }
        }
        if c == 0 {
            assert_eq!(done, before.len());
            converged = true;
            break;
        }
    }
    assert!(converged, "kmsi apply did not converge in {MAX_RUNS} runs");
    let (requests, faults) = figures(&okta);
    println!(
        "kmsi apply, {POLICIES} ACCESS_POLICY policies, 30% faults: {requests} requests, {faults} faults injected, {n}/{n} rules converged in {runs} run(s)",
        n = before.len()
    );
}

// --- secret hygiene ---------------------------------------------------------------------

const KNOWN: &str = "00SECRET-hygiene-token-Zq81xWv";

#[test]
fn no_command_prints_or_writes_the_token() {
    let okta = FakeOkta::start_with_token(KNOWN);
    okta.add_brand("Default", true);
    okta.add_brand("Acme", false);
    let pid = okta.add_policy("ACCESS_POLICY", "Portal");
    okta.add_rule(
        &pid,
        json!({"name": "Portal rule", "priority": 0, "actions": {"appSignOn": {"access": "ALLOW",
            "verificationMethod": {"factorMode": "2FA", "type": "ASSURANCE", "reauthenticateIn": "PT2H"},
            "keepMeSignedIn": {"postAuth": "NOT_ALLOWED"}}}}),
    );
    okta.add_user("ann@example.com");
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("proj");
    let mut outputs: Vec<(String, Output)> = Vec::new();
    let mut go = |args: &[&str], extra: &[(&str, &str)]| {
        let mut c = Command::new(BIN);
        c.args(args)
            .arg("-vv")
            .arg("--project")
            .arg(&dir)
            .arg("--color")
            .arg("never")
            .env("OKTA_API_TOKEN", KNOWN)
            .env_remove("OKTA_CLIENT_TOKEN")
            .env_remove("OKTA_CLIENT_ORGURL")
            .env("RUST_BACKTRACE", "1")
            .env("SIGNIN_PAGES_RETRY_BASE_MS", "5")
            .env("SIGNIN_PAGES_TIMEOUT_MS", "400");
        for (k, v) in extra {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        outputs.push((args.join(" "), out));
    };
    go(&["init", dir.to_str().unwrap()], &[]);
    let toml = std::fs::read_to_string(dir.join("signin-pages.toml")).unwrap();
    // Point the starter's environments at the fake; add KMSI.
    let mut t = String::new();
    for line in toml.lines() {
        if line.trim_start().starts_with("org_url") {
            t.push_str(&format!("org_url = \"{}\"\n", okta.url()));
        } else {
            t.push_str(line);
            t.push('\n');
        }
    }
    if !t.contains("[kmsi]") {
        t.push_str("\n[kmsi]\npost_auth = \"allowed\"\nprompt_frequency = \"P30D\"\napp_policies = [\"Portal\"]\nrules = \"all\"\n");
    }
    std::fs::write(dir.join("signin-pages.toml"), &t).unwrap();
    let envs: Vec<String> = t
        .lines()
        .filter_map(|l| {
            l.strip_prefix("[environments.")?
                .strip_suffix(']')
                .map(String::from)
        })
        .filter(|e| !e.contains('.'))
        .collect();
    let env = envs.first().cloned().unwrap_or_else(|| "prod".into());
    let brand = t
        .lines()
        .skip_while(|l| l.trim() != "[[brands]]")
        .find_map(|l| {
            l.trim()
                .strip_prefix("name = \"")?
                .strip_suffix('"')
                .map(String::from)
        })
        .unwrap_or_else(|| "Acme".into());
    okta.add_brand(&brand, false);
    let e = env.as_str();
    let b = brand.as_str();
    let remote_cmds: Vec<Vec<&str>> = vec![
        vec!["diff", "--env", e],
        vec!["deploy", "--env", e, "--preview", "--dry-run"],
        vec!["deploy", "--env", e, "--preview"],
        vec!["deploy", "--env", e, "--publish", "--dry-run"],
        vec!["deploy", "--env", e, "--publish", "--yes", "--allow-reset"],
        vec!["pull", "--env", e, "--brand", b],
        vec!["backups", "list"],
        vec!["rollback", "--env", e, "--brand", b],
        vec!["kmsi", "plan", "--env", e],
        vec!["kmsi", "apply", "--env", e],
        vec!["kmsi", "reset", "--env", e, "--user", "ann@example.com"],
        vec!["rollback", "--env", e, "--policies"],
    ];
    for a in [
        &["build"][..],
        &["check"],
        &["test"],
        &["test", "--accept"],
        &["explain"],
        &["explain", "C001"],
    ] {
        go(a, &[]);
    }
    for a in &remote_cmds {
        go(a, &[]);
    }
    // Through failures: every request faulted, Okta refusing with 401, then a bad config.
    okta.fault_rate(100, 9);
    for a in &remote_cmds {
        go(a, &[]);
    }
    okta.clear_faults();
    okta.fault_rate_with(
        100,
        1,
        vec![crate::support::fake_okta::Fault::Status(
            401,
            json!({"errorCode": "E0000011", "errorSummary": "Invalid token provided"}),
        )],
        crate::support::fake_okta::Matcher::any(),
        None,
    );
    for a in &remote_cmds {
        go(a, &[]);
    }
    okta.clear_faults();
    go(
        &["deploy", "--env", e, "--preview"],
        &[("OKTA_CLIENT_ORGURL", "http://127.0.0.1:1")],
    );
    std::fs::write(
        dir.join("signin-pages.toml"),
        format!("{t}\n[environments.broken]\norg_url = \"ftp://broken.example\"\n"),
    )
    .unwrap();
    go(&["deploy", "--env", "broken", "--preview"], &[]);
    go(&["check"], &[]);
    std::fs::write(dir.join("signin-pages.toml"), "[project\nname = ").unwrap();
    for a in &remote_cmds {
        go(a, &[]);
    }
    go(&["build"], &[]);
    std::fs::write(dir.join("signin-pages.toml"), &t).unwrap();

    let mut leaks = Vec::new();
    let mut panics = Vec::new();
    for (what, out) in &outputs {
        let text = all(out);
        if text.contains(KNOWN) {
            leaks.push(format!("output of `{what}`"));
        }
        if text.contains("panicked") || out.status.code().is_none_or(|c| c > 2) {
            panics.push(format!("`{what}` (exit {:?}): {text}", out.status.code()));
        }
    }
    for (rel, bytes) in tree(root.path()) {
        if String::from_utf8_lossy(&bytes).contains(KNOWN) {
            leaks.push(format!("file {rel}"));
        }
    }
    println!(
        "secret hygiene: {} command runs at -vv, {} files checked, {} requests to the fake",
        outputs.len(),
        tree(root.path()).len(),
        okta.requests().len()
    );
    assert!(panics.is_empty(), "panics: {panics:#?}");
    assert!(leaks.is_empty(), "the token leaked into: {leaks:?}");
    // The token did reach Okta (the commands really talked to it).
    assert!(okta.requests_text().contains(KNOWN));
}

#[test]
fn secret_debug_and_display_are_redacted() {
    use signin_pages::okta::{Credentials, Secret};
    let s = Secret::new(KNOWN);
    assert!(!format!("{s:?} {s}").contains(KNOWN));
    let c = Credentials::ApiToken {
        token: s.clone(),
        source: "x".into(),
    };
    assert!(!format!("{c:?}").contains(KNOWN));
    let k = Credentials::ServiceApp {
        client_id: "c".into(),
        key: Secret::new("-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----"),
        key_id: None,
        scopes: vec![],
        source: "x".into(),
    };
    assert!(!format!("{k:?}").contains("MIIEv"));
}

/// Harsher than the 30% (which the retries absorb in one run): at 50%, some
/// brands fail after their retries; the run exits 1 naming them, and a rerun with the
/// faults off converges.
#[test]
fn deploy_under_50_percent_faults_fails_cleanly_then_converges() {
    let okta = org(BRANDS);
    let p = project(&okta, BRANDS);
    let before_preview = snapshot(&okta, "preview");
    let before_live = snapshot(&okta, "customized");
    okta.fault_rate(50, 21);
    // Two runs with the faults on: each exits 1 naming what failed (every brand is read
    // again each run, so with 50 brands some request nearly always exhausts its retries).
    let mut failed_runs = 0;
    for _ in 0..2 {
        let out = run(&p, &["deploy", "--env", "prod", "--preview"]);
        assert!(matches!(code(&out), 0 | 1), "{}", all(&out));
        assert!(!all(&out).contains("panicked"));
        failed_runs += usize::from(code(&out) == 1);
        check_invariants(
            &p,
            &okta,
            "preview",
            &before_preview,
            Some(("customized", &before_live)),
        );
    }
    let (faulty_requests, faults) = figures(&okta);
    okta.clear_faults();
    let f = converge(&p, &okta, &["deploy", "--env", "prod", "--preview"], || {
        check_invariants(
            &p,
            &okta,
            "preview",
            &before_preview,
            Some(("customized", &before_live)),
        )
    });
    println!(
        "deploy --preview, {BRANDS} brands, 50% faults: 2 runs with faults ({failed_runs} exited 1): {faulty_requests} requests, {faults} faults injected; faults off: {BRANDS}/{BRANDS} brands converged in {} more run(s), {} requests in all",
        f.runs, f.requests
    );
}
