//! The HTML/CSP/Okta/label/secret checks on an arbitrary page, as the sign-in page and
//! as the error page of the example project. Every finding must also render.
//!
//! The harness (`fuzz/harness.rs`) is shared with the stable tests (`tests/properties.rs`).
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::bytes(data, harness::check));
