//! The project-file parser (`signin-pages.toml`) on arbitrary text. Every diagnostic
//! must also render.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use signin_pages::config;
use signin_pages::diag::{ColorChoice, Diagnostics, render_human};
use signin_pages::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut diags = Diagnostics::new();
    let _ = config::parse(
        Arc::new(SourceFile::new("signin-pages.toml", text)),
        &mut diags,
    );
    let _ = render_human(&diags.finish(), ColorChoice::Never);
});
