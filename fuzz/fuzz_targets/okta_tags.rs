//! The Okta-tag mask: `unmask(mask(s)) == s`, same length, every tag range a valid
//! slice, and the checks' same-length stub.
//!
//! The harness (`fuzz/harness.rs`) is shared with the stable tests (`tests/properties.rs`).
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::bytes(data, harness::okta_tags));
