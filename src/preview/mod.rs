//! `serve`: the live preview. Every page is rendered in memory by the same pipeline as
//! `build` ([`crate::compile`]; `site`), then served as Okta would serve it (`page`):
//! Okta's tags filled in per response (`tags`), with a fresh nonce sent in the
//! Content-Security-Policy header Okta would send (`csp`), and a stand-in Sign-In
//! Widget (`assets`) configured as Okta configures it (`okta_util`), or the real one
//! (`idx` answers its requests). The preview's own pages (the index, errors) are
//! `pages`; the routes are `routes`. A file watcher (`watch`) recompiles on every save
//! (`rebuild`) and tells every open page to reload over server-sent events (`events`).
//!
//! What may come in and go out — request heads and bodies, the `Host` a request names,
//! the files a request reads, the text printed from a request — is decided in `guard`.
//!
//! Threads (`server`): the front door (`guard::front_door`) reads each connection's
//! request on a thread of its own and passes it to tiny_http on a private loopback port;
//! one thread accepts tiny_http's requests and hands each to a thread of its own, so a
//! slow client (or an event stream, which stays open) never holds up another; one
//! watches files and recompiles; one, the keeper, works around tiny_http 0.12's
//! connection pool. That pool reads each connection on a thread of its own, but can
//! leave a new connection queued when every thread it has is held (by event streams,
//! idle keep-alive connections, slow clients) and two connections arrive at once: the
//! queue is only looked at by a thread that finishes. The keeper makes a quick request
//! every `KEEPER_EVERY`; the thread that serves it then takes whatever waits. No async
//! runtime.

mod assets;
mod cdn;
mod csp;
mod events;
mod guard;
mod idx;
mod okta_util;
mod page;
mod pages;
mod rebuild;
mod routes;
mod server;
mod site;
mod siw;
mod standin;
mod tags;
mod theme;
mod url;
mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;

use crate::diag::ColorChoice;
use csp::Report;
use events::Broadcaster;
pub(crate) use page::STATES;
use site::Site;

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
    /// The cache of widget versions (`<dir>/<version>/`), looked in when no installed
    /// widget is given or found in `node_modules`; `None`: no cache.
    pub widget_cache: Option<PathBuf>,
    /// The base URL of Okta's CDN to fill the cache from (`cdn::DEFAULT_BASE`); `None`:
    /// never download.
    pub widget_cdn: Option<String>,
    /// Colour of the diagnostics printed on the terminal.
    pub color: ColorChoice,
    /// Print only problems (template errors, CSP violations).
    pub quiet: bool,
    /// Serve pages for screenshots (`test --visual`): the same nonce in every response,
    /// no switcher and no event stream, a stylesheet that stops animations, transitions
    /// and carets, and no file watcher (the pages stay what they were at the start).
    pub visual: bool,
}

/// The widget cache and CDN of the environment: `SIGNIN_PAGES_CACHE_DIR` (else
/// `$XDG_CACHE_HOME/signin-pages`, else `~/.cache/signin-pages`), its `widget/` folder;
/// `SIGNIN_PAGES_WIDGET_CDN` (else Okta's CDN; `off` never downloads).
pub fn widget_cache_from_env() -> (Option<PathBuf>, Option<String>) {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let cache = var("SIGNIN_PAGES_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| var("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("signin-pages")))
        .or_else(|| var("HOME").map(|d| PathBuf::from(d).join(".cache/signin-pages")))
        .map(|d| d.join("widget"));
    let cdn = match std::env::var("SIGNIN_PAGES_WIDGET_CDN") {
        Ok(v) if v == "off" => None,
        Ok(v) if !v.is_empty() => Some(v),
        _ => Some(cdn::DEFAULT_BASE.to_string()),
    };
    (cache, cdn)
}

impl Default for Options {
    fn default() -> Self {
        Options {
            addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), DEFAULT_PORT),
            widget_dir: None,
            widget_cache: None,
            widget_cdn: None,
            color: ColorChoice::Never,
            quiet: false,
            visual: false,
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

/// A running preview server (started by [`Preview::start`]).
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
    /// The real widget's `dist/` folder, when one was found (`siw`).
    widget_dist: Option<PathBuf>,
    /// Which widget is shown and where from, for people (`siw::Choice::describe`).
    widget_note: String,
    /// Why the stand-in is shown, when it is (`siw::Choice::StandIn`).
    stand_in_reason: Option<String>,
    site: RwLock<Arc<Site>>,
    events: Broadcaster,
    reports: Mutex<Vec<Report>>,
    stopping: AtomicBool,
    /// Serializes recompiles (the watcher's and [`Preview::reload`]'s).
    compiling: Mutex<()>,
}

impl Preview {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The index page's URL. An unspecified bind address (`0.0.0.0`) is shown as the
    /// loopback address, which reaches it too.
    pub fn url(&self) -> String {
        format!("http://{}/", server::reachable(self.addr))
    }

    /// The real widget's `dist/` folder it serves, or `None` for the stand-in.
    pub fn real_widget(&self) -> Option<&std::path::Path> {
        self.shared.widget_dist.as_deref()
    }

    /// Which widget the preview shows and where it comes from (or why the stand-in).
    pub fn widget_note(&self) -> &str {
        &self.shared.widget_note
    }

    /// The URL of a target's sign-in page (`dir` is `<env>/<brand folder>`, as under
    /// `dist/`) in a widget state and locale.
    pub fn sign_in_url(&self, dir: &str, state: &str, locale: &str) -> String {
        let (env, brand) = dir.split_once('/').unwrap_or((dir, ""));
        format!(
            "{}{}/{}/sign-in?state={}&locale={}",
            self.url(),
            url::percent_encode(env),
            url::percent_encode(brand),
            url::percent_encode(state),
            url::percent_encode(locale)
        )
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
}

impl Drop for Preview {
    fn drop(&mut self) {
        if self.accept.is_some() {
            self.stop();
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
