//! `signin-pages man`: the manual page, rendered by clap_mangen from the definitions in
//! `cli.rs`, so that it never drifts from `--help`.
//!
//! One page by default: the tool's own page (synopsis, global options, the list of
//! commands, examples), then a section per command, nested ones (`kmsi plan`,
//! `backups list`) included, each with its synopsis, description, options and examples.
//! `man -l` shows that as one document to page and search through. With `--out-dir`,
//! one page per command instead (`signin-pages-kmsi-plan.1`), as `man signin-pages-build`
//! expects when they are installed into a `man1/` folder.

use std::path::Path;

use clap::CommandFactory;
use clap_mangen::Man;

use crate::cli::{Cli, GlobalArgs, ManArgs};
use crate::cli_doc::commands;
use crate::cmd::{Outcome, report_write_error, status};

pub(crate) fn execute(g: &GlobalArgs, a: &ManArgs) -> Outcome {
    let top = tree();
    match &a.out_dir {
        None => {
            out!("{}", one_page(&top));
            Outcome::Success
        }
        Some(dir) => match write_pages(&top, dir) {
            Ok(n) => {
                status(g, &format!("wrote {n} manual pages into {}", dir.display()));
                Outcome::Success
            }
            Err(e) => {
                report_write_error(g, &e);
                Outcome::Failure
            }
        },
    }
}

/// The command tree, built (so every subcommand knows its full name), without clap's
/// `help` subcommand: `--help` is on every command already.
fn tree() -> clap::Command {
    let mut top = Cli::command().disable_help_subcommand(true);
    top.build();
    top
}

/// The tool's page with one section per command.
fn one_page(top: &clap::Command) -> String {
    let mut page = render(|w| Man::new(top.clone()).render(w));
    for cmd in commands(top) {
        let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
        // Command names are ours: letters, digits, hyphens and spaces.
        page.push_str(&format!(".SH \"{}\"\n", name.to_uppercase()));
        let man = Man::new(cmd.clone());
        let mut section = render(|w| man.render_synopsis_section(w));
        section.push_str(&render(|w| man.render_description_section(w)));
        if cmd.get_arguments().any(|a| !a.is_hide_set()) {
            section.push_str(&render(|w| man.render_options_section(w)));
        }
        if cmd.has_subcommands() {
            section.push_str(&render(|w| man.render_subcommands_section(w)));
        }
        if cmd.get_after_help().is_some() || cmd.get_after_long_help().is_some() {
            section.push_str(&render(|w| man.render_extra_section(w)));
        }
        page.push_str(&subsections(&section));
    }
    // clap_mangen calls the after-help text EXTRA; ours is examples.
    page.replace(".SH EXTRA\n", ".SH EXAMPLES\n")
}

/// A command's sections as subsections of its own section: `.SH X` becomes `.SS X`, and
/// the preamble every rendering starts with (it defines `\*(Aq`, already defined at the
/// top of the page) goes. The roff writer escapes a text line that starts with a dot, so
/// only its own requests start with one.
fn subsections(roff: &str) -> String {
    let mut out = String::new();
    for line in roff.lines() {
        if line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq") {
            continue;
        }
        match line.strip_prefix(".SH ") {
            Some("EXTRA") => out.push_str(".SS EXAMPLES"),
            Some(title) => {
                out.push_str(".SS ");
                out.push_str(title);
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// One page per command into `dir`: `signin-pages.1`, `signin-pages-build.1`, …
fn write_pages(top: &clap::Command, dir: &Path) -> Result<usize, crate::write::WriteError> {
    let all: Vec<&clap::Command> = std::iter::once(top).chain(commands(top)).collect();
    for cmd in &all {
        let man = Man::new((*cmd).clone());
        let page = render(|w| man.render(w)).replace(".SH EXTRA\n", ".SH EXAMPLES\n");
        crate::write::atomic(dir, &dir.join(man.get_filename()), page.as_bytes())?;
    }
    Ok(all.len())
}

/// What a clap_mangen renderer writes (into memory: it cannot fail).
fn render(f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut buf = Vec::new();
    f(&mut buf).expect("writing into memory");
    String::from_utf8_lossy(&buf).into_owned()
}
