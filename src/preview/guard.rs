//! What `serve` lets in and out. The preview runs on a designer's laptop beside a
//! browser full of other sites, so each way in or out has one gatekeeper here:
//!
//! - [`front_door`]: every connection is read here before tiny_http sees it. tiny_http
//!   0.12 reads a request's head without a limit, and when a request is dropped it
//!   allocates a buffer as large as the `Content-Length` the client declared (one
//!   request declaring a terabyte aborts the process). The front door reads the head
//!   itself — at most [`MAX_HEAD`] bytes and [`MAX_HEADERS`] fields, else 431 — refuses a
//!   body over [`MAX_BODY`] (413) or without a length (411) before reading it, and only
//!   then hands the request, whole, to tiny_http on a private loopback port, one request
//!   per connection.
//! - [`origin`]: a request must name the address `serve` listens on in its `Host`
//!   (`127.0.0.1:P`, `localhost:P`, `[::1]:P`, or the `--host` address): a page of
//!   another site whose name was re-pointed at 127.0.0.1 (DNS rebinding) names its own
//!   and is refused. The origin pages and mock answers link back to is built from the
//!   accepted host, never copied from the header.
//! - [`readable`]: the only files `serve` reads for a request are regular files whose
//!   real path (links followed) stays inside the project (or the widget's folder).
//! - [`terminal`]: text that came with a request is printed with its control characters
//!   escaped, so that a report cannot drive the designer's terminal.

use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The largest request head (request line and header fields) read.
pub(crate) const MAX_HEAD: usize = 64 * 1024;
/// The most header fields a request may have.
pub(crate) const MAX_HEADERS: usize = 100;
/// The largest request body accepted (CSP reports, mock widget requests).
pub(crate) const MAX_BODY: usize = 256 * 1024;
/// How long a client may take to send a request, head and body.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a response may wait for a client that does not read it.
const WRITE_TIMEOUT: Duration = Duration::from_secs(60);
/// Connections served at once; beyond, 503.
const MAX_CONNECTIONS: usize = 256;

/// Accept connections on `listener` and pass each acceptable request on to tiny_http at
/// `inner`, until `stopping` is set (and a connection wakes the loop).
pub(crate) fn front_door(listener: &TcpListener, inner: SocketAddr, stopping: &AtomicBool) {
    let active = Arc::new(AtomicUsize::new(0));
    for conn in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(client) = conn else {
            std::thread::sleep(Duration::from_millis(5));
            continue;
        };
        if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            // Answered on this thread, so without waiting for the client to read it.
            let _ = client.set_nonblocking(true);
            let _ = (&client).write_all(&Refusal::Busy.response());
            continue;
        }
        active.fetch_add(1, Ordering::SeqCst);
        let count = Arc::clone(&active);
        let spawned = std::thread::Builder::new()
            .name("preview-door".into())
            .spawn(move || {
                pass(client, inner);
                count.fetch_sub(1, Ordering::SeqCst);
            });
        if let Err(e) = spawned {
            active.fetch_sub(1, Ordering::SeqCst);
            errln!("warning: cannot start a thread for a connection: {e}");
        }
    }
}

/// Why the front door answers a request itself.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Refusal {
    HeadTooLarge,
    BodyTooLarge,
    LengthRequired,
    BadLength,
    Expectation,
    Timeout,
    Busy,
    Stopping,
}

impl Refusal {
    fn status(&self) -> (u16, &'static str) {
        match self {
            Refusal::HeadTooLarge => (431, "Request Header Fields Too Large"),
            Refusal::BodyTooLarge => (413, "Content Too Large"),
            Refusal::LengthRequired => (411, "Length Required"),
            Refusal::BadLength => (400, "Bad Request"),
            Refusal::Expectation => (417, "Expectation Failed"),
            Refusal::Timeout => (408, "Request Timeout"),
            Refusal::Busy | Refusal::Stopping => (503, "Service Unavailable"),
        }
    }

    /// The whole HTTP response.
    fn response(&self) -> Vec<u8> {
        let (status, reason) = self.status();
        let body = format!("{status} {reason}: {}\n", self.message());
        format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n\
             Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    }

    fn message(&self) -> String {
        match self {
            Refusal::HeadTooLarge => format!(
                "the preview reads request heads of at most {} KiB and {MAX_HEADERS} header fields",
                MAX_HEAD / 1024
            ),
            Refusal::BodyTooLarge => format!(
                "the preview accepts request bodies of at most {} KiB",
                MAX_BODY / 1024
            ),
            Refusal::LengthRequired => {
                "send the body with a Content-Length (the preview takes no chunked bodies)".into()
            }
            Refusal::BadLength => "the Content-Length is not one number".into(),
            Refusal::Expectation => "the only Expect the preview knows is 100-continue".into(),
            Refusal::Timeout => format!(
                "the request did not arrive within {} s",
                REQUEST_TIMEOUT.as_secs()
            ),
            Refusal::Busy => format!(
                "the preview serves at most {MAX_CONNECTIONS} connections at once; try again"
            ),
            Refusal::Stopping => "the preview is stopping".into(),
        }
    }
}

/// A request head the front door accepts: what goes to tiny_http, and the body to read.
#[derive(Debug)]
struct Head {
    /// The head as forwarded: hop-by-hop fields dropped, `Connection: close` added.
    forward: Vec<u8>,
    body_len: usize,
    expects_continue: bool,
    /// What arrived after the head (the start of the body).
    rest: Vec<u8>,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Read from `client` until `done` says the bytes so far are enough, `limit` bytes are
/// read (`Ok(false)`), the client stops sending, or `deadline` passes.
fn read_until(
    client: &mut TcpStream,
    buf: &mut Vec<u8>,
    limit: usize,
    deadline: Instant,
    done: impl Fn(&[u8]) -> bool,
) -> io::Result<bool> {
    let mut chunk = [0u8; 8192];
    while !done(buf) {
        if buf.len() >= limit {
            return Ok(false);
        }
        let left = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| io::Error::from(io::ErrorKind::TimedOut))?;
        client.set_read_timeout(Some(left))?;
        let want = chunk.len().min(limit - buf.len());
        match client.read(&mut chunk[..want]) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                return Err(io::ErrorKind::TimedOut.into());
            }
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// Judge a request head (`head` ends with the blank line's CRLF pair).
fn judge(head: &[u8]) -> Result<Head, Refusal> {
    let text = String::from_utf8_lossy(&head[..head.len() - 4]);
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or("");
    let mut forward = format!("{request_line}\r\n");
    let mut body_len: Option<usize> = None;
    let mut expects_continue = false;
    let mut fields = 0;
    for line in lines {
        fields += 1;
        if fields > MAX_HEADERS {
            return Err(Refusal::HeadTooLarge);
        }
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => {
                if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(Refusal::BadLength);
                }
                // Too many digits to be a length we take is too large, not malformed.
                let n = value.parse::<usize>().unwrap_or(usize::MAX);
                if body_len.is_some_and(|m| m != n) {
                    return Err(Refusal::BadLength);
                }
                if n > MAX_BODY {
                    return Err(Refusal::BodyTooLarge);
                }
                if body_len.is_none() {
                    forward.push_str(&format!("Content-Length: {n}\r\n"));
                }
                body_len = Some(n);
            }
            "transfer-encoding" => return Err(Refusal::LengthRequired),
            "expect" if value.eq_ignore_ascii_case("100-continue") => expects_continue = true,
            "expect" => return Err(Refusal::Expectation),
            // Hop-by-hop: this hop is the front door, which makes one request per connection.
            "connection" | "keep-alive" | "proxy-connection" | "upgrade" => {}
            _ => {
                forward.push_str(line);
                forward.push_str("\r\n");
            }
        }
    }
    forward.push_str("Connection: close\r\n\r\n");
    Ok(Head {
        forward: forward.into_bytes(),
        body_len: body_len.unwrap_or(0),
        expects_continue,
        rest: Vec::new(),
    })
}

/// Read one request from `client`, judge it, and relay it and its response.
fn pass(mut client: TcpStream, inner: SocketAddr) {
    let _ = client.set_nodelay(true);
    let deadline = Instant::now() + REQUEST_TIMEOUT;
    let mut buf = Vec::new();
    let complete = |b: &[u8]| find(b, b"\r\n\r\n").is_some();
    match read_until(&mut client, &mut buf, MAX_HEAD, deadline, complete) {
        Ok(true) => {}
        Ok(false) => return refuse(client, &Refusal::HeadTooLarge),
        Err(e) if e.kind() == io::ErrorKind::TimedOut && !buf.is_empty() => {
            return refuse(client, &Refusal::Timeout);
        }
        // Closed or idle (a browser's spare connection): nothing to answer.
        Err(_) => return,
    }
    let end = find(&buf, b"\r\n\r\n").expect("complete") + 4;
    let mut head = match judge(&buf[..end]) {
        Ok(h) => h,
        Err(r) => return refuse(client, &r),
    };
    head.rest = buf.split_off(end);
    head.rest.truncate(head.body_len);
    if head.expects_continue && head.body_len > head.rest.len() {
        let _ = client.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
    }
    let mut body = std::mem::take(&mut head.rest);
    let want = head.body_len;
    match read_until(&mut client, &mut body, want, deadline, |b| b.len() >= want) {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::TimedOut => {
            return refuse(client, &Refusal::Timeout);
        }
        Err(_) => return,
    }
    let Ok(mut server) = TcpStream::connect(inner) else {
        return refuse(client, &Refusal::Stopping);
    };
    let _ = server.set_nodelay(true);
    let mut request = head.forward;
    request.extend_from_slice(&body);
    if server.write_all(&request).is_err() {
        return;
    }
    let _ = client.set_read_timeout(None);
    let _ = client.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = relay_response(&mut server, &mut client);
    let _ = client.shutdown(Shutdown::Both);
}

/// Copy tiny_http's response to the client, saying `Connection: close` in its head
/// (tiny_http does not, and the client must not send another request on it).
fn relay_response(server: &mut TcpStream, client: &mut TcpStream) -> io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = server.read(&mut chunk)?;
        if n == 0 {
            return client.write_all(&buf);
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..i]).to_ascii_lowercase();
            let mut out = Vec::with_capacity(buf.len() + 19);
            out.extend_from_slice(&buf[..i + 2]);
            if !head.contains("\r\nconnection:") {
                out.extend_from_slice(b"Connection: close\r\n");
            }
            out.extend_from_slice(&buf[i + 2..]);
            client.write_all(&out)?;
            break;
        }
        if buf.len() > MAX_HEAD {
            client.write_all(&buf)?;
            break;
        }
    }
    io::copy(server, client).map(|_| ())
}

/// Answer with `refusal` and close, letting the client read the answer first.
fn refuse(mut client: TcpStream, refusal: &Refusal) {
    let _ = client.set_write_timeout(Some(Duration::from_secs(5)));
    if client.write_all(&refusal.response()).is_err() {
        return;
    }
    // Closing a socket with unread input resets the connection, and a reset can discard
    // the answer before the client reads it: read (and drop) a little first.
    let _ = client.shutdown(Shutdown::Write);
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut drained = 0;
    let mut chunk = [0u8; 8192];
    while drained < 4 * MAX_BODY {
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            break;
        };
        if left.is_zero() || client.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match client.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

/// The origin (`http://host:port`) a request reached the preview at, when its `Host`
/// header (`hosts`: every one it sent) names the address the preview listens on:
/// `127.0.0.1:P`, `localhost:P` or `[::1]:P` for the port P, or the address `--host`
/// gave. Listening on every address (`0.0.0.0`, `::`), any IP address with port P is
/// accepted: a DNS-rebinding page always names a host *name*, and a page reached by IP
/// address is that address's own origin. Anything else is `None`.
pub(crate) fn origin(hosts: &[&str], listening: SocketAddr) -> Option<String> {
    let [host] = hosts else { return None };
    let port = listening.port();
    let digits = |p: &str| -> Option<u16> {
        p.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| p.parse().ok())?
    };
    let (name, given) = if let Some(rest) = host.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let given = match after {
            "" => None,
            p => Some(digits(p.strip_prefix(':')?)?),
        };
        (Some(IpAddr::V6(ip.parse::<Ipv6Addr>().ok()?)), given)
    } else {
        let (name, given) = match host.split_once(':') {
            Some((n, p)) => (n, Some(digits(p)?)),
            None => (*host, None),
        };
        if name.eq_ignore_ascii_case("localhost") {
            (None, given)
        } else {
            (Some(IpAddr::V4(name.parse::<Ipv4Addr>().ok()?)), given)
        }
    };
    if given.unwrap_or(80) != port {
        return None;
    }
    match name {
        None => Some(format!("http://localhost:{port}")),
        Some(ip) => {
            let ok = ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
                || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
                || ip == listening.ip()
                || listening.ip().is_unspecified();
            ok.then(|| format!("http://{}", SocketAddr::new(ip, port)))
        }
    }
}

/// The hosts [`origin`] accepts, in words (for the refusal).
pub(crate) fn accepted_hosts(listening: SocketAddr) -> String {
    let port = listening.port();
    let ip = listening.ip();
    if ip.is_unspecified() {
        return format!("an IP address or localhost, with port {port}");
    }
    let mut hosts = vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    let own = SocketAddr::new(ip, port).to_string();
    if !hosts.contains(&own) {
        hosts.push(own);
    }
    hosts.join(", ")
}

/// The file `rel` (a relative URL path, already percent-decoded) below `base`, when the
/// preview may read it: a regular file (not a folder, pipe or device) whose real path —
/// every link followed — lies inside `within`. The only way a request reads a file.
pub(crate) fn readable(within: &Path, base: &Path, rel: &str) -> Option<PathBuf> {
    let rel_path = Path::new(rel);
    if rel.is_empty()
        || !rel_path
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let within = within.canonicalize().ok()?;
    let real = base.join(rel_path).canonicalize().ok()?;
    (real.starts_with(&within) && std::fs::metadata(&real).ok()?.is_file()).then_some(real)
}

/// Open what [`readable`] allows, checking again that the opened file is a regular file.
pub(crate) fn open(within: &Path, base: &Path, rel: &str) -> Option<std::fs::File> {
    let path = readable(within, base, rel)?;
    let file = std::fs::File::open(path).ok()?;
    file.metadata().ok()?.is_file().then_some(file)
}

/// `s` for the terminal: control characters (C0, DEL, C1) and the bidirectional
/// formatting characters (which reorder what the terminal shows) written as `\u{…}`.
pub(crate) fn terminal(s: &str) -> Cow<'_, str> {
    let hidden = |c: char| {
        c.is_control()
            || matches!(
                c,
                '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            )
    };
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if hidden(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(addr: &str) -> SocketAddr {
        addr.parse().unwrap()
    }

    #[test]
    fn hosts_must_name_the_listening_address() {
        let l = at("127.0.0.1:4600");
        let ok = |h: &str| origin(&[h], l);
        assert_eq!(
            ok("127.0.0.1:4600").as_deref(),
            Some("http://127.0.0.1:4600")
        );
        assert_eq!(
            ok("LocalHost:4600").as_deref(),
            Some("http://localhost:4600")
        );
        assert_eq!(ok("[::1]:4600").as_deref(), Some("http://[::1]:4600"));
        for bad in [
            "evil.example:4600",
            "127.0.0.1.evil.example:4600",
            "localhost.evil.example:4600",
            "127.0.0.1:4601",
            "127.0.0.1",
            "127.0.0.1:+4600",
            "127.1:4600",
            "192.168.1.5:4600",
            "[::1]",
            "[::1]x:4600",
            "",
        ] {
            assert_eq!(ok(bad), None, "{bad}");
        }
        assert_eq!(origin(&[], l), None, "no Host");
        assert_eq!(
            origin(&["127.0.0.1:4600", "evil.example"], l),
            None,
            "two Hosts"
        );
        assert_eq!(
            origin(&["localhost"], at("127.0.0.1:80")).as_deref(),
            Some("http://localhost:80")
        );
    }

    #[test]
    fn the_host_option_adds_its_address() {
        let lan = at("192.168.1.5:4600");
        assert!(origin(&["192.168.1.5:4600"], lan).is_some());
        assert!(origin(&["192.168.1.6:4600"], lan).is_none());
        let any = at("0.0.0.0:4600");
        assert!(origin(&["192.168.1.6:4600"], any).is_some());
        assert!(origin(&["evil.example:4600"], any).is_none());
        assert!(accepted_hosts(lan).ends_with("192.168.1.5:4600"));
    }

    #[test]
    fn heads_are_judged_before_tiny_http_reads_them() {
        let h = judge(
            b"POST /r HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\n",
        )
        .unwrap();
        assert_eq!(h.body_len, 5);
        assert_eq!(
            String::from_utf8(h.forward).unwrap(),
            "POST /r HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"
        );
        let big = format!(
            "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY + 1
        );
        assert_eq!(judge(big.as_bytes()).unwrap_err(), Refusal::BodyTooLarge);
        let huge = "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n";
        assert_eq!(judge(huge.as_bytes()).unwrap_err(), Refusal::BodyTooLarge);
        let two = "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n";
        assert_eq!(judge(two.as_bytes()).unwrap_err(), Refusal::BadLength);
        let chunked = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(
            judge(chunked.as_bytes()).unwrap_err(),
            Refusal::LengthRequired
        );
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X: y\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(judge(many.as_bytes()).unwrap_err(), Refusal::HeadTooLarge);
    }

    #[test]
    fn control_characters_are_escaped_for_the_terminal() {
        assert!(matches!(terminal("plain é"), Cow::Borrowed(_)));
        assert_eq!(
            terminal("a\u{1b}]0;x\u{7}b\u{1b}[2J\u{9b}\u{7f}\n\u{202e}"),
            "a\\u{1b}]0;x\\u{7}b\\u{1b}[2J\\u{9b}\\u{7f}\\u{a}\\u{202e}"
        );
    }
}
