//! signin-pages: Okta Identity Engine custom sign-in pages, compiled from Tera templates.
//!
//! The pipeline reads off the module list: [`config`] and [`project`] load the files,
//! [`plan`] picks the targets, [`render`] runs Tera behind the Okta-tag mask, [`check`]
//! finds problems, [`payload`] shapes the request bodies and [`emit`] writes them
//! (every file through [`write`]: real folders only, atomic and durable).
//! [`compile`] ties those together for every command in [`cmd`].

// `OktaError` carries everything Okta said (code, summary, causes, id) and our advice;
// it is returned rarely and read by people, so its size does not matter.
#![allow(clippy::result_large_err)]
// Every print goes through `out` (never a panic on a closed pipe).
#![warn(clippy::print_stdout, clippy::print_stderr)]

#[macro_use]
pub mod out;

pub mod budget;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod compile;
pub mod config;
pub mod diag;
pub mod duration;
pub mod emit;
pub mod kmsi;
pub mod okta;
pub mod okta_tags;
pub mod org;
pub mod parallel;
pub mod payload;
pub mod plan;
pub mod preview;
pub mod project;
pub mod redact;
pub mod render;
pub mod source;
pub mod starter;
pub mod widget;
pub mod write;

use std::process::ExitCode;

use clap::Parser;

/// Parse the command line, run the command, map the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    cmd::run(cli).into()
}
