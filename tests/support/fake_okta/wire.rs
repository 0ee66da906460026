//! The HTTP/1.1 wire, hand-rolled on `std::net`: connections (keep-alive), requests in
//! (`Content-Length` and chunked bodies), answers out, and the faults that live on the
//! socket itself (a hang, a reset, an endless body).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::*;

pub(super) fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for conn in listener.incoming() {
        if shared.shutdown.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = conn else {
            // Out of file descriptors or the like: don't spin.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let shared = shared.clone();
        let _ = std::thread::Builder::new()
            .name("fake-okta-conn".into())
            .spawn(move || serve_connection(stream, shared));
    }
}

pub(super) enum Outcome {
    Respond(Response),
    Hang(Duration),
    Reset,
    Stream { bytes: u64, declared: bool },
}

pub(super) struct Response {
    pub(super) status: u16,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
}

impl Response {
    pub(super) fn json(status: u16, body: &Value) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: serde_json::to_vec(body).unwrap(),
        }
    }

    pub(super) fn no_content() -> Response {
        Response {
            status: 204,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub(super) fn header(mut self, name: &str, value: impl Into<String>) -> Response {
        self.headers.push((name.to_string(), value.into()));
        self
    }
}

fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let id = shared.next_conn.fetch_add(1, Ordering::SeqCst);
    if let Ok(clone) = stream.try_clone() {
        lock(&shared.conns).insert(id, clone);
    }
    let mut writer = stream;
    let Ok(read_half) = writer.try_clone() else {
        lock(&shared.conns).remove(&id);
        return;
    };
    let mut reader = BufReader::new(read_half);
    loop {
        if shared.shutdown.load(Ordering::SeqCst) {
            break;
        }
        let req = match read_request(&mut reader, &mut writer) {
            Ok(Some(r)) => r,
            Ok(None) => break,
            Err(_) => {
                let resp = Response::json(
                    400,
                    &okta_error(&shared, "E0000003", "The request was not well-formed.", &[]),
                );
                let _ = write_response(&mut writer, resp, true);
                break;
            }
        };
        let close = req.close;
        match handle(&shared, req) {
            Outcome::Respond(resp) => {
                if write_response(&mut writer, resp, close).is_err() || close {
                    break;
                }
            }
            Outcome::Hang(d) => {
                let until = Instant::now() + d;
                while Instant::now() < until && !shared.shutdown.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(10).min(until - Instant::now()));
                }
                break;
            }
            Outcome::Stream { bytes, declared } => {
                let _ = write_huge(&mut writer, &shared, bytes, declared);
                break;
            }
            Outcome::Reset => {
                set_linger_zero(&writer);
                // Every handle on the socket must go for the close (and its RST) to happen.
                lock(&shared.conns).remove(&id);
                drop(reader);
                drop(writer);
                return;
            }
        }
    }
    lock(&shared.conns).remove(&id);
    let _ = writer.shutdown(Shutdown::Both);
}

/// `SO_LINGER` with a zero timeout: `close` then sends RST instead of FIN.
#[cfg(unix)]
fn set_linger_zero(s: &TcpStream) {
    use std::os::fd::AsRawFd;
    #[repr(C)]
    struct Linger {
        l_onoff: i32,
        l_linger: i32,
    }
    unsafe extern "C" {
        fn setsockopt(
            fd: i32,
            level: i32,
            name: i32,
            value: *const std::ffi::c_void,
            len: u32,
        ) -> i32;
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    const SOL_SOCKET_SO_LINGER: (i32, i32) = (1, 13);
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    const SOL_SOCKET_SO_LINGER: (i32, i32) = (0xffff, 0x0080);
    let linger = Linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket fd and a correctly sized `struct linger`.
    unsafe {
        setsockopt(
            s.as_raw_fd(),
            SOL_SOCKET_SO_LINGER.0,
            SOL_SOCKET_SO_LINGER.1,
            (&raw const linger).cast(),
            std::mem::size_of::<Linger>() as u32,
        );
    }
}

#[cfg(not(unix))]
fn set_linger_zero(_: &TcpStream) {}

pub(super) struct RawRequest {
    pub(super) method: String,
    pub(super) target: String,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
    pub(super) close: bool,
}

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 16 * 1024 * 1024;

pub(super) fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

/// One HTTP/1.1 request; `None` at a clean end of stream.
fn read_request(r: &mut BufReader<TcpStream>, w: &mut TcpStream) -> io::Result<Option<RawRequest>> {
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        if !line.trim_end().is_empty() {
            break;
        }
    }
    let mut parts = line.trim_end().splitn(3, ' ');
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("bad request line"));
    };
    let (method, target, version) = (method.to_string(), target.to_string(), version.to_string());
    let mut headers = Vec::new();
    let mut head_len = line.len();
    loop {
        line.clear();
        let n = r.read_line(&mut line)?;
        if n == 0 {
            return Err(bad("end of stream in headers"));
        }
        head_len += n;
        if head_len > MAX_HEAD {
            return Err(bad("headers too large"));
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            break;
        }
        let (name, value) = l.split_once(':').ok_or_else(|| bad("bad header"))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let get = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    if get("expect").is_some_and(|e| e.eq_ignore_ascii_case("100-continue")) {
        w.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }
    let mut body = Vec::new();
    if get("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let size_hex = line.trim().split(';').next().unwrap_or("");
            let size = usize::from_str_radix(size_hex, 16).map_err(|_| bad("bad chunk size"))?;
            if body.len() + size > MAX_BODY {
                return Err(bad("body too large"));
            }
            if size == 0 {
                // Trailers, up to the empty line.
                loop {
                    line.clear();
                    if r.read_line(&mut line)? == 0 || line.trim().is_empty() {
                        break;
                    }
                }
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            r.read_exact(&mut body[start..])?;
            line.clear();
            r.read_line(&mut line)?;
        }
    } else if let Some(len) = get("content-length") {
        let len: usize = len.parse().map_err(|_| bad("bad content-length"))?;
        if len > MAX_BODY {
            return Err(bad("body too large"));
        }
        body.resize(len, 0);
        r.read_exact(&mut body)?;
    }
    let close = version.eq_ignore_ascii_case("HTTP/1.0")
        || get("connection").is_some_and(|c| c.eq_ignore_ascii_case("close"));
    Ok(Some(RawRequest {
        method,
        target,
        headers,
        body,
        close,
    }))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// `Fault::HugeBody`: `[`, spaces, `0]`, `bytes` long in all, written piece by piece
/// until done, the peer goes away or the fake shuts down.
fn write_huge(w: &mut TcpStream, shared: &Shared, bytes: u64, declared: bool) -> io::Result<()> {
    const PIECE: usize = 64 * 1024;
    assert!(bytes >= 3);
    let framing = if declared {
        format!("Content-Length: {bytes}")
    } else {
        "Transfer-Encoding: chunked".to_string()
    };
    w.write_all(
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{framing}\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    )?;
    let mut at = 0u64;
    while at < bytes && !shared.shutdown.load(Ordering::SeqCst) {
        let n = (bytes - at).min(PIECE as u64) as usize;
        let mut piece = vec![b' '; n];
        for (i, b) in [(0, b'['), (bytes - 2, b'0'), (bytes - 1, b']')] {
            if (at..at + n as u64).contains(&i) {
                piece[(i - at) as usize] = b;
            }
        }
        if declared {
            w.write_all(&piece)?;
        } else {
            w.write_all(format!("{n:x}\r\n").as_bytes())?;
            w.write_all(&piece)?;
            w.write_all(b"\r\n")?;
        }
        at += n as u64;
    }
    if !declared {
        w.write_all(b"0\r\n\r\n")?;
    }
    w.flush()
}

fn write_response(w: &mut TcpStream, resp: Response, close: bool) -> io::Result<()> {
    let mut out = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (n, v) in &resp.headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n", resp.body.len()));
    out.push_str(if close {
        "Connection: close\r\n"
    } else {
        "Connection: keep-alive\r\n"
    });
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&resp.body);
    w.write_all(&bytes)?;
    w.flush()
}
