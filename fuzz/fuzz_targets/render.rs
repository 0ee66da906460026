//! Template rendering of arbitrary text: the input is `templates/sign-in.html` of the
//! example project (its layouts and partials beside it), rendered with a real target's
//! context. Errors are fine; every diagnostic must also render.
//!
//! The harness (`fuzz/harness.rs`) is shared with the stable tests (`tests/properties.rs`).
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::bytes(data, harness::render));
