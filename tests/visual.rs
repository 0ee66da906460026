//! `test --visual`: screenshots of every target × widget state × locale in headless
//! Chromium, compared with `snapshots/visual/` by pixels within a tolerance.
//!
//! The tests that take screenshots need Chromium (CI installs it); without one they say
//! so and pass. Everything else (the tolerance, the preview's screenshot mode, the
//! message without Chromium, text snapshots leaving screenshots alone) runs everywhere.

use std::path::PathBuf;

use signin_pages::preview::{Options, Preview};
use signin_pages::visual::image::{Image, compare, decode, encode};
use signin_pages::visual::{Tolerance, chromium};

use crate::support::http::get;
use crate::support::*;

/// Chromium on PATH, or `None` after saying that the test is skipped.
fn chromium(test: &str) -> Option<PathBuf> {
    match chromium::find(None) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("SKIPPED {test}: {e}");
            None
        }
    }
}

/// Chromium's executable, as `test --visual` finds it.
fn chromium_path() -> PathBuf {
    chromium::find(None).expect("the test checked that Chromium is there")
}

/// The screenshots below `snapshots/visual/` of `p`, sorted (not `browser.txt`).
fn shots(p: &Project) -> Vec<String> {
    tree(&p.path().join("snapshots/visual"))
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| name != "browser.txt")
        .collect()
}

#[test]
fn new_accept_match_then_a_moved_template_fails_with_a_diff_image() {
    let Some(_) = chromium("new_accept_match_then_a_moved_template_fails_with_a_diff_image") else {
        return;
    };
    // The starter: one target (prod/Example), locales en and fr, the stand-in widget.
    let p = Project::starter();
    let filter = ["--state", "identify,kmsi", "--locale", "fr"];
    let visual = |extra: &[&str]| {
        let mut args = vec!["test", "--visual"];
        args.extend_from_slice(&filter);
        args.extend_from_slice(extra);
        p.run(&args)
    };

    // First run: nothing accepted, every screenshot is new (exit 1), written as .new.png.
    let out = visual(&[]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    assert!(
        stdout(&out).contains("new: snapshots/visual/prod/Example/identify.fr.new.png"),
        "{}",
        all(&out)
    );
    assert!(
        stderr(&out).contains("stand-in"),
        "the run says which widget it showed: {}",
        stderr(&out)
    );
    // The filters hold: two states, one locale.
    assert_eq!(
        shots(&p),
        [
            "prod/Example/identify.fr.new.png",
            "prod/Example/kmsi.fr.new.png"
        ]
    );
    let png = std::fs::read(
        p.path()
            .join("snapshots/visual/prod/Example/identify.fr.new.png"),
    )
    .unwrap();
    let image = decode(&png).expect("a PNG");
    assert_eq!((image.width, image.height), (1280, 800));

    // --accept makes them the accepted ones, and a second run right after passes.
    let out = visual(&["--accept"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert_eq!(
        shots(&p),
        ["prod/Example/identify.fr.png", "prod/Example/kmsi.fr.png"]
    );
    // It names the browser that took them (the version Chromium itself reports).
    let browser = p.read("snapshots/visual/browser.txt");
    let version = std::process::Command::new(chromium_path())
        .arg("--version")
        .output()
        .unwrap();
    let number = String::from_utf8_lossy(&version.stdout)
        .split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or_default()
        .to_string();
    assert_eq!(browser, format!("Chromium {number}\n"));
    let out = visual(&[]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(
        stderr(&out).contains("2 screenshots match"),
        "{}",
        stderr(&out)
    );

    // Text snapshots leave the screenshots alone.
    assert_eq!(code(&p.run(&["test", "--accept"])), 0);
    assert_eq!(shots(&p).len(), 2);

    // A template change that moves pixels: exit 1, the diff image named and written.
    let page = p.read("templates/sign-in.html").replace(
        "{% block body %}",
        "{% block body %}\n<h1 style=\"margin:40px\">Moved</h1>",
    );
    p.write("templates/sign-in.html", page);
    let out = visual(&[]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    let diff = "snapshots/visual/prod/Example/identify.fr.diff.png";
    assert!(
        stdout(&out).contains("changed: snapshots/visual/prod/Example/identify.fr.png")
            && stdout(&out).contains(diff),
        "{}",
        all(&out)
    );
    assert!(
        !stderr(&out).contains("note: the accepted screenshots were taken with"),
        "same browser, no note: {}",
        stderr(&out)
    );
    // Accepted by another browser: the failure says so, since an update moves pixels.
    p.write("snapshots/visual/browser.txt", "Chromium 1.2.3\n");
    let out = visual(&[]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    assert!(
        stderr(&out).contains(&format!(
            "note: the accepted screenshots were taken with Chromium 1.2.3, this run with {}",
            browser.trim()
        )),
        "{}",
        stderr(&out)
    );
    let drawn = decode(&std::fs::read(p.path().join(diff)).unwrap()).expect("a PNG");
    assert!(
        drawn.rgba.chunks(4).any(|px| px == [255, 0, 0, 255]),
        "the diff image marks the differing pixels red"
    );
    assert!(p.exists("snapshots/visual/prod/Example/identify.fr.new.png"));

    // Accepting the change removes what the failed run left beside the screenshots, and
    // names this browser again.
    assert_eq!(code(&visual(&["--accept"])), 0);
    assert_eq!(p.read("snapshots/visual/browser.txt"), browser);
    assert_eq!(
        shots(&p),
        ["prod/Example/identify.fr.png", "prod/Example/kmsi.fr.png"]
    );
    assert_eq!(code(&visual(&[])), 0);
}

#[test]
fn unfiltered_runs_cover_every_state_and_locale_and_name_stale_screenshots() {
    let Some(_) = chromium("unfiltered_runs_cover_every_state_and_locale") else {
        return;
    };
    let p = Project::starter();
    p.write(
        "snapshots/visual/prod/Example/gone.fr.png",
        encode(&Image {
            width: 1,
            height: 1,
            rgba: vec![0, 0, 0, 255],
        }),
    );
    let out = p.run(&["test", "--visual"]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    assert!(
        stdout(&out).contains("stale: snapshots/visual/prod/Example/gone.fr.png"),
        "{}",
        all(&out)
    );
    let out = p.run(&["test", "--visual", "--accept"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    // Every state the preview has (read from its state list, not from here) in en and fr.
    let states: Vec<String> = signin_pages::visual::states();
    let mut expected: Vec<String> = states
        .iter()
        .flat_map(|s| ["en", "fr"].map(|l| format!("prod/Example/{s}.{l}.png")))
        .collect();
    expected.sort();
    assert_eq!(shots(&p), expected);
    assert_eq!(code(&p.run(&["test", "--visual"])), 0);
}

#[test]
fn unknown_filters_and_a_missing_chromium_are_clear_errors() {
    let p = Project::starter();
    let out = p.run(&["test", "--visual", "--state", "nope"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("unknown widget state `nope`: the project has identify"),
        "{}",
        stderr(&out)
    );
    let out = p.run(&["test", "--visual", "--locale", "de"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("unknown locale `de`"),
        "{}",
        stderr(&out)
    );

    // No Chromium on PATH: how to install it, exit 1.
    let empty = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_signin-pages"))
        .args(["test", "--visual", "--color", "never", "--project"])
        .arg(p.path())
        .env("PATH", empty.path())
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "{}", all(&out));
    assert!(
        stderr(&out).contains("apt-get install chromium"),
        "{}",
        stderr(&out)
    );
    let out = p.run(&["test", "--visual", "--chromium", "/no/such/chromium"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("--chromium /no/such/chromium: no such file"),
        "{}",
        stderr(&out)
    );
    // The filters are for screenshots only (a usage error: 1, as every error but
    // diff's and kmsi plan's "changes present").
    assert_eq!(code(&p.run(&["test", "--state", "kmsi"])), 1);
}

#[test]
fn text_snapshots_leave_screenshots_alone() {
    let p = Project::starter();
    assert_eq!(code(&p.run(&["test", "--accept"])), 0);
    let png = encode(&Image {
        width: 1,
        height: 1,
        rgba: vec![1, 2, 3, 255],
    });
    p.write("snapshots/visual/prod/Example/identify.en.png", &png);
    p.write("snapshots/visual/browser.txt", "Chromium 1.2.3\n");
    let out = p.run(&["test"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let out = p.run(&["test", "--accept"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(p.exists("snapshots/visual/prod/Example/identify.en.png"));
    assert!(p.exists("snapshots/visual/browser.txt"));
}

#[test]
fn the_preview_serves_still_pages_for_screenshots() {
    let p = Project::starter();
    let start = |visual: bool| {
        Preview::start(
            p.path(),
            Options {
                addr: "127.0.0.1:0".parse().unwrap(),
                quiet: true,
                visual,
                ..Options::default()
            },
        )
        .expect("the preview starts")
    };
    let page = "/prod/Example/sign-in?state=kmsi&locale=fr";
    let still = start(true);
    let (a, b) = (get(still.addr(), page), get(still.addr(), page));
    assert_eq!(a.status, 200);
    // The same bytes every time (one nonce), the stylesheet that stops animations, and
    // no switcher or reload (the page data says so to the preview's script).
    assert_eq!(a.body, b.body);
    let html = &a.body;
    assert!(html.contains("/__preview/visual.css?v="), "{html}");
    assert!(html.contains(r#""visual":true"#), "{html}");
    let css = get(still.addr(), "/__preview/visual.css").body;
    assert!(css.contains("animation: none !important"));
    assert!(css.contains("caret-color: transparent !important"));
    still.shutdown();

    // `serve` keeps a fresh nonce per response and no such stylesheet.
    let live = start(false);
    let (a, b) = (get(live.addr(), page), get(live.addr(), page));
    assert_ne!(a.body, b.body);
    assert!(!a.body.contains("visual.css"));
    live.shutdown();
}

/// An image of `w` × `h` pixels of one grey.
fn grey(w: u32, h: u32, v: u8) -> Image {
    Image {
        width: w,
        height: h,
        rgba: [v, v, v, 255].repeat((w * h) as usize),
    }
}

#[test]
fn the_tolerance_counts_pixels_beyond_the_channel_threshold() {
    let t = Tolerance {
        threshold: 16,
        max_share: 0.01,
    };
    let a = grey(10, 10, 100);
    // Every pixel moved by exactly the threshold: nothing differs.
    let (d, _) = compare(&a, &grey(10, 10, 116), t.threshold);
    assert_eq!(d.pixels, 0);
    assert!(d.within(t));
    // One more: every pixel differs.
    let (d, drawn) = compare(&a, &grey(10, 10, 117), t.threshold);
    assert_eq!((d.pixels, d.total), (100, 100));
    assert!(!d.within(t));
    assert!(drawn.rgba.chunks(4).all(|px| px == [255, 0, 0, 255]));

    // One pixel in a hundred may differ (max_share 1 %), two may not.
    let mut b = a.clone();
    b.rgba[0] = 0;
    let (d, drawn) = compare(&a, &b, t.threshold);
    assert_eq!(d.pixels, 1);
    assert!(d.within(t));
    assert_eq!(&drawn.rgba[..4], [255, 0, 0, 255]);
    assert_ne!(&drawn.rgba[4..8], [255, 0, 0, 255]);
    b.rgba[4] = 0;
    let (d, _) = compare(&a, &b, t.threshold);
    assert_eq!(d.pixels, 2);
    assert!(!d.within(t));

    // Another size never matches, whatever the share.
    let (d, drawn) = compare(&a, &grey(10, 11, 100), t.threshold);
    assert!(!d.within(Tolerance {
        threshold: 255,
        max_share: 1.0
    }));
    assert_eq!((drawn.width, drawn.height), (10, 11));
    assert_eq!(d.to_string(), "size 10×10 became 10×11");

    // What encode writes, decode reads back.
    assert_eq!(decode(&encode(&b)).unwrap(), b);
}

/// A widget that draws a spinner, then (after a pause longer than the quiet time the
/// screenshot waits for, with no request under way, as the real one does while its code
/// and answers arrive) a red form, and says so with `afterRender`. The screenshot must be
/// of the form: a page that makes a widget is settled only once it has drawn a view.
#[test]
fn a_screenshot_waits_for_the_widget_to_draw_a_view() {
    let Some(_) = chromium("a_screenshot_waits_for_the_widget_to_draw_a_view") else {
        return;
    };
    let widget = tempfile::tempdir().unwrap();
    let dist = widget.path().join("dist");
    std::fs::create_dir_all(dist.join("js")).unwrap();
    std::fs::create_dir_all(dist.join("css")).unwrap();
    std::fs::write(dist.join("css/okta-sign-in.min.css"), "").unwrap();
    std::fs::write(
        dist.join("js/okta-sign-in.min.js"),
        r#"(function () {
  function Slow() { this.handlers = {}; }
  Slow.prototype.on = function (name, fn) { this.handlers[name] = fn; };
  Slow.prototype.renderEl = function (options) {
    var self = this, el = document.querySelector(options.el);
    el.textContent = 'loading';
    setTimeout(function () {
      var form = document.createElement('div');
      form.className = 'slow-form';
      form.style.cssText = 'position:fixed;left:0;top:0;width:1280px;height:800px;background:#ff0000;z-index:99';
      document.body.appendChild(form);
      if (self.handlers.afterRender) self.handlers.afterRender({ controller: 'primary-auth' });
    }, 1500);
  };
  window.OktaSignIn = Slow;
})();"#,
    )
    .unwrap();
    let p = Project::starter();
    let out = p.run(&[
        "test",
        "--visual",
        "--accept",
        "--state",
        "identify",
        "--locale",
        "en",
        "--widget-dir",
        widget.path().to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let png = std::fs::read(
        p.path()
            .join("snapshots/visual/prod/Example/identify.en.png"),
    )
    .unwrap();
    let image = decode(&png).expect("a PNG");
    let centre = ((400 * image.width + 640) * 4) as usize;
    assert_eq!(
        &image.rgba[centre..centre + 4],
        [255, 0, 0, 255],
        "the screenshot shows the drawn form, not the spinner before it"
    );
}
