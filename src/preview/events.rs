//! Server-sent events: every open page holds one stream (`/__preview/events`) and
//! reloads when told.
//!
//! Each stream is written by its own thread from a bounded queue. The broadcaster only
//! ever `try_send`s, so a client that stops reading fills its own queue and is dropped
//! (its browser reconnects and reloads); it never holds up the others or the watcher.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tiny_http::Request;

/// Events queued for one client before it counts as stuck.
const QUEUE: usize = 32;
/// A comment line this often keeps proxies and the browser from timing the stream out.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The open streams.
#[derive(Default)]
pub(crate) struct Broadcaster {
    clients: Mutex<Vec<SyncSender<Arc<str>>>>,
    closed: AtomicBool,
}

impl Broadcaster {
    /// A queue for a new stream; `None` once closed.
    pub(crate) fn subscribe(&self) -> Option<Receiver<Arc<str>>> {
        let mut clients = self.clients.lock().expect("clients lock");
        if self.closed.load(Ordering::SeqCst) {
            return None;
        }
        let (tx, rx) = sync_channel(QUEUE);
        clients.push(tx);
        Some(rx)
    }

    /// Send `event` with `data` (one line) to every stream, dropping the stuck and gone.
    pub(crate) fn send(&self, event: &str, data: &str) {
        let message: Arc<str> = format!("event: {event}\ndata: {data}\n\n").into();
        self.clients.lock().expect("clients lock").retain(|tx| {
            match tx.try_send(Arc::clone(&message)) {
                Ok(()) => true,
                Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
            }
        });
    }

    /// Say `bye` to every stream (the page closes it and retries later), end them, and
    /// refuse new ones. (tiny_http keeps a connection open until the client leaves it.)
    pub(crate) fn close(&self) {
        self.send("bye", "{}");
        let mut clients = self.clients.lock().expect("clients lock");
        self.closed.store(true, Ordering::SeqCst);
        clients.clear();
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.clients.lock().expect("clients lock").len()
    }
}

/// Answer `request` with an event stream fed by `rx`, until the client leaves or the
/// broadcaster closes. Runs on the request's own thread.
pub(crate) fn stream(request: Request, rx: Receiver<Arc<str>>, hello: &str) {
    // The head is written by hand: tiny_http would buffer a chunked body, and events
    // must leave at once. `Connection: close` ends the body with the connection.
    let mut w = request.into_writer();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
         Cache-Control: no-store\r\nConnection: close\r\nX-Accel-Buffering: no\r\n\r\n\
         retry: 500\n\nevent: hello\ndata: {hello}\n\n"
    );
    if w.write_all(head.as_bytes())
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    loop {
        let chunk: Arc<str> = match rx.recv_timeout(KEEP_ALIVE) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".into(),
            Err(RecvTimeoutError::Disconnected) => break,
        };
        if w.write_all(chunk.as_bytes())
            .and_then(|()| w.flush())
            .is_err()
        {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stuck_client_is_dropped_without_blocking_the_others() {
        let b = Broadcaster::default();
        let stuck = b.subscribe().unwrap();
        let live = b.subscribe().unwrap();
        for i in 0..QUEUE + 5 {
            b.send("reload", &i.to_string());
            assert_eq!(
                live.try_recv().unwrap().as_ref(),
                format!("event: reload\ndata: {i}\n\n")
            );
        }
        assert_eq!(b.len(), 1, "the stuck client is gone, the live one stays");
        drop(stuck);
        b.close();
        assert_eq!(live.recv().unwrap().as_ref(), "event: bye\ndata: {}\n\n");
        assert!(live.recv().is_err(), "closing ends the streams");
        assert!(b.subscribe().is_none());
    }
}
