//! `kmsi plan`, `kmsi apply`, `kmsi reset`: read the arguments, call [`crate::kmsi`],
//! say what happened.

use std::io::{BufRead, IsTerminal, Write};

use serde_json::Value;

use crate::cli::{
    GlobalArgs, KmsiApplyArgs, KmsiArgs, KmsiCommand, KmsiPlanArgs, KmsiResetArgs, OutputFormat,
};
use crate::cmd::remote::{client_for, requests, table};
use crate::cmd::{Outcome, report, status};
use crate::diag::Format;
use crate::duration::IsoDuration;
use crate::kmsi::{self, Action, Done, Plan, PreAuth};
use crate::okta::Client;
use crate::org::fields::show;
use crate::project::Project;
use crate::report::kmsi::{ApplyDocument, PlanDocument};

pub(crate) fn execute(g: &GlobalArgs, a: &KmsiArgs) -> Outcome {
    match &a.command {
        KmsiCommand::Plan(p) => plan(g, p),
        KmsiCommand::Apply(x) => apply(g, x),
        KmsiCommand::Reset(r) => reset(g, r),
    }
}

/// The project and the position of `--env` in it; diagnostics printed.
pub(crate) fn load(g: &GlobalArgs, env: &str) -> Option<(Project, usize)> {
    let project = crate::cmd::remote::load_project(g)?;
    if let Err(e) = crate::org::environment(&project, env) {
        errln!("error: {e}");
        return None;
    }
    let i = project
        .config
        .environments
        .iter()
        .position(|e| e.name == env)?;
    Some((project, i))
}

fn connect(g: &GlobalArgs, project: &Project, env: usize) -> Option<Client> {
    client_for(g, project, &project.config.environments[env])
}

struct Prepared {
    project: Project,
    env: usize,
    client: Client,
    plan: Plan,
    pre: PreAuth,
}

impl Prepared {
    fn env_name(&self) -> &str {
        &self.project.config.environments[self.env].name
    }
}

/// Load, read the org, plan. `Ok(None)`: the environment has no `[kmsi]` (said so).
fn prepare(g: &GlobalArgs, env: &str) -> Result<Option<Prepared>, Outcome> {
    let (project, i) = load(g, env).ok_or(Outcome::Failure)?;
    let Some(k) = project.config.environments[i].kmsi.clone() else {
        status(
            g,
            &format!(
                "nothing to manage: signin-pages.toml has no [kmsi] for environment `{env}` (the configuration reference describes it: signin-pages book, reference/configuration)"
            ),
        );
        return Ok(None);
    };
    let client = connect(g, &project, i).ok_or(Outcome::Failure)?;
    let org = kmsi::fetch(&client, &k).map_err(|e| {
        errln!("error: {e}");
        Outcome::Failure
    })?;
    let (plan, diags) = kmsi::plan(&project.config.file, &k, &org);
    report(g, &diags.clone().finish(), Format::Human);
    if diags.has_errors() {
        errln!("error: [kmsi] cannot be applied to this org as written: nothing was sent to Okta");
        return Err(Outcome::Failure);
    }
    let pre = PreAuth::new(&k, &project.templates);
    Ok(Some(Prepared {
        project,
        env: i,
        client,
        plan,
        pre,
    }))
}

fn plan(g: &GlobalArgs, a: &KmsiPlanArgs) -> Outcome {
    let p = match prepare(g, &a.env) {
        Ok(Some(p)) => p,
        Ok(None) => {
            if a.format == OutputFormat::Json {
                print_json(&PlanDocument::new(&a.env, &nothing(), &PreAuth::default()));
            }
            return Outcome::Success;
        }
        Err(o) => return o,
    };
    match a.format {
        OutputFormat::Json => print_json(&PlanDocument::new(p.env_name(), &p.plan, &p.pre)),
        OutputFormat::Human => {
            print_plan(&p, false);
            print_pre_auth(&p.pre);
        }
    }
    if p.plan.has_changes() {
        Outcome::Changes
    } else {
        Outcome::Success
    }
}

fn apply(g: &GlobalArgs, a: &KmsiApplyArgs) -> Outcome {
    let p = match prepare(g, &a.env) {
        Ok(Some(p)) => p,
        Ok(None) => {
            if a.format == OutputFormat::Json {
                let done = (!a.dry_run).then_some(&[][..]);
                let doc = ApplyDocument::new(&a.env, &nothing(), &PreAuth::default(), done);
                print_json(&doc);
            }
            return Outcome::Success;
        }
        Err(o) => return o,
    };
    if a.dry_run {
        match a.format {
            OutputFormat::Json => {
                print_json(&ApplyDocument::new(p.env_name(), &p.plan, &p.pre, None));
            }
            OutputFormat::Human => {
                print_plan(&p, true);
                print_pre_auth(&p.pre);
            }
        }
        return Outcome::Success;
    }
    if a.format == OutputFormat::Human {
        print_plan(&p, false);
    }
    let done = kmsi::apply(&p.client, &p.project.root, p.env_name(), &p.plan);
    match a.format {
        OutputFormat::Json => print_json(&ApplyDocument::new(
            p.env_name(),
            &p.plan,
            &p.pre,
            Some(&done),
        )),
        OutputFormat::Human => {
            outln!();
            print_done(&done);
            pre_auth_reminder(&p.pre);
        }
    }
    requests(g, &p.client);
    finish(&done, "kmsi apply")
}

/// The result table, then Okta's whole answer for each failure.
pub(crate) fn print_done(done: &[Done]) {
    let rows: Vec<Vec<String>> = done
        .iter()
        .map(|d| {
            vec![
                d.policy.clone(),
                d.rule.clone(),
                d.action.as_str().to_string(),
                if d.ok { "ok" } else { "FAILED" }.to_string(),
                d.detail.clone(),
            ]
        })
        .collect();
    out!(
        "{}",
        table(&["policy", "rule", "action", "result", "detail"], &rows)
    );
    for d in done {
        if let Some(e) = &d.error {
            errln!(
                "error: {} `{}` / rule `{}`: {e}",
                d.kind.label(),
                d.policy,
                d.rule
            );
        }
    }
}

/// The exit code, naming what was not done.
pub(crate) fn finish(done: &[Done], command: &str) -> Outcome {
    let failed: Vec<String> = done
        .iter()
        .filter(|d| !d.ok)
        .map(|d| format!("`{}` / `{}`", d.policy, d.rule))
        .collect();
    if failed.is_empty() {
        Outcome::Success
    } else {
        errln!(
            "error: not done for: {} (rerun `{command}`: what was done is skipped)",
            failed.join(", ")
        );
        Outcome::Failure
    }
}

fn print_json<T: serde::Serialize>(doc: &T) {
    outln!("{}", crate::report::to_json(doc));
}

/// The plan of an environment without `[kmsi]`: nothing, and a note saying so.
fn nothing() -> Plan {
    Plan {
        steps: Vec::new(),
        notes: vec!["no [kmsi] for this environment".into()],
    }
}

/// A value for "old → new"; a frequency also in words.
fn shown(field: &str, v: &Value) -> String {
    match v.as_str().map(IsoDuration::parse) {
        Some(Ok(d)) if field == kmsi::PROMPT_FREQUENCY => {
            format!("{} ({})", show(v), d.describe())
        }
        _ => show(v),
    }
}

fn print_plan(p: &Prepared, dry_run: bool) {
    let plan = &p.plan;
    outln!(
        "KMSI plan for {} ({}){}",
        p.env_name(),
        p.client.base(),
        if dry_run {
            " — dry run: nothing is written"
        } else {
            ""
        }
    );
    for s in &plan.steps {
        let what = match s.action {
            Action::Update => "update".to_string(),
            Action::Create => "create".to_string(),
            Action::Unchanged => "no change".to_string(),
            Action::Skip | Action::Restore => s.action.as_str().to_string(),
        };
        let note = s
            .note
            .as_ref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        outln!(
            "{} \"{}\" › rule \"{}\": {what}{note}",
            s.kind.label(),
            s.policy,
            s.rule
        );
        for c in &s.changes {
            outln!(
                "  {}: {} → {}",
                c.field,
                shown(&c.field, &c.old),
                shown(&c.field, &c.new)
            );
        }
    }
    for n in &plan.notes {
        outln!("note: {n}");
    }
    let (up, cr, same, skip) = (
        plan.count(Action::Update),
        plan.count(Action::Create),
        plan.count(Action::Unchanged),
        plan.count(Action::Skip),
    );
    let mut parts = Vec::new();
    if up > 0 {
        parts.push(format!("{up} to update"));
    }
    if cr > 0 {
        parts.push(format!("{cr} to create"));
    }
    if same > 0 {
        parts.push(format!("{same} unchanged"));
    }
    if skip > 0 {
        parts.push(format!("{skip} skipped"));
    }
    if plan.steps.is_empty() {
        outln!("no rule is managed");
    } else if !plan.has_changes() {
        outln!(
            "nothing to change ({} rule{} as asked)",
            same,
            if same == 1 { "" } else { "s" }
        );
    } else {
        outln!("rules: {}", parts.join(", "));
    }
}

fn print_pre_auth(pre: &PreAuth) {
    let Some(on) = pre.asked else {
        return;
    };
    outln!();
    outln!(
        "Pre-authentication KMSI (`pre_auth = {on}`) is an org setting with no API: signin-pages cannot change it."
    );
    for (i, step) in kmsi::pre_auth_steps(on).iter().enumerate() {
        outln!("  {}. {step}", i + 1);
    }
    if on {
        outln!(
            "  It uses the MFA lifetime of the global session policy rule (`[kmsi.session] mfa_lifetime_minutes`)."
        );
    }
    hidden_checkbox_warnings(pre);
}

fn hidden_checkbox_warnings(pre: &PreAuth) {
    for h in &pre.hidden {
        errln!(
            "warning: {}:{}: the page hides the pre-authentication checkbox (`showKeepMeSignedIn` is false) while `[kmsi] pre_auth = true`: users cannot choose to stay signed in",
            h.file,
            h.line
        );
    }
}

/// After `apply`: pre-authentication KMSI is not something it could do.
fn pre_auth_reminder(pre: &PreAuth) {
    if let Some(on) = pre.asked {
        outln!(
            "\nreminder: pre-authentication KMSI (`pre_auth = {on}`) is an org setting with no API; `kmsi plan` prints the Admin Console steps"
        );
        hidden_checkbox_warnings(pre);
    }
}

fn reset(g: &GlobalArgs, a: &KmsiResetArgs) -> Outcome {
    let Some((project, i)) = load(g, &a.env) else {
        return Outcome::Failure;
    };
    let Some(client) = connect(g, &project, i) else {
        return Outcome::Failure;
    };
    let env = &project.config.environments[i].name;
    let user = match kmsi::reset::find_user(&client, &a.user) {
        Ok(Some(u)) => u,
        Ok(None) => {
            errln!(
                "error: the org of `{env}` has no user with the login or id `{}`",
                a.user
            );
            return Outcome::Failure;
        }
        Err(e) => {
            errln!("error: {e}");
            return Outcome::Failure;
        }
    };
    let what = if a.revoke_tokens {
        "clear every session and revoke the OAuth tokens of"
    } else {
        "clear every session of"
    };
    let who = format!("{} ({})", user.login, user.id);
    if !a.yes {
        if !std::io::stdin().is_terminal() {
            errln!(
                "error: not confirmed: pass --yes to {what} {who} in `{env}` without a question"
            );
            return Outcome::Failure;
        }
        err!(
            "{} {who} in `{env}`? They sign in again, with MFA, and see the Keep me signed in prompt. [y/N] ",
            capitalize(what)
        );
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        let _ = std::io::stdin().lock().read_line(&mut line);
        if !matches!(line.trim().to_lowercase().as_str(), "y" | "yes") {
            errln!("not done");
            return Outcome::Failure;
        }
    }
    match kmsi::reset::reset(&client, &user, a.revoke_tokens) {
        Ok(()) => {
            outln!(
                "cleared the sessions of {who}{}: their next sign-in asks for MFA and shows the Keep me signed in prompt again",
                if a.revoke_tokens {
                    " and revoked their OAuth tokens"
                } else {
                    ""
                }
            );
            Outcome::Success
        }
        Err(e) => {
            errln!("error: {e}");
            Outcome::Failure
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
