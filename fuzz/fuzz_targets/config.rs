//! The project-file parser (`signin-pages.toml`) on arbitrary text. Every diagnostic
//! must also render.
//!
//! The harness (`fuzz/harness.rs`) is shared with the stable tests (`tests/properties.rs`).
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::bytes(data, harness::config));
