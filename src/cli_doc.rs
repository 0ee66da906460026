//! The command reference of the user guide (`book/src/reference/commands.md`), written
//! from clap's command tree, the same definitions `--help` prints, so the page cannot
//! drift from the binary: `tests/book.rs` regenerates it and fails when it differs
//! (`UPDATE_DOCS=1 cargo test book_commands_md` rewrites it).
//!
//! Everything here is plain text from `Cli::command()`: about and long about, the usage
//! line, every argument with its help, values and default, and the examples of
//! `after_help`. Global options are listed once, at the top.

use std::fmt::Write as _;

use clap::{Arg, ArgAction, Command, CommandFactory};

use crate::cli::Cli;

/// The markdown page: one section per command, subcommands nested under their parent.
#[must_use]
pub fn commands_markdown() -> String {
    let mut root = Cli::command();
    // Build propagates the global options and sets every subcommand's `bin_name`, which
    // the usage lines read.
    root.build();
    let mut doc = String::from(
        "# Commands\n\n<!-- Generated from src/cli.rs (clap) by `UPDATE_DOCS=1 cargo test book_commands_md`; do not edit by hand. -->\n\n",
    );
    let about = root.get_long_about().or(root.get_about());
    if let Some(about) = about {
        doc.push_str(&paragraphs(&about.to_string()));
    }
    doc.push_str(
        "Exit codes: `0` success; `1` problems found (diagnostics with errors, snapshot differences, the org refused, a guard stopped a write); `2` only for `diff` and `kmsi plan`: changes present. `signin-pages <command> --help` prints the same text as this page.\n\n",
    );
    doc.push_str("```text\n");
    for sub in commands(&root) {
        let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
        let _ = writeln!(doc, "{:<30} {about}", full_name(sub));
    }
    doc.push_str(
        "```\n\n## Global options\n\nEvery command takes them, and `-h, --help` (`--help` says more than `-h`) and `-V, --version`.\n\n",
    );
    let globals: Vec<&Arg> = root
        .get_arguments()
        .filter(|a| a.is_global_set() && !a.is_hide_set())
        .collect();
    args_table(&mut doc, &globals);
    for sub in commands(&root) {
        command_section(&mut doc, full_name(sub), sub);
    }
    doc
}

/// Every command under `cmd` (depth first, in definition order), without hidden ones and
/// clap's `help`; after `Command::build`, each knows its full name (`get_bin_name`). The
/// man page (`cmd::man`) walks the tree with this too.
pub fn commands(cmd: &Command) -> Vec<&Command> {
    let mut out = Vec::new();
    for sub in cmd.get_subcommands() {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        out.push(sub);
        out.extend(commands(sub));
    }
    out
}

/// A built command's full name (`signin-pages kmsi plan`).
fn full_name(cmd: &Command) -> &str {
    cmd.get_bin_name().unwrap_or_else(|| cmd.get_name())
}

fn command_section(doc: &mut String, path: &str, cmd: &Command) {
    let _ = write!(doc, "## `{path}`\n\n");
    if let Some(about) = cmd.get_long_about().or(cmd.get_about()) {
        doc.push_str(&paragraphs(&about.to_string()));
    }
    let usage = cmd.clone().render_usage().to_string();
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    let _ = write!(doc, "```text\n{usage}\n```\n\n");
    let own: Vec<&Arg> = cmd
        .get_arguments()
        .filter(|a| !a.is_global_set() && !a.is_hide_set() && !is_builtin(a))
        .collect();
    if !own.is_empty() {
        args_table(doc, &own);
    }
    if let Some(after) = cmd.get_after_long_help().or(cmd.get_after_help()) {
        let after = after.to_string();
        if let Some(examples) = after.trim().strip_prefix("Example:") {
            doc.push_str("Example:\n\n```sh\n");
            for line in examples.lines().map(str::trim).filter(|l| !l.is_empty()) {
                doc.push_str(line);
                doc.push('\n');
            }
            doc.push_str("```\n\n");
        } else {
            doc.push_str(&paragraphs(&after));
        }
    }
}

/// `--help` and `--version`, which every command has.
fn is_builtin(arg: &Arg) -> bool {
    matches!(
        arg.get_action(),
        ArgAction::Help | ArgAction::HelpShort | ArgAction::HelpLong | ArgAction::Version
    )
}

fn args_table(doc: &mut String, args: &[&Arg]) {
    doc.push_str("| argument | what | default |\n|---|---|---|\n");
    for arg in args {
        let help = arg
            .get_long_help()
            .or(arg.get_help())
            .map(ToString::to_string)
            .unwrap_or_default();
        let mut what = help.split_whitespace().collect::<Vec<_>>().join(" ");
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| format!("`{}`", v.get_name()))
            .collect();
        // clap drops the full stop of a one-line help; the page writes sentences.
        if !what.is_empty() && !what.ends_with(['.', '?', '!']) {
            what.push('.');
        }
        let mut what = prose(&what);
        if !values.is_empty() && takes_value(arg) {
            if !what.is_empty() {
                what.push(' ');
            }
            let _ = write!(what, "One of {}.", values.join(", "));
        }
        if arg.is_required_set() {
            what.push_str(" **Required.**");
        }
        // A flag's `false` and a counter's `0` say nothing.
        let flag = matches!(
            arg.get_action(),
            ArgAction::SetTrue | ArgAction::SetFalse | ArgAction::Count
        );
        let default: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| format!("`{}`", v.to_string_lossy()))
            .collect();
        let default = if default.is_empty() || flag {
            String::new()
        } else {
            default.join(", ")
        };
        let _ = writeln!(
            doc,
            "| {} | {} | {} |",
            arg_name(arg),
            what.trim().replace('|', "\\|"),
            default
        );
    }
    doc.push('\n');
}

fn takes_value(arg: &Arg) -> bool {
    arg.get_num_args().is_some_and(|n| n.takes_values())
        || matches!(arg.get_action(), ArgAction::Set | ArgAction::Append)
}

/// `-p, --port <PORT>` or `<DIR>`, as `--help` writes it.
fn arg_name(arg: &Arg) -> String {
    let value = arg
        .get_value_names()
        .and_then(|v| v.first())
        .map_or_else(|| arg.get_id().as_str().to_uppercase(), ToString::to_string);
    if arg.is_positional() {
        return format!("`<{value}>`");
    }
    let mut name = String::new();
    if let Some(short) = arg.get_short() {
        let _ = write!(name, "-{short}");
    }
    if let Some(long) = arg.get_long() {
        if !name.is_empty() {
            name.push_str(", ");
        }
        let _ = write!(name, "--{long}");
    }
    if takes_value(arg) {
        let _ = write!(name, " <{value}>");
    }
    format!("`{name}`")
}

/// clap's help text as markdown paragraphs: lines of one paragraph are joined.
fn paragraphs(text: &str) -> String {
    let mut out = String::new();
    for para in text.trim().split("\n\n") {
        let mut joined = para.split_whitespace().collect::<Vec<_>>().join(" ");
        if !joined.is_empty() {
            if !joined.ends_with(['.', '?', '!', ':']) {
                joined.push('.');
            }
            out.push_str(&prose(&joined));
            out.push_str("\n\n");
        }
    }
    out
}

/// Markdown text from help text: `<env>` outside code spans would be read as an HTML
/// tag, so angle brackets there are written as entities.
fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
        } else {
            out.push_str(&part.replace('<', "&lt;").replace('>', "&gt;"));
        }
    }
    out
}
