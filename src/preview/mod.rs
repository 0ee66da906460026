//! `serve`: the live preview. Every page is rendered in memory by the same pipeline as
//! `build` ([`crate::compile`]), then Okta's tags are filled in per response
//! ([`okta`]): a fresh nonce, sent in the Content-Security-Policy header Okta would send
//! ([`csp`]), and a stand-in Sign-In Widget ([`assets`]) or the real one ([`idx`] answers
//! its requests). A file watcher ([`watch`]) recompiles on every save and tells every
//! open page to reload over server-sent events ([`events`]).
//!
//! What may come in and go out — request heads and bodies, the `Host` a request names,
//! the files a request reads, the text printed from a request — is decided in [`guard`].
//!
//! Threads: the front door ([`guard::front_door`]) reads each connection's request on a
//! thread of its own and passes it to tiny_http on a private loopback port; one thread
//! accepts tiny_http's requests and hands each to a thread of its own, so a slow client
//! (or an event stream, which stays open) never holds up another; one watches files and
//! recompiles; one, the keeper, works around tiny_http 0.12's connection pool. That pool
//! reads each connection on a thread of its own, but can leave a new connection queued
//! when every thread it has is held (by event streams, idle keep-alive connections, slow
//! clients) and two connections arrive at once: the queue is only looked at by a thread
//! that finishes. The keeper makes a quick request every [`KEEPER_EVERY`]; the thread
//! that serves it then takes whatever waits. No async runtime.

mod assets;
mod csp;
mod events;
mod guard;
mod idx;
mod okta;
mod site;
mod watch;

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::Instant;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use crate::diag::ColorChoice;
use csp::Report;
use events::Broadcaster;
use site::{PageKind, Site};

/// The port `serve` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 4600;

/// How to run the preview.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where to listen; port 0 picks a free port.
    pub addr: SocketAddr,
    /// An installed `@okta/okta-signin-widget` (the package folder or its `dist/`): serve
    /// the real widget, driven by mock responses, instead of the stand-in.
    pub widget_dir: Option<PathBuf>,
    /// Colour of the diagnostics printed on the terminal.
    pub color: ColorChoice,
    /// Print only problems (template errors, CSP violations).
    pub quiet: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), DEFAULT_PORT),
            widget_dir: None,
            color: ColorChoice::Never,
            quiet: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("cannot listen on {addr}: {reason} (is another preview running? try --port 0)")]
    Bind { addr: SocketAddr, reason: String },
    #[error(
        "`{0}` does not hold the Sign-In Widget: expected js/okta-sign-in.min.js in it or in its dist/ (npm install @okta/okta-signin-widget)"
    )]
    WidgetDir(PathBuf),
}

/// A running preview server.
pub struct Preview {
    shared: Arc<Shared>,
    server: Arc<tiny_http::Server>,
    accept: Option<JoinHandle<()>>,
    door: Option<JoinHandle<()>>,
    keeper: Option<JoinHandle<()>>,
    watcher: Option<watch::Watcher>,
    addr: SocketAddr,
}

/// What every request handler and the watcher share.
struct Shared {
    root: PathBuf,
    /// The address the server listens on (the front door).
    addr: SocketAddr,
    /// tiny_http's private loopback address, behind the front door.
    internal: SocketAddr,
    options: Options,
    /// The real widget's `dist/` folder, when `--widget-dir` is given.
    widget_dist: Option<PathBuf>,
    site: RwLock<Arc<Site>>,
    events: Broadcaster,
    reports: Mutex<Vec<Report>>,
    stopping: AtomicBool,
    /// Serializes recompiles (the watcher's and [`Preview::reload`]'s).
    compiling: Mutex<()>,
}

/// How often the keeper makes its request (the longest a connection can wait behind
/// tiny_http's pool).
const KEEPER_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// The most CSP reports kept for `/__preview/csp-reports`.
const MAX_REPORTS: usize = 500;

impl Preview {
    /// Compile the project, start listening and watching. Returns once the server
    /// accepts requests.
    pub fn start(root: &Path, options: Options) -> Result<Preview, PreviewError> {
        let widget_dist = match &options.widget_dir {
            Some(dir) => {
                Some(idx::widget_dist(dir).ok_or_else(|| PreviewError::WidgetDir(dir.clone()))?)
            }
            None => None,
        };
        let bind_error = |e: &dyn std::fmt::Display| PreviewError::Bind {
            addr: options.addr,
            reason: e.to_string(),
        };
        let listener = TcpListener::bind(options.addr).map_err(|e| bind_error(&e))?;
        let addr = listener.local_addr().map_err(|e| bind_error(&e))?;
        // Only the front door talks to tiny_http (see `guard`).
        let server = tiny_http::Server::http((Ipv4Addr::LOCALHOST, 0))
            .or_else(|_| tiny_http::Server::http((std::net::Ipv6Addr::LOCALHOST, 0)))
            .map_err(|e| bind_error(&e))?;
        let internal = server
            .server_addr()
            .to_ip()
            .expect("a TCP listener has an IP address");
        // Generations start from the clock, so that a page notices a restarted server.
        let first = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_millis() as u64 % 1_000_000_000);
        let site = Site::compile(root, first);
        let shared = Arc::new(Shared {
            root: root.to_path_buf(),
            addr,
            internal,
            options,
            widget_dist,
            site: RwLock::new(Arc::new(site)),
            events: Broadcaster::default(),
            reports: Mutex::new(Vec::new()),
            stopping: AtomicBool::new(false),
            compiling: Mutex::new(()),
        });
        shared.print_summary(&shared.current(), None, None);
        let watcher = {
            let shared = Arc::clone(&shared);
            match watch::Watcher::start(root, move |changed| shared.recompile(&changed)) {
                Ok(w) => Some(w),
                Err(e) => {
                    errln!(
                        "warning: cannot watch {} for changes ({e}): pages will not reload by themselves",
                        root.display()
                    );
                    None
                }
            }
        };
        let server = Arc::new(server);
        let accept = {
            let server = Arc::clone(&server);
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("preview-accept".into())
                .spawn(move || accept_loop(&server, &shared))
                .expect("spawn the accept thread")
        };
        let door = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("preview-front-door".into())
                .spawn(move || guard::front_door(&listener, shared.internal, &shared.stopping))
                .expect("spawn the front door thread")
        };
        let keeper = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("preview-keeper".into())
                .spawn(move || keeper(&shared))
                .expect("spawn the keeper thread")
        };
        Ok(Preview {
            shared,
            server,
            accept: Some(accept),
            door: Some(door),
            keeper: Some(keeper),
            watcher,
            addr,
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The index page's URL. An unspecified bind address (`0.0.0.0`) is shown as the
    /// loopback address, which reaches it too.
    pub fn url(&self) -> String {
        format!("http://{}/", reachable(self.addr))
    }

    /// Recompile now and tell every open page to reload (what a saved file does).
    pub fn reload(&self) {
        self.shared.recompile(&[]);
    }

    /// Block until the server stops (it stops only through [`Preview::shutdown`] or the
    /// end of the process).
    pub fn wait(mut self) {
        if let Some(a) = self.accept.take() {
            let _ = a.join();
        }
    }

    /// Stop watching, close every event stream, stop accepting and wait for the accept
    /// thread. Requests already being answered finish on their own threads.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.watcher.take();
        self.shared.events.close();
        self.server.unblock();
        if let Some(a) = self.accept.take() {
            let _ = a.join();
        }
        if let Some(d) = self.door.take() {
            // Wake the front door's accept; it sees `stopping` and closes the listener.
            let wake = std::net::TcpStream::connect_timeout(
                &reachable(self.addr),
                std::time::Duration::from_secs(1),
            );
            if wake.is_ok() {
                let _ = d.join();
            }
        }
        if let Some(k) = self.keeper.take() {
            k.thread().unpark();
            let _ = k.join();
        }
    }
}

/// `addr`, with an unspecified IP (`0.0.0.0`, `::`) replaced by the loopback address of
/// its family, which reaches it.
fn reachable(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

/// See the module documentation: a quick request now and then frees what tiny_http's
/// pool left waiting. It goes to tiny_http directly (the front door is not the pool).
fn keeper(shared: &Shared) {
    let addr = shared.internal;
    let ping = format!(
        "GET /__preview/ping HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        reachable(shared.addr)
    );
    let timeout = std::time::Duration::from_secs(1);
    while !shared.stopping.load(Ordering::SeqCst) {
        std::thread::park_timeout(KEEPER_EVERY);
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
        if let Ok(mut s) = std::net::TcpStream::connect_timeout(&addr, timeout) {
            let _ = s.set_read_timeout(Some(timeout));
            let _ = s.set_write_timeout(Some(timeout));
            let _ = s.write_all(ping.as_bytes());
            let _ = s.read_to_end(&mut Vec::new());
        }
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        if self.accept.is_some() {
            self.stop();
        }
    }
}

fn accept_loop(server: &tiny_http::Server, shared: &Arc<Shared>) {
    loop {
        let request = match server.recv() {
            Ok(r) => r,
            // `unblock` (shutdown), or a failed accept: only the first ends the loop.
            Err(_) if shared.stopping.load(Ordering::SeqCst) => break,
            Err(_) => {
                std::thread::sleep(std::time::Duration::from_millis(5));
                continue;
            }
        };
        if shared.stopping.load(Ordering::SeqCst) {
            let _ = request.respond(Response::empty(503));
            break;
        }
        let shared = Arc::clone(shared);
        let spawned = std::thread::Builder::new()
            .name("preview-request".into())
            .spawn(move || shared.handle(request));
        if let Err(e) = spawned {
            errln!("warning: cannot start a thread for a request: {e}");
        }
    }
}

/// The query parameters a page reads.
struct Query {
    state: Option<String>,
    locale: Option<String>,
}

fn parse_query(q: &str) -> Query {
    let mut out = Query {
        state: None,
        locale: None,
    };
    for pair in q.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_decode(v);
        match k {
            "state" => out.state = Some(v),
            "locale" => out.locale = Some(v),
            _ => {}
        }
    }
    out
}

/// `%XX` and `+` decoding of a URL component (invalid escapes are kept as written).
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                    }
                    Err(_) => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A URL path segment, percent-encoded.
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII without CR/LF")
}

/// A response with a body and a content type, never cached.
fn respond(request: Request, status: u16, content_type: &str, body: impl Into<Vec<u8>>) {
    let response = Response::from_data(body.into())
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(response);
}

impl Shared {
    fn current(&self) -> Arc<Site> {
        Arc::clone(&self.site.read().expect("site lock"))
    }

    /// Recompile the project, swap the site in, print what changed and tell every page.
    fn recompile(&self, changed: &[PathBuf]) {
        if self.stopping.load(Ordering::SeqCst) {
            return;
        }
        let _one_at_a_time = self.compiling.lock().expect("compile lock");
        let start = Instant::now();
        let previous = self.current();
        let site = Arc::new(Site::compile(&self.root, previous.generation + 1));
        *self.site.write().expect("site lock") = Arc::clone(&site);
        self.events.send(
            "reload",
            &serde_json::json!({ "generation": site.generation, "ok": site.all_ok() }).to_string(),
        );
        self.print_summary(&site, Some(&previous), Some((changed, start.elapsed())));
    }

    /// One line per change; the diagnostics in full when they changed and hold an error.
    fn print_summary(
        &self,
        site: &Site,
        previous: Option<&Site>,
        change: Option<(&[PathBuf], std::time::Duration)>,
    ) {
        let q = self.options.quiet;
        let what = match change {
            Some((paths, took)) => {
                let names: Vec<String> = paths
                    .iter()
                    .map(|p| {
                        let name = p.strip_prefix(&self.root).unwrap_or(p).display();
                        guard::terminal(&name.to_string()).into_owned()
                    })
                    .collect();
                let names = if names.is_empty() {
                    "reload".to_string()
                } else {
                    names.join(", ")
                };
                format!("{names}: recompiled in {} ms", took.as_millis())
            }
            None => format!("compiled in {} ms", site.compiled_in.as_millis()),
        };
        let (errors, warnings) = site.counts();
        if errors > 0 {
            let same = previous.is_some_and(|p| p.diag_text == site.diag_text);
            errln!(
                "{what}: {errors} error{} (the pages show them; they reload by themselves once fixed)",
                plural(errors)
            );
            if !same {
                err!("{}", site.render_diags(self.options.color));
            }
        } else if !q {
            let w = if warnings > 0 {
                format!(
                    ", {warnings} warning{} (shown on the page)",
                    plural(warnings)
                )
            } else {
                String::new()
            };
            errln!("{what}{w}");
        }
    }

    fn handle(&self, mut request: Request) {
        let hosts: Vec<&str> = request
            .headers()
            .iter()
            .filter(|h| h.field.equiv("Host"))
            .map(|h| h.value.as_str())
            .collect();
        let Some(origin) = guard::origin(&hosts, self.addr) else {
            let why = format!(
                "421 Misdirected Request: this preview answers only requests for {}; \
                 this one named another host (or none), as a page of another site does \
                 when it points its own name at this machine (DNS rebinding). \
                 Open {} instead.\n",
                guard::accepted_hosts(self.addr),
                format_args!("http://{}/", reachable(self.addr)),
            );
            return respond(request, 421, "text/plain; charset=utf-8", why);
        };
        let url = request.url().to_string();
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        let path = path.to_string();
        let method = request.method().clone();
        match (&method, path.as_str()) {
            (Method::Get | Method::Head, "/") => self.index(request, parse_query(query)),
            (Method::Get, "/__preview/ping") => {
                let _ = request.respond(Response::empty(204));
            }
            (Method::Get, "/__preview/events") => self.events(request),
            (Method::Post, "/__preview/csp-report") => {
                let Some(body) = read_body(&mut request) else {
                    return too_large(request);
                };
                self.csp_report(&body);
                let _ = request.respond(Response::empty(204));
            }
            (Method::Get, "/__preview/csp-reports") => {
                let reports = self.reports.lock().expect("reports lock").clone();
                let json = serde_json::to_string_pretty(&reports).expect("reports serialize");
                respond(request, 200, "application/json", json);
            }
            (Method::Get, "/__preview/site.json") => {
                let json = self.current().summary_json().to_string();
                respond(request, 200, "application/json", json);
            }
            (Method::Get | Method::Head, p) if p.starts_with("/__preview/siw/") => {
                match &self.widget_dist {
                    Some(dist) => serve_file(request, dist, dist, &p["/__preview/siw/".len()..]),
                    None => self.not_found(request),
                }
            }
            (Method::Get | Method::Head, p) if p.starts_with("/__preview/") => {
                match assets::get(&p["/__preview/".len()..]) {
                    // Versioned URLs (`assets::url`) never change their contents.
                    Some((content_type, body)) if query.starts_with("v=") => {
                        let response = Response::from_data(body.as_bytes())
                            .with_header(header("Content-Type", content_type))
                            .with_header(header(
                                "Cache-Control",
                                "public, max-age=31536000, immutable",
                            ));
                        let _ = request.respond(response);
                    }
                    Some((content_type, body)) => respond(request, 200, content_type, body),
                    None => self.not_found(request),
                }
            }
            (Method::Get | Method::Head, p) if p.starts_with("/static/") => {
                let base = self.root.join("static");
                serve_file(request, &self.root, &base, &p["/static/".len()..]);
            }
            (Method::Post, p) if p.starts_with("/idp/idx/") && self.widget_dist.is_some() => {
                let Some(body) = read_body(&mut request) else {
                    return too_large(request);
                };
                let (status, json) = idx::answer(p, &body, &origin);
                respond(request, status, idx::CONTENT_TYPE, json);
            }
            (Method::Get | Method::Head, p) => match site::parse_page_path(p) {
                Some((dir, kind)) => self.page(request, &dir, kind, parse_query(query), &origin),
                None => self.not_found(request),
            },
            _ => respond(
                request,
                405,
                "text/plain; charset=utf-8",
                "method not allowed",
            ),
        }
    }

    fn not_found(&self, request: Request) {
        let site = self.current();
        let html = okta::not_found_page(&site, request.url());
        respond(request, 404, "text/html; charset=utf-8", html);
    }

    fn index(&self, request: Request, q: Query) {
        let site = self.current();
        match okta::index_page(&site, q.state.as_deref(), q.locale.as_deref()) {
            Ok(html) => respond(request, 200, "text/html; charset=utf-8", html),
            Err(html) => respond(request, 400, "text/html; charset=utf-8", html),
        }
    }

    fn page(&self, request: Request, dir: &str, kind: PageKind, q: Query, origin: &str) {
        let site = self.current();
        let page = okta::PageRequest {
            site: &site,
            dir,
            kind,
            state: q.state.as_deref(),
            locale: q.locale.as_deref(),
            origin,
            real_widget: self.widget_dist.as_deref(),
        };
        match okta::serve_page(&page) {
            okta::Served::Page {
                html,
                csp_header,
                csp_value,
            } => {
                let response = Response::from_data(html.into_bytes())
                    .with_header(header("Content-Type", "text/html; charset=utf-8"))
                    .with_header(header("Cache-Control", "no-store"))
                    .with_header(header(csp_header, &csp_value));
                let _ = request.respond(response);
            }
            okta::Served::Broken(html) => respond(request, 500, "text/html; charset=utf-8", html),
            okta::Served::BadQuery(html) => respond(request, 400, "text/html; charset=utf-8", html),
            okta::Served::Missing => self.not_found(request),
        }
    }

    fn events(&self, request: Request) {
        let Some(rx) = self.events.subscribe() else {
            let _ = request.respond(Response::empty(503));
            return;
        };
        let hello = serde_json::json!({ "generation": self.current().generation }).to_string();
        events::stream(request, rx, &hello);
    }

    fn csp_report(&self, body: &[u8]) {
        let site = self.current();
        for report in csp::parse_reports(body) {
            let report = site.locate_report(report);
            err!("{}", report.describe());
            self.events.send(
                "csp",
                &serde_json::to_string(&report).expect("reports serialize"),
            );
            let mut all = self.reports.lock().expect("reports lock");
            if all.len() >= MAX_REPORTS {
                all.remove(0);
            }
            all.push(report);
        }
    }
}

/// The request's body, or `None` when it is larger than [`guard::MAX_BODY`] (the front
/// door refuses those first; this holds for a request that reached tiny_http otherwise).
fn read_body(request: &mut Request) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    let limit = guard::MAX_BODY as u64 + 1;
    let _ = request.as_reader().take(limit).read_to_end(&mut body);
    (body.len() <= guard::MAX_BODY).then_some(body)
}

fn too_large(request: Request) {
    let why = format!(
        "413 Content Too Large: the preview accepts request bodies of at most {} KiB\n",
        guard::MAX_BODY / 1024
    );
    respond(request, 413, "text/plain; charset=utf-8", why);
}

/// The file `rel` (a URL path) below `base`, when [`guard::open`] allows it: a regular
/// file whose real path lies inside `within`.
fn serve_file(request: Request, within: &Path, base: &Path, rel: &str) {
    let rel = percent_decode(rel);
    match guard::open(within, base, &rel) {
        Some(file) => {
            let response = Response::from_file(file)
                .with_header(header("Content-Type", assets::content_type(&rel)))
                .with_header(header("Cache-Control", "no-store"));
            let _ = request.respond(response);
        }
        None => respond(request, 404, "text/plain; charset=utf-8", "not found"),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_round_trips_and_keeps_bad_escapes() {
        assert_eq!(percent_decode("fr"), "fr");
        assert_eq!(percent_decode("pt%2DBR"), "pt-BR");
        assert_eq!(percent_decode("a+b%20c"), "a b c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(
            percent_decode(&percent_encode("Acme Health/é")),
            "Acme Health/é"
        );
    }

    #[test]
    fn query_reads_state_and_locale() {
        let q = parse_query("state=kmsi&locale=fr&x=1");
        assert_eq!(q.state.as_deref(), Some("kmsi"));
        assert_eq!(q.locale.as_deref(), Some("fr"));
    }
}
