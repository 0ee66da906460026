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
    ///
    /// With --ci github|gitlab, also a CI workflow that checks every change, sends the
    /// pages to preview from main and publishes v* tags after an approval; a folder that
    /// holds a project already gets only the workflow.
    #[command(
        after_help = "Example:\n  signin-pages init my-pages\n  signin-pages init . --ci github --ci-env prod"
    )]
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
    ///
    /// With --visual, screenshots of every target's sign-in page in every widget state
    /// and locale, taken in headless Chromium from the preview, are compared with those
    /// under snapshots/visual/<env>/<brand>/<state>.<locale>.png: a difference beyond the
    /// tolerance is written beside it as .new.png with a .diff.png (differing pixels in
    /// red) and exits 1, as does a screenshot with none accepted yet.
    #[command(
        after_help = "Example:\n  signin-pages test --accept\n  signin-pages test --visual --state identify,kmsi --locale fr\n  signin-pages test --visual --accept"
    )]
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
    /// Exits 0 when equal, 2 when different, 1 on error, in every --format: json prints
    /// one document (schema signin-pages/diff/v1), markdown a CI job summary.
    #[command(
        after_help = "Example:\n  signin-pages diff --env prod --against preview\n  signin-pages diff --env prod --format markdown >> \"$GITHUB_STEP_SUMMARY\""
    )]
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
    /// Restore a backup of a brand's page (the latest by default), or with --policies the
    /// policy rules `kmsi apply` changed, backing up the current state first.
    #[command(
        after_help = "Example:\n  signin-pages rollback --env prod --brand Acme\n  signin-pages rollback --env prod --policies"
    )]
    Rollback(RollbackArgs),
    /// List the backups taken before each write.
    #[command(after_help = "Example:\n  signin-pages backups list --env prod")]
    Backups(BackupsArgs),
    /// Keep Me Signed In in the org's policies: plan, apply, reset a user.
    ///
    /// `[kmsi]` in signin-pages.toml (per environment with `[environments.E.kmsi]`) names
    /// the settings to manage: post-authentication KMSI in app sign-in policy rules, and
    /// the session cookie and MFA prompt of a global session policy rule.
    #[command(
        after_help = "Example:\n  signin-pages kmsi plan --env prod\n  signin-pages kmsi apply --env prod\n  signin-pages kmsi reset --env prod --user ada@example.com"
    )]
    Kmsi(KmsiArgs),
    /// Live preview: every target's pages, rendered in memory, reloading on every save.
    ///
    /// The index lists every target (environment × brand) with a switcher for the widget
    /// state (identify, password, the Keep me signed in prompt, error, select an
    /// authenticator, email, Okta Verify push, SMS, security question, sign-up, forgot and
    /// reset password, unlock account) and the locale; `?state=kmsi&locale=fr` picks them
    /// in a page's URL. The widget is the real Okta Sign-In Widget of the project's
    /// `[widget] version`, driven by mock Identity Engine answers: from --widget-dir, else
    /// node_modules, else the widget cache (filled from Okta's CDN); only when none can be
    /// had, the preview's stand-in, saying so. Each response carries a fresh nonce in the
    /// Content-Security-Policy header Okta would send (report-only with
    /// `[csp] mode = "report_only"`), so the browser reports every violation; they are
    /// printed here and shown on the page. A template error replaces the page with the
    /// diagnostic until it is fixed.
    #[command(
        after_help = "Example:\n  signin-pages serve --open\n  signin-pages serve --port 0 --widget-dir node_modules/@okta/okta-signin-widget"
    )]
    Serve(ServeArgs),
    /// Print a shell completion script for every command and option.
    ///
    /// Save it where the shell loads completions from (the examples show the usual places;
    /// for zsh, the folder must be on $fpath before compinit runs).
    #[command(
        after_help = "Example:\n  signin-pages completions bash > ~/.local/share/bash-completion/completions/signin-pages\n  signin-pages completions zsh > ~/.zfunc/_signin-pages\n  signin-pages completions fish > ~/.config/fish/completions/signin-pages.fish\n  signin-pages completions powershell >> $PROFILE"
    )]
    Completions(CompletionsArgs),
    /// Print the manual page (roff): every command with its options, in one page.
    ///
    /// With --out-dir, write one page per command instead (signin-pages.1,
    /// signin-pages-build.1, signin-pages-kmsi-plan.1, …) for a man1/ folder.
    #[command(
        after_help = "Example:\n  signin-pages man | man -l -\n  signin-pages man --out-dir ~/.local/share/man/man1"
    )]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write one page per command into this folder instead of printing one page.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
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
    /// How to print: for people, one JSON document (schema `signin-pages/diff/v1`), or
    /// a Markdown job summary.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
}

/// How `diff` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DiffFormat {
    /// Lines and unified diffs for people.
    #[default]
    Human,
    /// One JSON document on stdout.
    Json,
    /// A Markdown job summary on stdout (e.g. for $GITHUB_STEP_SUMMARY).
    Markdown,
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
    /// How to print: for people, or one JSON document (schema `signin-pages/deploy/v1`).
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct PullArgs {
    #[command(flatten)]
    pub remote: RemoteArgs,
}

#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// The environment (its org).
    #[arg(long, value_name = "E")]
    pub env: String,
    /// The brand whose page to restore.
    #[arg(long, value_name = "B", required_unless_present = "policies")]
    pub brand: Option<String>,
    /// Restore policy rules changed by `kmsi apply` instead of a page: by default every
    /// rule the latest run backed up (.signin-pages/backups/<env>/policies/).
    #[arg(long, conflicts_with = "brand")]
    pub policies: bool,
    /// A backup file name (from `backups list`, or under backups/<env>/policies/); with
    /// --policies also a run's timestamp (every rule it saved). Default: the latest.
    #[arg(long, value_name = "BACKUP")]
    pub to: Option<String>,
}

#[derive(Debug, Args)]
pub struct KmsiArgs {
    #[command(subcommand)]
    pub command: KmsiCommand,
}

/// How `deploy`, `kmsi plan` and `kmsi apply` print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// Lines and a table for people.
    #[default]
    Human,
    /// One JSON document on stdout.
    Json,
}

#[derive(Debug, Subcommand)]
pub enum KmsiCommand {
    /// Read the org's policies and rules and show, rule by rule, what `apply` would change.
    ///
    /// Exits 0 when nothing would change, 2 when something would, 1 on error.
    #[command(after_help = "Example:\n  signin-pages kmsi plan --env prod --format json")]
    Plan(KmsiPlanArgs),
    /// Change the rules the plan shows: each is backed up, then PUT whole with only the
    /// KMSI fields changed, and Okta's answer is checked.
    ///
    /// A missing global session policy named in [kmsi.session] is created (activated),
    /// with its rule. Ends with a table per rule; rerun after a partial failure.
    #[command(after_help = "Example:\n  signin-pages kmsi apply --env prod --dry-run")]
    Apply(KmsiApplyArgs),
    /// Reset KMSI for one user: clear their sessions, so that the next sign-in asks for
    /// MFA and shows the KMSI prompt again.
    #[command(
        after_help = "Example:\n  signin-pages kmsi reset --env prod --user ada@example.com --revoke-tokens"
    )]
    Reset(KmsiResetArgs),
}

#[derive(Debug, Args)]
pub struct KmsiPlanArgs {
    /// The environment (its org and its [kmsi] settings).
    #[arg(long, value_name = "E")]
    pub env: String,
    /// How to print: for people, or one JSON document (schema `signin-pages/kmsi-plan/v1`).
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct KmsiApplyArgs {
    /// The environment (its org and its [kmsi] settings).
    #[arg(long, value_name = "E")]
    pub env: String,
    /// Print the plan and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// How to print: for people, or one JSON document (schema `signin-pages/kmsi-apply/v1`).
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct KmsiResetArgs {
    /// The environment (its org).
    #[arg(long, value_name = "E")]
    pub env: String,
    /// The user's login (e.g. an email address) or id.
    #[arg(long, value_name = "LOGIN_OR_ID")]
    pub user: String,
    /// Also revoke the OAuth tokens issued to the user (`oauthTokens=true`).
    #[arg(long)]
    pub revoke_tokens: bool,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
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
        /// Only this environment's backups.
        #[arg(long, value_name = "E")]
        env: Option<String>,
        /// Only this brand's backups (its name in Okta).
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
    /// Where to create the project (must be empty or absent; with --ci, a folder that
    /// holds a project gets only the workflow).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Also write a CI workflow, at the root of the git repository holding DIR:
    /// .github/workflows/signin-pages.yml or .gitlab-ci.yml.
    #[arg(long, value_enum, value_name = "SYSTEM")]
    pub ci: Option<crate::ci::CiSystem>,
    /// The environment the workflow deploys (default: the project's only one).
    #[arg(long, value_name = "E", requires = "ci")]
    pub ci_env: Option<String>,
    /// Replace an existing workflow file.
    #[arg(long, requires = "ci")]
    pub force: bool,
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
    /// Compare screenshots of the sign-in pages instead (snapshots/visual/).
    #[arg(long)]
    pub visual: bool,
    /// Only this environment (--visual).
    #[arg(long, value_name = "E", requires = "visual")]
    pub env: Option<String>,
    /// Only this brand, its name in Okta (--visual).
    #[arg(long, value_name = "B", requires = "visual")]
    pub brand: Option<String>,
    /// Only these widget states, comma-separated (--visual; default: every state).
    #[arg(long, value_name = "STATE", requires = "visual", value_delimiter = ',')]
    pub state: Vec<String>,
    /// Only these locales, comma-separated (--visual; default: every locale).
    #[arg(
        long,
        value_name = "LOCALE",
        requires = "visual",
        value_delimiter = ','
    )]
    pub locale: Vec<String>,
    /// The Chromium to run (--visual; default: chromium, chromium-browser or
    /// google-chrome on PATH).
    #[arg(long, value_name = "PATH", requires = "visual")]
    pub chromium: Option<PathBuf>,
    /// An installed @okta/okta-signin-widget to show (--visual; default: the widget
    /// `serve` shows: node_modules up to the repository root, else the widget cache).
    #[arg(long, value_name = "DIR", requires = "visual")]
    pub widget_dir: Option<PathBuf>,
    /// A pixel differs when one of its channels differs by more than this (0-255).
    #[arg(long, value_name = "0-255", default_value_t = crate::visual::Tolerance::default().threshold)]
    pub threshold: u8,
    /// Screenshots match when at most this percentage of their pixels differ.
    #[arg(long, value_name = "PERCENT", default_value_t = crate::visual::Tolerance::default().max_share * 100.0, value_parser = percent)]
    pub max_diff: f64,
}

/// A percentage from 0 to 100.
fn percent(s: &str) -> Result<f64, String> {
    match s.trim_end_matches('%').parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("`{s}` is not a percentage from 0 to 100")),
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on (0 picks a free one; the URL printed says which).
    #[arg(long, short, default_value_t = crate::preview::DEFAULT_PORT)]
    pub port: u16,
    /// The address to listen on. The default, 127.0.0.1, is reachable from this machine only.
    #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// Open the index page in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Serve the real Sign-In Widget from this installed @okta/okta-signin-widget (the
    /// package folder or its dist/), driven by mock Identity Engine responses. Default:
    /// node_modules/@okta/okta-signin-widget up to the repository root, else the cached
    /// (or downloaded from Okta's CDN) [widget] version, else the preview's stand-in.
    #[arg(long, value_name = "DIR")]
    pub widget_dir: Option<PathBuf>,
}
