//! Command-line arguments (clap derive only; the work lives in `cmd/` and the library).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::diag::{ColorChoice, Format};

/// Compile, check, preview, test and publish Okta Identity Engine custom sign-in pages.
///
/// A project is `signin-pages.toml`, Tera templates under `templates/` and labels under
/// `locales/`. Every brand × environment is a target; `build` renders each into
/// `dist/<env>/<brand>/`.
#[derive(Debug, Parser)]
#[command(
    after_help = "Example:\n  signin-pages init my-pages && signin-pages build --project my-pages",
    name = "signin-pages",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The project folder (the one holding signin-pages.toml).
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
    /// Say more (repeat for more detail).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Say only what went wrong.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Colour: on a terminal only (`auto`, honouring NO_COLOR), `always` or `never`.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a starter project, built from Okta's default sign-in page.
    ///
    /// The starter has a layout, a partial, locales `en` and `fr`, and the KMSI labels
    /// wired into the widget's config.i18n. It builds clean as written.
    #[command(after_help = "Example:\n  signin-pages init my-pages")]
    Init(InitArgs),
    /// Render every target into dist/<env>/<brand>/ (page and request body).
    ///
    /// Runs the checks first and writes nothing when any target has an error: the
    /// previous dist/ stays as it was.
    #[command(after_help = "Example:\n  signin-pages build --env prod --brand Acme")]
    Build(BuildArgs),
    /// Check every target and print the diagnostics.
    ///
    /// Exits 1 when an error is found (or a warning, with --deny-warnings).
    #[command(after_help = "Example:\n  signin-pages check --format github")]
    Check(CheckArgs),
    /// Compare every target with its snapshot under snapshots/<env>/<brand>/.
    ///
    /// Differences print as unified diffs and exit 1; --accept writes them.
    #[command(after_help = "Example:\n  signin-pages test --accept")]
    Test(TestArgs),
    /// Say what a diagnostic code catches, why it matters for an Okta page, and how to fix it.
    ///
    /// Without a code, list every code.
    #[command(after_help = "Example:\n  signin-pages explain C001")]
    Explain(ExplainArgs),
    /// Compare what the org has with what the project builds, field by field.
    ///
    /// pageContent as a unified diff; widgetVersion, the CSP setting and each
    /// widgetCustomizations field (the KMSI prompt's labels included) as old → new.
    /// Exits 0 when equal, 2 when different, 1 on error.
    #[command(after_help = "Example:\n  signin-pages diff --env prod --against preview")]
    Diff(DiffArgs),
    /// Build, check, and send the pages to Okta: first --preview, then --publish.
    ///
    /// Before every write the slot's current content is saved under
    /// .signin-pages/backups/<env>/<brand>/. --publish sends the payload last sent to
    /// preview (refused if the build changed since, unless --yes) and refuses to reset
    /// values the org has but the project does not set (unless --allow-reset).
    #[command(
        after_help = "Example:\n  signin-pages deploy --env prod --preview\n  signin-pages deploy --env prod --publish"
    )]
    Deploy(DeployArgs),
    /// Import what the org has (page, labels, CSP and widget settings) into the project.
    #[command(after_help = "Example:\n  signin-pages pull --env prod --brand Acme")]
    Pull(PullArgs),
    /// Restore a backup of a brand's page (the latest by default), backing up the current
    /// state first.
    #[command(after_help = "Example:\n  signin-pages rollback --env prod --brand Acme")]
    Rollback(RollbackArgs),
    /// List the backups taken before each write.
    #[command(after_help = "Example:\n  signin-pages backups list --env prod")]
    Backups(BackupsArgs),
}

#[derive(Debug, Args, Clone)]
pub struct RemoteArgs {
    /// The environment (its org).
    #[arg(long, value_name = "E")]
    pub env: String,
    /// Only this brand (its name in Okta).
    #[arg(long, value_name = "B")]
    pub brand: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Against {
    Live,
    Preview,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// Compare with the live page (customized) or the staged one (preview).
    #[arg(long, value_enum, default_value_t = Against::Live)]
    pub against: Against,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("slot").required(true).args(["preview", "publish"])))]
pub struct DeployArgs {
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// Send to the preview page (seen at https://<domain>/login/preview).
    #[arg(long)]
    pub preview: bool,
    /// Send to the live page.
    #[arg(long)]
    pub publish: bool,
    /// Print the plan (brands, fields that change) and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Publish even if the payload was not previewed as it is now.
    #[arg(long)]
    pub yes: bool,
    /// Publish even if it resets values the org has and the project does not set.
    #[arg(long)]
    pub allow_reset: bool,
}

#[derive(Debug, Args)]
pub struct PullArgs {
    #[command(flatten)]
    pub remote: RemoteArgs,
}

#[derive(Debug, Args)]
pub struct RollbackArgs {
    #[arg(long, value_name = "E")]
    pub env: String,
    #[arg(long, value_name = "B")]
    pub brand: String,
    /// A backup file name (from `backups list`); default: the latest.
    #[arg(long, value_name = "BACKUP")]
    pub to: Option<String>,
}

#[derive(Debug, Args)]
pub struct BackupsArgs {
    #[command(subcommand)]
    pub command: BackupsCommand,
}

#[derive(Debug, Subcommand)]
pub enum BackupsCommand {
    /// List backups, oldest first.
    List {
        #[arg(long, value_name = "E")]
        env: Option<String>,
        #[arg(long, value_name = "B")]
        brand: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code such as `C001` (any case).
    pub code: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the project (must be empty or absent).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args, Clone, Default)]
pub struct TargetArgs {
    /// Only this environment.
    #[arg(long, value_name = "E")]
    pub env: Option<String>,
    /// Only this brand (its name in Okta).
    #[arg(long, value_name = "B")]
    pub brand: Option<String>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub targets: TargetArgs,
    /// Where to write (default: the project's dist/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub targets: TargetArgs,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Treat warnings as errors for the exit code.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Write the current output as the new snapshots.
    #[arg(long)]
    pub accept: bool,
}
