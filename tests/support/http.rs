//! Plain HTTP/1.1 on a fresh socket, for the preview (`serve`) and the fake Okta: the
//! request goes out byte for byte as the test wrote it (so it may be malformed or
//! hostile on purpose), and the reply is read until the server closes the connection.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use serde_json::Value;

/// A reply as read off the socket.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    /// Names lower-cased, values trimmed, in order.
    pub headers: Vec<(String, String)>,
    /// The body (lossy UTF-8), cut at `Content-Length` when there is one.
    pub body: String,
}

impl Reply {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_all(name).into_iter().next()
    }

    /// Every value of a header that may repeat (`Link`).
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The body as JSON; `Value::Null` when empty or not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// `GET path` from `addr` (`Host` and `Connection: close` only); panics without a reply.
pub fn get(addr: SocketAddr, path: &str) -> Reply {
    request("GET", &format!("http://{addr}{path}"), &[], None)
        .unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

/// `request` sent as it is; panics without a reply (20 s without a byte).
pub fn send(addr: SocketAddr, request: &[u8]) -> Reply {
    exchange(addr, request, Duration::from_secs(20)).unwrap_or_else(|e| panic!("no reply: {e}"))
}

/// One request on a fresh connection (`Connection: close`), 10 s timeout: `headers`, then
/// `Content-Length` for a body (`0` for a PUT or POST without one).
pub fn request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> io::Result<Reply> {
    request_timeout(method, url, headers, body, Duration::from_secs(10))
}

/// `request`, giving up when `timeout` passes without a byte (see `exchange`).
pub fn request_timeout(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
    timeout: Duration,
) -> io::Result<Reply> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| bad("only http:// URLs"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    if let Some(b) = body {
        req.push_str(&format!("Content-Length: {}\r\n", b.len()));
    } else if matches!(method, "PUT" | "POST") {
        req.push_str("Content-Length: 0\r\n");
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body.unwrap_or_default());
    exchange(host, &bytes, timeout)
}

/// Writes `request` and reads until the server closes the connection.
///
/// A write the server cuts short is no error: it may answer before it has read it all.
/// Without a byte of answer: `UnexpectedEof` if the server closed, else the error that
/// ended the read (`ConnectionReset` for a reset, `WouldBlock`/`TimedOut` when `timeout`
/// passed). An error after part of an answer ends the answer there.
pub fn exchange(addr: impl ToSocketAddrs, request: &[u8], timeout: Duration) -> io::Result<Reply> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(timeout))?;
    let _ = s.write_all(request);
    let mut raw = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if raw.is_empty() => return Err(e),
            Err(_) => break,
        }
    }
    if raw.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "connection closed without a response",
        ));
    }
    parse(&raw)
}

fn parse(raw: &[u8]) -> io::Result<Reply> {
    let (head, body) = match raw.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => (&raw[..i], &raw[i + 4..]),
        None => (raw, &[][..]),
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("bad status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let declared = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok());
    let body = &body[..declared.map_or(body.len(), |n| n.min(body.len()))];
    Ok(Reply {
        status,
        headers,
        body: String::from_utf8_lossy(body).into_owned(),
    })
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}
