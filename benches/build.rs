//! `build` on a large project, against the floor of the work it cannot avoid.
//!
//! Generates a project of 200 brands × 5 environments (1,000 targets) from the starter
//! templates, then measures, each as the median of several runs after a warm-up:
//!
//! - `build (library)`: `compile::compile` + `emit::write_dist`, what `build` does;
//! - `build (binary, end to end)`: `signin-pages build --project DIR -q`, what users run;
//! - `check`: the same project through `check` (see the CHECK section below);
//! - `floor (tera + html5ever)`: one bare loop that renders the same masked templates
//!   with a plain `tera::Tera` and parses every page with html5ever (`scraper`), with no
//!   checks and no file writes.
//!
//! Goal: build < 1000 ms on a 2-core machine and build/floor <= 1.5. The bench prints
//! whether the goal is met; it never fails on it (benchmarks are not assertions).
//!
//! Run with `scripts/bench.sh` or `cargo bench --bench build`. `BENCH_RUNS=N` changes the
//! number of measured runs (default 5), `BENCH_DIR=/path` where the project is generated
//! (default: the system temp folder), `BENCH_NO_BREAKDOWN=1` skips the per-stage
//! breakdown printed at the end.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use signin_pages::compile::{self, Keep, Options};
use signin_pages::diag::{Diagnostics, Severity};
use signin_pages::okta_tags;
use signin_pages::plan::Filter;
use signin_pages::project::{self, ERROR_TEMPLATE, SIGN_IN_TEMPLATE};
use signin_pages::render;
use signin_pages::render::context::SharedContext;
use signin_pages::{emit, starter};

const ENVIRONMENTS: usize = 5;
const BRANDS: usize = 200;
const GOAL_MS: f64 = 1000.0;
const GOAL_RATIO: f64 = 1.5;
/// With every page different, on 2 cores: `check` in at most 0.6× the one-thread floor,
/// `build` in at most 1.0×.
const UNIQUE_CHECK_GOAL: f64 = 0.6;
const UNIQUE_BUILD_GOAL: f64 = 1.0;

/// The starter project, with `ENVIRONMENTS` environments and `BRANDS` brands.
fn generate(root: &Path) {
    starter::write(root).expect("the starter project writes");
    let starter_toml = starter::FILES
        .iter()
        .find(|(p, _)| *p == "signin-pages.toml")
        .map(|(_, c)| *c)
        .expect("the starter has a signin-pages.toml");
    // Keep the starter's [project], [widget] and [vars]; replace its environments and
    // brands.
    let head = starter_toml
        .split("\n[environments.")
        .next()
        .expect("split yields at least one part");
    let mut toml = String::from(head.trim_end());
    toml.push_str("\n\n");
    for e in 1..=ENVIRONMENTS {
        toml.push_str(&format!(
            "[environments.env{e}]\n\
             org_url = \"https://env{e}.example.okta.com\"\n\
             vars = {{ support_email = \"help@env{e}.example.com\", tier = \"tier-{e}\" }}\n\n"
        ));
    }
    for b in 1..=BRANDS {
        // A distinct colour per brand.
        let colour = format!(
            "#{:02x}{:02x}{:02x}",
            (b * 37) % 256,
            (b * 91) % 256,
            (b * 53) % 256
        );
        toml.push_str(&format!(
            "[[brands]]\nname = \"Brand {b:03}\"\nvars = {{ colour = \"{colour}\" }}\n\n"
        ));
    }
    std::fs::write(root.join("signin-pages.toml"), toml).expect("signin-pages.toml writes");
}

/// [`generate`], with each brand's colour in its sign-in page: 1,000 distinct pages.
fn generate_unique(root: &Path) {
    generate(root);
    let page = root.join("templates/sign-in.html");
    let text = std::fs::read_to_string(&page).expect("sign-in.html reads");
    std::fs::write(
        &page,
        text.replace(
            "{% block style %}",
            "{% block style %}\n        .help-footer { color: {{ vars.colour }}; }",
        ),
    )
    .expect("sign-in.html writes");
}

/// `BENCH_PROFILE=check|build|floor`: one untimed pass of that work on the 1,000 distinct
/// pages and nothing else, to run under a profiler (`perf record`, `valgrind
/// --tool=callgrind`) and compare the check with the floor instruction by instruction.
fn profile(what: &str, tmp: &Path) {
    let root = tmp.join("unique");
    generate_unique(&root);
    let repeat: usize = std::env::var("BENCH_REPEAT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let floor = (what == "floor").then(|| Floor::new(&root));
    for _ in 0..repeat {
        match (what, &floor) {
            ("check", _) => check_library(&root),
            ("build", _) => build_library(&root),
            (_, Some(floor)) => {
                std::hint::black_box(floor.run());
            }
            (other, None) => {
                eprintln!("BENCH_PROFILE: `{other}` is not one of check, build, floor");
                std::process::exit(2);
            }
        }
    }
}

/// The timed runs of one measurement.
#[derive(Debug, Clone, Copy)]
struct Timing {
    median: Duration,
    min: Duration,
    max: Duration,
}

impl Timing {
    /// `(min … max)`, to show how much the runs spread.
    fn spread(self) -> String {
        format!(
            "(runs {:.1} … {:.1} ms)",
            self.min.as_secs_f64() * 1000.0,
            self.max.as_secs_f64() * 1000.0
        )
    }
}

/// `runs` rounds, each timing every function once in turn, after one untimed warm-up
/// round: per round, the time of each.
fn interleaved(runs: usize, fs: &mut [&mut dyn FnMut()]) -> Vec<Vec<Duration>> {
    for f in fs.iter_mut() {
        f();
    }
    (0..runs)
        .map(|_| {
            fs.iter_mut()
                .map(|f| {
                    let start = Instant::now();
                    f();
                    start.elapsed()
                })
                .collect()
        })
        .collect()
}

/// Median, min and max of some times.
fn timing(times: impl Iterator<Item = Duration>) -> Timing {
    let mut times: Vec<Duration> = times.collect();
    times.sort();
    Timing {
        median: times[times.len() / 2],
        min: times[0],
        max: times[times.len() - 1],
    }
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// `runs` timed calls of `f`, after one untimed warm-up call.
fn measure(runs: usize, mut f: impl FnMut()) -> Timing {
    f();
    timing((0..runs).map(|_| {
        let start = Instant::now();
        f();
        start.elapsed()
    }))
}

/// The median, in milliseconds.
fn ms(t: Timing) -> f64 {
    t.median.as_secs_f64() * 1000.0
}

/// The real `build`, through the library: compile every target, then write `dist/`
/// (as `signin-pages build` does when the compile has no error).
fn build_library(root: &Path) {
    let compiled = compile::compile(root, &Filter::default(), Options::default());
    if !compiled.diags.has_errors()
        && let Err(e) = emit::write_dist(root, &root.join("dist"), &compiled.outputs, &[])
    {
        eprintln!("warning: writing dist/ failed: {e}");
    }
}

/// The real `check`, through the library: the same compile, keeping only the findings
/// (as `signin-pages check` does).
fn check_library(root: &Path) {
    let options = Options {
        keep: Keep::Findings,
        ..Options::default()
    };
    std::hint::black_box(compile::compile(root, &Filter::default(), options));
}

/// Say (once, before timing) if the generated project does not build clean: the
/// figures would then measure a build that writes nothing. Never fails the bench.
fn preflight(bin: &str, root: &Path) {
    let compiled = compile::compile(root, &Filter::default(), Options::default());
    let errors = compiled.diags.count(Severity::Error);
    let warnings = compiled.diags.count(Severity::Warning);
    if errors > 0 || compiled.outputs.len() != ENVIRONMENTS * BRANDS {
        println!(
            "WARNING: the generated project has {errors} error(s) and {} of {} targets: build writes nothing, so the build figures below are not meaningful",
            compiled.outputs.len(),
            ENVIRONMENTS * BRANDS
        );
    } else if warnings > 0 {
        println!("note: the generated project has {warnings} warning(s)");
    }
    for verb in ["build", "check"] {
        if let Some(err) = run_binary(bin, verb, root) {
            println!("WARNING: `signin-pages {verb}` failed: {err}");
        }
    }
}

/// Run the binary on the project; the reason when it did not succeed.
fn run_binary(bin: &str, verb: &str, root: &Path) -> Option<String> {
    let out = Command::new(bin)
        .arg(verb)
        .arg("--project")
        .arg(root)
        .arg("-q")
        .arg("--color")
        .arg("never")
        .output();
    match out {
        Ok(o) if o.status.success() => None,
        Ok(o) => Some(format!(
            "{}: {}",
            o.status,
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => Some(format!("cannot run {bin}: {e}")),
    }
}

/// The floor: the same templates, masked the same way, rendered with a plain Tera and
/// parsed with html5ever, for every target. Returns a checksum so nothing is optimised
/// away.
struct Floor {
    project: project::Project,
    tera: tera::Tera,
    names: Vec<&'static str>,
}

impl Floor {
    fn new(root: &Path) -> Floor {
        let mut diags = Diagnostics::new();
        let project = project::load(root, &mut diags).expect("the generated project loads");
        let mut tera = tera::Tera::new();
        // The same setup as the tool's engine: autoescape for HTML and the `js` filter
        // the starter's widget partial uses.
        tera.autoescape_on([".html", ".htm", ".xml"]);
        tera.register_filter(
            render::JS_FILTER,
            |value: tera::Value, _: tera::Kwargs, _: &tera::State| {
                let json = serde_json::to_value(&value).unwrap_or(serde_json::Value::Null);
                tera::Value::safe_string(&render::js_literal(&json))
            },
        );
        let masked: Vec<(String, String)> = project
            .templates
            .iter()
            .map(|t| {
                (
                    render::template_name(&t.path).to_string(),
                    okta_tags::mask(&t.text).expect("no reserved bytes in the starter"),
                )
            })
            .collect();
        tera.add_raw_templates(masked).expect("the starter parses");
        let mut names = vec![SIGN_IN_TEMPLATE];
        if project.has_error_page() {
            names.push(ERROR_TEMPLATE);
        }
        Floor {
            project,
            tera,
            names,
        }
    }

    /// The bare loop, on one thread.
    fn run(&self) -> usize {
        let shared = SharedContext::new(&self.project);
        let config = &self.project.config;
        let mut checksum = 0;
        for env in &config.environments {
            for brand in &config.brands {
                checksum += self.one_target(&shared, env, brand);
            }
        }
        checksum
    }

    /// The same loop split over every core, as the tool's compile does (for reference).
    fn run_parallel(&self) -> usize {
        let shared = SharedContext::new(&self.project);
        let config = &self.project.config;
        let pairs: Vec<_> = config
            .environments
            .iter()
            .flat_map(|e| config.brands.iter().map(move |b| (e, b)))
            .collect();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = pairs.len().div_ceil(threads);
        std::thread::scope(|s| {
            let handles: Vec<_> = pairs
                .chunks(chunk)
                .map(|part| {
                    let shared = &shared;
                    s.spawn(move || {
                        part.iter()
                            .map(|(e, b)| self.one_target(shared, e, b))
                            .sum::<usize>()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        })
    }

    fn one_target(
        &self,
        shared: &SharedContext,
        env: &signin_pages::config::Environment,
        brand: &signin_pages::config::Brand,
    ) -> usize {
        let ctx = shared.for_target(env, brand);
        let mut checksum = 0;
        for name in &self.names {
            let html = okta_tags::unmask(self.tera.render(name, &ctx).expect("renders"));
            let doc = scraper::Html::parse_document(&html);
            checksum += html.len() + doc.tree.nodes().count();
        }
        checksum
    }
}

/// Where a library build spends its time, stage by stage (one thread unless said). For
/// finding hot spots. Uses only the public pipeline calls, so it keeps compiling while
/// the stages behind `compile` change.
fn breakdown(root: &Path, floor: &Floor, runs: usize) {
    let t_load = measure(runs, || {
        let mut d = Diagnostics::new();
        std::hint::black_box(project::load(root, &mut d));
    });
    let project = &floor.project;
    let config = &project.config;
    let shared = SharedContext::new(project);
    let pairs: Vec<_> = config
        .environments
        .iter()
        .flat_map(|e| config.brands.iter().map(move |b| (e, b)))
        .collect();
    let t_context = measure(runs, || {
        for (e, b) in &pairs {
            std::hint::black_box(shared.for_target(e, b));
        }
    });
    let contexts: Vec<_> = pairs.iter().map(|(e, b)| shared.for_target(e, b)).collect();
    let t_render = measure(runs, || {
        for ctx in &contexts {
            let html = floor.tera.render(SIGN_IN_TEMPLATE, ctx).expect("renders");
            std::hint::black_box(okta_tags::unmask(html));
        }
    });
    let pages: Vec<String> = contexts
        .iter()
        .map(|ctx| okta_tags::unmask(floor.tera.render(SIGN_IN_TEMPLATE, ctx).expect("renders")))
        .collect();
    let t_html5ever = measure(runs, || {
        for html in &pages {
            std::hint::black_box(scraper::Html::parse_document(html));
        }
    });
    let t_compile = measure(runs, || {
        std::hint::black_box(compile::compile(
            root,
            &Filter::default(),
            Options::default(),
        ));
    });
    let compiled = compile::compile(root, &Filter::default(), Options::default());
    let files: usize = compiled.outputs.iter().map(|o| o.files().len()).sum();
    let bytes: usize = compiled
        .outputs
        .iter()
        .flat_map(|o| o.files())
        .map(|(_, c)| c.len())
        .sum();
    let dist = root.join("dist");
    let t_write = measure(runs, || {
        let _ = emit::write_dist(root, &dist, &compiled.outputs, &[]);
    });

    println!();
    println!("breakdown (median of {runs}; one thread unless said):");
    let write_label = format!(
        "emit::write_dist ({files} files, {:.1} MB)",
        bytes as f64 / 1e6
    );
    let rows = [
        ("project::load (TOML, locales, templates)", t_load),
        ("SharedContext::for_target × 1,000", t_context),
        ("plain Tera render sign-in + unmask × 1,000", t_render),
        ("html5ever parse (scraper) × 1,000", t_html5ever),
        (
            "compile::compile, all threads (build minus write)",
            t_compile,
        ),
        (write_label.as_str(), t_write),
    ];
    for (what, t) in rows {
        println!("  {what:<50} {:>8.1} ms  {}", ms(t), t.spread());
    }
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(5);
    let bin = env!("CARGO_BIN_EXE_signin-pages");

    // BENCH_DIR puts the generated project elsewhere (e.g. /dev/shm, to take the
    // file system out of the figures); by default it goes to the system temp folder.
    let tmp = match std::env::var_os("BENCH_DIR") {
        Some(dir) => tempfile::tempdir_in(dir),
        None => tempfile::tempdir(),
    }
    .expect("a temporary folder");
    if let Ok(what) = std::env::var("BENCH_PROFILE") {
        profile(&what, tmp.path());
        return;
    }
    let root = tmp.path().join("project");
    generate(&root);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "project: {BRANDS} brands × {ENVIRONMENTS} environments = {} targets ({}), {cores} cores, median of {runs} runs after a warm-up",
        BRANDS * ENVIRONMENTS,
        root.display()
    );

    preflight(bin, &root);

    // BUILD ------------------------------------------------------------------------
    let build_lib = measure(runs, || build_library(&root));
    let build_bin = measure(runs, || {
        run_binary(bin, "build", &root);
    });

    // CHECK ------------------------------------------------------------------------
    // `signin-pages check` on the same project. Today `check` is the same `compile`
    // as `build` (render + every check) without writing dist/; if it ever gets passes
    // of its own, `check_library` is the one place to change.
    let check_lib = measure(runs, || check_library(&root));
    let check_bin = measure(runs, || {
        run_binary(bin, "check", &root);
    });

    // FLOOR ------------------------------------------------------------------------
    let floor = Floor::new(&root);
    let floor_1 = measure(runs, || {
        std::hint::black_box(floor.run());
    });
    let floor_n = measure(runs, || {
        std::hint::black_box(floor.run_parallel());
    });

    let b = ms(build_lib);
    let f = ms(floor_1);
    println!();
    println!("build (library): {b:.1} ms  {}", build_lib.spread());
    println!(
        "build (binary, end to end): {:.1} ms  {}",
        ms(build_bin),
        build_bin.spread()
    );
    println!("check: {:.1} ms  {}", ms(check_lib), check_lib.spread());
    println!(
        "check (binary, end to end): {:.1} ms  {}",
        ms(check_bin),
        check_bin.spread()
    );
    println!(
        "floor (tera + html5ever): {f:.1} ms  {}  one bare loop, one thread",
        floor_1.spread()
    );
    println!(
        "floor (tera + html5ever, {cores} threads): {:.1} ms  {}  for reference: compile renders on every core",
        ms(floor_n),
        floor_n.spread()
    );
    println!();
    println!("ratio build/floor: {:.2}", b / f);
    println!("ratio build (binary)/floor: {:.2}", ms(build_bin) / f);
    println!(
        "ratio build/floor ({cores} threads): {:.2}",
        b / ms(floor_n)
    );
    println!("ratio check/build: {:.2}", ms(check_lib) / b);
    println!("ratio check/floor: {:.2}", ms(check_lib) / f);
    println!(
        "build − check (≈ writing dist/): {:.1} ms",
        b - ms(check_lib)
    );
    println!();
    println!("goal: build < {GOAL_MS:.0} ms and build/floor <= {GOAL_RATIO}");
    let met = |build: f64| build < GOAL_MS && build / f <= GOAL_RATIO;
    println!(
        "goal {} (library build {b:.1} ms, ratio {:.2}); binary end to end: {}",
        if met(b) { "MET" } else { "NOT MET" },
        b / f,
        if met(ms(build_bin)) { "met" } else { "not met" },
    );

    // EVERY PAGE DIFFERENT ---------------------------------------------------------------
    // Above, brands of one environment render the same page (their differences are in the
    // request body), so `compile` checks 5 distinct pages. Here each brand's colour is in
    // its page: 1,000 distinct pages to check, the worst case for the check cache.
    let unique = tmp.path().join("unique");
    generate_unique(&unique);
    preflight(bin, &unique);
    // The three are timed in turn, round after round, and each ratio is the median of
    // the rounds' ratios: this machine's speed drifts by up to 2× over seconds (the
    // same floor loop measured 63 ms and 125 ms minutes apart), which made ratios of
    // figures taken one after the other meaningless.
    let floor_u = Floor::new(&unique);
    let rounds = interleaved(
        runs,
        &mut [
            &mut || build_library(&unique),
            &mut || check_library(&unique),
            &mut || {
                std::hint::black_box(floor_u.run());
            },
        ],
    );
    let [build_u, check_u, floor_u1] = [0, 1, 2].map(|i| timing(rounds.iter().map(|r| r[i])));
    let ratio = |i: usize| {
        median(
            rounds
                .iter()
                .map(|r| r[i].as_secs_f64() / r[2].as_secs_f64()),
        )
    };
    let (bu, cu, fu) = (ms(build_u), ms(check_u), ms(floor_u1));
    let (build_ratio, check_ratio) = (ratio(0), ratio(1));
    println!();
    println!("every page different (1,000 distinct pages; timed in turn, {runs} rounds):");
    println!("build (library): {bu:.1} ms  {}", build_u.spread());
    println!("check: {cu:.1} ms  {}", check_u.spread());
    println!(
        "floor (tera + html5ever): {fu:.1} ms  {}  one bare loop, one thread",
        floor_u1.spread()
    );
    println!("ratio build/floor: {build_ratio:.2}  (median of the rounds' ratios)");
    println!("ratio check/floor: {check_ratio:.2}  (median of the rounds' ratios)");
    println!(
        "goal {}: check/floor <= {UNIQUE_CHECK_GOAL} and build/floor <= {UNIQUE_BUILD_GOAL}",
        if check_ratio <= UNIQUE_CHECK_GOAL && build_ratio <= UNIQUE_BUILD_GOAL {
            "MET"
        } else {
            "NOT MET"
        },
    );

    if std::env::var_os("BENCH_NO_BREAKDOWN").is_none() {
        breakdown(&root, &floor, runs);
    }
}
