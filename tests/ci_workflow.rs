//! `init --ci github|gitlab`: the workflow files, their structure, and their commands run
//! for real against the fake Okta, job by job, each job in a fresh copy of the repository
//! (a checkout), the way a runner would: the install step is left out (the binary under
//! test is on `PATH`), the cache and artifact actions are played by the test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml::Value as Yaml;

use crate::support::fake_okta::{DEFAULT_TOKEN, FakeOkta};
use crate::support::*;

/// The commit every job of a run sees (`github.sha`, `$CI_COMMIT_SHA`).
const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

fn yaml(text: &str) -> Yaml {
    serde_yaml::from_str(text).unwrap_or_else(|e| panic!("the workflow is not YAML: {e}\n{text}"))
}

fn s(v: &Yaml) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v:?}"))
}

fn keys(v: &Yaml) -> Vec<String> {
    v.as_mapping()
        .map(|m| m.keys().map(|k| s(k).to_string()).collect())
        .unwrap_or_default()
}

/// The starter with a workflow, its `prod` environment pointed at `okta`, snapshots
/// accepted: what a user commits after `init --ci`.
fn repository(okta: &FakeOkta, ci: &str) -> Project {
    let p = Project::empty();
    let out = p.run(&["init", ".", "--ci", ci]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let toml = p
        .read("signin-pages.toml")
        .replace("https://example.okta.com", &okta.url());
    p.write("signin-pages.toml", toml);
    let out = p.run(&["test", "--accept"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    p
}

/// A folder for one job: a fresh copy of the repository (`.signin-pages/` is not
/// committed: `.gitignore` leaves out its state, and backups are the run's own).
fn checkout(repo: &Project, into: &Path) {
    copy_tree(repo.path(), into);
    let _ = std::fs::remove_dir_all(into.join(".signin-pages"));
}

/// A folder below `tmp` no job has used: each job starts from a clean runner.
fn fresh(tmp: &Path, job: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = tmp.join(format!("job-{n}-{job}"));
    assert!(!dir.exists());
    dir
}

/// A `bin/` holding the binary under test as `signin-pages`, and a `cargo` that fails
/// the test if a script tries to install.
fn bin_dir(tmp: &Path) -> PathBuf {
    let bin = tmp.join("bin");
    if bin.is_dir() {
        return bin;
    }
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(BIN, bin.join("signin-pages")).unwrap();
    let cargo = bin.join("cargo");
    std::fs::write(
        &cargo,
        "#!/bin/sh\necho \"the test runs no cargo: $*\" >&2\nexit 99\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

/// `bash -eo pipefail -c script` in `dir` with only `env` (and no variable of the
/// developer's, so no Okta credentials but the ones the workflow hands over).
fn bash(script: &str, dir: &Path, env: &BTreeMap<String, String>) -> std::process::Output {
    Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env_clear()
        .envs(env)
        .output()
        .expect("run bash")
}

/// What every script sees: the binary on PATH, no widget download, quick retries.
fn base_env(tmp: &Path, bin: &Path) -> BTreeMap<String, String> {
    [
        ("PATH", format!("{}:/usr/bin:/bin", bin.display())),
        ("HOME", tmp.join("home").display().to_string()),
        ("CI", "true".into()),
        ("SIGNIN_PAGES_WIDGET_CDN", "off".into()),
        (
            "SIGNIN_PAGES_CACHE_DIR",
            tmp.join("widget-cache").display().to_string(),
        ),
        ("SIGNIN_PAGES_RETRY_BASE_MS", "20".into()),
        ("SIGNIN_PAGES_TIMEOUT_MS", "1500".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

// ---------------------------------------------------------------- GitHub Actions

/// A GitHub run: the event, the ref, and what the expressions the workflow uses read.
struct GithubRun {
    event: &'static str,
    git_ref: &'static str,
    /// A pull request from a fork: GitHub gives it no secrets.
    fork: bool,
}

impl GithubRun {
    /// The value of `${{ expr }}` (only what the workflow is allowed to use: a new
    /// expression fails here, to be thought about, not silently read as empty).
    fn value(&self, expr: &str) -> String {
        match expr.trim() {
            "github.event_name" => self.event.into(),
            "github.ref" => self.git_ref.into(),
            "github.sha" => SHA.into(),
            "github.run_id" => "4242".into(),
            "github.run_attempt" => "1".into(),
            "runner.os" => "Linux".into(),
            // Null (empty) outside a pull request.
            "github.event.pull_request.head.repo.fork" if self.event == "pull_request" => {
                self.fork.to_string()
            }
            "github.event.pull_request.head.repo.fork" => String::new(),
            "secrets.OKTA_API_TOKEN" if self.fork => String::new(),
            "secrets.OKTA_API_TOKEN" => DEFAULT_TOKEN.into(),
            other => panic!("the test does not know the expression `{other}`"),
        }
    }

    /// `text` with every `${{ … }}` replaced by its value.
    fn expand(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(i) = rest.find("${{") {
            out.push_str(&rest[..i]);
            let end = rest[i..].find("}}").expect("unclosed ${{") + i;
            out.push_str(&self.value(&rest[i + 3..end]));
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    /// A job's or step's `if:` (the forms the workflow uses: `a == b`, `a != b`,
    /// `startsWith(a, 'b')`, `always()`, joined by `&&`).
    fn holds(&self, cond: Option<&Yaml>) -> bool {
        let Some(cond) = cond else { return true };
        let operand = |t: &str| {
            let t = t.trim();
            match t.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
                Some(lit) => lit.to_string(),
                None => self.value(t),
            }
        };
        s(cond).split("&&").all(|term| {
            let term = term.trim();
            if term == "always()" {
                true
            } else if let Some(args) = term
                .strip_prefix("startsWith(")
                .and_then(|t| t.strip_suffix(')'))
            {
                let (a, b) = args.split_once(',').expect("startsWith(a, b)");
                operand(a).starts_with(&operand(b))
            } else if let Some((a, b)) = term.split_once("==") {
                operand(a) == operand(b)
            } else if let Some((a, b)) = term.split_once("!=") {
                operand(a) != operand(b)
            } else {
                panic!("the test does not know the condition `{term}`")
            }
        })
    }
}

/// The jobs of `wf` that run on `run`, in the order `needs` puts them.
fn github_jobs<'a>(wf: &'a Yaml, run: &GithubRun) -> Vec<(String, &'a Yaml)> {
    let mut jobs: Vec<(String, &Yaml)> = wf["jobs"]
        .as_mapping()
        .unwrap()
        .iter()
        .map(|(k, v)| (s(k).to_string(), v))
        .filter(|(_, j)| run.holds(j.get("if")))
        .collect();
    // Few jobs: a job goes after those it needs.
    let needs = |j: &Yaml| -> Vec<String> {
        match j.get("needs") {
            Some(Yaml::String(n)) => vec![n.clone()],
            Some(Yaml::Sequence(ns)) => ns.iter().map(|n| s(n).to_string()).collect(),
            _ => Vec::new(),
        }
    };
    let mut ordered: Vec<(String, &Yaml)> = Vec::new();
    while !jobs.is_empty() {
        let i = jobs
            .iter()
            .position(|(_, j)| needs(j).iter().all(|n| ordered.iter().any(|(o, _)| o == n)))
            .expect("a job needs a job that does not run");
        ordered.push(jobs.remove(i));
    }
    ordered
}

/// The caches and artifacts of a run, as the actions keep them.
#[derive(Default)]
struct Store {
    caches: BTreeMap<String, PathBuf>,
    artifacts: BTreeMap<String, PathBuf>,
}

/// Play one `uses:` step: checkout, the cache actions, the artifact upload.
fn github_action(
    step: &Yaml,
    run: &GithubRun,
    workspace: &Path,
    repo: &Project,
    store: &mut Store,
    tmp: &Path,
) {
    let uses = s(&step["uses"]);
    let with = |k: &str| run.expand(s(&step["with"][k]));
    let action = uses.split('@').next().unwrap();
    match action {
        "actions/checkout" => checkout(repo, workspace),
        // The binary's cache: the binary is on PATH already.
        "actions/cache" => assert_eq!(with("path"), "~/.cargo/bin/signin-pages"),
        "actions/cache/save" => {
            let from = workspace.join(with("path"));
            assert!(from.is_dir(), "{uses}: nothing at {}", from.display());
            let kept = tmp.join("caches").join(store.caches.len().to_string());
            copy_tree(&from, &kept);
            store.caches.insert(with("key"), kept);
        }
        "actions/cache/restore" => {
            if let Some(kept) = store.caches.get(&with("key")) {
                copy_tree(kept, &workspace.join(with("path")));
            }
        }
        "actions/upload-artifact" => {
            // `.signin-pages/` is hidden: upload-artifact leaves it out unless told.
            assert_eq!(
                step["with"]["include-hidden-files"].as_bool(),
                Some(true),
                "{step:?}"
            );
            let from = workspace.join(with("path"));
            if from.is_dir() {
                let kept = tmp.join("artifacts").join(with("name"));
                copy_tree(&from, &kept);
                store.artifacts.insert(with("name"), kept);
            }
        }
        other => panic!("the test does not know the action `{other}`"),
    }
}

/// A script that failed: the job, the script, what it printed and its exit code.
#[derive(Debug)]
struct Failed {
    job: String,
    script: String,
    code: Option<i32>,
    output: String,
}

/// Run every job of `wf` that `run` triggers, each in a fresh checkout, its steps in
/// order (but the install step), up to the first script that fails. Returns the job
/// names and the step summary the run wrote.
fn try_github(
    wf: &Yaml,
    run: &GithubRun,
    repo: &Project,
    store: &mut Store,
    tmp: &Path,
) -> Result<(Vec<String>, String), Failed> {
    let bin = bin_dir(tmp);
    let summary = tmp.join(format!("summary-{}", run.git_ref.replace('/', "_")));
    std::fs::write(&summary, "").unwrap();
    let mut names = Vec::new();
    for (name, job) in github_jobs(wf, run) {
        names.push(name.clone());
        let workspace = fresh(tmp, &name);
        let workdir = workspace.join(s(&wf["defaults"]["run"]["working-directory"]));
        let mut env = base_env(tmp, &bin);
        env.extend([
            ("GITHUB_ACTIONS".to_string(), "true".to_string()),
            ("GITHUB_EVENT_NAME".into(), run.event.into()),
            ("GITHUB_REF".into(), run.git_ref.into()),
            ("GITHUB_SHA".into(), SHA.into()),
            ("GITHUB_WORKSPACE".into(), workspace.display().to_string()),
            ("GITHUB_STEP_SUMMARY".into(), summary.display().to_string()),
        ]);
        for step in job["steps"].as_sequence().unwrap() {
            if step.get("id").and_then(Yaml::as_str) == Some("install") {
                continue;
            }
            if !run.holds(step.get("if")) {
                continue;
            }
            if step.get("uses").is_some() {
                github_action(step, run, &workspace, repo, store, tmp);
                continue;
            }
            let script = s(&step["run"]);
            assert!(
                !script.contains("${{"),
                "an expression in a script (injection): {script}"
            );
            let mut step_env = env.clone();
            for source in [wf.get("env"), job.get("env"), step.get("env")]
                .into_iter()
                .flatten()
            {
                for (k, v) in source.as_mapping().unwrap() {
                    step_env.insert(s(k).to_string(), run.expand(s(v)));
                }
            }
            let out = bash(script, &workdir, &step_env);
            if !out.status.success() {
                return Err(Failed {
                    job: name,
                    script: script.to_string(),
                    code: out.status.code(),
                    output: all(&out),
                });
            }
        }
    }
    Ok((names, std::fs::read_to_string(&summary).unwrap()))
}

/// [`try_github`], every script succeeding.
fn run_github(
    wf: &Yaml,
    run: &GithubRun,
    repo: &Project,
    store: &mut Store,
    tmp: &Path,
) -> (Vec<String>, String) {
    try_github(wf, run, repo, store, tmp)
        .unwrap_or_else(|f| panic!("{}: {f:#?}\n{}", run.git_ref, f.output))
}

#[test]
fn the_github_workflow_has_its_triggers_jobs_and_secrets() {
    let p = Project::starter();
    let out = p.run(&["init", ".", "--ci", "github"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let text = p.read(".github/workflows/signin-pages.yml");
    let wf = yaml(&text);
    assert!(
        text.starts_with('#') && text.contains("book/src/ci.md"),
        "{text}"
    );
    assert!(!text.contains("<env>") && !text.contains("<secrets>") && !text.contains("<version>"));
    // Triggers: pull requests, pushes to main and v* tags.
    assert_eq!(keys(&wf["on"]), ["pull_request", "push"]);
    assert_eq!(wf["on"]["push"]["branches"][0], "main");
    assert_eq!(wf["on"]["push"]["tags"][0], "v*");
    // Least privilege.
    assert_eq!(keys(&wf["permissions"]), ["contents"]);
    assert_eq!(wf["permissions"]["contents"], "read");
    assert_eq!(keys(&wf["jobs"]), ["check", "preview", "publish"]);
    let jobs = &wf["jobs"];
    let runs = |job: &str| -> Vec<String> {
        jobs[job]["steps"]
            .as_sequence()
            .unwrap()
            .iter()
            .filter(|st| st.get("id").and_then(Yaml::as_str) != Some("install"))
            .filter_map(|st| st.get("run").map(|r| s(r).to_string()))
            .collect()
    };
    let version = env!("CARGO_PKG_VERSION");
    for job in ["check", "preview", "publish"] {
        let install: Vec<&Yaml> = jobs[job]["steps"]
            .as_sequence()
            .unwrap()
            .iter()
            .filter(|st| st.get("id").and_then(Yaml::as_str) == Some("install"))
            .collect();
        assert_eq!(install.len(), 1, "{job}");
        assert_eq!(
            s(&install[0]["run"]),
            format!("cargo install --locked signin-pages --version {version}")
        );
        // The token reaches only the steps that talk to Okta; never the install.
        assert!(
            install[0].get("env").is_none()
                && jobs[job].get("env").is_none()
                && wf.get("env").is_none()
        );
    }
    let check = runs("check");
    assert!(
        check
            .iter()
            .any(|r| r == "signin-pages check --format github"),
        "{check:?}"
    );
    assert!(check.iter().any(|r| r == "signin-pages test"), "{check:?}");
    assert!(
        check
            .iter()
            .any(|r| r.contains("command -v chromium") && r.contains("signin-pages test --visual"))
    );
    assert!(check.iter().any(|r| r.contains("signin-pages diff --env prod --against preview --format markdown >> \"$GITHUB_STEP_SUMMARY\"")));
    assert_eq!(
        runs("preview"),
        ["signin-pages deploy --env prod --preview"]
    );
    assert_eq!(
        runs("publish"),
        ["signin-pages deploy --env prod --publish"]
    );
    // Deploys need the checks; publish waits for the `production` environment's approval;
    // deploys of one slot never run at once.
    for (job, group) in [
        ("preview", "signin-pages-prod-preview"),
        ("publish", "signin-pages-prod-live"),
    ] {
        assert_eq!(jobs[job]["needs"], "check");
        assert_eq!(jobs[job]["concurrency"]["group"], group);
        assert_eq!(
            jobs[job]["concurrency"]["cancel-in-progress"].as_bool(),
            Some(false)
        );
    }
    assert_eq!(jobs["publish"]["environment"], "production");
    assert!(jobs["preview"].get("environment").is_none());
    // The secret, by the name `org::connect` reads.
    let secret_steps: Vec<&Yaml> = ["check", "preview", "publish"]
        .iter()
        .flat_map(|j| jobs[*j]["steps"].as_sequence().unwrap())
        .filter(|st| st.get("env").is_some())
        .collect();
    assert_eq!(secret_steps.len(), 3);
    for st in secret_steps {
        let secrets: Vec<_> = keys(&st["env"])
            .into_iter()
            .filter(|k| k != "FROM_FORK")
            .collect();
        assert_eq!(secrets, ["OKTA_API_TOKEN"]);
        assert_eq!(st["env"]["OKTA_API_TOKEN"], "${{ secrets.OKTA_API_TOKEN }}");
    }
}

#[test]
fn each_command_of_the_github_workflow_runs_against_the_fake_okta() {
    let okta = FakeOkta::start().with_brands(&["Example"]);
    let example = okta.brand_id("Example").unwrap();
    let repo = repository(&okta, "github");
    let wf = yaml(&repo.read(".github/workflows/signin-pages.yml"));
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::default();
    let built = {
        assert_eq!(code(&repo.run(&["build"])), 0);
        let page = repo.read_json("dist/prod/Example/sign-in.json")["pageContent"].clone();
        std::fs::remove_dir_all(repo.path().join("dist")).unwrap();
        page
    };

    // A pull request: checks, and the diff against the (empty) preview in the summary.
    let pr = GithubRun {
        event: "pull_request",
        git_ref: "refs/pull/7/merge",
        fork: false,
    };
    let (jobs, summary) = run_github(&wf, &pr, &repo, &mut store, tmp.path());
    assert_eq!(jobs, ["check"]);
    assert!(
        summary.starts_with("## signin-pages diff: prod against preview")
            && summary.contains("### Example")
            && summary.contains("the preview slot holds no page"),
        "{summary}"
    );
    assert!(okta.sign_in(&example, "preview").is_none());
    assert!(
        !okta.requests().iter().any(|r| r.method == "PUT"),
        "a pull request wrote to the org"
    );

    // A pull request from a fork has no secrets: the checks run, the diff is skipped
    // (not failed), and nothing reaches the org.
    let seen = okta.requests().len();
    let fork = GithubRun {
        event: "pull_request",
        git_ref: "refs/pull/9/merge",
        fork: true,
    };
    let (jobs, summary) = run_github(&wf, &fork, &repo, &mut store, tmp.path());
    assert_eq!(jobs, ["check"]);
    assert_eq!(summary, "");
    assert_eq!(
        okta.requests().len(),
        seen,
        "a fork's pull request reached the org"
    );

    // A push to main: the pages go to preview, and what was sent is cached under the commit.
    let main = GithubRun {
        event: "push",
        git_ref: "refs/heads/main",
        fork: false,
    };
    let (jobs, _) = run_github(&wf, &main, &repo, &mut store, tmp.path());
    assert_eq!(jobs, ["check", "preview"]);
    assert_eq!(
        okta.sign_in(&example, "preview").unwrap()["pageContent"],
        built
    );
    assert!(okta.sign_in(&example, "customized").is_none());
    assert_eq!(
        store.caches.keys().collect::<Vec<_>>(),
        [&format!("signin-pages-previewed-prod-{SHA}")]
    );
    let backups = &store.artifacts["signin-pages-backups-preview-4242-1"];
    assert!(
        backups.join("prod/Example").is_dir(),
        "{}",
        backups.display()
    );

    // A tag: in a fresh checkout, the cached pin lets the previewed payload go live.
    // A pull request that changes a string: the summary shows the page's diff.
    let branch = Project::empty();
    copy_tree(repo.path(), branch.path());
    let en = branch
        .read("locales/en.toml")
        .replace("Need help signing in?", "Trouble signing in?");
    branch.write("locales/en.toml", en);
    assert_eq!(code(&branch.run(&["test", "--accept"])), 0);
    let pr = GithubRun {
        event: "pull_request",
        git_ref: "refs/pull/8/merge",
        fork: false,
    };
    let (_, summary) = run_github(&wf, &pr, &branch, &mut store, tmp.path());
    assert!(summary.contains("| sign-in | pageContent |"), "{summary}");
    assert!(
        summary.contains(
            "-    <p class=\"help-footer\"><span data-string=\"help\">Need help signing in?</span>"
        ) && summary.contains(
            "+    <p class=\"help-footer\"><span data-string=\"help\">Trouble signing in?</span>"
        ),
        "{summary}"
    );

    let tag = GithubRun {
        event: "push",
        git_ref: "refs/tags/v1.0.0",
        fork: false,
    };
    let (jobs, summary) = run_github(&wf, &tag, &repo, &mut store, tmp.path());
    assert_eq!(jobs, ["check", "publish"]);
    assert_eq!(
        okta.sign_in(&example, "customized").unwrap()["pageContent"],
        built
    );
    assert!(
        store.artifacts["signin-pages-backups-live-4242-1"]
            .join("prod/Example")
            .is_dir()
    );
    // The tag's build is what preview holds: the summary says so.
    assert!(
        summary.contains("No differences: the org holds what the project builds"),
        "{summary}"
    );
}

#[test]
fn a_tag_the_main_branch_never_previewed_is_not_published() {
    let okta = FakeOkta::start().with_brands(&["Example"]);
    let example = okta.brand_id("Example").unwrap();
    let repo = repository(&okta, "github");
    let wf = yaml(&repo.read(".github/workflows/signin-pages.yml"));
    let tmp = tempfile::tempdir().unwrap();
    // No preview from main, so no cached pin: the publish step is refused, nothing
    // goes live.
    let tag = GithubRun {
        event: "push",
        git_ref: "refs/tags/v1.0.0",
        fork: false,
    };
    let failed = try_github(&wf, &tag, &repo, &mut Store::default(), tmp.path()).unwrap_err();
    assert_eq!(failed.job, "publish");
    assert_eq!(failed.script, "signin-pages deploy --env prod --publish");
    assert_eq!(failed.code, Some(1));
    assert!(
        failed.output.contains("never sent to preview"),
        "{}",
        failed.output
    );
    assert!(okta.sign_in(&example, "customized").is_none());
}

// ---------------------------------------------------------------- GitLab CI/CD

/// A GitLab pipeline: its predefined variables.
struct GitlabRun {
    vars: BTreeMap<&'static str, &'static str>,
}

impl GitlabRun {
    fn new(vars: &[(&'static str, &'static str)]) -> Self {
        let mut all: BTreeMap<_, _> = [
            ("CI_DEFAULT_BRANCH", "main"),
            ("CI_COMMIT_SHA", SHA),
            ("CI_PIPELINE_ID", "777"),
        ]
        .into_iter()
        .collect();
        all.extend(vars.iter().copied());
        GitlabRun { vars: all }
    }

    /// `$NAME` and `${NAME}` of the pipeline's variables in `text`.
    fn expand(&self, text: &str, extra: &BTreeMap<String, String>) -> String {
        let mut out = text.to_string();
        let mut names: Vec<(String, String)> = self
            .vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .chain(extra.iter().map(|(k, v)| (k.clone(), v.clone())))
            .collect();
        // Longest first: `$CI_COMMIT_SHA` before a shorter name it starts with.
        names.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        for (k, v) in names {
            out = out
                .replace(&format!("${{{k}}}"), &v)
                .replace(&format!("${k}"), &v);
        }
        out
    }

    /// A rule's `if:` (the forms the pipeline uses: `$A == "b"`, `$A == $B`, `$A =~ /re/`).
    fn holds(&self, cond: &str) -> bool {
        let operand = |t: &str| -> Option<String> {
            let t = t.trim();
            match t.strip_prefix('$') {
                Some(name) => self.vars.get(name).map(|v| v.to_string()),
                None => Some(t.trim_matches('"').to_string()),
            }
        };
        if let Some((a, re)) = cond.split_once("=~") {
            let re = re.trim().trim_matches('/');
            return operand(a).is_some_and(|a| regex::Regex::new(re).unwrap().is_match(&a));
        }
        let (a, b) = cond
            .split_once("==")
            .unwrap_or_else(|| panic!("the test does not know the rule `{cond}`"));
        operand(a).is_some() && operand(a) == operand(b)
    }
}

/// The jobs of `pipeline` that `run` starts, in stage order, each merged over the hidden
/// job it `extends`; `when: manual` jobs are started (the test is the one who clicks).
fn gitlab_jobs(pipeline: &Yaml, run: &GitlabRun) -> Vec<(String, serde_yaml::Mapping)> {
    let stages: Vec<String> = pipeline["stages"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| s(v).to_string())
        .collect();
    let mut jobs = Vec::new();
    for (name, job) in pipeline.as_mapping().unwrap() {
        let name = s(name);
        if name.starts_with('.') || ["stages", "variables", "workflow", "default"].contains(&name) {
            continue;
        }
        let mut merged = serde_yaml::Mapping::new();
        if let Some(base) = job.get("extends") {
            merged.extend(pipeline[s(base)].as_mapping().unwrap().clone());
        }
        merged.extend(job.as_mapping().unwrap().clone());
        let starts = merged["rules"]
            .as_sequence()
            .unwrap()
            .iter()
            .find(|r| run.holds(s(&r["if"])));
        if starts.is_some_and(|r| r.get("when").and_then(Yaml::as_str) != Some("never")) {
            jobs.push((name.to_string(), merged));
        }
    }
    jobs.sort_by_key(|(_, j)| {
        stages
            .iter()
            .position(|st| st == s(&j["stage"]))
            .expect("a job of an unknown stage")
    });
    jobs
}

/// Run every job `run` starts, each in a fresh checkout with the pipeline's caches
/// (restored and saved as their `policy` says) and its `before_script` and `script` as
/// one shell script; returns the job names and every artifact path that exists, by job.
fn run_gitlab(
    pipeline: &Yaml,
    run: &GitlabRun,
    repo: &Project,
    caches: &mut BTreeMap<String, PathBuf>,
    tmp: &Path,
) -> (Vec<String>, BTreeMap<String, Vec<PathBuf>>) {
    let bin = bin_dir(tmp);
    let mut names = Vec::new();
    let mut artifacts = BTreeMap::new();
    for (name, job) in gitlab_jobs(pipeline, run) {
        names.push(name.clone());
        let workspace = fresh(tmp, &name);
        checkout(repo, &workspace);
        let mut env = base_env(tmp, &bin);
        env.insert("GITLAB_CI".into(), "true".into());
        env.insert("CI_PROJECT_DIR".into(), workspace.display().to_string());
        env.extend(run.vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        for (k, v) in pipeline["variables"].as_mapping().unwrap() {
            let v = run.expand(s(v), &env);
            env.insert(s(k).to_string(), v);
        }
        let cache_list: Vec<&Yaml> = job
            .get("cache")
            .and_then(Yaml::as_sequence)
            .map(|c| c.iter().collect())
            .unwrap_or_default();
        for c in &cache_list {
            if c.get("policy").and_then(Yaml::as_str) == Some("push") {
                continue;
            }
            if let Some(kept) = caches.get(&run.expand(s(&c["key"]), &env)) {
                copy_tree(kept, &workspace.join(s(&c["paths"][0])));
            }
        }
        let lines: Vec<&str> = ["before_script", "script"]
            .iter()
            .filter_map(|k| job.get(*k).and_then(Yaml::as_sequence))
            .flatten()
            .map(s)
            .collect();
        let script = lines.join("\n");
        let out = bash(&script, &workspace, &env);
        assert!(
            out.status.success(),
            "{name} failed ({:?}):\n{script}\n{}",
            out.status.code(),
            all(&out)
        );
        for c in &cache_list {
            let path = workspace.join(s(&c["paths"][0]));
            if c.get("policy").and_then(Yaml::as_str) != Some("pull") && path.exists() {
                let kept = tmp.join("gl-caches").join(caches.len().to_string());
                copy_tree(&path, &kept);
                caches.insert(run.expand(s(&c["key"]), &env), kept);
            }
        }
        let kept: Vec<PathBuf> = job["artifacts"]["paths"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|p| workspace.join(s(p)))
            .filter(|p| p.exists())
            .collect();
        artifacts.insert(name, kept);
    }
    (names, artifacts)
}

#[test]
fn the_gitlab_pipeline_has_its_stages_rules_and_environments() {
    let p = Project::starter();
    let out = p.run(&["init", ".", "--ci", "gitlab"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let text = p.read(".gitlab-ci.yml");
    assert!(
        text.starts_with('#') && text.contains("book/src/ci.md") && text.contains("OKTA_API_TOKEN"),
        "{text}"
    );
    let pl = yaml(&text);
    assert_eq!(pl["stages"], yaml("[check, preview, publish]"));
    let version = env!("CARGO_PKG_VERSION");
    let before = &pl[".signin-pages"]["before_script"];
    assert!(
        before
            .as_sequence()
            .unwrap()
            .iter()
            .any(|l| s(l).ends_with(&format!(
                "cargo install --locked signin-pages --version {version}"
            )))
    );
    assert_eq!(
        pl["check"]["script"][0],
        "signin-pages check --format gitlab > gl-code-quality.json || true"
    );
    assert_eq!(pl["check"]["script"][1], "signin-pages check");
    assert_eq!(pl["check"]["script"][2], "signin-pages test");
    assert!(s(&pl["check"]["script"][4]).starts_with(
        "signin-pages diff --env prod --against preview --format markdown > signin-pages-diff.md"
    ));
    assert_eq!(pl["check"]["artifacts"]["expose_as"], "signin-pages diff");
    assert_eq!(
        pl["check"]["artifacts"]["reports"]["codequality"],
        "gl-code-quality.json"
    );
    assert_eq!(
        pl["preview"]["script"],
        yaml("[signin-pages deploy --env prod --preview]")
    );
    assert_eq!(
        pl["publish"]["script"],
        yaml("[signin-pages deploy --env prod --publish]")
    );
    assert_eq!(pl["publish"]["rules"][0]["when"], "manual");
    assert_eq!(pl["publish"]["environment"]["name"], "production");
    assert_eq!(pl["preview"]["resource_group"], "signin-pages-prod-preview");
    assert_eq!(pl["publish"]["resource_group"], "signin-pages-prod-live");
    for job in ["preview", "publish"] {
        assert_eq!(pl[job]["artifacts"]["paths"][0], ".signin-pages/backups/");
        assert_eq!(pl[job]["artifacts"]["expire_in"], "never");
        assert_eq!(pl[job]["artifacts"]["when"], "always");
    }
    // Which pipelines start which jobs.
    let jobs = |vars: &[(&'static str, &'static str)]| -> Vec<String> {
        gitlab_jobs(&pl, &GitlabRun::new(vars))
            .into_iter()
            .map(|(n, _)| n)
            .collect()
    };
    assert_eq!(
        jobs(&[("CI_PIPELINE_SOURCE", "merge_request_event")]),
        ["check"]
    );
    assert_eq!(
        jobs(&[
            ("CI_PIPELINE_SOURCE", "push"),
            ("CI_COMMIT_BRANCH", "feature")
        ]),
        Vec::<String>::new()
    );
    assert_eq!(
        jobs(&[("CI_PIPELINE_SOURCE", "push"), ("CI_COMMIT_BRANCH", "main")]),
        ["check", "preview"]
    );
    assert_eq!(
        jobs(&[("CI_PIPELINE_SOURCE", "push"), ("CI_COMMIT_TAG", "v1.0.0")]),
        ["check", "publish"]
    );
    assert_eq!(
        jobs(&[("CI_PIPELINE_SOURCE", "push"), ("CI_COMMIT_TAG", "nightly")]),
        Vec::<String>::new()
    );
}

#[test]
fn each_command_of_the_gitlab_pipeline_runs_against_the_fake_okta() {
    let okta = FakeOkta::start().with_brands(&["Example"]);
    let example = okta.brand_id("Example").unwrap();
    let repo = repository(&okta, "gitlab");
    let pl = yaml(&repo.read(".gitlab-ci.yml"));
    let tmp = tempfile::tempdir().unwrap();
    let mut caches = BTreeMap::new();
    // The CI/CD variable, as GitLab hands it to every job.
    let token = |mut vars: Vec<(&'static str, &'static str)>| {
        vars.push(("OKTA_API_TOKEN", DEFAULT_TOKEN));
        GitlabRun::new(&vars)
    };

    let mr = token(vec![("CI_PIPELINE_SOURCE", "merge_request_event")]);
    let (jobs, artifacts) = run_gitlab(&pl, &mr, &repo, &mut caches, tmp.path());
    assert_eq!(jobs, ["check"]);
    let diff = std::fs::read_to_string(&artifacts["check"][0]).unwrap();
    assert!(
        diff.contains("### Example") && diff.contains("the preview slot holds no page"),
        "{diff}"
    );
    assert!(!okta.requests().iter().any(|r| r.method == "PUT"));

    let main = token(vec![
        ("CI_PIPELINE_SOURCE", "push"),
        ("CI_COMMIT_BRANCH", "main"),
    ]);
    let (jobs, artifacts) = run_gitlab(&pl, &main, &repo, &mut caches, tmp.path());
    assert_eq!(jobs, ["check", "preview"]);
    assert!(okta.sign_in(&example, "preview").is_some());
    assert!(okta.sign_in(&example, "customized").is_none());
    assert!(artifacts["preview"][0].join("prod/Example").is_dir());

    let tag = token(vec![
        ("CI_PIPELINE_SOURCE", "push"),
        ("CI_COMMIT_TAG", "v1.0.0"),
    ]);
    let (jobs, artifacts) = run_gitlab(&pl, &tag, &repo, &mut caches, tmp.path());
    assert_eq!(jobs, ["check", "publish"]);
    assert_eq!(
        okta.sign_in(&example, "customized").unwrap()["pageContent"],
        okta.sign_in(&example, "preview").unwrap()["pageContent"]
    );
    assert!(artifacts["publish"][0].join("prod/Example").is_dir());
}

// ---------------------------------------------------------------- init --ci

/// A project of `toml` with a page: what a user has before `init --ci`.
fn project(toml: &str) -> Project {
    Project::with_page(WIDGET_PAGE).file("signin-pages.toml", toml)
}

#[test]
fn init_ci_adds_only_the_workflow_to_a_project_and_keeps_an_existing_one() {
    let p = project(MINIMAL_TOML);
    let before = tree(p.path());
    let out = p.run(&["init", ".", "--ci", "github"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let mut after = tree(p.path());
    after.retain(|(f, _)| f != ".github/workflows/signin-pages.yml");
    assert_eq!(before, after, "init --ci touched the project");
    assert!(stderr(&out).contains("OKTA_API_TOKEN"), "{}", stderr(&out));

    // A workflow the user changed is not replaced without --force.
    p.write(".github/workflows/signin-pages.yml", "# mine\n");
    let out = p.run(&["init", ".", "--ci", "github"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("exists already: pass --force"),
        "{}",
        stderr(&out)
    );
    assert_eq!(p.read(".github/workflows/signin-pages.yml"), "# mine\n");
    let out = p.run(&["init", ".", "--ci", "github", "--force"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(
        p.read(".github/workflows/signin-pages.yml")
            .contains("signin-pages deploy --env prod --publish")
    );
}

#[test]
fn init_ci_deploys_the_environment_named_and_reads_its_secret_names() {
    let toml = "[project]\nname = \"t\"\n\
        [environments.prod]\norg_url = \"https://t.okta.com\"\ntoken_env = \"PROD_OKTA_TOKEN\"\n\
        [environments.staging]\n\
        [environments.staging.oauth]\nclient_id = \"0oa1\"\nprivate_key_env = \"STAGING_OKTA_KEY\"\n\
        [[brands]]\nname = \"B\"\n";
    let p = project(toml);
    // Two environments: which one CI deploys is the user's call, not a guess.
    let out = p.run(&["init", ".", "--ci", "github"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out)
            .contains("2 environments (prod, staging): name the one CI deploys with --ci-env E"),
        "{}",
        stderr(&out)
    );
    assert!(!p.exists(".github"));
    let out = p.run(&["init", ".", "--ci", "github", "--ci-env", "nope"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("no such environment (it has: prod, staging)"),
        "{}",
        stderr(&out)
    );

    let out = p.run(&["init", ".", "--ci", "github", "--ci-env", "prod"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let wf = yaml(&p.read(".github/workflows/signin-pages.yml"));
    let step = &wf["jobs"]["publish"]["steps"][4];
    assert_eq!(step["run"], "signin-pages deploy --env prod --publish");
    assert_eq!(keys(&step["env"]), ["PROD_OKTA_TOKEN"]);
    assert_eq!(
        step["env"]["PROD_OKTA_TOKEN"],
        "${{ secrets.PROD_OKTA_TOKEN }}"
    );

    // A service app's key variable, and the org URL from a variable when the file has none.
    let out = p.run(&[
        "init", ".", "--ci", "github", "--ci-env", "staging", "--force",
    ]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let wf = yaml(&p.read(".github/workflows/signin-pages.yml"));
    let step = &wf["jobs"]["preview"]["steps"][3];
    assert_eq!(step["run"], "signin-pages deploy --env staging --preview");
    assert_eq!(
        keys(&step["env"]),
        ["OKTA_CLIENT_ORGURL", "STAGING_OKTA_KEY"]
    );
}

#[test]
fn init_ci_refuses_a_key_file_and_writes_nothing() {
    let toml = "[project]\nname = \"t\"\n\
        [environments.prod]\norg_url = \"https://t.okta.com\"\n\
        [environments.prod.oauth]\nclient_id = \"0oa1\"\nprivate_key_file = \"key.pem\"\n\
        [[brands]]\nname = \"B\"\n";
    let p = project(toml);
    let out = p.run(&["init", ".", "--ci", "gitlab"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("private_key_env"), "{}", stderr(&out));
    assert!(!p.exists(".gitlab-ci.yml"));
}

#[test]
fn a_new_project_in_a_repository_gets_its_workflow_at_the_root() {
    let p = Project::empty().file(".git/HEAD", "ref: refs/heads/main\n");
    let out = p.run(&["init", "site/pages", "--ci", "gitlab"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(p.exists("site/pages/signin-pages.toml"));
    let pl = yaml(&p.read(".gitlab-ci.yml"));
    assert!(
        pl[".signin-pages"]["before_script"]
            .as_sequence()
            .unwrap()
            .iter()
            .any(|l| l == "cd site/pages")
    );
    assert_eq!(
        pl["publish"]["artifacts"]["paths"][0],
        "site/pages/.signin-pages/backups/"
    );

    let out = p.run(&["init", "site/pages", "--ci", "github"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let wf = yaml(&p.read(".github/workflows/signin-pages.yml"));
    assert_eq!(wf["defaults"]["run"]["working-directory"], "site/pages");
    assert_eq!(
        wf["jobs"]["preview"]["steps"][4]["with"]["path"],
        "site/pages/.signin-pages/state/"
    );

    // Refused before anything is written: no half-made starter.
    let out = p.run(&["init", "other", "--ci", "github", "--ci-env", "nope"]);
    assert_eq!(code(&out), 1);
    assert!(!p.exists("other"));
}

/// clap's own exit code for a usage error is 2, which a CI step reads as "diff found
/// changes" (`|| [ $? -eq 2 ]`): a mistyped flag must fail the step.
#[test]
fn a_usage_error_exits_1_not_2() {
    let p = project(MINIMAL_TOML);
    let out = p.run(&["diff", "--env", "prod", "--no-such-flag"]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    assert!(stderr(&out).contains("--no-such-flag"));
    let out = p.run(&["--help"]);
    assert_eq!(code(&out), 0);
}

/// `check --format github|gitlab` in a project below the repository's root: GitHub and
/// GitLab place a finding by its path from the checkout (`GITHUB_WORKSPACE`,
/// `CI_PROJECT_DIR`), so the project's folder comes first; at the root, and outside CI,
/// the paths are the project's.
#[test]
fn annotations_and_code_quality_are_placed_from_the_repository_root() {
    let repo = tempfile::tempdir().unwrap();
    let project = repo.path().join("sign-in pages");
    let page = Project::with_page("<html><body>no widget here</body></html>\n");
    copy_tree(page.path(), &project);
    let annotate = |workspace: Option<&Path>| {
        let mut c = Command::new(BIN);
        c.args(["check", "--format", "github", "--project"])
            .arg(&project)
            .env_remove("GITHUB_WORKSPACE");
        if let Some(w) = workspace {
            c.env("GITHUB_WORKSPACE", w);
        }
        let out = c.output().unwrap();
        assert_eq!(code(&out), 0, "{}", all(&out));
        stdout(&out)
    };
    let below = annotate(Some(repo.path()));
    assert!(
        below.contains("::warning file=sign-in pages/templates/sign-in.html,line="),
        "{below}"
    );
    for own in [annotate(Some(&project)), annotate(None)] {
        assert!(
            own.contains("::warning file=templates/sign-in.html,line="),
            "{own}"
        );
    }

    // GitLab's Code Quality report: the same findings, placed from CI_PROJECT_DIR, each
    // with its own fingerprint; a clean project's report is `[]`, not nothing.
    let report = |p: &Path, dir: &Path| -> serde_json::Value {
        let out = Command::new(BIN)
            .args(["check", "--format", "gitlab", "--project"])
            .arg(p)
            .env("CI_PROJECT_DIR", dir)
            .output()
            .unwrap();
        assert_eq!(code(&out), 0, "{}", all(&out));
        serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", all(&out)))
    };
    let found = report(&project, repo.path());
    let found = found.as_array().unwrap();
    let warnings = below.lines().filter(|l| l.starts_with("::warning")).count();
    assert_eq!(found.len(), warnings, "{found:#?}");
    let mut prints: Vec<&str> = found
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    prints.sort();
    prints.dedup();
    assert_eq!(prints.len(), found.len(), "fingerprints repeat: {found:#?}");
    for f in found {
        assert_eq!(
            f["location"]["path"],
            "sign-in pages/templates/sign-in.html"
        );
        assert!(f["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert_eq!(f["severity"], "minor");
        assert!(f["check_name"].as_str().unwrap().len() == 4, "{f}");
        assert!(!f["description"].as_str().unwrap().is_empty());
    }
    let clean = Project::with_page(WIDGET_PAGE);
    assert_eq!(report(clean.path(), clean.path()), serde_json::json!([]));
}
