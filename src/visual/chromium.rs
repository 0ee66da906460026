//! Headless Chromium, driven over the DevTools protocol through a pipe
//! (`--remote-debugging-pipe`): Chromium reads commands from its file descriptor 3 and
//! writes answers and events to its descriptor 4, one JSON message per NUL-terminated
//! chunk. No websocket, no async runtime: a thread reads the pipe and hands each
//! message over a channel; calls wait for their answer with a deadline.
//!
//! Chromium's own command line (`--screenshot`) was measured first: 5.5 s a screenshot
//! (a new browser each time), taken before the widget had rendered (a spinner), two
//! runs giving different bytes, and `--virtual-time-budget` never returned while the
//! page held a connection open. One browser, one tab, and a wait for the page to
//! settle (below) gives a screenshot of the rendered widget every time.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

/// The names Chromium goes by on `PATH`, in the order they are tried.
const NAMES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// How long one DevTools call may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a page may take to settle (load, fonts, network, DOM) before we give up.
const SETTLE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the DOM must stay unchanged, and the network idle, to count as rendered: the
/// widget works on an answer (parse, render) for up to 250 ms on a busy 2-core machine
/// before the DOM shows it (measured on its Okta Verify push view, which polls at once).
const QUIET: Duration = Duration::from_millis(400);
/// How often the page is asked whether it settled.
const POLL: Duration = Duration::from_millis(40);

/// The viewport every screenshot has: CSS pixels at a device scale of 1.
pub const WIDTH: u32 = 1280;
pub const HEIGHT: u32 = 800;

/// The time every page believes it starts at (2026-01-01T00:00:00Z), in ms since the epoch.
const FIXED_TIME_MS: u64 = 1_767_225_600_000;

#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    #[error(
        "Chromium was not found on PATH (looked for {}): install it (Debian/Ubuntu: `apt-get install chromium`; macOS: `brew install --cask chromium`) or name it with --chromium PATH",
        NAMES.join(", ")
    )]
    NotFound,
    #[error("--chromium {0}: no such file")]
    Missing(PathBuf),
    #[error("cannot start Chromium ({path}): {reason}")]
    Start { path: PathBuf, reason: String },
    #[error("Chromium stopped answering ({0})")]
    Gone(String),
    #[error("Chromium refused {method}: {message}")]
    Refused { method: String, message: String },
    #[error("{url} did not finish rendering within {secs} s ({what})")]
    Unsettled {
        url: String,
        secs: u64,
        what: String,
    },
    #[error("visual snapshots need a Unix system (Chromium's DevTools pipe)")]
    Unsupported,
}

/// The Chromium to run: the one named, or the first of [`NAMES`] on `PATH`.
pub fn find(named: Option<&Path>) -> Result<PathBuf, BrowserError> {
    if let Some(p) = named {
        // A bare name is looked up on PATH like the defaults.
        if p.components().count() == 1 && !p.exists() {
            return on_path(&p.to_string_lossy()).ok_or_else(|| BrowserError::Missing(p.into()));
        }
        return if p.is_file() {
            Ok(p.to_path_buf())
        } else {
            Err(BrowserError::Missing(p.to_path_buf()))
        };
    }
    NAMES
        .iter()
        .find_map(|n| on_path(n))
        .ok_or(BrowserError::NotFound)
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// A running headless Chromium with one tab.
pub struct Browser {
    child: Child,
    commands: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
    session: String,
    /// Requests of the current page still under way.
    pending: HashSet<String>,
    load_fired: bool,
    /// When the last request of the current page ended.
    last_response: Instant,
    profile: PathBuf,
}

impl Browser {
    /// Start `chromium` headless with a fresh profile, open a tab with the fixed viewport,
    /// time, time zone and locale.
    pub fn start(chromium: &Path) -> Result<Browser, BrowserError> {
        if !cfg!(unix) {
            return Err(BrowserError::Unsupported);
        }
        static STARTED: AtomicU64 = AtomicU64::new(0);
        let profile = std::env::temp_dir().join(format!(
            "signin-pages-chromium-{}-{}",
            std::process::id(),
            STARTED.fetch_add(1, Ordering::Relaxed)
        ));
        let start_error = |reason: String| BrowserError::Start {
            path: chromium.to_path_buf(),
            reason,
        };
        let _ = std::fs::remove_dir_all(&profile);
        std::fs::create_dir_all(&profile).map_err(|e| start_error(e.to_string()))?;
        let mut args: Vec<String> = [
            "--headless=new",
            "--remote-debugging-pipe",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--mute-audio",
            "--hide-scrollbars",
            // Fonts: no hinting, grey-scale anti-aliasing, whole-pixel glyph positions.
            "--font-render-hinting=none",
            "--disable-lcd-text",
            "--disable-font-subpixel-positioning",
            "--force-color-profile=srgb",
            "--force-device-scale-factor=1",
            "--lang=en-US",
            // Nothing but the preview (on 127.0.0.1) is reachable: a screenshot never
            // depends on whether some CDN answers, and no lookup hangs.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.push(format!("--window-size={WIDTH},{HEIGHT}"));
        args.push(format!("--user-data-dir={}", profile.display()));
        if running_as_root() {
            // Chromium refuses to start its sandbox as root (containers, CI).
            args.push("--no-sandbox".into());
        }
        args.push("about:blank".into());
        // Chromium wants the pipe on descriptors 3 and 4; std cannot hand a child more
        // than 0-2, so a shell moves our stdin/stdout pipes there and execs Chromium.
        let mut child = Command::new("/bin/sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null"#)
            .arg(chromium)
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| start_error(e.to_string()))?;
        let commands = child.stdin.take().expect("stdin is piped");
        let out = child.stdout.take().expect("stdout is piped");
        let (tx, messages) = channel();
        std::thread::Builder::new()
            .name("chromium-pipe".into())
            .spawn(move || {
                let mut reader = BufReader::new(out);
                let mut buf = Vec::new();
                loop {
                    buf.clear();
                    match reader.read_until(0, &mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(_) => {
                            if buf.last() == Some(&0) {
                                buf.pop();
                            }
                            if let Ok(v) = serde_json::from_slice::<Value>(&buf)
                                && tx.send(v).is_err()
                            {
                                break;
                            }
                        }
                    }
                }
            })
            .map_err(|e| start_error(e.to_string()))?;
        let mut browser = Browser {
            child,
            commands,
            messages,
            next_id: 0,
            session: String::new(),
            pending: HashSet::new(),
            load_fired: false,
            last_response: Instant::now(),
            profile,
        };
        browser.open_tab().map_err(|e| match e {
            BrowserError::Gone(why) => start_error(format!("it exited at once ({why})")),
            e => e,
        })?;
        Ok(browser)
    }

    fn open_tab(&mut self) -> Result<(), BrowserError> {
        let target = self.call_browser("Target.createTarget", json!({ "url": "about:blank" }))?;
        let target_id = target["targetId"].as_str().unwrap_or_default().to_string();
        let attached = self.call_browser(
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
        )?;
        self.session = attached["sessionId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        self.call("Page.enable", json!({}))?;
        self.call("Network.enable", json!({}))?;
        self.call("Runtime.enable", json!({}))?;
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": false }),
        )?;
        self.call(
            "Emulation.setTimezoneOverride",
            json!({ "timezoneId": "UTC" }),
        )?;
        self.call("Emulation.setLocaleOverride", json!({ "locale": "en-US" }))?;
        self.call(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": page_script() }),
        )?;
        Ok(())
    }

    /// The browser's name and version, as `Chromium 156.0.8078.108` (from `Browser.getVersion`;
    /// the headless shell names itself `HeadlessChrome/…`).
    pub fn version(&mut self) -> Result<String, BrowserError> {
        let v = self.call_browser("Browser.getVersion", json!({}))?;
        let product = v["product"].as_str().unwrap_or_default();
        let number = product.rsplit('/').next().unwrap_or_default();
        Ok(format!("Chromium {number}"))
    }

    /// Load `url` and wait until it has settled: loaded, fonts ready, a widget it makes
    /// has drawn a view, and the DOM and network quiet for [`QUIET`].
    pub fn open(&mut self, url: &str) -> Result<(), BrowserError> {
        self.navigate(url)?;
        self.settle(url)
    }

    /// Start loading `url` and return (a live page's event stream never ends: wait for
    /// what it shows with [`Browser::wait_for`]).
    pub fn navigate(&mut self, url: &str) -> Result<(), BrowserError> {
        self.pending.clear();
        self.load_fired = false;
        self.last_response = Instant::now();
        let nav = self.call("Page.navigate", json!({ "url": url }))?;
        if let Some(e) = nav["errorText"].as_str().filter(|e| !e.is_empty()) {
            return Err(BrowserError::Refused {
                method: format!("Page.navigate {url}"),
                message: e.to_string(),
            });
        }
        Ok(())
    }

    /// Ask the page every few milliseconds whether `expression` is true, until it is
    /// (`true`) or `timeout` has passed (`false`). The page may reload meanwhile.
    pub fn wait_for(&mut self, expression: &str, timeout: Duration) -> Result<bool, BrowserError> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            // Between a reload's unload and the new document, evaluation can fail: ask again.
            if let Ok(Value::Bool(true)) = self.evaluate(expression, false) {
                return Ok(true);
            }
            self.drain(Duration::from_millis(5))?;
        }
        Ok(false)
    }

    /// Load `url`, wait until it has settled, and return a PNG of the viewport.
    pub fn screenshot(&mut self, url: &str) -> Result<Vec<u8>, BrowserError> {
        self.open(url)?;
        let shot = self.call(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": false, "fromSurface": true }),
        )?;
        let data = shot["data"].as_str().unwrap_or_default();
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| BrowserError::Refused {
                method: "Page.captureScreenshot".into(),
                message: e.to_string(),
            })
    }

    /// Wait until the page has loaded, its fonts are ready, no request is under way and
    /// its DOM has not changed for [`QUIET`]; then for two frames to be painted.
    fn settle(&mut self, url: &str) -> Result<(), BrowserError> {
        let deadline = Instant::now() + SETTLE_TIMEOUT;
        loop {
            self.drain(POLL)?;
            if self.load_fired && self.pending.is_empty() {
                let quiet = self.evaluate(
                    "document.readyState === 'complete' && document.fonts.status === 'loaded' \
                     && (!window.__signinVisualWidget || window.__signinVisualDrawn) \
                     ? performance.now() - (window.__signinVisualLastChange || 0) : -1",
                    false,
                )?;
                let idle = self.last_response.elapsed().as_millis() as f64;
                if quiet.as_f64().unwrap_or(-1.0).min(idle) >= QUIET.as_millis() as f64 {
                    break;
                }
            }
            if Instant::now() > deadline {
                let what = if !self.load_fired {
                    "the load event never came".to_string()
                } else if !self.pending.is_empty() {
                    format!("{} request(s) never finished", self.pending.len())
                } else if self.evaluate(
                    "!!window.__signinVisualWidget && !window.__signinVisualDrawn",
                    false,
                )? == Value::Bool(true)
                {
                    "the Sign-In Widget never drew a view (no afterRender or afterError)"
                        .to_string()
                } else {
                    "the page kept changing".to_string()
                };
                return Err(BrowserError::Unsettled {
                    url: url.to_string(),
                    secs: SETTLE_TIMEOUT.as_secs(),
                    what,
                });
            }
        }
        self.evaluate(
            "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))",
            true,
        )?;
        Ok(())
    }

    fn evaluate(&mut self, expression: &str, wait: bool) -> Result<Value, BrowserError> {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": wait }),
        )?;
        Ok(r["result"]["value"].clone())
    }

    /// Take in the events that arrive within `wait`.
    fn drain(&mut self, wait: Duration) -> Result<(), BrowserError> {
        let until = Instant::now() + wait;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) => self.event(&m),
                Err(RecvTimeoutError::Timeout) => return Ok(()),
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(BrowserError::Gone(self.exit_status()));
                }
            }
        }
    }

    fn event(&mut self, m: &Value) {
        if m["sessionId"].as_str() != Some(self.session.as_str()) {
            return;
        }
        let id = || m["params"]["requestId"].as_str().unwrap_or("").to_string();
        match m["method"].as_str().unwrap_or("") {
            "Page.loadEventFired" => self.load_fired = true,
            "Network.requestWillBeSent" => {
                self.pending.insert(id());
            }
            "Network.loadingFinished" | "Network.loadingFailed" => {
                self.pending.remove(&id());
                self.last_response = Instant::now();
            }
            _ => {}
        }
    }

    /// A command to the tab.
    fn call(&mut self, method: &str, params: Value) -> Result<Value, BrowserError> {
        let session = self.session.clone();
        self.send(method, params, Some(&session))
    }

    /// A command to the browser itself.
    fn call_browser(&mut self, method: &str, params: Value) -> Result<Value, BrowserError> {
        self.send(method, params, None)
    }

    fn send(
        &mut self,
        method: &str,
        params: Value,
        session: Option<&str>,
    ) -> Result<Value, BrowserError> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&msg).expect("a JSON value serializes");
        bytes.push(0);
        if let Err(e) = self
            .commands
            .write_all(&bytes)
            .and_then(|()| self.commands.flush())
        {
            let status = self.exit_status();
            return Err(BrowserError::Gone(format!("{e}; {status}")));
        }
        let deadline = Instant::now() + CALL_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let m = match self.messages.recv_timeout(left) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => {
                    return Err(BrowserError::Gone(format!(
                        "no answer to {method} within {} s",
                        CALL_TIMEOUT.as_secs()
                    )));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(BrowserError::Gone(self.exit_status()));
                }
            };
            if m["id"].as_u64() != Some(id) {
                self.event(&m);
                continue;
            }
            if let Some(e) = m.get("error") {
                return Err(BrowserError::Refused {
                    method: method.to_string(),
                    message: e["message"].as_str().unwrap_or("").to_string(),
                });
            }
            return Ok(m["result"].clone());
        }
    }

    fn exit_status(&mut self) -> String {
        match self.child.try_wait() {
            Ok(Some(status)) => format!("it exited: {status}"),
            _ => "the pipe closed".to_string(),
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.send("Browser.close", json!({}), None);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Whether this process runs as root (Chromium's sandbox does not start then).
fn running_as_root() -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// Run in every page before its own scripts: the clock starts at [`FIXED_TIME_MS`] (and
/// runs on from there, so timers still work), and the time of the DOM's last change is
/// kept for [`Browser::settle`].
fn page_script() -> String {
    format!(
        r#"(function () {{
  var Real = Date, offset = {FIXED_TIME_MS} - Real.now();
  function FixedDate() {{
    if (!new.target) return new Real(Real.now() + offset).toString();
    var a = Array.prototype.slice.call(arguments);
    return a.length ? new (Function.prototype.bind.apply(Real, [null].concat(a)))() : new Real(Real.now() + offset);
  }}
  FixedDate.prototype = Real.prototype;
  FixedDate.now = function () {{ return Real.now() + offset; }};
  FixedDate.parse = Real.parse;
  FixedDate.UTC = Real.UTC;
  window.Date = FixedDate;
  window.__signinVisualLastChange = performance.now();
  // The Sign-In Widget draws a spinner, then waits for its answers (and, under load, for
  // its own code) before it draws a form: a quiet DOM alone can be that spinner. A page
  // that makes a widget is settled only once it has drawn a view (`afterRender`) or an
  // error (`afterError`).
  var Widget;
  Object.defineProperty(window, 'OktaSignIn', {{
    configurable: true,
    get: function () {{ return Widget; }},
    set: function (Real) {{
      Widget = typeof Real !== 'function' ? Real : new Proxy(Real, {{
        construct: function (target, args, newTarget) {{
          var w = Reflect.construct(target, args, newTarget);
          if (w && typeof w.on === 'function') {{
            window.__signinVisualWidget = true;
            var drawn = function () {{
              window.__signinVisualDrawn = true;
              window.__signinVisualLastChange = performance.now();
            }};
            w.on('afterRender', drawn);
            w.on('afterError', drawn);
          }}
          return w;
        }}
      }});
    }}
  }});
  new MutationObserver(function () {{ window.__signinVisualLastChange = performance.now(); }})
    .observe(document, {{ subtree: true, childList: true, attributes: true, characterData: true }});
}})();"#
    )
}
