//! The preview (`serve`) in process on a free loopback port, and a client of its event
//! stream (`/__preview/events`), as an open page holds it.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use signin_pages::preview::{Options, Preview};

/// How long the stream may take to say `hello`.
const HELLO: Duration = Duration::from_secs(10);

/// The preview of the project at `root` on `127.0.0.1:0`, printing nothing.
pub fn start(root: &Path) -> Preview {
    Preview::start(
        root,
        Options {
            addr: "127.0.0.1:0".parse().unwrap(),
            quiet: true,
            ..Options::default()
        },
    )
    .expect("the preview starts")
}

/// An open `/__preview/events` stream.
pub struct Events {
    stream: TcpStream,
    buf: String,
}

impl Events {
    /// Opens the stream and waits for its `hello`.
    pub fn open(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect to the preview");
        write!(
            stream,
            "GET /__preview/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut e = Events {
            stream,
            buf: String::new(),
        };
        assert!(e.next("hello", HELLO).is_some(), "no hello event");
        e
    }

    /// The data of the next `event` within `timeout`; `None` when it did not come (or
    /// the stream ended).
    pub fn next(&mut self, event: &str, timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        let marker = format!("event: {event}\ndata: ");
        loop {
            if let Some(i) = self.buf.find(&marker) {
                let rest = &self.buf[i + marker.len()..];
                if let Some(end) = rest.find("\n\n") {
                    let data = rest[..end].to_string();
                    self.buf = rest[end..].to_string();
                    return Some(data);
                }
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            self.stream
                .set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .unwrap();
            let mut chunk = [0u8; 4096];
            match self.stream.read(&mut chunk) {
                Ok(0) => return None,
                Ok(n) => self.buf.push_str(&String::from_utf8_lossy(&chunk[..n])),
                Err(_) => return None,
            }
        }
    }
}
