//! Printing that never panics. `outln!` panics when standard output is a closed pipe
//! (`signin-pages explain | head -1`, `build 2>&1 | head`): Rust ignores SIGPIPE, so the
//! write fails with `BrokenPipe` and the macro turns that into exit 101. Every line the
//! tool prints goes through [`outln!`]/[`out!`] (standard output) or
//! [`errln!`]/[`err!`] (standard error) instead; clippy's `print_stdout` and
//! `print_stderr` lints keep it so.
//!
//! A write that fails drops the text and every later write to that stream: the command
//! still finishes its work (a `deploy` whose log reader went away must not stop between
//! a backup and its write) and exits with the code its work earned.

use std::fmt;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_GONE: AtomicBool = AtomicBool::new(false);
static STDERR_GONE: AtomicBool = AtomicBool::new(false);

fn write_to(gone: &AtomicBool, mut w: impl Write, args: fmt::Arguments<'_>) {
    if gone.load(Ordering::Relaxed) {
        return;
    }
    if w.write_fmt(args).and_then(|()| w.flush()).is_err() {
        gone.store(true, Ordering::Relaxed);
    }
}

/// Write to standard output; see the module documentation.
pub fn stdout(args: fmt::Arguments<'_>) {
    write_to(&STDOUT_GONE, std::io::stdout().lock(), args);
}

/// Write to standard error; see the module documentation.
pub fn stderr(args: fmt::Arguments<'_>) {
    write_to(&STDERR_GONE, std::io::stderr().lock(), args);
}

/// `print!` that never panics.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::out::stdout(format_args!($($arg)*)) };
}

/// `outln!` that never panics.
#[macro_export]
macro_rules! outln {
    () => { $crate::out::stdout(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::out::stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `eprint!` that never panics.
#[macro_export]
macro_rules! err {
    ($($arg:tt)*) => { $crate::out::stderr(format_args!($($arg)*)) };
}

/// `errln!` that never panics.
#[macro_export]
macro_rules! errln {
    () => { $crate::out::stderr(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::out::stderr(format_args!("{}\n", format_args!($($arg)*))) };
}
