//! signin-pages: Okta Identity Engine custom sign-in pages, compiled from Tera templates.
//!
//! The modules are layers, and an import only ever looks down (`tests/layers.rs` holds
//! the list and fails on an import that looks up or closes a circle):
//!
//! - foundations that know nothing of Okta or the project: [`out`] (every print),
//!   [`redact`], [`source`], [`duration`], [`okta_tags`], [`budget`] (render budgets),
//!   [`parallel`]; then [`diag`], the findings and the typed rule registry;
//! - leaves beside the pipeline: [`okta`], the Management API (it takes a validated org
//!   URL and knows nothing of the pipeline), [`write`] (real folders only, atomic and
//!   durable), [`starter`], and [`widget`], what each Sign-In Widget version has;
//! - the pipeline, in the order data flows: [`config`] and [`project`] load the files,
//!   [`theme`] merges and checks the rest of the sign-in brand (theme, images, sign-out
//!   page, brand settings),
//!   [`payload`] shapes the request bodies, [`plan`] picks the targets, [`render`] runs
//!   Tera behind the Okta-tag mask, [`check`] finds problems (every page check reads one
//!   scanner, [`check::scan`]), [`compile`] ties those together and [`emit`] writes
//!   `dist/` and `snapshots/`;
//! - over the pipeline: [`preview`] (`serve`), [`visual`] (screenshots of the preview's
//!   pages, `test --visual`), [`org`] (backups, the preview pin, diff,
//!   deploy, pull, rollback against an org), [`kmsi`] (Keep Me Signed In in the org's
//!   policies); [`ci`], the CI workflows `init --ci` writes;
//! - [`report`]: what `diff`, `deploy` and `kmsi` report to machines (JSON documents,
//!   a Markdown job summary), typed;
//! - [`cli`] parses the arguments ([`cli_doc`] writes the guide's command reference from
//!   it) and [`cmd`] runs each command: parse, call the library, print.

// `OktaError` carries everything Okta said (code, summary, causes, id) and our advice;
// it is returned rarely and read by people, so its size does not matter.
#![allow(clippy::result_large_err)]
// Every print goes through `out` (never a panic on a closed pipe).
#![warn(clippy::print_stdout, clippy::print_stderr)]

#[macro_use]
pub mod out;

pub mod budget;
pub mod check;
pub mod ci;
pub mod cli;
pub mod cli_doc;
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
pub mod report;
pub mod source;
pub mod starter;
pub mod theme;
pub mod visual;
pub mod widget;
pub mod write;

use std::process::ExitCode;

use clap::Parser;

/// Parse the command line, run the command, map the outcome to an exit code.
pub fn main() -> ExitCode {
    // clap ends a usage error with 2, which is `diff`'s and `kmsi plan`'s "changes
    // present": a CI step that lets 2 through would pass a mistyped flag. So 1.
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.exit_code() == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
    };
    cmd::run(cli).into()
}
