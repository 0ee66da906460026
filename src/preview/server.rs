//! The preview's lifecycle and its threads: listening (the front door and tiny_http
//! behind it), the first compile and the watcher, the accept loop that gives every
//! request a thread of its own, the keeper that frees what tiny_http's pool left
//! waiting, and the orderly stop.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tiny_http::Response;

use super::events::Broadcaster;
use super::site::Site;
use super::{Options, Preview, PreviewError, Shared, guard, siw, watch};

/// How often the keeper makes its request (the longest a connection can wait behind
/// tiny_http's pool).
const KEEPER_EVERY: Duration = Duration::from_millis(200);

impl Preview {
    /// Compile the project, start listening and watching. Returns once the server
    /// accepts requests.
    pub fn start(root: &Path, options: Options) -> Result<Preview, PreviewError> {
        let bind_error = |e: &dyn std::fmt::Display| PreviewError::Bind {
            addr: options.addr,
            reason: e.to_string(),
        };
        let listener = TcpListener::bind(options.addr).map_err(|e| bind_error(&e))?;
        let addr = listener.local_addr().map_err(|e| bind_error(&e))?;
        // Only the front door talks to tiny_http (see `guard`).
        let server = tiny_http::Server::http((Ipv4Addr::LOCALHOST, 0))
            .or_else(|_| tiny_http::Server::http((Ipv6Addr::LOCALHOST, 0)))
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
        let spec = site.project.as_ref().map(|p| p.widget_version.as_str());
        let widget = siw::choose(root, &options, spec)?;
        let widget_note = widget.describe();
        match &widget {
            siw::Choice::Real(_) if !options.quiet => errln!("widget: {widget_note}"),
            siw::Choice::Real(_) => {}
            siw::Choice::StandIn(_) => errln!("warning: showing {widget_note}"),
        }
        let widget_dist = widget.real().map(|r| r.dist.clone());
        let stand_in_reason = match &widget {
            siw::Choice::StandIn(why) => Some(why.clone()),
            siw::Choice::Real(_) => None,
        };
        let shared = Arc::new(Shared {
            root: root.to_path_buf(),
            addr,
            internal,
            options,
            widget_dist,
            widget_note,
            stand_in_reason,
            site: RwLock::new(Arc::new(site)),
            events: Broadcaster::default(),
            reports: Mutex::new(Vec::new()),
            stopping: AtomicBool::new(false),
            compiling: Mutex::new(()),
        });
        shared.print_summary(&shared.current(), None, None);
        let watcher = if shared.options.visual {
            None
        } else {
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
            spawn("preview-accept", move || accept_loop(&server, &shared))
        };
        let door = {
            let shared = Arc::clone(&shared);
            spawn("preview-front-door", move || {
                guard::front_door(&listener, shared.internal, &shared.stopping)
            })
        };
        let keeper = {
            let shared = Arc::clone(&shared);
            spawn("preview-keeper", move || keeper(&shared))
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

    pub(super) fn stop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.watcher.take();
        self.shared.events.close();
        self.server.unblock();
        if let Some(a) = self.accept.take() {
            let _ = a.join();
        }
        if let Some(d) = self.door.take() {
            // Wake the front door's accept; it sees `stopping` and closes the listener.
            let wake = TcpStream::connect_timeout(&reachable(self.addr), Duration::from_secs(1));
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

/// One of the preview's long-lived threads.
fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(f)
        .unwrap_or_else(|e| panic!("spawn the {name} thread: {e}"))
}

/// `addr`, with an unspecified IP (`0.0.0.0`, `::`) replaced by the loopback address of
/// its family, which reaches it.
pub(super) fn reachable(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

/// See the module documentation of `preview`: a quick request now and then frees what
/// tiny_http's pool left waiting. It goes to tiny_http directly (the front door is not
/// the pool).
fn keeper(shared: &Shared) {
    let addr = shared.internal;
    let ping = format!(
        "GET /__preview/ping HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        reachable(shared.addr)
    );
    let timeout = Duration::from_secs(1);
    while !shared.stopping.load(Ordering::SeqCst) {
        std::thread::park_timeout(KEEPER_EVERY);
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
        if let Ok(mut s) = TcpStream::connect_timeout(&addr, timeout) {
            let _ = s.set_read_timeout(Some(timeout));
            let _ = s.set_write_timeout(Some(timeout));
            let _ = s.write_all(ping.as_bytes());
            let _ = s.read_to_end(&mut Vec::new());
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
                std::thread::sleep(Duration::from_millis(5));
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
