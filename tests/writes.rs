//! Writes go where they say: no output folder is written through a link (P010), `dist/`
//! holds exactly what the build wrote after every build, and backups and state files
//! are on disk (fsync) before they are published (rename) and before the write they
//! guard.

use std::path::Path;

use crate::support::fake_okta::{DEFAULT_TOKEN, FakeOkta};
use crate::support::*;

const TOML: &str = "[project]\nname = \"t\"\n[environments.dev]\n[environments.prod]\n[[brands]]\nname = \"A\"\n[[brands]]\nname = \"B\"\n";
const PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>{{pageTitle}}</title>{{{SignInWidgetResources}}}</head>\n<body>\n<div id=\"okta-login-container\"></div>\n{{{OktaUtil}}}\n<p>{{ brand.name }} in {{ env.name }}</p>\n</body>\n</html>\n";

fn project() -> Project {
    Project::empty()
        .file("signin-pages.toml", TOML)
        .file("templates/sign-in.html", PAGE)
}

/// A folder outside the project, with one file in it, and what it holds.
fn outside() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("B")).unwrap();
    std::fs::write(d.path().join("B/sign-in.html"), "mine\n").unwrap();
    d
}

fn assert_untouched(d: &Path) {
    assert_eq!(
        tree(d),
        vec![("B/sign-in.html".to_string(), b"mine\n".to_vec())],
        "something was written or removed through the link"
    );
}

#[cfg(unix)]
fn link(target: &Path, at: &Path) {
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, at).unwrap();
}

/// P010, naming `what`, in stderr.
fn assert_p010(out: &std::process::Output, what: &str) {
    let err = stderr(out);
    assert_eq!(code(out), 1, "{err}");
    assert!(
        err.contains(&format!(
            "error[P010]: `{what}` is a symbolic link: signin-pages does not write through links"
        )),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

/// A linked `dist/` used to be swapped aside on one build and written through on the
/// next. Every build refuses it now.
#[cfg(unix)]
#[test]
fn a_linked_dist_is_refused_on_every_build() {
    let p = project();
    let o = outside();
    link(o.path(), &p.path().join("dist"));
    for _ in 0..3 {
        assert_p010(&p.run(&["build"]), "dist");
        assert_untouched(o.path());
        assert!(
            std::fs::symlink_metadata(p.path().join("dist"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}

/// The spare generation and the manifests beside `dist/` are output too.
#[cfg(unix)]
#[test]
fn a_linked_spare_or_manifest_is_refused() {
    for name in [".dist.spare", ".dist.manifest", ".dist.spare.manifest"] {
        let p = project();
        let o = outside();
        let target = if name.ends_with("manifest") {
            o.path().join("B/sign-in.html")
        } else {
            o.path().to_path_buf()
        };
        link(&target, &p.path().join(name));
        assert_p010(&p.run(&["build"]), name);
        assert_untouched(o.path());
        assert!(!p.exists("dist"), "{name}");
    }
}

/// `build --out DIR` refuses a link at DIR the same way.
#[cfg(unix)]
#[test]
fn a_linked_out_folder_is_refused() {
    let p = project();
    let o = outside();
    link(o.path(), &p.path().join("site/out"));
    let out_dir = p.path().join("site/out");
    for _ in 0..2 {
        let out = p.run(&["build", "--out", out_dir.to_str().unwrap()]);
        assert_p010(&out, "site/out");
        assert_untouched(o.path());
    }
}

/// A link inside `dist/` is not the build's: it is removed as a link (never followed),
/// like any other file the build did not write.
#[cfg(unix)]
#[test]
fn a_link_inside_dist_is_removed_not_followed() {
    let p = project();
    let o = outside();
    assert_eq!(code(&p.run(&["build"])), 0);
    std::fs::remove_dir_all(p.path().join("dist/prod")).unwrap();
    link(o.path(), &p.path().join("dist/prod"));
    for _ in 0..3 {
        let out = p.run(&["build"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert_untouched(o.path());
        let prod = std::fs::symlink_metadata(p.path().join("dist/prod")).unwrap();
        assert!(prod.is_dir(), "dist/prod is a real folder again");
        assert_eq!(p.read("dist/prod/B/sign-in.html").lines().count(), 9);
    }
    // Nothing below the spare generation is a link either.
    assert!(
        !p.path()
            .join(".dist.spare/prod")
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
    );
}

/// A file put into `dist/` by hand is gone after the next build and stays gone: it used
/// to vanish on one build and come back on the next (the spare generation swap). Strays
/// are added before every build — at the top, in an existing folder, in a new folder,
/// as an empty folder — full builds and narrowed ones alike.
#[test]
fn stray_files_in_dist_are_removed_by_every_build() {
    let p = project();
    assert_eq!(code(&p.run(&["build"])), 0);
    let outputs = [
        "dev/A/sign-in.html",
        "dev/A/sign-in.json",
        "dev/B/sign-in.html",
        "dev/B/sign-in.json",
        "prod/A/sign-in.html",
        "prod/A/sign-in.json",
        "prod/B/sign-in.html",
        "prod/B/sign-in.json",
    ];
    let builds: [&[&str]; 7] = [
        &["build"],
        &["build"],
        &["build", "--env", "prod", "--brand", "A"],
        &["build"],
        &["build", "--env", "dev"],
        &["build"],
        &["build"],
    ];
    for (i, args) in builds.iter().enumerate() {
        p.write(&format!("dist/notes-{i}.txt"), "by hand");
        p.write(&format!("dist/prod/B/extra-{i}.html"), "by hand");
        p.write(&format!("dist/staging-{i}/C/sign-in.html"), "by hand");
        std::fs::create_dir_all(p.path().join(format!("dist/dev/empty-{i}"))).unwrap();
        let out = p.run(args);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let files: Vec<String> = tree(&p.path().join("dist"))
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(files, outputs, "after build {i} ({args:?})");
        for j in 0..=i {
            assert!(!p.exists(&format!("dist/dev/empty-{j}")), "after build {i}");
            assert!(!p.exists(&format!("dist/staging-{j}")), "after build {i}");
        }
    }
}

/// `test --accept` refuses a linked `snapshots/` (or a linked folder inside it) before
/// writing or removing anything.
#[cfg(unix)]
#[test]
fn linked_snapshots_are_refused() {
    let p = project();
    let o = outside();
    link(o.path(), &p.path().join("snapshots"));
    assert_p010(&p.run(&["test", "--accept"]), "snapshots");
    assert_untouched(o.path());

    let p = project();
    assert_eq!(code(&p.run(&["test", "--accept"])), 0);
    std::fs::remove_dir_all(p.path().join("snapshots/prod")).unwrap();
    link(o.path(), &p.path().join("snapshots/prod"));
    assert_p010(&p.run(&["test", "--accept"]), "snapshots/prod");
    assert_untouched(o.path());
}

fn org_project(okta: &FakeOkta) -> Project {
    Project::with_page(PAGE).file(
        "signin-pages.toml",
        format!(
            "[project]\nname = \"t\"\n[environments.prod]\norg_url = \"{}\"\n[[brands]]\nname = \"B\"\n",
            okta.url()
        ),
    )
}

fn org() -> FakeOkta {
    FakeOkta::start().with_brands(&["B"])
}

/// A linked `.signin-pages/` (or backups folder): no backup through it, so no write to
/// the org either ("no backup, no write").
#[cfg(unix)]
#[test]
fn linked_backup_folders_stop_the_write() {
    for at in [
        ".signin-pages",
        ".signin-pages/backups",
        ".signin-pages/backups/prod/B",
    ] {
        let okta = org();
        let p = org_project(&okta);
        let o = outside();
        link(o.path(), &p.path().join(at));
        let out = run_with_token(&p, &["deploy", "--env", "prod", "--preview"]);
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert_eq!(code(&out), 1, "{at}: {all}");
        assert!(
            all.contains(&format!("`{at}` is a symbolic link")) && all.contains("P010"),
            "{at}: {all}"
        );
        assert_eq!(
            okta.requests().iter().filter(|r| r.method == "PUT").count(),
            0,
            "{at}"
        );
        assert_untouched(o.path());
    }
}

/// Every backup and state file is flushed to disk before the rename that publishes it,
/// the folder is flushed after it, and the backup is on disk before the PUT it guards.
/// Observed with strace (installed by .ci/run).
#[cfg(target_os = "linux")]
#[test]
fn backups_and_state_are_synced_before_they_are_published() {
    let strace = ["/usr/bin/strace", "/bin/strace"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("this test needs strace (apt-get install strace; .ci/run installs it)");
    let okta = org();
    let p = org_project(&okta);
    let log = p.path().join("strace.log");
    let out = std::process::Command::new(strace)
        .args(["-f", "-y", "-s", "64", "-o"])
        .arg(&log)
        .args([
            "-e",
            "trace=fsync,fdatasync,rename,renameat,renameat2,write,sendto,sendmsg,writev",
        ])
        .arg(BIN)
        .args(["deploy", "--env", "prod", "--preview", "--project"])
        .arg(p.path())
        .env("OKTA_API_TOKEN", DEFAULT_TOKEN)
        .env_remove("OKTA_CLIENT_TOKEN")
        .env_remove("OKTA_CLIENT_ORGURL")
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let trace = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = trace.lines().collect();
    let at = |pred: &dyn Fn(&str) -> bool| lines.iter().position(|l| pred(l));
    let put = at(&|l| l.contains("\"PUT /api/v1/brands/")).expect("the PUT is traced");
    let mut published = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if !(l.contains(" rename") && l.contains(".signin-pages/")) || l.contains("= -1") {
            continue;
        }
        // rename(…"…/.x.json.tmp-…", …"…/x.json") = 0
        let quoted: Vec<&str> = l.split('"').skip(1).step_by(2).collect();
        let (from, to) = (quoted[0], quoted[quoted.len() - 1]);
        let dir = Path::new(to).parent().unwrap().to_str().unwrap();
        let synced_file = lines[..i]
            .iter()
            .any(|x| x.contains("fsync(") && x.contains(&format!("<{from}>")));
        assert!(
            synced_file,
            "{to} was renamed before it was synced:\n{trace}"
        );
        let synced_dir = lines[i..]
            .iter()
            .position(|x| x.contains("fsync(") && x.contains(&format!("<{dir}>")));
        assert!(
            synced_dir.is_some(),
            "{dir} was not synced after {to}:\n{trace}"
        );
        published.push((to.to_string(), i + synced_dir.unwrap()));
    }
    let backup = published
        .iter()
        .find(|(to, _)| to.contains(".signin-pages/backups/prod/B/"))
        .unwrap_or_else(|| panic!("no backup was published:\n{trace}"));
    assert!(
        backup.1 < put,
        "the backup was not on disk before the PUT:\n{trace}"
    );
    assert!(
        published
            .iter()
            .any(|(to, _)| to.ends_with(".signin-pages/state/prod/B.json")),
        "no state file was published:\n{trace}"
    );
}
