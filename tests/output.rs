//! Machine-readable output (issue 15): `diff --format json|markdown`, `deploy --format
//! json`, `kmsi plan|apply --format json`, against the fake Okta on a real socket. Each
//! document is checked against its JSON Schema under `book/src/reference/schema/` (the
//! documented contract) and pinned whole by a snapshot with its volatile values redacted.

use serde_json::{Value, json};

use crate::support::fake_okta::{FakeOkta, Fault};
use crate::support::run_with_token as run;
use crate::support::*;

/// A project over the fake org with brands Acme and Beta (KMSI title set); Acme also
/// manages its theme colours and a sign-out page.
fn project(okta: &FakeOkta) -> Project {
    let toml = org_toml(&okta.url(), &["Acme", "Beta"]).replace(
        "[[brands]]\nname = \"Beta\"\n",
        "[brands.theme]\nprimary_color = \"#0f5c45\"\n[brands.sign_out]\nurl = \"https://www.acme.example/signed-out\"\n[[brands]]\nname = \"Beta\"\n",
    );
    Project::with_page(WIDGET_PAGE)
        .file("signin-pages.toml", toml)
        .file("locales/en.toml", "[kmsi]\ntitle = \"Stay signed in?\"\n")
}

fn org() -> FakeOkta {
    FakeOkta::start().with_brands(&["Acme", "Beta"])
}

/// stdout as the one JSON document it must be, checked against the JSON Schema its
/// `schema` member names (`signin-pages/diff/v1` → `book/src/reference/schema/diff.v1.json`).
fn doc(out: &std::process::Output) -> Value {
    let d: Value = serde_json::from_str(&stdout(out))
        .unwrap_or_else(|e| panic!("not one JSON document ({e}):\n{}", all(out)));
    let name = d["schema"].as_str().expect("a schema member");
    let schema = schema_of(name);
    let mut errors = Vec::new();
    validate(&schema, &schema, &d, "$", &mut errors);
    assert!(
        errors.is_empty(),
        "{name}: the document breaks its documented schema:\n{}\n{d:#}",
        errors.join("\n")
    );
    d
}

/// The JSON Schema of `signin-pages/<command>/v<N>`.
fn schema_of(name: &str) -> Value {
    let rest = name.strip_prefix("signin-pages/").expect("signin-pages/…");
    let (command, version) = rest.rsplit_once('/').expect("<command>/<version>");
    let path = repo().join(format!(
        "book/src/reference/schema/{command}.{version}.json"
    ));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A small JSON Schema check: the keywords our schema files use, and a failure on any
/// other, so that no constraint written there is silently skipped.
fn validate(root: &Value, s: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let s = s.as_object().expect("a schema is an object");
    for (k, x) in s {
        match k.as_str() {
            "$schema" | "title" | "description" | "$defs" => {}
            "$ref" => {
                let name = x
                    .as_str()
                    .unwrap()
                    .strip_prefix("#/$defs/")
                    .expect("a local $ref");
                validate(root, &root["$defs"][name], v, at, errors);
            }
            "type" => {
                let types: Vec<&str> = match x {
                    Value::String(t) => vec![t.as_str()],
                    other => other
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t.as_str().unwrap())
                        .collect(),
                };
                let ok = types.iter().any(|t| match *t {
                    "null" => v.is_null(),
                    "string" => v.is_string(),
                    "boolean" => v.is_boolean(),
                    "integer" => v.is_u64() || v.is_i64(),
                    "number" => v.is_number(),
                    "array" => v.is_array(),
                    "object" => v.is_object(),
                    other => panic!("type {other}"),
                });
                if !ok {
                    errors.push(format!("{at}: {v} is not {types:?}"));
                }
            }
            "const" if v != x => errors.push(format!("{at}: {v} is not {x}")),
            "enum" if !x.as_array().unwrap().contains(v) => {
                errors.push(format!("{at}: {v} is not one of {x}"))
            }
            "minimum" if v.as_f64().is_some_and(|n| n < x.as_f64().unwrap()) => {
                errors.push(format!("{at}: {v} < {x}"))
            }
            "const" | "enum" | "minimum" => {}
            "required" => {
                for key in x.as_array().unwrap() {
                    let key = key.as_str().unwrap();
                    if v.is_object() && v.get(key).is_none() {
                        errors.push(format!("{at}: `{key}` is missing"));
                    }
                }
            }
            "additionalProperties" => {
                assert_eq!(x, &Value::Bool(false), "only `false` is used");
                if let Some(m) = v.as_object() {
                    for key in m.keys() {
                        if s["properties"].get(key).is_none() {
                            errors.push(format!("{at}: `{key}` is not in the schema"));
                        }
                    }
                }
            }
            "properties" => {
                if let Some(m) = v.as_object() {
                    for (key, sub) in x.as_object().unwrap() {
                        if let Some(val) = m.get(key) {
                            validate(root, sub, val, &format!("{at}.{key}"), errors);
                        }
                    }
                }
            }
            "items" => {
                for (i, item) in v.as_array().into_iter().flatten().enumerate() {
                    validate(root, x, item, &format!("{at}[{i}]"), errors);
                }
            }
            "oneOf" => {
                let fits = x
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|sub| {
                        let mut e = Vec::new();
                        validate(root, sub, v, at, &mut e);
                        e.is_empty()
                    })
                    .count();
                if fits != 1 {
                    errors.push(format!("{at}: {v} fits {fits} of oneOf"));
                }
            }
            other => panic!("the schema uses `{other}`, which this check does not know"),
        }
    }
}

#[test]
fn the_schema_check_catches_a_missing_an_extra_and_a_wrong_member() {
    let schema = schema_of("signin-pages/diff/v1");
    let good = json!({"schema": "signin-pages/diff/v1", "environment": "prod", "against": "live", "status": "equal", "changed": false, "targets": [], "partsCompared": true, "parts": [], "preflight": [], "errors": []});
    let mut e = Vec::new();
    validate(&schema, &schema, &good, "$", &mut e);
    assert!(e.is_empty(), "{e:?}");
    let mut bad = good.clone();
    bad.as_object_mut().unwrap().remove("changed");
    bad["extra"] = json!(1);
    bad["against"] = json!("staging");
    bad["targets"] = json!([{"brand": "Acme", "page": "sign-in", "status": "equal", "fields": [{"field": "x", "old": 1, "new": 2, "diff": 3, "reset": false}], "error": null}]);
    let mut e = Vec::new();
    validate(&schema, &schema, &bad, "$", &mut e);
    assert_eq!(e.len(), 4, "{e:#?}");
}

/// `d` with what changes from run to run redacted: backup paths and file names
/// (timestamps), policy and rule ids, the fake org's port.
fn redacted(d: &Value) -> Value {
    match d {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let v = match k.as_str() {
                        "backup" | "policyId" | "ruleId" if !v.is_null() => json!(format!("[{k}]")),
                        _ => redacted(v),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(redacted).collect()),
        Value::String(s) if s.contains(".json") => json!(
            s.split(' ')
                .map(|w| if w.ends_with(".json") {
                    "[file].json"
                } else {
                    w
                })
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Value::String(s) if s.contains("127.0.0.1:") => {
            let re: String = s
                .split("127.0.0.1:")
                .enumerate()
                .map(|(i, part)| {
                    if i == 0 {
                        part.to_string()
                    } else {
                        "127.0.0.1:[port]".to_string()
                            + part.trim_start_matches(|c: char| c.is_ascii_digit())
                    }
                })
                .collect();
            json!(re)
        }
        other => other.clone(),
    }
}

fn find<'a>(list: &'a Value, key: &str, brand: &str, what: &str) -> &'a Value {
    list.as_array()
        .expect("a list")
        .iter()
        .find(|x| x["brand"] == brand && x[key] == what)
        .unwrap_or_else(|| panic!("no {brand} / {what} in {list:#}"))
}

fn field<'a>(item: &'a Value, name: &str) -> &'a Value {
    item["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["field"] == name)
        .unwrap_or_else(|| panic!("no field {name} in {item:#}"))
}

#[test]
fn diff_json_names_every_field_that_differs_per_brand_and_page() {
    let okta = org();
    let p = project(&okta);
    assert_eq!(code(&run(&p, &["deploy", "--env", "prod", "--preview"])), 0);
    let args = [
        "diff",
        "--env",
        "prod",
        "--against",
        "preview",
        "--format",
        "json",
    ];
    let out = run(&p, &args);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let d = doc(&out);
    assert_eq!(d["schema"], "signin-pages/diff/v1");
    assert_eq!(d["status"], "equal");
    assert_eq!(d["changed"], false);
    assert_eq!(d["partsCompared"], false);

    p.write(
        "templates/sign-in.html",
        WIDGET_PAGE.replace("<p>{{ brand.name }}</p>", "<p>Hi {{ brand.name }}</p>"),
    );
    p.write("locales/en.toml", "[kmsi]\ntitle = \"Remember me?\"\n");
    let out = run(&p, &args);
    assert_eq!(code(&out), 2, "{}", all(&out));
    let d = doc(&out);
    assert_eq!(
        (d["status"].clone(), d["changed"].clone()),
        (json!("different"), json!(true))
    );
    for brand in ["Acme", "Beta"] {
        let t = find(&d["targets"], "page", brand, "sign-in");
        assert_eq!(t["status"], "different");
        let page = field(t, "pageContent");
        let diff = page["diff"].as_str().unwrap();
        assert!(
            diff.contains(&format!("-<p>{brand}</p>"))
                && diff.contains(&format!("+<p>Hi {brand}</p>")),
            "{diff}"
        );
        assert_eq!(
            page["new"]["bytes"],
            page["old"]["bytes"].as_u64().unwrap() + 3
        );
        assert_eq!(page["reset"], false);
        let title = field(t, "widgetCustomizations.postAuthKeepMeSignedInPrompt.title");
        assert_eq!(title["old"], "Stay signed in?");
        assert_eq!(title["new"], "Remember me?");
        assert_eq!(title["diff"], Value::Null);
    }
    insta::assert_json_snapshot!("diff_json", redacted(&d));

    // Against live: the slot is empty, and the parts are compared.
    let out = run(&p, &["diff", "--env", "prod", "--format", "json"]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    let d = doc(&out);
    assert_eq!(d["against"], "live");
    assert_eq!(
        find(&d["targets"], "page", "Beta", "sign-in")["status"],
        "missing-remote"
    );
    assert_eq!(d["partsCompared"], true);
    let theme = find(&d["parts"], "part", "Acme", "theme");
    assert_eq!(theme["status"], "different");
    assert_eq!(field(theme, "primaryColorHex")["new"], "#0f5c45");
    assert_eq!(
        find(&d["parts"], "part", "Acme", "sign-out")["status"],
        "different"
    );
}

#[test]
fn diff_json_says_what_could_not_be_read_and_exits_1() {
    let okta = org();
    let p = project(&okta);
    let beta = okta.brand_id("Beta").unwrap();
    okta.fail_next(
        ("GET", &*format!("{beta}/pages/sign-in/customized")),
        Fault::Status(403, json!({"errorCode": "E0000006", "errorSummary": "You do not have permission to perform the requested action", "errorId": "oaeNOPE", "errorCauses": []})),
    );
    let out = run(&p, &["diff", "--env", "prod", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    let d = doc(&out);
    assert_eq!(d["status"], "error");
    let t = find(&d["targets"], "page", "Beta", "sign-in");
    assert_eq!(t["status"], "error");
    assert!(t["error"].as_str().unwrap().contains("E0000006"), "{t:#}");
    assert_eq!(
        find(&d["targets"], "page", "Acme", "sign-in")["status"],
        "missing-remote"
    );
}

/// The lines of `md` outside its fenced code blocks.
fn outside_fences(md: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for line in md.lines() {
        match &fence {
            Some(f) if line == f => fence = None,
            Some(_) => {}
            None if line.starts_with("```") => {
                fence = Some(line.chars().take_while(|c| *c == '`').collect());
            }
            None => out.push(line),
        }
    }
    assert!(fence.is_none(), "a fence is left open:\n{md}");
    out
}

/// The cells of a table row: split at the `|` not escaped by a backslash.
fn cells(row: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in row.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
    }
    n - 1
}

#[test]
fn diff_markdown_is_a_job_summary_no_org_content_can_break() {
    let okta = org();
    let p = project(&okta);
    let acme = okta.brand_id("Acme").unwrap();
    let hostile = "<html>\n````\n</details><img src=x onerror=alert(1)>\n`````\n```diff\n</html>\n";
    okta.set_sign_in(
        &acme,
        "customized",
        Some(json!({
            "pageContent": hostile,
            "widgetVersion": "^7",
            "widgetCustomizations": {"widgetGeneration": "G3", "postAuthKeepMeSignedInPrompt": {"title": "a | b\n<script>x</script> [link](https://evil.example) `c` *d*"}}
        })),
    );
    let out = run(
        &p,
        &[
            "diff", "--env", "prod", "--brand", "Acme", "--format", "markdown",
        ],
    );
    assert_eq!(code(&out), 2, "{}", all(&out));
    let md = stdout(&out);
    assert!(
        md.starts_with("## signin-pages diff: prod against live\n"),
        "{md}"
    );
    // The page's diff is in one block whose fence is longer than any backtick run in it.
    assert!(md.contains("\n``````diff\n"), "{md}");
    assert!(
        md.contains("\n-</details><img src=x onerror=alert(1)>\n"),
        "{md}"
    );
    insta::assert_snapshot!("diff_markdown_hostile", md);
    let text = outside_fences(&md);
    for line in &text {
        let without_ours = line.replace("<br>", "");
        assert!(
            !without_ours.contains('<'),
            "markup outside a code block: {line}\n{md}"
        );
        assert!(
            !line.contains("](") || line.contains("\\]\\("),
            "a link: {line}"
        );
    }
    // Every table row has its four cells: no `|` or newline from the org splits one.
    let rows: Vec<_> = text.iter().filter(|l| l.starts_with('|')).collect();
    assert!(rows.len() >= 4, "{md}");
    for r in &rows {
        assert_eq!(cells(r), 4, "{r}\n{md}");
    }
    let title = rows
        .iter()
        .find(|r| r.contains("postAuthKeepMeSignedInPrompt.title"))
        .unwrap();
    assert!(
        title.contains("a \\| b\\\\n&lt;script&gt;x&lt;/script&gt; \\[link\\]\\(https://evil.example\\) \\`c\\` \\*d\\*"),
        "{title}"
    );

    // Okta's error, several lines, on one line of the summary.
    okta.fail_next(
        ("GET", &*format!("{acme}/pages/sign-in/customized")),
        Fault::Status(400, json!({"errorCode": "E0000001", "errorSummary": "bad\n# Heading <b>x</b>", "errorId": "oaeX", "errorCauses": [{"errorSummary": "| a | b |"}]})),
    );
    let out = run(
        &p,
        &[
            "diff", "--env", "prod", "--brand", "Acme", "--format", "markdown",
        ],
    );
    assert_eq!(code(&out), 1, "{}", all(&out));
    let md = stdout(&out);
    let line = md
        .lines()
        .find(|l| l.starts_with("- **sign-in**: not read: "))
        .expect(&md);
    assert!(
        line.contains("E0000001")
            && line.contains("\\# Heading &lt;b&gt;x&lt;/b&gt;")
            && line.contains("\\| a \\| b \\|"),
        "{line}"
    );
    assert!(
        md.lines()
            .filter(|l| l.starts_with('#'))
            .all(|l| l.starts_with("## signin-pages") || l == "### Acme"),
        "{md}"
    );
    for r in md.lines().filter(|l| l.starts_with('|')) {
        assert_eq!(cells(r), 4, "{r}\n{md}");
    }

    // Equal: one line says so.
    assert_eq!(
        code(&run(
            &p,
            &[
                "deploy",
                "--env",
                "prod",
                "--publish",
                "--yes",
                "--allow-reset"
            ]
        )),
        0
    );
    let out = run(&p, &["diff", "--env", "prod", "--format", "markdown"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert_eq!(
        stdout(&out),
        "## signin-pages diff: prod against live\n\nNo differences: the org holds what the project builds.\n"
    );
}

#[test]
fn deploy_json_reports_each_write_its_backup_and_what_changed() {
    let okta = org();
    let p = project(&okta);
    let acme = okta.brand_id("Acme").unwrap();
    let out = run(
        &p,
        &["deploy", "--env", "prod", "--preview", "--format", "json"],
    );
    assert_eq!(code(&out), 0, "{}", all(&out));
    let d = doc(&out);
    assert_eq!(d["schema"], "signin-pages/deploy/v1");
    assert_eq!(
        (d["mode"].clone(), d["dryRun"].clone()),
        (json!("preview"), json!(false))
    );
    assert_eq!(d["outcome"], "written");
    assert_eq!(d["stopped"], Value::Null);
    assert_eq!(d["partsLeft"], true);
    for brand in ["Acme", "Beta"] {
        let t = find(&d["targets"], "page", brand, "sign-in");
        assert_eq!(
            (t["outcome"].clone(), t["written"].clone()),
            (json!("written"), json!(true))
        );
        let backup = t["backup"].as_str().unwrap();
        assert!(
            backup.starts_with(&format!(".signin-pages/backups/prod/{brand}/")),
            "{backup}"
        );
        assert!(p.exists(backup), "{backup}");
        // The slot was empty: every field is new.
        let page = field(t, "pageContent");
        assert_eq!(page["old"], Value::Null);
        assert!(
            page["diff"]
                .as_str()
                .unwrap()
                .contains(&format!("+<p>{brand}</p>"))
        );
    }
    let urls = d["previewUrls"].as_array().unwrap();
    assert_eq!(urls.len(), 2, "{urls:?}");
    assert!(urls[0]["url"].as_str().unwrap().ends_with("/login/preview"));
    // Again: unchanged, nothing written.
    let d = doc(&run(
        &p,
        &["deploy", "--env", "prod", "--preview", "--format", "json"],
    ));
    assert_eq!(d["outcome"], "unchanged");
    assert_eq!(
        find(&d["targets"], "page", "Acme", "sign-in")["backup"],
        Value::Null
    );

    // A dry run of --publish: what would change, pages and parts, nothing written.
    let before = (okta.theme(&acme), okta.sign_out(&acme));
    let args = [
        "deploy",
        "--env",
        "prod",
        "--publish",
        "--dry-run",
        "--format",
        "json",
    ];
    let out = run(&p, &args);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let d = doc(&out);
    assert_eq!(
        (d["outcome"].clone(), d["dryRun"].clone()),
        (json!("dry-run"), json!(true))
    );
    let t = find(&d["targets"], "page", "Acme", "sign-in");
    assert_eq!(
        (t["outcome"].clone(), t["written"].clone()),
        (json!("dry-run"), json!(false))
    );
    assert_eq!(t["backup"], Value::Null);
    let theme = find(&d["parts"], "part", "Acme", "theme");
    assert_eq!(theme["outcome"], "dry-run");
    assert_eq!(field(theme, "primaryColorHex")["new"], "#0f5c45");
    assert_eq!((okta.theme(&acme), okta.sign_out(&acme)), before);
    insta::assert_json_snapshot!("deploy_publish_dry_run_json", redacted(&d));

    let out = run(
        &p,
        &["deploy", "--env", "prod", "--publish", "--format", "json"],
    );
    assert_eq!(code(&out), 0, "{}", all(&out));
    let d = doc(&out);
    assert_eq!(d["outcome"], "written");
    let so = find(&d["parts"], "part", "Acme", "sign-out");
    assert_eq!(so["outcome"], "written");
    assert!(p.exists(so["backup"].as_str().unwrap()), "{so:#}");
    assert_eq!(okta.theme(&acme)["primaryColorHex"], "#0f5c45");
}

#[test]
fn deploy_json_names_the_guard_that_refused_and_exits_1() {
    let okta = org();
    let p = project(&okta);
    let acme = okta.brand_id("Acme").unwrap();
    let publish = [
        "deploy",
        "--env",
        "prod",
        "--brand",
        "Acme",
        "--publish",
        "--format",
        "json",
    ];
    let out = run(&p, &publish);
    assert_eq!(code(&out), 1, "{}", all(&out));
    let d = doc(&out);
    assert_eq!(d["outcome"], "refused");
    let t = find(&d["targets"], "page", "Acme", "sign-in");
    assert_eq!(t["outcome"], "refused");
    assert_eq!(t["guard"], "not-previewed");
    assert!(
        t["detail"]
            .as_str()
            .unwrap()
            .contains("never sent to preview"),
        "{t:#}"
    );
    assert!(
        stderr(&out).contains("not done for: Acme"),
        "{}",
        stderr(&out)
    );

    okta.set_sign_in(
        &acme,
        "customized",
        Some(json!({"pageContent": "<p>old</p>", "widgetVersion": "^7", "widgetCustomizations": {"helpUrl": "https://help.acme.example"}})),
    );
    let preview = ["deploy", "--env", "prod", "--brand", "Acme", "--preview"];
    assert_eq!(code(&run(&p, &preview)), 0);
    let out = run(&p, &publish);
    assert_eq!(code(&out), 1, "{}", all(&out));
    let d = doc(&out);
    let t = find(&d["targets"], "page", "Acme", "sign-in");
    assert_eq!(t["guard"], "would-reset");
    let help = field(t, "widgetCustomizations.helpUrl");
    assert_eq!(
        (
            help["old"].clone(),
            help["new"].clone(),
            help["reset"].clone()
        ),
        (json!("https://help.acme.example"), Value::Null, json!(true))
    );
    assert_eq!(
        okta.sign_in(&acme, "customized").unwrap()["pageContent"],
        "<p>old</p>"
    );

    // The org preflight stops everything: said in the document too.
    let q = Project::with_page(WIDGET_PAGE).file(
        "signin-pages.toml",
        org_toml(&okta.url(), &["Acme"]).replace("version = \"^7\"", "version = \"7.12\""),
    );
    let out = run(
        &q,
        &["deploy", "--env", "prod", "--preview", "--format", "json"],
    );
    assert_eq!(code(&out), 1, "{}", all(&out));
    let d = doc(&out);
    assert_eq!(d["outcome"], "refused");
    assert_eq!(d["stopped"]["by"], "preflight");
    assert!(
        d["stopped"]["reasons"][0]
            .as_str()
            .unwrap()
            .contains("7.12"),
        "{d:#}"
    );
    assert_eq!(d["preflight"][0]["level"], "problem");
    assert_eq!(d["targets"], json!([]));
}

#[test]
fn kmsi_plan_and_apply_json_share_the_rule_and_field_model() {
    use crate::kmsi::{APP, org as policies_org, project as kmsi_project};
    let okta = policies_org();
    let p = kmsi_project(&okta, APP);
    let out = run(&p, &["kmsi", "plan", "--env", "prod", "--format", "json"]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    let plan = doc(&out);
    assert_eq!(plan["schema"], "signin-pages/kmsi-plan/v1");
    assert_eq!(
        (plan["status"].clone(), plan["changed"].clone()),
        (json!("different"), json!(true))
    );
    let portal = plan["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["policy"] == "Portal" && r["rule"] == "Portal rule")
        .unwrap();
    assert_eq!(portal["action"], "update");
    let post = field(portal, "actions.appSignOn.keepMeSignedIn.postAuth");
    assert_eq!(
        (post["old"].clone(), post["new"].clone()),
        (json!("NOT_ALLOWED"), json!("ALLOWED"))
    );

    let out = run(
        &p,
        &[
            "kmsi",
            "apply",
            "--env",
            "prod",
            "--dry-run",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 0, "{}", all(&out));
    let dry = doc(&out);
    assert_eq!(dry["schema"], "signin-pages/kmsi-apply/v1");
    assert_eq!(
        (dry["outcome"].clone(), dry["dryRun"].clone()),
        (json!("dry-run"), json!(true))
    );
    let rules = dry["rules"].as_array().unwrap();
    let outcome = |doc: &Value, rule: &str| -> Value {
        doc["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == rule)
            .unwrap()["outcome"]
            .clone()
    };
    assert_eq!(outcome(&dry, "Portal rule"), "dry-run");
    assert_eq!(outcome(&dry, "Kiosk rule"), "unchanged");
    assert_eq!(outcome(&dry, "Kiosk deny"), "skipped");
    // The dry run's rules are the plan's, each with its outcome.
    assert_eq!(rules.len(), plan["rules"].as_array().unwrap().len());
    insta::assert_json_snapshot!("kmsi_plan_json", redacted(&plan));
    assert!(okta.requests().iter().all(|r| r.method == "GET"));

    let out = run(&p, &["kmsi", "apply", "--env", "prod", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let done = doc(&out);
    assert_eq!(
        (done["outcome"].clone(), done["dryRun"].clone()),
        (json!("written"), json!(false))
    );
    let r = done["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "Portal rule")
        .unwrap();
    assert_eq!(
        (r["outcome"].clone(), r["ok"].clone(), r["written"].clone()),
        (json!("written"), json!(true), json!(true))
    );
    let backup = r["backup"].as_str().unwrap();
    assert!(
        backup.starts_with(".signin-pages/backups/prod/policies/") && p.exists(backup),
        "{backup}"
    );
    assert_eq!(
        field(r, "actions.appSignOn.keepMeSignedIn.postAuth")["new"],
        "ALLOWED"
    );
    insta::assert_json_snapshot!("kmsi_apply_json", redacted(&done));

    let out = run(&p, &["kmsi", "apply", "--env", "prod", "--format", "json"]);
    assert_eq!(doc(&out)["outcome"], "unchanged");
    let out = run(&p, &["kmsi", "plan", "--env", "prod", "--format", "json"]);
    assert_eq!(code(&out), 0);
    assert_eq!(doc(&out)["status"], "equal");
}

#[test]
fn diff_stopped_before_any_page_still_prints_its_document() {
    let okta = org();
    let p = project(&okta).file(
        "signin-pages.toml",
        org_toml(&okta.url(), &["Acme", "Gamma <b>"]),
    );
    let out = run(&p, &["diff", "--env", "prod", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    let d = doc(&out);
    assert_eq!(d["status"], "error");
    assert_eq!(d["targets"], json!([]));
    assert!(
        d["errors"][0].as_str().unwrap().contains("Gamma <b>"),
        "{d:#}"
    );
    let out = run(&p, &["diff", "--env", "prod", "--format", "markdown"]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    let md = stdout(&out);
    assert!(
        md.contains("**Not compared**") && md.contains("Gamma &lt;b&gt;"),
        "{md}"
    );
    assert!(stderr(&out).contains("Gamma <b>"), "{}", stderr(&out));
}

/// Every member, and every value of an enumeration, in `s` (a schema).
fn documented_names(s: &Value, out: &mut Vec<String>) {
    match s {
        Value::Object(m) => {
            if let Some(props) = m.get("properties").and_then(Value::as_object) {
                out.extend(props.keys().cloned());
            }
            for v in m
                .get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(text) = v.as_str() {
                    out.push(text.to_string());
                }
            }
            for v in m.values() {
                documented_names(v, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| documented_names(v, out)),
        _ => {}
    }
}

#[test]
fn the_reference_page_documents_every_member_and_value_of_every_schema() {
    let page = std::fs::read_to_string(repo().join("book/src/reference/json-output.md")).unwrap();
    let dir = repo().join("book/src/reference/schema");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "deploy.v1.json",
            "diff.v1.json",
            "kmsi-apply.v1.json",
            "kmsi-plan.v1.json"
        ]
    );
    let mut missing = Vec::new();
    for f in &files {
        if !page.contains(&format!("(schema/{f})")) {
            missing.push(format!("a link to schema/{f}"));
        }
        let schema: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(f)).unwrap()).unwrap();
        let constant = schema["properties"]["schema"]["const"].as_str().unwrap();
        let mut names = vec![constant.to_string()];
        documented_names(&schema, &mut names);
        for n in names {
            let quoted = format!("`{n}`");
            if !page.contains(&quoted) && !missing.contains(&quoted) {
                missing.push(quoted);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "book/src/reference/json-output.md does not mention: {}",
        missing.join(", ")
    );
}

#[test]
fn kmsi_json_for_an_environment_without_kmsi_is_a_document_that_says_so() {
    use crate::kmsi::{org as policies_org, project as kmsi_project};
    let okta = policies_org();
    let p = kmsi_project(&okta, "");
    let out = run(&p, &["kmsi", "plan", "--env", "prod", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let d = doc(&out);
    assert_eq!(
        (d["status"].clone(), d["rules"].clone()),
        (json!("equal"), json!([]))
    );
    assert_eq!(d["notes"], json!(["no [kmsi] for this environment"]));
    for (args, outcome, dry) in [
        (
            &["kmsi", "apply", "--env", "prod", "--format", "json"][..],
            "unchanged",
            false,
        ),
        (
            &[
                "kmsi",
                "apply",
                "--env",
                "prod",
                "--dry-run",
                "--format",
                "json",
            ],
            "dry-run",
            true,
        ),
    ] {
        let out = run(&p, args);
        assert_eq!(code(&out), 0, "{}", all(&out));
        let d = doc(&out);
        assert_eq!(
            (d["outcome"].clone(), d["dryRun"].clone()),
            (json!(outcome), json!(dry)),
            "{args:?}"
        );
    }
    assert!(okta.requests().is_empty());
}

/// GitHub shows no step summary over 1 MiB: a diff that would pass it is named, with its
/// size, and the summary stays under the limit with its table whole.
#[test]
fn diff_markdown_leaves_out_a_diff_the_job_summary_cannot_hold() {
    let okta = org();
    let p = project(&okta);
    let acme = okta.brand_id("Acme").unwrap();
    let big: String = (0..40_000)
        .map(|i| format!("<p>line {i} of a page the org holds</p>\n"))
        .collect();
    okta.set_sign_in(
        &acme,
        "customized",
        Some(json!({"pageContent": big, "widgetVersion": "^7"})),
    );
    let out = run(
        &p,
        &[
            "diff", "--env", "prod", "--brand", "Acme", "--format", "markdown",
        ],
    );
    assert_eq!(code(&out), 2, "{}", all(&out));
    let md = stdout(&out);
    assert!(md.len() < 1024 * 1024, "{} bytes", md.len());
    assert!(
        md.contains("sign-in pageContent: the diff (")
            && md.contains(" KiB) is left out, or the summary would pass the 1 MiB"),
        "{}",
        &md[..md.len().min(4000)]
    );
    assert!(md.contains("| sign-in | pageContent | "), "{md:.4000}");
    // The other rows are still there, and no fence is left open.
    assert!(md.matches("\n| sign-in | ").count() >= 2, "{md:.4000}");
    assert_eq!(md.matches("```").count() % 2, 0);
}
