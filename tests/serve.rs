//! `serve`: the live preview, over real HTTP. The binary runs on a free port
//! (`--port 0`) against a project in a temporary folder; requests and the event stream
//! go over plain sockets. (The browser's side is tested in `tests/browser/`.)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::http::Reply;
use crate::support::preview::Events;
use crate::support::*;

/// How long a reload may take here (a slow CI machine; the goal is far below).
const RELOAD: Duration = Duration::from_secs(10);

/// `signin-pages serve --port 0` on a project; killed when dropped.
struct Serve {
    child: Child,
    addr: SocketAddr,
    stdout_line: String,
}

impl Serve {
    fn start(p: &Project) -> Serve {
        Serve::start_with(p, &[])
    }

    fn start_with(p: &Project, args: &[&str]) -> Serve {
        Serve::start_in(p.path(), args, &[])
    }

    /// The preview of the project at `root`, with `env` set; no other test reaches
    /// Okta's CDN or the developer's widget cache.
    fn start_in(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Serve {
        let mut child = Command::new(BIN)
            .args(["serve", "--port", "0", "--color", "never", "--project"])
            .arg(root)
            .args(args)
            .env("SIGNIN_PAGES_WIDGET_CDN", "off")
            .env("SIGNIN_PAGES_CACHE_DIR", root.join(".no-cache"))
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run signin-pages serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap();
        Serve {
            child,
            addr,
            stdout_line: line,
        }
    }

    fn get(&self, path: &str) -> Reply {
        http::get(self.addr, path)
    }

    fn events(&self) -> Events {
        Events::open(self.addr)
    }

    /// Stop the server and return what it printed on stderr.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut err = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        err
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn http(addr: SocketAddr, method: &str, path: &str, body: &[u8]) -> Reply {
    http_as(addr, &format!("Host: {addr}\r\n"), method, path, body)
}

/// A request with `host` (`"Host: …\r\n"`, or anything else) as its first header lines.
fn http_as(addr: SocketAddr, host: &str, method: &str, path: &str, body: &[u8]) -> Reply {
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\n{host}Connection: close\r\nContent-Type: application/csp-report\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    http::send(addr, &request)
}

/// `(nonce attribute or None)` of every `<script>` without `src` and every `<style>`.
fn inline_nonces(html: &str) -> Vec<(String, Option<String>)> {
    let tag = regex::Regex::new(r"(?is)<(script|style)\b([^>]*)>").unwrap();
    let nonce = regex::Regex::new(r#"(?i)\bnonce="([^"]*)""#).unwrap();
    tag.captures_iter(html)
        .filter(|c| !c[2].to_ascii_lowercase().contains("src="))
        .map(|c| {
            (
                c[0].to_string(),
                nonce.captures(&c[2]).map(|n| n[1].to_string()),
            )
        })
        .collect()
}

fn header_nonce(policy: &str, directive: &str) -> String {
    let d = policy
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with(&format!("{directive} ")))
        .unwrap_or_else(|| panic!("no {directive} in {policy}"));
    let n = d
        .split_whitespace()
        .find_map(|s| s.strip_prefix("'nonce-"))
        .unwrap_or_else(|| panic!("no nonce in {d}"));
    n.trim_end_matches('\'').to_string()
}

const PAGE: &str = "/prod/Example/sign-in";

#[test]
fn csp_nonce_is_the_nonce_of_every_inline_script_and_style_and_changes_per_response() {
    let p = Project::starter();
    let s = Serve::start(&p);
    let mut seen = Vec::new();
    for _ in 0..3 {
        let r = s.get(PAGE);
        assert_eq!(r.status, 200, "{}", r.body);
        let policy = r.header("Content-Security-Policy").expect("a CSP header");
        assert!(r.header("Content-Security-Policy-Report-Only").is_none());
        let nonce = header_nonce(policy, "script-src");
        assert_eq!(nonce, header_nonce(policy, "style-src"));
        assert!(nonce.len() >= 22, "128 bits at least: {nonce}");
        let inline = inline_nonces(&r.body);
        // The starter's inline style and widget script, and the preview's page data.
        assert!(inline.len() >= 3, "{inline:?}");
        for (tag, n) in &inline {
            assert_eq!(n.as_deref(), Some(nonce.as_str()), "{tag}");
        }
        assert!(
            policy.ends_with(&format!(
                "report-uri http://{}/__preview/csp-report",
                s.addr
            )),
            "{policy}"
        );
        seen.push(nonce);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 3, "a fresh nonce for every response");
}

#[test]
fn okta_tags_get_stand_ins_and_the_gen3_section_follows_the_widget_generation() {
    let p = Project::starter();
    let s = Serve::start(&p);
    let r = s.get(PAGE);
    let okta_tag = regex::Regex::new(r"\{\{\{?\s*[#/^]?\s*[A-Za-z_]+\s*\}\}").unwrap();
    assert!(
        !okta_tag.is_match(&r.body),
        "an Okta tag is left: {}",
        r.body
    );
    assert!(r.body.contains("<title>Example - Sign In</title>"));
    assert!(r.body.contains("src=\"/__preview/widget.js?v="));
    assert!(r.body.contains("src=\"/__preview/okta-util.js?v="));
    assert!(r.body.contains("href=\"/__preview/themed.css?v="));
    assert!(
        r.body
            .contains("background-image: url(/__preview/background.svg?v=")
    );
    // The starter says `generation = "G3"`.
    assert!(r.body.contains("font-size: 87.5%"));
    let lines = r.body.lines().count();

    let mut events = s.events();
    let toml = p.read("signin-pages.toml").replace("\"G3\"", "\"G2\"");
    p.write("signin-pages.toml", toml);
    assert!(events.next("reload", RELOAD).is_some());
    let r = s.get(PAGE);
    assert!(!r.body.contains("font-size: 87.5%"));
    assert_eq!(
        r.body.lines().count(),
        lines,
        "hidden sections keep their lines"
    );
    assert_eq!(r.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert_eq!(r.header("Cache-Control"), Some("no-store"));
}

#[test]
fn report_only_mode_and_src_list_shape_the_header() {
    let p = Project::starter();
    let toml = p.read("signin-pages.toml").replace(
        "[vars]",
        "[csp]\nmode = \"report_only\"\nreport_uri = \"https://csp.example.com/r\"\nsrc_list = [\"https://cdn.example.com\"]\n\n[vars]",
    );
    p.write("signin-pages.toml", toml);
    let s = Serve::start(&p);
    let r = s.get(PAGE);
    assert!(r.header("Content-Security-Policy").is_none());
    let policy = r
        .header("Content-Security-Policy-Report-Only")
        .expect("report-only header");
    assert!(policy.starts_with(
        "default-src 'self' https://*.oktacdn.com https://*.okta.com https://*.oktapreview.com https://*.okta-emea.com https://example.okta.com https://cdn.example.com;"
    ), "{policy}");
    assert!(policy.contains("script-src 'self' 'unsafe-eval' 'report-sample' 'nonce-"));
    // Reports come to the preview, not to the project's own report_uri.
    assert!(!policy.contains("csp.example.com"), "{policy}");
}

#[test]
fn a_template_locale_or_config_edit_sends_a_reload_event() {
    let p = Project::starter();
    let s = Serve::start(&p);
    let mut events = s.events();
    let mut generation = 0;
    for (file, from, to) in [
        (
            "templates/sign-in.html",
            "text-align: center;",
            "text-align: left;",
        ),
        (
            "locales/fr.toml",
            "Rester connecté\"\nsubtitle",
            "Rester connectée\"\nsubtitle",
        ),
        ("signin-pages.toml", "help@example.com", "aide@example.com"),
    ] {
        let text = p.read(file);
        assert!(text.contains(from), "{file}");
        p.write(file, text.replacen(from, to, 1));
        let data = events
            .next("reload", RELOAD)
            .unwrap_or_else(|| panic!("no reload after editing {file}"));
        let v: serde_json::Value = serde_json::from_str(&data).unwrap();
        assert!(v["generation"].as_u64().unwrap() > generation, "{data}");
        generation = v["generation"].as_u64().unwrap();
        assert_eq!(v["ok"], true, "{data}");
    }
    let page = s.get(PAGE).body;
    assert!(page.contains("text-align: left;"));
    assert!(page.contains("Rester connectée"));
    assert!(page.contains("aide@example.com"));
    // Files that feed no page do not reload anything.
    p.write("dist/x.html", "x");
    p.write("notes.txt", "x");
    assert!(events.next("reload", Duration::from_millis(500)).is_none());
}

#[test]
fn a_broken_template_shows_the_diagnostic_and_the_fix_restores_the_page() {
    let p = Project::starter();
    let s = Serve::start(&p);
    let mut events = s.events();
    let good = p.read("templates/sign-in.html");
    p.write(
        "templates/sign-in.html",
        good.replace("{{ strings.help }}", "{{ strings.hlep }}"),
    );
    let data = events
        .next("reload", RELOAD)
        .expect("reload after the break");
    assert!(data.contains("\"ok\":false"), "{data}");
    let r = s.get(PAGE);
    assert_eq!(r.status, 500);
    assert!(r.body.contains("This page does not render"), "{}", r.body);
    assert!(r.body.contains("error[T002]"), "{}", r.body);
    assert!(r.body.contains("templates/sign-in.html:9:"), "{}", r.body);
    assert!(r.body.contains("^^^^"), "the caret: {}", r.body);
    // The error page reloads by itself: it carries the preview's script.
    assert!(r.body.contains("/__preview/client.js"));
    assert!(s.get("/").body.contains("does not render"));

    p.write("templates/sign-in.html", &good);
    let data = events.next("reload", RELOAD).expect("reload after the fix");
    assert!(data.contains("\"ok\":true"), "{data}");
    let r = s.get(PAGE);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Need help signing in?"));
    let err = s.stop();
    assert!(
        err.contains("error[T002]"),
        "the terminal shows it too: {err}"
    );
}

#[test]
fn a_project_that_does_not_load_shows_why_and_recovers() {
    let p = Project::starter();
    let s = Serve::start(&p);
    let mut events = s.events();
    let good = p.read("signin-pages.toml");
    p.write("signin-pages.toml", good.replace("[project]", "[projet]"));
    assert!(events.next("reload", RELOAD).is_some());
    let r = s.get(PAGE);
    assert_eq!(r.status, 500);
    assert!(r.body.contains("The project does not load"));
    assert!(r.body.contains("signin-pages.toml:"), "{}", r.body);
    p.write("signin-pages.toml", good);
    assert!(events.next("reload", RELOAD).is_some());
    assert_eq!(s.get(PAGE).status, 200);
}

#[test]
fn the_index_lists_every_target_and_pages_take_state_and_locale_from_the_url() {
    let p = Project::starter();
    p.write(
        "signin-pages.toml",
        p.read("signin-pages.toml").replace(
            "[environments.prod]",
            "[environments.dev]\norg_url = \"https://dev.example.okta.com\"\n\n[environments.prod]",
        ) + "\n[[brands]]\nname = \"Acme Health\"\n",
    );
    let s = Serve::start(&p);
    assert!(
        s.stdout_line.contains("http://127.0.0.1:"),
        "loopback by default"
    );
    let index = s.get("/?state=kmsi&locale=fr");
    assert_eq!(index.status, 200);
    for page in [
        "/dev/Example/sign-in",
        "/dev/Acme-Health/sign-in",
        "/prod/Example/sign-in",
        "/prod/Acme-Health/sign-in",
    ] {
        assert!(
            index
                .body
                .contains(&format!("href=\"{page}?state=kmsi&amp;locale=fr\"")),
            "{page} in {}",
            index.body
        );
    }
    assert!(index.body.contains("<option value=\"kmsi\" selected>"));
    let site: serde_json::Value =
        serde_json::from_str(&s.get("/__preview/site.json").body).unwrap();
    assert_eq!(site["targets"].as_array().unwrap().len(), 4);

    let r = s.get("/dev/Acme-Health/sign-in?state=kmsi&locale=fr");
    assert_eq!(r.status, 200);
    let data = preview_data(&r.body);
    assert_eq!(data["state"], "kmsi");
    assert_eq!(data["locale"], "fr");
    assert_eq!(data["target"], "dev/Acme-Health");
    let config = &data["widgetConfig"];
    assert_eq!(config["language"], "fr");
    // The starter's default locale sets no KMSI labels, so Okta (and the preview) put
    // none into the requested language's i18n; fr's own labels reach the widget through
    // the page's widget_i18n.
    assert_eq!(config["i18n"]["fr"], serde_json::json!({}));
    assert!(r.body.contains("\"oie.kmsi.accept\":\"Rester connecté\""));
    // No state or locale (or an empty one) means identify and the default locale;
    // unknown ones are errors (`unknown_states_and_locales_are_errors_on_the_page`).
    let plain = preview_data(&s.get("/prod/Example/sign-in?state=&locale=").body);
    assert_eq!(plain["state"], "identify");
    assert_eq!(plain["locale"], "en");
    // Pages that do not exist are 404.
    assert_eq!(s.get("/prod/Nobody/sign-in").status, 404);
    assert_eq!(
        s.get("/prod/Example/error").status,
        404,
        "the starter has no error page"
    );
}

#[test]
fn the_preview_puts_only_the_kmsi_labels_the_project_sets_into_the_visitors_language() {
    // As Okta does: postAuthKeepMeSignedInPrompt goes into i18n[<visitor's language>],
    // label by label; an unset label is absent, so the widget shows its own text.
    let p = Project::starter();
    const STRINGS: &str = "[strings]\nhelp = \"Help?\"\n";
    p.write(
        "locales/en.toml",
        format!("[kmsi]\ntitle = \"Stay signed in?\"\n{STRINGS}"),
    );
    p.write("locales/fr.toml", "");
    let s = Serve::start(&p);
    for locale in ["fr", "en"] {
        let r = s.get(&format!("/prod/Example/sign-in?state=kmsi&locale={locale}"));
        assert_eq!(r.status, 200);
        let config = &preview_data(&r.body)["widgetConfig"];
        assert_eq!(
            config["i18n"],
            serde_json::json!({ locale: { "oie.kmsi.title": "Stay signed in?" } }),
            "{locale}"
        );
    }
    // No labels at all: nothing of Okta's in any language.
    let mut events = s.events();
    p.write("locales/en.toml", STRINGS);
    assert!(events.next("reload", RELOAD).is_some());
    let r = s.get("/prod/Example/sign-in?state=kmsi&locale=fr");
    let config = &preview_data(&r.body)["widgetConfig"];
    assert_eq!(config["i18n"], serde_json::json!({ "fr": {} }));
}

fn preview_data(html: &str) -> serde_json::Value {
    let start = html.find("id=\"signin-preview-data\"").expect("page data");
    let json_start = start + html[start..].find('>').unwrap() + 1;
    let end = json_start + html[json_start..].find("</script>").unwrap();
    serde_json::from_str(&html[json_start..end]).unwrap()
}

#[test]
fn csp_reports_are_located_in_the_template_printed_and_listed() {
    let p = Project::starter();
    let page = p.read("templates/sign-in.html");
    p.write(
        "templates/sign-in.html",
        page.replace(
            "{% block body %}",
            "{% block body %}\n    <script>window.noNonce = 1;</script>",
        ),
    );
    let s = Serve::start(&p);
    let html = s.get(PAGE).body;
    let line = html
        .lines()
        .position(|l| l.contains("<script>window.noNonce"))
        .unwrap()
        + 1;
    let report = format!(
        r#"{{"csp-report":{{"document-uri":"http://{}/prod/Example/sign-in?state=kmsi","violated-directive":"script-src-elem","effective-directive":"script-src-elem","blocked-uri":"inline","line-number":{line},"column-number":5,"script-sample":"window.noNonce = 1;","disposition":"enforce"}}}}"#,
        s.addr
    );
    let mut events = s.events();
    let r = http(s.addr, "POST", "/__preview/csp-report", report.as_bytes());
    assert_eq!(r.status, 204);
    let event = events
        .next("csp", RELOAD)
        .expect("a csp event for the pages");
    assert!(event.contains("templates/sign-in.html:9:5"), "{event}");
    let list: serde_json::Value =
        serde_json::from_str(&s.get("/__preview/csp-reports").body).unwrap();
    assert_eq!(list[0]["target"], "prod/Example");
    assert_eq!(list[0]["location"], "templates/sign-in.html:9:5");
    let err = s.stop();
    assert!(
        err.contains(
            "CSP violation: an inline <script> blocked by script-src-elem on prod/Example sign-in"
        ),
        "{err}"
    );
    assert!(err.contains("--> templates/sign-in.html:9:5"), "{err}");
    assert!(err.contains("nonce=\"{{nonceValue}}\""), "{err}");
}

#[test]
fn static_files_are_served_and_nothing_outside_them() {
    let p = Project::starter()
        .file(
            "static/background.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .file("secret.txt", "no");
    let s = Serve::start(&p);
    let r = s.get("/static/background.svg");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("Content-Type"), Some("image/svg+xml"));
    assert!(s.get(PAGE).body.contains("url(/static/background.svg)"));
    for bad in [
        "/static/../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/..%2fsecret.txt",
    ] {
        assert_eq!(s.get(bad).status, 404, "{bad}");
    }
    assert_eq!(s.get("/__preview/widget.js").status, 200);
    let cached = s.get("/__preview/widget.js?v=1");
    assert!(
        cached
            .header("Cache-Control")
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(s.get("/__preview/nope.js").status, 404);
}

#[test]
fn a_slow_client_does_not_hold_up_the_others_and_shutdown_is_clean() {
    let p = Project::starter();
    let preview = preview::start(p.path());
    let addr = preview.addr();
    // A client that sends half a request and waits, and event streams nobody reads.
    let mut half = TcpStream::connect(addr).unwrap();
    half.write_all(b"GET /prod/Example/sign-in HTTP/1.1\r\nHo")
        .unwrap();
    let idle: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            write!(s, "GET /__preview/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
            s
        })
        .collect();
    let mut events = Events::open(addr);
    for _ in 0..50 {
        preview.reload();
    }
    assert!(events.next("reload", RELOAD).is_some());
    let start = Instant::now();
    let r = http(addr, "GET", PAGE, b"");
    assert_eq!(r.status, 200);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );

    let start = Instant::now();
    preview.shutdown();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "shutdown took {:?}",
        start.elapsed()
    );
    // The streams were told, and nothing listens any more.
    assert!(events.next("bye", RELOAD).is_some());
    let deadline = Instant::now() + RELOAD;
    while TcpStream::connect(addr).is_ok() {
        assert!(Instant::now() < deadline, "still listening");
        std::thread::sleep(Duration::from_millis(20));
    }
    drop((half, idle));
}

// Issue 10: `serve` keeps its files, its origin and its terminal. What each test pins is
// in docs/reliability.md ("The preview server").

/// A stand-in for an installed `@okta/okta-signin-widget`: `dist/js/okta-sign-in.min.js`.
fn fake_widget() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let js = dir.path().join("dist/js");
    std::fs::create_dir_all(&js).unwrap();
    std::fs::write(js.join("okta-sign-in.min.js"), "/* widget */").unwrap();
    std::fs::create_dir_all(dir.path().join("dist/css")).unwrap();
    std::fs::write(
        dir.path().join("dist/css/okta-sign-in.min.css"),
        "/* css */",
    )
    .unwrap();
    dir
}

/// Issue 13: the real widget's mock Identity Engine answers every state the switcher
/// offers, with what the widget resolves in each answer (absolute links, the state
/// handle in every form, `relatesTo` paths that lead somewhere), and following the
/// links an answer carries walks a sign-in as Okta's does: identify, password,
/// "Forgot password?", reset, the KMSI prompt, signed in; each authenticator the select
/// state offers leads to its own challenge; sign-up and unlock lead to an email code.
#[test]
fn the_mock_identity_engine_answers_every_state_and_moves_on() {
    use serde_json::{Value, json};
    let p = Project::starter();
    let widget = fake_widget();
    let s = Serve::start_with(&p, &["--widget-dir", widget.path().to_str().unwrap()]);
    let origin = format!("http://{}", s.addr);
    let post = |href: &str, body: Value| {
        let path = href.strip_prefix(&origin).unwrap_or(href);
        let r = http(s.addr, "POST", path, body.to_string().as_bytes());
        assert_eq!(r.status, 200, "{path} {body}: {}", r.body);
        r.json()
    };
    let state = |v: &Value| v["stateHandle"].as_str().unwrap().to_string();
    let form = |v: &Value, name: &str| {
        v["remediation"]["value"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("no {name} form in {v}"))
            .clone()
    };
    // `$.a.value[0]`-style paths, as the widget resolves `relatesTo`.
    let resolve = |v: &Value, path: &str| {
        let mut at = v.clone();
        for part in path.trim_start_matches("$.").split('.') {
            let (name, index) = match part.split_once('[') {
                Some((n, i)) => (n, Some(i.trim_end_matches(']').parse::<usize>().unwrap())),
                None => (part, None),
            };
            at = at[name].clone();
            if let Some(i) = index {
                at = at[i].clone();
            }
        }
        at
    };

    let index = s.get("/").body;
    let switch = &index[index.find("name=\"state\"").unwrap()..];
    let switch = &switch[..switch.find("</select>").unwrap()];
    let states: Vec<&str> = switch
        .split("<option value=\"")
        .skip(1)
        .map(|o| &o[..o.find('"').unwrap()])
        .collect();
    assert!(states.len() >= 13, "{states:?}");
    let mut answers = std::collections::HashMap::new();
    for name in &states {
        let v = post(
            "/idp/idx/introspect",
            json!({ "stateToken": format!("preview~{name}") }),
        );
        assert_eq!(state(&v), format!("preview~{name}"));
        let forms = v["remediation"]["value"].as_array().unwrap();
        assert!(!forms.is_empty(), "{name}: {v}");
        for f in forms {
            let href = f["href"].as_str().unwrap();
            assert!(
                href.starts_with(&format!("{origin}/idp/idx/")),
                "{name}: {href}"
            );
            let fields = f["value"].as_array().unwrap();
            assert_eq!(fields.last().unwrap()["name"], "stateHandle", "{name}: {f}");
            assert_eq!(fields.last().unwrap()["value"], state(&v));
            let mut paths: Vec<&str> = match &f["relatesTo"] {
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                other => other.as_str().into_iter().collect(),
            };
            for field in fields {
                for option in field["options"].as_array().into_iter().flatten() {
                    paths.extend(option["relatesTo"].as_str());
                }
            }
            for path in paths {
                assert!(
                    resolve(&v, path).is_object(),
                    "{name}: {path} leads nowhere"
                );
            }
        }
        answers.insert(*name, v);
    }

    let submit = |v: &Value, name: &str, body: Value| {
        let f = form(v, name);
        let mut body = body;
        body["stateHandle"] = json!(state(v));
        post(f["href"].as_str().unwrap(), body)
    };
    let v = submit(
        &answers["identify"],
        "identify",
        json!({ "identifier": "a" }),
    );
    assert_eq!(state(&v), "preview~password");
    let recover = &v["currentAuthenticatorEnrollment"]["value"]["recover"];
    let forgot = post(
        recover["href"].as_str().unwrap(),
        json!({ "stateHandle": state(&v) }),
    );
    assert_eq!(state(&forgot), "preview~forgot-password");
    let reset = submit(&forgot, "identify-recovery", json!({ "identifier": "a" }));
    assert_eq!(state(&reset), "preview~reset-password");
    let kmsi = submit(&reset, "reset-authenticator", json!({ "credentials": {} }));
    assert_eq!(state(&kmsi), "preview~kmsi");
    let done = submit(
        &kmsi,
        "keep-me-signed-in",
        json!({ "keepMeSignedIn": true }),
    );
    assert_eq!(done["success"]["name"], "success-redirect", "{done}");

    // Each authenticator offered leads to its own challenge.
    let select = &answers["select-authenticator"];
    let options = form(select, "select-authenticator-authenticate")["value"][0]["options"].clone();
    let options = options.as_array().unwrap();
    assert_eq!(options.len(), 5, "{select}");
    for option in options {
        let id = option["value"]["form"]["value"][0]["value"].clone();
        let v = submit(
            select,
            "select-authenticator-authenticate",
            json!({ "authenticator": { "id": id } }),
        );
        let current = [
            &v["currentAuthenticatorEnrollment"],
            &v["currentAuthenticator"],
        ]
        .into_iter()
        .find(|c| c.is_object())
        .unwrap_or_else(|| panic!("{}: no current authenticator in {v}", option["label"]));
        assert_eq!(current["value"]["id"], id, "{}", option["label"]);
    }
    // Sign-up and unlock end at an email code.
    let v = submit(
        &answers["register"],
        "enroll-profile",
        json!({ "userProfile": {} }),
    );
    assert_eq!(state(&v), "preview~email");
    let unlock = &answers["unlock-account"];
    let email = form(unlock, "select-authenticator-unlock-account")["value"][1]["options"][0]
        ["value"]["form"]["value"][0]["value"]
        .clone();
    let v = submit(
        unlock,
        "select-authenticator-unlock-account",
        json!({ "identifier": "a", "authenticator": { "id": email } }),
    );
    assert_eq!(state(&v), "preview~email");
}

/// Issue 13: "Sign up" and "Unlock account?" are features an org switches on
/// (self-service registration, self-service unlock); the project's `[preview]`
/// settings say whether the mock org has them. Off by default, as in a new org; on, every
/// answer that asks who the visitor is (identify, error) offers the remediation the
/// widget draws the link from, following it reaches the register / unlock-account
/// state, and a save switches them without a restart. A bad value or an unknown key
/// is shown with the file and line.
#[test]
fn sign_up_and_unlock_links_are_offered_only_when_the_project_switches_them_on() {
    use serde_json::{Value, json};
    let p = Project::starter();
    let widget = fake_widget();
    let s = Serve::start_with(&p, &["--widget-dir", widget.path().to_str().unwrap()]);
    let mut events = s.events();
    let origin = format!("http://{}", s.addr);
    let post = |href: &str, body: Value| {
        let path = href.strip_prefix(&origin).unwrap_or(href);
        let r = http(s.addr, "POST", path, body.to_string().as_bytes());
        assert_eq!(r.status, 200, "{path} {body}: {}", r.body);
        r.json()
    };
    let introspect = |state: &str| {
        post(
            "/idp/idx/introspect",
            json!({ "stateToken": format!("preview~{state}") }),
        )
    };
    let names = |v: &Value| -> Vec<String> {
        v["remediation"]["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect()
    };
    let good = p.read("signin-pages.toml");
    let with = |preview: &str| format!("{good}\n[preview]\n{preview}");

    for state in ["identify", "error"] {
        assert_eq!(names(&introspect(state)), ["identify"], "{state}");
    }

    p.write(
        "signin-pages.toml",
        with("registration = true\nunlock = true\n"),
    );
    assert!(events.next("reload", RELOAD).is_some());
    for state in ["identify", "error"] {
        let v = introspect(state);
        assert_eq!(
            names(&v),
            ["identify", "select-enroll-profile", "unlock-account"],
            "{state}"
        );
        for (name, to) in [
            ("select-enroll-profile", "preview~register"),
            ("unlock-account", "preview~unlock-account"),
        ] {
            let f = v["remediation"]["value"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["name"] == name)
                .unwrap()
                .clone();
            let href = f["href"].as_str().unwrap();
            assert!(href.starts_with(&format!("{origin}/idp/idx/")), "{href}");
            assert_eq!(f["value"][0]["name"], "stateHandle", "{f}");
            assert_eq!(f["value"][0]["value"], format!("preview~{state}"), "{f}");
            let next = post(href, json!({ "stateHandle": format!("preview~{state}") }));
            assert_eq!(next["stateHandle"], to, "{state} {name}: {next}");
        }
    }
    // Answers that do not ask who the visitor is stay as they were.
    assert!(
        !names(&introspect("password"))
            .iter()
            .any(|n| n == "select-enroll-profile" || n == "unlock-account")
    );

    p.write("signin-pages.toml", with("unlock = true\n"));
    assert!(events.next("reload", RELOAD).is_some());
    assert_eq!(
        names(&introspect("identify")),
        ["identify", "unlock-account"]
    );

    // The line of the `[preview]` key, in the file as written.
    let line = good.lines().count() + 3;
    for (bad, said) in [
        ("registration = \"yes\"\n", "expected a boolean"),
        ("unlokc = true\n", "unknown field `unlokc`"),
    ] {
        p.write("signin-pages.toml", with(bad));
        assert!(events.next("reload", RELOAD).is_some());
        let r = s.get(PAGE);
        assert_eq!(r.status, 500, "{bad}");
        assert!(r.body.contains(said), "{said} not in {}", r.body);
        assert!(
            r.body.contains(&format!("signin-pages.toml:{line}:")),
            "line {line} not in {}",
            r.body
        );
    }
}

#[cfg(unix)]
#[test]
fn links_leading_out_of_the_project_or_the_widget_folder_are_not_served() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.png");
    std::fs::write(&secret, "TOP SECRET").unwrap();
    std::fs::create_dir(outside.path().join("dir")).unwrap();
    std::fs::write(outside.path().join("dir/inner.png"), "TOP SECRET").unwrap();
    let p = Project::starter().file("assets/logo.svg", "<svg>inside</svg>");
    std::fs::create_dir_all(p.path().join("static")).unwrap();
    let link = |target: &std::path::Path, name: &str| {
        symlink(target, p.path().join("static").join(name)).unwrap();
    };
    link(&secret, "x.png");
    link(&secret, "logo.png");
    link(&outside.path().join("dir"), "linked-dir");
    link(
        std::path::Path::new("../../../../../../../../etc/hostname"),
        "up.png",
    );
    link(&p.path().join("assets/logo.svg"), "inside.svg");
    link(std::path::Path::new("../assets/logo.svg"), "relative.svg");
    let fifo = p.path().join("static/pipe.png");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo");
    let widget = fake_widget();
    symlink(&secret, widget.path().join("dist/js/leak.js")).unwrap();
    let widget_dir = widget.path().to_str().unwrap();

    let s = Serve::start_with(&p, &["--widget-dir", widget_dir]);
    for path in [
        "/static/x.png",
        "/static/logo.png",
        "/static/linked-dir/inner.png",
        "/static/up.png",
        "/static/pipe.png",
        "/__preview/siw/js/leak.js",
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 404, "{path}: {}", r.body);
        assert!(!r.body.contains("TOP SECRET"), "{path}");
    }
    // A link that stays inside the project (or the widget's folder) is served.
    for path in ["/static/inside.svg", "/static/relative.svg"] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.body, "<svg>inside</svg>", "{path}");
    }
    assert_eq!(
        s.get("/__preview/siw/js/okta-sign-in.min.js").body,
        "/* widget */"
    );
    // The page does not point at the linked logo either: it gets the neutral one.
    let page = s.get(PAGE).body;
    assert!(!page.contains("/static/logo.png"), "{page}");
}

/// The CSP header's `report-uri` of a page.
fn report_uri(r: &Reply) -> String {
    let policy = r.header("Content-Security-Policy").expect("a CSP header");
    policy
        .split(';')
        .find_map(|d| d.trim().strip_prefix("report-uri "))
        .unwrap_or_else(|| panic!("no report-uri in {policy}"))
        .to_string()
}

#[test]
fn only_requests_for_the_listening_address_are_answered() {
    let p = Project::starter();
    let widget = fake_widget();
    let s = Serve::start_with(&p, &["--widget-dir", widget.path().to_str().unwrap()]);
    let port = s.addr.port();
    let introspect = br#"{"stateToken":"preview~identify"}"#;
    for (host, origin) in [
        (
            format!("127.0.0.1:{port}"),
            format!("http://127.0.0.1:{port}"),
        ),
        (
            format!("localhost:{port}"),
            format!("http://localhost:{port}"),
        ),
        (
            format!("LOCALHOST:{port}"),
            format!("http://localhost:{port}"),
        ),
    ] {
        let h = format!("Host: {host}\r\n");
        let r = http_as(s.addr, &h, "GET", PAGE, b"");
        assert_eq!(r.status, 200, "{host}: {}", r.body);
        assert_eq!(report_uri(&r), format!("{origin}/__preview/csp-report"));
        let data = preview_data(&r.body);
        assert_eq!(data["widgetConfig"]["baseUrl"], origin.as_str(), "{host}");
        assert!(
            r.body
                .contains("src=\"/__preview/siw/js/okta-sign-in.min.js\"")
        );
        let r = http_as(s.addr, &h, "POST", "/idp/idx/introspect", introspect);
        assert_eq!(r.status, 200, "{host}: {}", r.body);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        let href = v["remediation"]["value"][0]["href"].as_str().unwrap();
        assert!(href.starts_with(&format!("{origin}/idp/idx/")), "{href}");
    }
    for host in [
        format!("Host: evil.example:{port}\r\n"),
        format!("Host: 127.0.0.1.evil.example:{port}\r\n"),
        format!("Host: localhost.evil.example:{port}\r\n"),
        "Host: evil.example\r\n".to_string(),
        format!("Host: 127.0.0.1:{}\r\n", port.wrapping_add(1)),
        format!("Host: 127.0.0.1:{port}\r\nHost: evil.example:{port}\r\n"),
        String::new(),
    ] {
        for (method, path, body) in [
            ("GET", "/", &b""[..]),
            ("GET", PAGE, b""),
            ("GET", "/__preview/csp-reports", b""),
            ("POST", "/idp/idx/introspect", introspect),
            ("POST", "/__preview/csp-report", b"{}"),
        ] {
            let r = http_as(s.addr, &host, method, path, body);
            assert_eq!(r.status, 421, "{host:?} {path}: {}", r.body);
            assert!(r.body.contains("DNS rebinding"), "{}", r.body);
            assert!(r.body.contains(&format!("127.0.0.1:{port}")), "{}", r.body);
            assert!(
                !r.body.contains("evil"),
                "the Host is not echoed: {}",
                r.body
            );
            assert!(r.header("Content-Security-Policy").is_none());
        }
    }
}

/// `--host` names another address: requests for exactly that address are answered too.
/// (All of 127.0.0.0/8 is this machine on Linux; elsewhere only 127.0.0.1 is.)
#[cfg(target_os = "linux")]
#[test]
fn the_host_option_s_address_is_answered_and_no_other() {
    let p = Project::starter();
    let s = Serve::start_with(&p, &["--host", "127.0.0.2"]);
    assert_eq!(s.addr.ip().to_string(), "127.0.0.2");
    let port = s.addr.port();
    let r = http_as(
        s.addr,
        &format!("Host: 127.0.0.2:{port}\r\n"),
        "GET",
        PAGE,
        b"",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        report_uri(&r),
        format!("http://127.0.0.2:{port}/__preview/csp-report")
    );
    for other in ["127.0.0.3", "10.0.0.1", "evil.example"] {
        let r = http_as(
            s.addr,
            &format!("Host: {other}:{port}\r\n"),
            "GET",
            PAGE,
            b"",
        );
        assert_eq!(r.status, 421, "{other}: {}", r.body);
        assert!(r.body.contains(&format!("127.0.0.2:{port}")), "{}", r.body);
    }
}

#[test]
fn text_from_a_csp_report_reaches_the_terminal_with_its_control_characters_escaped() {
    let p = Project::starter();
    let s = Serve::start(&p);
    // JSON escapes: the report carries the raw control characters once parsed.
    let report = r#"{"csp-report":{"document-uri":"http://x/\u001b]0;pwned\u0007","violated-directive":"script-src-elem\u001b[2J","blocked-uri":"https://cdn.example/\u001b[31mred\u009b1m","script-sample":"\u001b[8m","disposition":"enforce"}}"#;
    let r = http(s.addr, "POST", "/__preview/csp-report", report.as_bytes());
    assert_eq!(r.status, 204);
    // The list is JSON, where the characters are escaped by JSON itself.
    let list = s.get("/__preview/csp-reports").body;
    assert!(list.contains("\\u001b]0;pwned\\u0007"), "{list}");
    let err = s.stop();
    assert!(err.contains("CSP violation"), "{err}");
    for c in err.chars() {
        assert!(
            !c.is_control() || c == '\n',
            "a raw {:?} reached the terminal: {err:?}",
            c
        );
    }
    for shown in [
        "http://x/\\u{1b}]0;pwned\\u{7}",
        "script-src-elem\\u{1b}[2J",
        "`https://cdn.example/\\u{1b}[31mred\\u{9b}1m`",
    ] {
        assert!(err.contains(shown), "{shown} in {err}");
    }
}

#[test]
fn oversize_bodies_and_heads_are_refused_before_they_are_read() {
    let p = Project::starter();
    let s = Serve::start(&p);
    let host = format!("Host: {}\r\n", s.addr);
    // One byte over the limit (256 KiB), sent whole.
    let big = vec![b' '; 256 * 1024 + 1];
    let r = http(s.addr, "POST", "/__preview/csp-report", &big);
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(r.body.contains("256 KiB"), "{}", r.body);
    // A body declared huge and never sent: refused at once, and the server lives on.
    for length in ["1000000000000", "99999999999999999999999999"] {
        let request = format!(
            "POST /__preview/csp-report HTTP/1.1\r\n{host}Content-Length: {length}\r\n\r\n{{}}"
        );
        let r = http::send(s.addr, request.as_bytes());
        assert_eq!(r.status, 413, "{length}: {}", r.body);
        assert_eq!(s.get("/").status, 200, "still serving after {length}");
    }
    // A chunked body has no length to judge.
    let chunked = format!(
        "POST /__preview/csp-report HTTP/1.1\r\n{host}Transfer-Encoding: chunked\r\n\r\n2\r\n{{}}\r\n0\r\n\r\n"
    );
    assert_eq!(http::send(s.addr, chunked.as_bytes()).status, 411);
    // Too many header fields, and one too long.
    let many = format!(
        "GET / HTTP/1.1\r\n{host}{}\r\n",
        (0..150)
            .map(|i| format!("X-{i}: y\r\n"))
            .collect::<String>()
    );
    let r = http::send(s.addr, many.as_bytes());
    assert_eq!(r.status, 431, "{}", r.body);
    let long = format!(
        "GET / HTTP/1.1\r\n{host}Cookie: {}\r\n\r\n",
        "c".repeat(200 * 1024)
    );
    let r = http::send(s.addr, long.as_bytes());
    assert_eq!(r.status, 431, "{}", r.body);
    assert!(r.body.contains("64 KiB"), "{}", r.body);
    // What a browser sends still passes, with a reply that closes the connection.
    let normal = format!(
        "GET / HTTP/1.1\r\n{host}Cookie: {}\r\n{}\r\n",
        "c".repeat(4000),
        (0..40).map(|i| format!("X-{i}: y\r\n")).collect::<String>()
    );
    let r = http::send(s.addr, normal.as_bytes());
    assert_eq!(r.status, 200);
    assert_eq!(r.header("Connection"), Some("close"));
    let err = s.stop();
    assert!(
        !err.contains("panicked") && !err.contains("memory allocation"),
        "{err}"
    );
}

#[test]
fn unknown_states_and_locales_are_errors_on_the_page() {
    let p = Project::starter();
    let s = Serve::start(&p);
    for (url, says, names) in [
        (
            "/prod/Example/sign-in?state=nope",
            "Unknown widget state `nope`",
            "identify, password, kmsi, error",
        ),
        (
            "/prod/Example/sign-in?locale=de",
            "Unknown locale `de`",
            "en (default), fr",
        ),
        (
            "/?state=kmsi&locale=pt-BR",
            "Unknown locale `pt-BR`",
            "en (default), fr",
        ),
        (
            "/?state=Password",
            "Unknown widget state `Password`",
            "kmsi",
        ),
    ] {
        let r = s.get(url);
        assert_eq!(r.status, 400, "{url}: {}", r.body);
        assert!(r.body.contains(says), "{url}: {}", r.body);
        assert!(r.body.contains(names), "{url}: {}", r.body);
        // The page reloads itself like every preview page.
        assert!(r.body.contains("/__preview/client.js"), "{url}");
    }
    let r = s.get("/prod/Example/sign-in?state=%3Cscript%3Ealert(1)%3C/script%3E&locale=xx");
    assert_eq!(r.status, 400);
    assert!(r.body.contains("&lt;script&gt;alert(1)"), "{}", r.body);
    assert!(!r.body.contains("<script>alert(1)"), "{}", r.body);
    assert!(
        r.body.contains("Unknown locale `xx`"),
        "both are named: {}",
        r.body
    );
    // Known ones still work.
    assert_eq!(
        s.get("/prod/Example/sign-in?state=kmsi&locale=fr").status,
        200
    );
}

// Issue 13: the real widget by default. `serve` takes the installed widget from
// `node_modules` (the project folder or a parent, up to the repository root), else the
// cached version the project's `[widget] version` resolves to, filled from Okta's CDN;
// only when neither can be had does it show the stand-in, saying why and what to do.

/// An installed `@okta/okta-signin-widget` of `version` in `<dir>/node_modules`.
fn install_widget(dir: &Path, version: &str, script: &str) {
    let package = dir.join("node_modules/@okta/okta-signin-widget");
    std::fs::create_dir_all(package.join("dist/js")).unwrap();
    std::fs::create_dir_all(package.join("dist/css")).unwrap();
    std::fs::write(
        package.join("package.json"),
        format!("{{\"name\":\"@okta/okta-signin-widget\",\"version\":\"{version}\"}}"),
    )
    .unwrap();
    std::fs::write(package.join("dist/js/okta-sign-in.min.js"), script).unwrap();
    std::fs::write(package.join("dist/css/okta-sign-in.min.css"), "/* css */").unwrap();
}

/// The script the sign-in page of the starter's one target loads, and its body.
fn widget_script(s: &Serve) -> (String, String) {
    let page = s.get(PAGE).body;
    let src = page
        .split("<script src=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|src| src.contains("widget.js") || src.contains("/siw/"))
        .unwrap_or_else(|| panic!("no script in {page}"))
        .to_string();
    let body = s.get(&src).body;
    (src, body)
}

#[test]
fn serve_finds_the_widget_in_node_modules_up_to_the_repository_root() {
    let outer = tempfile::tempdir().unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let starter = Project::starter();
    copy_tree(starter.path(), &repo.join("site"));
    // Above the repository root: not looked at.
    install_widget(outer.path(), "7.1.0", "/* outside */");
    let s = Serve::start_in(&repo.join("site"), &[], &[]);
    let (src, _) = widget_script(&s);
    assert!(src.starts_with("/__preview/widget.js"), "{src}");
    let index = s.get("/").body;
    assert!(index.contains("stand-in widget"), "{index}");
    let err = s.stop();
    assert!(
        err.contains("npm install @okta/okta-signin-widget@"),
        "{err}"
    );

    // In the repository root, above the project folder: found, and said.
    install_widget(&repo, "7.49.0", "/* real widget */");
    let s = Serve::start_in(&repo.join("site"), &[], &[]);
    let (src, body) = widget_script(&s);
    assert_eq!(src, "/__preview/siw/js/okta-sign-in.min.js");
    assert_eq!(body, "/* real widget */");
    let index = s.get("/").body;
    assert!(
        index.contains("Okta Sign-In Widget 7.49.0 from ") && index.contains("node_modules"),
        "{index}"
    );
    let err = s.stop();
    assert!(
        err.contains("widget: Okta Sign-In Widget 7.49.0 from "),
        "{err}"
    );
}

/// A loopback stand-in for Okta's CDN: `files` by path; a path in `cut` gets a body
/// shorter than its `Content-Length`; anything else a 404. Every request head is kept.
struct Cdn {
    addr: SocketAddr,
    heads: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Cdn {
    fn start(files: Vec<(String, String)>, cut: Option<String>) -> Cdn {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let heads = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = std::sync::Arc::clone(&heads);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
                kept.lock().unwrap().push(head);
                let reply = match files.iter().find(|(p, _)| *p == path) {
                    Some((_, body)) if cut.as_deref() == Some(path.as_str()) => format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len() + 1000
                    ),
                    Some((_, body)) => format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    ),
                    None => {
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .to_string()
                    }
                };
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        Cdn { addr, heads }
    }

    fn base(&self) -> String {
        format!("http://{}/okta-signin-widget", self.addr)
    }
}

/// The version the starter's `[widget] version` resolves to.
fn starter_widget_version(p: &Project) -> String {
    let toml = p.read("signin-pages.toml");
    let spec = toml
        .lines()
        .find_map(|l| l.trim().strip_prefix("version = "))
        .and_then(|v| v.split('"').nth(1))
        .expect("the starter sets [widget] version");
    signin_pages::widget::resolve(spec)
        .expect("a known version")
        .version()
        .to_string()
}

/// Whatever the cache folder holds, as relative paths.
fn cache_listing(cache: &Path) -> Vec<String> {
    tree(cache).into_iter().map(|(p, _)| p).collect()
}

#[test]
fn serve_fills_the_widget_cache_from_the_cdn_and_serves_it_from_there() {
    let p = Project::starter();
    let version = starter_widget_version(&p);
    let cache = tempfile::tempdir().unwrap();
    let files = vec![
        (
            format!("/okta-signin-widget/{version}/js/okta-sign-in.min.js"),
            "/* from the cdn */".to_string(),
        ),
        (
            format!("/okta-signin-widget/{version}/css/okta-sign-in.min.css"),
            "/* css */".to_string(),
        ),
        (
            format!("/okta-signin-widget/{version}/labels/json/login_fr.json"),
            "{\"primaryauth.title\":\"Connexion\"}".to_string(),
        ),
    ];
    let cdn = Cdn::start(files, None);
    let env = [
        ("SIGNIN_PAGES_CACHE_DIR", cache.path().to_str().unwrap()),
        ("SIGNIN_PAGES_WIDGET_CDN", &cdn.base()),
        ("OKTA_API_TOKEN", "00secret-token-never-sent"),
    ];
    let s = Serve::start_in(p.path(), &[], &env);
    let (src, body) = widget_script(&s);
    assert_eq!(src, "/__preview/siw/js/okta-sign-in.min.js");
    assert_eq!(body, "/* from the cdn */");
    assert_eq!(
        s.get("/__preview/siw/labels/json/login_fr.json").body,
        "{\"primaryauth.title\":\"Connexion\"}"
    );
    let index = s.get("/").body;
    assert!(
        index.contains(&format!("Okta Sign-In Widget {version} from the cache")),
        "{index}"
    );
    let err = s.stop();
    assert!(
        err.contains(&format!(
            "widget: Okta Sign-In Widget {version} from the cache"
        )),
        "{err}"
    );
    // What the cache holds: the version's files, nothing half-written beside them.
    let listing = cache_listing(cache.path());
    assert!(
        listing
            .iter()
            .all(|f| f.starts_with(&format!("widget/{version}/"))),
        "{listing:?}"
    );
    assert!(listing.contains(&format!("widget/{version}/js/okta-sign-in.min.js")));
    // No credential nor cookie went to the CDN.
    let heads = cdn.heads.lock().unwrap().join("\n").to_lowercase();
    assert!(heads.contains("get /okta-signin-widget/"), "{heads}");
    for never in ["authorization", "cookie", "secret-token"] {
        assert!(!heads.contains(never), "{never} in {heads}");
    }

    // A cached version is served without the CDN.
    let env = [
        ("SIGNIN_PAGES_CACHE_DIR", cache.path().to_str().unwrap()),
        ("SIGNIN_PAGES_WIDGET_CDN", "off"),
    ];
    let s = Serve::start_in(p.path(), &[], &env);
    assert_eq!(widget_script(&s).1, "/* from the cdn */");
}

#[test]
fn a_failed_or_cut_download_leaves_no_half_cache_and_the_stand_in_says_what_to_do() {
    let p = Project::starter();
    let version = starter_widget_version(&p);
    let script = format!("/okta-signin-widget/{version}/js/okta-sign-in.min.js");
    let css = format!("/okta-signin-widget/{version}/css/okta-sign-in.min.css");
    let cache = tempfile::tempdir().unwrap();
    let cases: Vec<(Cdn, &str)> = vec![
        // The stylesheet is missing.
        (
            Cdn::start(vec![(script.clone(), "/* js */".into())], None),
            "HTTP 404",
        ),
        // The stylesheet's body is cut short.
        (
            Cdn::start(
                vec![
                    (script.clone(), "/* js */".into()),
                    (css.clone(), "/* css */".into()),
                ],
                Some(css.clone()),
            ),
            &css,
        ),
    ];
    for (cdn, said) in &cases {
        let env = [
            ("SIGNIN_PAGES_CACHE_DIR", cache.path().to_str().unwrap()),
            ("SIGNIN_PAGES_WIDGET_CDN", &cdn.base()),
        ];
        let s = Serve::start_in(p.path(), &[], &env);
        assert!(widget_script(&s).0.starts_with("/__preview/widget.js"));
        let index = s.get("/").body;
        assert!(index.contains("stand-in widget"), "{index}");
        let err = s.stop();
        assert!(
            err.contains("warning: showing the preview's stand-in widget"),
            "{err}"
        );
        assert!(err.contains(said), "{said} not in {err}");
        assert!(
            err.contains(&format!("npm install @okta/okta-signin-widget@{version}"))
                && err.contains("let Okta's CDN be reached"),
            "{err}"
        );
        assert_eq!(cache_listing(cache.path()), Vec::<String>::new());
    }

    // Plain http to anything but a loopback address is refused before any request.
    let env = [
        ("SIGNIN_PAGES_CACHE_DIR", cache.path().to_str().unwrap()),
        (
            "SIGNIN_PAGES_WIDGET_CDN",
            "http://cdn.example.com/okta-signin-widget",
        ),
    ];
    let s = Serve::start_in(p.path(), &[], &env);
    let err = s.stop();
    assert!(err.contains("is refused: only https"), "{err}");
    assert_eq!(cache_listing(cache.path()), Vec::<String>::new());
}

/// Issue 13: a reload must not fetch and compile the widget's 4 MB again. Its files (and
/// the project's `static/` files) carry an ETag from their size and modification time
/// and are revalidated each time (`no-cache`): an unchanged file is a 304 without a body,
/// a changed one (a reinstall, a save) a 200 with a new tag.
#[test]
fn the_widget_s_files_are_revalidated_not_fetched_again() {
    let p = Project::starter();
    let widget = fake_widget();
    let s = Serve::start_with(&p, &["--widget-dir", widget.path().to_str().unwrap()]);
    let url = format!("http://{}/__preview/siw/js/okta-sign-in.min.js", s.addr);
    let first = http::request("GET", &url, &[], None).unwrap();
    assert_eq!(first.status, 200);
    assert_eq!(first.header("Cache-Control"), Some("no-cache"));
    let tag = first.header("ETag").expect("an ETag").to_string();
    let again = http::request("GET", &url, &[("If-None-Match", &tag)], None).unwrap();
    assert_eq!(again.status, 304, "{}", again.body);
    assert!(again.body.is_empty());
    let other = http::request("GET", &url, &[("If-None-Match", "\"other\"")], None).unwrap();
    assert_eq!(other.status, 200);
    assert_eq!(other.body, "/* widget */");

    // A reinstall changes the file: a new tag, the new contents.
    std::fs::write(
        widget.path().join("dist/js/okta-sign-in.min.js"),
        "/* widget 2 */",
    )
    .unwrap();
    let changed = http::request("GET", &url, &[("If-None-Match", &tag)], None).unwrap();
    assert_eq!(changed.status, 200);
    assert_eq!(changed.body, "/* widget 2 */");
    assert_ne!(changed.header("ETag"), Some(tag.as_str()));
}

/// The files a loopback CDN serves for `version`: the script, and a Gen2 stylesheet
/// naming `css` (the rest of its text), plus `more` (paths below the version).
fn cdn_files(version: &str, css: &str, more: &[(&str, &str)]) -> Vec<(String, String)> {
    let at = |p: &str| format!("/okta-signin-widget/{version}/{p}");
    let mut files = vec![
        (at("js/okta-sign-in.min.js"), "/* js */".to_string()),
        (at("css/okta-sign-in.min.css"), css.to_string()),
    ];
    files.extend(more.iter().map(|(p, body)| (at(p), body.to_string())));
    files
}

/// Issue 13: Gen2's stylesheet names its icons and fonts by relative `url(…)`; the cache
/// fetches them with the rest, so that the cached widget looks as Okta's does. Only
/// relative references inside the version's folder are fetched: never `data:`, absolute,
/// protocol-relative or foreign URLs, nor a `..` leading out of the version; a query or
/// fragment is dropped; an image the CDN lacks is left out, as Okta's page lacks it.
#[test]
fn the_cache_holds_the_images_and_fonts_the_widget_s_stylesheet_names() {
    let p = Project::starter();
    let version = starter_widget_version(&p);
    let css = "a{background:url(../img/icons/login/okta.png)}\
        @font-face{src:url(\"../font/okticon.eot?#iefix\") format('eot'),url('../font/okticon.woff')}\
        b{background:url(data:image/png;base64,AAAA) url(https://evil.example/x.png)}\
        c{background:url(//evil.example/y.png) url(/okta-signin-widget/abs.png)}\
        d{background:url(../../escape.png) url(../img/../../../escape2.png) url(%2e%2e/x.png)}\
        e{background:url(../img/missing.png) url(#default#VML)}";
    let files = cdn_files(
        &version,
        css,
        &[
            ("img/icons/login/okta.png", "PNG okta"),
            ("font/okticon.eot", "EOT"),
            ("font/okticon.woff", "WOFF"),
        ],
    );
    let mut files = files;
    // What a `..` escape or an absolute path would reach: there, and never asked for.
    for p in [
        "/okta-signin-widget/escape.png",
        "/okta-signin-widget/abs.png",
    ] {
        files.push((p.to_string(), "OUTSIDE".to_string()));
    }
    let cdn = Cdn::start(files, None);
    let cache = tempfile::tempdir().unwrap();
    let env = [
        ("SIGNIN_PAGES_CACHE_DIR", cache.path().to_str().unwrap()),
        ("SIGNIN_PAGES_WIDGET_CDN", &cdn.base()),
    ];
    let s = Serve::start_in(p.path(), &[], &env);
    assert_eq!(widget_script(&s).1, "/* js */");
    assert_eq!(
        s.get("/__preview/siw/img/icons/login/okta.png").body,
        "PNG okta"
    );
    // As the browser asks for it, query and all.
    assert_eq!(s.get("/__preview/siw/font/okticon.eot?#iefix").body, "EOT");
    assert_eq!(s.get("/__preview/siw/font/okticon.woff").body, "WOFF");
    drop(s);

    let mut listing: Vec<String> = cache_listing(cache.path())
        .into_iter()
        .filter(|f| !f.contains("/.complete"))
        .collect();
    listing.sort();
    let want: Vec<String> = [
        "css/okta-sign-in.min.css",
        "font/okticon.eot",
        "font/okticon.woff",
        "img/icons/login/okta.png",
        "js/okta-sign-in.min.js",
    ]
    .iter()
    .map(|f| format!("widget/{version}/{f}"))
    .collect();
    assert_eq!(listing, want);
    let heads = cdn.heads.lock().unwrap().join("\n");
    for never in [
        "escape", "abs.png", "evil", "data:", "%2e", "VML", "x.png", "y.png",
    ] {
        assert!(!heads.contains(never), "{never} asked for: {heads}");
    }
    assert!(heads.contains("img/missing.png"), "{heads}");
}

/// Issue 13: the stylesheet's images and fonts are part of the version: one cut short,
/// or more of them than the cap, leaves no cache at all (the stand-in says why), as a
/// failed script does.
#[test]
fn a_failed_image_or_too_many_leave_no_half_cache() {
    let p = Project::starter();
    let version = starter_widget_version(&p);
    let cache = tempfile::tempdir().unwrap();
    let image = format!("/okta-signin-widget/{version}/img/a.png");
    let many: String = (0..=512)
        .map(|i| format!("i{i}{{background:url(../img/{i}.png)}}"))
        .collect();
    let cases: Vec<(Cdn, &str)> = vec![
        (
            Cdn::start(
                cdn_files(
                    &version,
                    "a{background:url(../img/a.png)}",
                    &[("img/a.png", "PNG")],
                ),
                Some(image.clone()),
            ),
            &image,
        ),
        (
            Cdn::start(cdn_files(&version, &many, &[]), None),
            "at most 512 are fetched",
        ),
    ];
    for (cdn, said) in &cases {
        let env = [
            ("SIGNIN_PAGES_CACHE_DIR", cache.path().to_str().unwrap()),
            ("SIGNIN_PAGES_WIDGET_CDN", &cdn.base()),
        ];
        let s = Serve::start_in(p.path(), &[], &env);
        assert!(widget_script(&s).0.starts_with("/__preview/widget.js"));
        let err = s.stop();
        assert!(
            err.contains("warning: showing the preview's stand-in widget"),
            "{err}"
        );
        assert!(err.contains(said), "{said} not in {err}");
        assert_eq!(cache_listing(cache.path()), Vec::<String>::new());
    }
    // The cap is checked before any image is asked for.
    let heads = cases[1].0.heads.lock().unwrap().join("\n");
    assert!(!heads.contains("/img/"), "{heads}");
}

/// Issue 13: a version cached before the cache held the stylesheet's images (no
/// completeness marker) is downloaded again and replaced when the CDN can be reached, and
/// served as it is when it cannot.
#[test]
fn a_version_cached_without_its_images_is_filled_again() {
    let p = Project::starter();
    let version = starter_widget_version(&p);
    let cache = tempfile::tempdir().unwrap();
    let older = cache.path().join("widget").join(&version);
    std::fs::create_dir_all(older.join("js")).unwrap();
    std::fs::create_dir_all(older.join("css")).unwrap();
    std::fs::write(older.join("js/okta-sign-in.min.js"), "/* older */").unwrap();
    std::fs::write(
        older.join("css/okta-sign-in.min.css"),
        "a{background:url(../img/a.png)}",
    )
    .unwrap();

    let off = [
        ("SIGNIN_PAGES_CACHE_DIR", cache.path().to_str().unwrap()),
        ("SIGNIN_PAGES_WIDGET_CDN", "off"),
    ];
    let s = Serve::start_in(p.path(), &[], &off);
    assert_eq!(widget_script(&s).1, "/* older */");
    drop(s);

    let cdn = Cdn::start(
        cdn_files(
            &version,
            "a{background:url(../img/a.png)}",
            &[("img/a.png", "PNG")],
        ),
        None,
    );
    let env = [
        ("SIGNIN_PAGES_CACHE_DIR", cache.path().to_str().unwrap()),
        ("SIGNIN_PAGES_WIDGET_CDN", &cdn.base()),
    ];
    let s = Serve::start_in(p.path(), &[], &env);
    assert_eq!(widget_script(&s).1, "/* js */");
    assert_eq!(s.get("/__preview/siw/img/a.png").body, "PNG");
    drop(s);
    // Nothing of the older copy, nor of the move, is left beside it.
    let listing = cache_listing(cache.path());
    assert!(
        listing
            .iter()
            .all(|f| f.starts_with(&format!("widget/{version}/"))),
        "{listing:?}"
    );
    // Complete now: served from the cache without the CDN.
    let s = Serve::start_in(p.path(), &[], &off);
    assert_eq!(s.get("/__preview/siw/img/a.png").body, "PNG");
}

// Issue 13: the stand-in, when it is shown, speaks the page's language with the widget's
// own texts (the embedded data/widget/stand-in/strings.json, English filling the gaps),
// knows the mock answers' user and why it is shown, and moves on through the same mock
// Identity Engine as the real widget.
#[test]
fn the_stand_in_gets_the_widget_s_own_strings_in_the_page_s_language() {
    use serde_json::Value;
    let file: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("data/widget/stand-in/strings.json")).unwrap(),
    )
    .unwrap();
    let p = Project::starter();
    let s = Serve::start(&p);
    let stand_in = |locale: &str| {
        let r = s.get(&format!("{PAGE}?state=password&locale={locale}"));
        assert_eq!(r.status, 200);
        let data = preview_data(&r.body);
        assert_eq!(data["widget"], "stand-in");
        data["standIn"].clone()
    };
    let (fr, en) = (stand_in("fr"), stand_in("en"));
    assert_eq!(fr["language"], "fr");
    assert_eq!(en["language"], "en");
    let keys = file["keys"].as_array().unwrap();
    assert!(keys.len() > 30, "{keys:?}");
    for key in keys {
        let key = key.as_str().unwrap();
        let english = &file["languages"]["en"][key];
        let french = file["languages"]["fr"].get(key).unwrap_or(english);
        assert_eq!(&fr["strings"][key], french, "{key} in fr");
        assert_eq!(&en["strings"][key], english, "{key} in en");
    }
    // French, not English: what the stand-in showed in every locale before.
    for key in [
        "forgotpassword",
        "oform.verify",
        "goback",
        "oie.kmsi.accept",
    ] {
        assert_ne!(fr["strings"][key], en["strings"][key], "{key}");
    }
    assert_eq!(fr["user"]["identifier"], "designer@example.com");
    let reason = fr["reason"].as_str().unwrap();
    assert!(
        reason.contains("npm install @okta/okta-signin-widget"),
        "{reason}"
    );
    // Its buttons ask the mock Identity Engine, as the real widget's do.
    let r = http(
        s.addr,
        "POST",
        "/idp/idx/identify",
        br#"{"stateHandle":"preview~identify"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["stateHandle"], "preview~password");
    drop(s);

    // With the real widget, nothing for a stand-in.
    let widget = fake_widget();
    let s = Serve::start_with(&p, &["--widget-dir", widget.path().to_str().unwrap()]);
    let data = preview_data(&s.get(&format!("{PAGE}?locale=fr")).body);
    assert_eq!(data["widget"], "okta");
    assert!(data["standIn"].is_null(), "{}", data["standIn"]);
}

/// The theme's images and colours reach the page as Okta serves them for the page's
/// variant: the images the theme names at its own URLs (typed by their header, cached
/// as `static/` files), a `{{themedStylesUrl}}` built from the colours (cached for good
/// under a URL versioned by its text), and the previous stand-ins for `OKTA_DEFAULT`.
#[test]
fn the_theme_gives_the_page_its_images_and_colours_per_variant() {
    let logo = png_image(120, 40);
    let favicon = png_image(32, 32);
    let p = Project::starter()
        .file("brand/logo.png", &logo)
        // A PNG under an .ico name: the header says what it is.
        .file("brand/favicon.ico", &favicon)
        .file("brand/background.png", png_image(64, 40));
    let base = p.read("signin-pages.toml");
    let with_theme = |variant: &str| {
        format!(
            "{base}\n[theme]\nprimary_color = \"#0f5c45\"\nprimary_contrast_color = \"#ffffff\"\nsecondary_color = \"#223344\"\nsign_in_page = \"{variant}\"\nlogo = \"brand/logo.png\"\nfavicon = \"brand/favicon.ico\"\nbackground = \"brand/background.png\"\n"
        )
    };
    p.write("signin-pages.toml", with_theme("BACKGROUND_IMAGE"));
    let s = Serve::start(&p);
    let page = s.get(PAGE);
    assert_eq!(page.status, 200, "{}", page.body);
    let theme = "/__preview/theme/prod/Example/";
    assert!(
        page.body
            .contains(&format!("background-image: url({theme}background)")),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("href=\"{theme}favicon\"")));
    assert!(page.body.contains(&format!("\"logo\":\"{theme}logo\"")));
    let css_url =
        regex::Regex::new(r#"href="(/__preview/theme/prod/Example/sign-in\.css\?v=[0-9a-f]+)""#)
            .unwrap()
            .captures(&page.body)
            .unwrap_or_else(|| panic!("no themed stylesheet: {}", page.body))[1]
            .to_string();
    let css = s.get(&css_url);
    assert_eq!(css.status, 200);
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert!(css.header("Cache-Control").unwrap().contains("immutable"));
    assert!(
        css.body.contains("background-color: #0f5c45") && css.body.contains("color: #ffffff"),
        "{}",
        css.body
    );
    assert!(!css.body.contains("background-image: none"));

    // The images, byte for byte, typed by their header, revalidated as static files are.
    let icon = s.get(&format!("{theme}favicon"));
    assert_eq!(icon.status, 200);
    assert_eq!(icon.body, String::from_utf8_lossy(&favicon));
    assert_eq!(icon.header("Content-Type"), Some("image/png"));
    assert_eq!(icon.header("Cache-Control"), Some("no-cache"));
    let tag = icon.header("ETag").unwrap().to_string();
    let again = http_as(
        s.addr,
        &format!("Host: {}\r\nIf-None-Match: {tag}\r\n", s.addr),
        "GET",
        &format!("{theme}favicon"),
        b"",
    );
    assert_eq!(again.status, 304);
    assert_eq!(
        s.get(&format!("{theme}logo")).body,
        String::from_utf8_lossy(&logo)
    );
    for bad in [
        format!("{theme}signin-pages.toml"),
        format!("{theme}..%2f..%2fsignin-pages.toml"),
        format!("{theme}logo/x"),
        "/__preview/theme/prod/Nope/logo".to_string(),
    ] {
        assert_eq!(s.get(&bad).status, 404, "{bad}");
    }

    // The secondary colour instead of the background image.
    let mut events = s.events();
    p.write(
        "signin-pages.toml",
        with_theme("BACKGROUND_SECONDARY_COLOR"),
    );
    assert!(events.next("reload", RELOAD).is_some());
    let page = s.get(PAGE);
    assert!(
        !page.body.contains(&format!("{theme}background")),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("href=\"{theme}favicon\"")));
    let css_url2 =
        regex::Regex::new(r#"href="(/__preview/theme/prod/Example/sign-in\.css\?v=[0-9a-f]+)""#)
            .unwrap()
            .captures(&page.body)
            .unwrap()[1]
            .to_string();
    assert_ne!(css_url2, css_url, "a new stylesheet is a new URL");
    let css = s.get(&css_url2).body;
    assert!(
        css.contains("background-image: none !important; background-color: #223344"),
        "{css}"
    );

    // OKTA_DEFAULT: Okta's look, the stand-ins of a project without a theme.
    p.write("signin-pages.toml", with_theme("OKTA_DEFAULT"));
    assert!(events.next("reload", RELOAD).is_some());
    let page = s.get(PAGE);
    assert!(!page.body.contains(theme), "{}", page.body);
    assert!(page.body.contains("href=\"/__preview/themed.css?v="));
    assert!(
        page.body
            .contains("background-image: url(/__preview/background.svg?v=")
    );
}
