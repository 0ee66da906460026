//! Render budgets: every page renders under a time budget, an output budget and a memory
//! ceiling, so that a template that never ends (`{% for %}` nested three deep over
//! `range(end=100000)`) or writes gigabytes fails with a diagnostic instead of running
//! for hours, aborting on a failed allocation, or pinning a core of the preview.
//!
//! Three mechanisms, one state per render thread:
//! - a hook in Tera's interpreter, called before every loop iteration
//!   (`vendor/tera/PATCH.md`), checks the deadline, the output written so far and the
//!   memory the thread holds, and stops the render with an error at the loop;
//! - the output goes through a [`Capped`] writer that refuses to grow past the output
//!   budget (plus a little slack, so that the loop that wrote it is usually the one
//!   named);
//! - [`CountingAlloc`], installed as the binary's global allocator, keeps a per-thread
//!   count of live bytes. It is what bounds memory that never reaches the output
//!   (`{% set s = s ~ s %}` in a loop). Without it (the library used from another
//!   program) time and output are still bounded.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::Write;
use std::time::{Duration, Instant};

/// The limits of one page render. Defaults no real page comes near: a page renders in
/// well under a millisecond and weighs tens of kilobytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time for one page.
    pub time: Duration,
    /// Bytes of rendered output for one page.
    pub output: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time: Duration::from_secs(2),
            output: 16 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// The most memory a render may hold beyond what its thread held when it started:
    /// room for the output, copies of it (filters, captures) and Tera's own values.
    pub fn memory(&self) -> usize {
        64 * 1024 * 1024 + 8 * self.output
    }
}

/// Which budget a render ran out of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    Time,
    Output,
    Memory,
}

/// Output written past the budget before the writer refuses more: the loop hook usually
/// notices first and names the loop.
const OUTPUT_SLACK: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy)]
struct Active {
    limits: Limits,
    deadline: Instant,
    memory_at_start: isize,
}

thread_local! {
    /// The budget of the render running on this thread, if any.
    static ACTIVE: Cell<Option<Active>> = const { Cell::new(None) };
    /// Bytes the render has written (kept apart: the writer updates it on every write).
    static WRITTEN: Cell<usize> = const { Cell::new(0) };
    /// Loop iterations the render has run.
    static ITERATIONS: Cell<u64> = const { Cell::new(0) };
    /// The budget the render ran out of.
    static EXCEEDED: Cell<Option<Exceeded>> = const { Cell::new(None) };
    /// Bytes allocated minus bytes freed by this thread (see [`CountingAlloc`]).
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

fn live() -> isize {
    LIVE.try_with(Cell::get).unwrap_or(0)
}

fn exceed(e: Exceeded) {
    EXCEEDED.with(|c| c.set(c.get().or(Some(e))));
}

/// A render in progress on this thread; dropping it ends the budget.
pub struct Guard {
    _not_send: std::marker::PhantomData<*const ()>,
}

impl Guard {
    /// Start a budget on this thread.
    pub fn start(limits: Limits) -> Guard {
        ACTIVE.with(|c| {
            c.set(Some(Active {
                limits,
                deadline: Instant::now() + limits.time,
                memory_at_start: live(),
            }))
        });
        WRITTEN.with(|c| c.set(0));
        ITERATIONS.with(|c| c.set(0));
        EXCEEDED.with(|c| c.set(None));
        Guard {
            _not_send: std::marker::PhantomData,
        }
    }

    /// Which budget ran out, if one did, and the loop iterations counted so far.
    pub fn outcome(&self) -> (Option<Exceeded>, u64) {
        (EXCEEDED.with(Cell::get), ITERATIONS.with(Cell::get))
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        ACTIVE.with(|c| c.set(None));
    }
}

/// The message a stopped render carries (Tera wraps it in its rendering error).
pub fn message(e: Exceeded, limits: &Limits) -> String {
    match e {
        Exceeded::Time => format!(
            "the page took longer than its render time budget ({} ms)",
            limits.time.as_millis()
        ),
        Exceeded::Output => format!(
            "the page grew past its output budget ({})",
            human_bytes(limits.output as u64)
        ),
        Exceeded::Memory => format!(
            "rendering the page held more than {} of memory",
            human_bytes(limits.memory() as u64)
        ),
    }
}

/// The longest time budget accepted: past it, a stuck render is not worth waiting for.
const MAX_TIME: Duration = Duration::from_secs(600);

/// `"500ms"`, `"2s"`, `"1.5s"`, `"1m"`: a time budget as written in signin-pages.toml.
pub fn parse_time(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (number, unit) = t.split_at(t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len()));
    let n: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a duration"))?;
    let seconds = match unit.trim() {
        "ms" => n / 1000.0,
        "s" => n,
        "m" | "min" => n * 60.0,
        "" => return Err(format!("`{text}` has no unit")),
        u => return Err(format!("`{u}` is not a unit of time here")),
    };
    if seconds.is_nan() || seconds <= 0.0 {
        return Err("a time budget must be more than zero".into());
    }
    if seconds > MAX_TIME.as_secs_f64() {
        return Err(format!(
            "{text} is more than the {} s allowed",
            MAX_TIME.as_secs()
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// The largest output budget accepted.
const MAX_OUTPUT: u64 = 1024 * 1024 * 1024;

/// `"16MiB"`, `"512 KiB"`, `"2MB"`, or a number of bytes: an output budget.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let (number, unit) = t.split_at(t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len()));
    let n: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a size"))?;
    let scale: f64 = match unit.trim() {
        "" | "B" => 1.0,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        "kB" | "KB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        u => {
            return Err(format!(
                "`{u}` is not a unit of size here (KiB, MiB, KB, MB)"
            ));
        }
    };
    let bytes = n * scale;
    if bytes.is_nan() || bytes < 1024.0 {
        return Err("an output budget must be at least 1 KiB".into());
    }
    if bytes > MAX_OUTPUT as f64 {
        return Err(format!(
            "{text} is more than the {} allowed",
            human_bytes(MAX_OUTPUT)
        ));
    }
    Ok(bytes as usize)
}

/// `1.5 MiB`, `300 KiB`, `12 bytes`.
pub fn human_bytes(n: u64) -> String {
    const K: u64 = 1024;
    if n >= K * K {
        let v = n as f64 / (K * K) as f64;
        if v.fract() == 0.0 {
            format!("{v:.0} MiB")
        } else {
            format!("{v:.1} MiB")
        }
    } else if n >= K {
        format!("{} KiB", n / K)
    } else {
        format!("{n} bytes")
    }
}

/// The hook Tera calls before every loop iteration (registered with
/// `Tera::set_interrupt`). The clock is read every 16 iterations: a loop iteration costs
/// tens of nanoseconds, a clock read about twenty.
pub fn interrupt() -> Option<String> {
    let a = ACTIVE.with(Cell::get)?;
    let e = match EXCEEDED.with(Cell::get) {
        Some(e) => e,
        None => {
            let n = ITERATIONS.with(|c| {
                c.set(c.get() + 1);
                c.get()
            });
            if WRITTEN.with(Cell::get) > a.limits.output {
                Exceeded::Output
            } else if live().saturating_sub(a.memory_at_start) > a.limits.memory() as isize {
                Exceeded::Memory
            } else if n.is_multiple_of(16) && Instant::now() >= a.deadline {
                Exceeded::Time
            } else {
                return None;
            }
        }
    };
    exceed(e);
    Some(message(e, &a.limits))
}

/// The writer a page renders into: refuses to grow past the output budget (plus
/// [`OUTPUT_SLACK`]) and records how much was written for [`interrupt`].
pub struct Capped {
    pub buf: Vec<u8>,
    cap: usize,
}

impl Capped {
    pub fn new(limits: &Limits, size_hint: usize) -> Capped {
        Capped {
            buf: Vec::with_capacity(size_hint.min(limits.output)),
            cap: limits.output.saturating_add(OUTPUT_SLACK),
        }
    }
}

impl Write for Capped {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let len = self.buf.len() + bytes.len();
        let _ = WRITTEN.try_with(|c| c.set(len));
        if len > self.cap {
            exceed(Exceeded::Output);
            return Err(std::io::Error::other("output budget exceeded"));
        }
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The system allocator, counting the live bytes of each thread for [`interrupt`]'s
/// memory ceiling. Installed by the binary (`src/main.rs`). A block freed by another
/// thread than the one that allocated it moves the count between the two; renders free
/// what they allocate on their own thread, so the count of a render thread stays true.
pub struct CountingAlloc;

fn count(delta: isize) {
    let _ = LIVE.try_with(|c| c.set(c.get().wrapping_add(delta)));
}

// SAFETY: every method forwards to `System` with the same arguments; counting touches
// only a const-initialized thread-local without a destructor, which never allocates.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_parse_as_written() {
        assert_eq!(parse_time("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_time(" 1.5s "), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_time("1m"), Ok(Duration::from_secs(60)));
        assert!(parse_time("2").is_err());
        assert!(parse_time("0s").is_err());
        assert!(parse_time("2h").is_err());
        assert!(parse_time("fast").is_err());
        assert_eq!(parse_size("16MiB"), Ok(16 * 1024 * 1024));
        assert_eq!(parse_size("512 KiB"), Ok(512 * 1024));
        assert_eq!(parse_size("2MB"), Ok(2_000_000));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("12").is_err());
        assert!(parse_size("2TB").is_err());
        assert!(parse_size("lots").is_err());
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_bytes(16 * 1024 * 1024), "16 MiB");
        assert_eq!(human_bytes(1536 * 1024), "1.5 MiB");
        assert_eq!(human_bytes(300 * 1024), "300 KiB");
        assert_eq!(human_bytes(12), "12 bytes");
    }

    #[test]
    fn the_writer_refuses_past_the_budget_and_the_hook_stops_the_loop() {
        let limits = Limits {
            time: Duration::from_secs(60),
            output: 10,
        };
        let g = Guard::start(limits);
        let mut w = Capped::new(&limits, 0);
        assert!(w.write_all(b"0123456789").is_ok());
        assert_eq!(interrupt(), None);
        assert!(w.write_all(b"x").is_ok(), "slack past the budget");
        assert!(interrupt().is_some_and(|m| m.contains("output budget")));
        assert_eq!(g.outcome().0, Some(Exceeded::Output));
        drop(g);
        assert_eq!(interrupt(), None, "no budget outside a render");
    }

    #[test]
    fn the_hook_stops_at_the_deadline() {
        let g = Guard::start(Limits {
            time: Duration::ZERO,
            output: 10,
        });
        let stopped = (0..32).find_map(|_| interrupt());
        assert!(stopped.is_some_and(|m| m.contains("time budget")));
        assert_eq!(g.outcome().0, Some(Exceeded::Time));
    }
}
