//! One file per subcommand: read the arguments, call the library, say what happened.

mod backups;
mod build;
mod check;
mod completions;
mod deploy;
mod diff;
mod explain;
mod init;
mod kmsi;
mod man;
mod pull;
mod remote;
mod rollback;
mod serve;
mod test;

use std::process::ExitCode;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::diag::{self, Diagnostics, Format};

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done, nothing to report.
    Success,
    /// Problems found, a guard stopped a write, or the command failed.
    Failure,
    /// `diff`/`kmsi plan`: changes present.
    Changes,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        match o {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Failure => ExitCode::from(1),
            Outcome::Changes => ExitCode::from(2),
        }
    }
}

pub fn run(cli: Cli) -> Outcome {
    let g = &cli.global;
    match &cli.command {
        Command::Init(a) => init::execute(g, a),
        Command::Build(a) => build::execute(g, a),
        Command::Check(a) => check::execute(g, a),
        Command::Test(a) => test::execute(g, a),
        Command::Explain(a) => explain::execute(a),
        Command::Diff(a) => diff::execute(g, a),
        Command::Deploy(a) => deploy::execute(g, a),
        Command::Pull(a) => pull::execute(g, a),
        Command::Rollback(a) => rollback::execute(g, a),
        Command::Backups(a) => backups::execute(g, a),
        Command::Serve(a) => serve::execute(g, a),
        Command::Kmsi(a) => kmsi::execute(g, a),
        Command::Completions(a) => completions::execute(a),
        Command::Man(a) => man::execute(g, a),
    }
}

/// Print diagnostics for people on stderr (or as asked on stdout for machines).
pub(crate) fn report(g: &GlobalArgs, diags: &Diagnostics, format: Format) {
    // A Code Quality report is a file CI reads: `[]` when clean, never nothing.
    if diags.is_empty() && format != Format::Gitlab {
        return;
    }
    let shown: Diagnostics = if g.quiet {
        diags
            .iter()
            .filter(|d| d.severity == diag::Severity::Error)
            .cloned()
            .collect()
    } else {
        diags.clone()
    };
    let prefix = diag::repository_prefix(&g.project, format);
    let text = match format {
        Format::Github => diag::render_github(&shown, &prefix),
        Format::Gitlab => diag::render_gitlab(&shown, &prefix),
        _ => diag::render(&shown, format, g.color),
    };
    if format == Format::Human {
        err!("{text}");
    } else {
        out!("{text}");
    }
}

/// A failed write: `P010` as a diagnostic, other errors as a line.
pub(crate) fn report_write_error(g: &GlobalArgs, e: &crate::write::WriteError) {
    match e.diagnostic() {
        Some(d) => report(g, &Diagnostics::from_iter([d]), Format::Human),
        None => errln!("error: {e}"),
    }
}

/// The end of a command whose work returns a message or an error.
pub(crate) fn conclude(g: &GlobalArgs, result: Result<String, String>) -> Outcome {
    match result {
        Ok(msg) => {
            status(g, &msg);
            Outcome::Success
        }
        Err(e) => {
            errln!("error: {e}");
            Outcome::Failure
        }
    }
}

/// A one-line status on stderr, unless `--quiet`.
pub(crate) fn status(g: &GlobalArgs, line: &str) {
    if !g.quiet {
        errln!("{line}");
    }
}
