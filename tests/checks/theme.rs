//! The theme (B001–B005): colours, variants, images read by their headers, contrast;
//! each at the key's line and column in `signin-pages.toml`, before any request.

use super::*;

fn png(w: u32, h: u32) -> Vec<u8> {
    png_image(w, h)
}

/// A project whose `[theme]` (line 3; keys from line 4) is `theme`.
fn themed(theme: &str) -> Project {
    Project::with_page(&clean_page("", ""))
        .file("signin-pages.toml", config(&format!("[theme]\n{theme}\n")))
}

const GOOD: &str = "primary_color = \"#0f5c45\"\nprimary_contrast_color = \"#ffffff\"\nsecondary_color = \"#ebebed\"\nsecondary_contrast_color = \"#1d1d21\"\nsign_in_page = \"BACKGROUND_IMAGE\"\nerror_page = \"BACKGROUND_SECONDARY_COLOR\"\nemail_template = \"FULL_THEME\"\nend_user_dashboard = \"LOGO_ON_FULL_WHITE_BACKGROUND\"\nloading_page = \"NONE\"\nlogo = \"static/logo.png\"\nfavicon = \"static/favicon.png\"\nbackground = \"static/background.png\"";

fn good_images(p: Project) -> Project {
    p.file("static/logo.png", png(200, 60))
        .file("static/favicon.png", png(32, 32))
        .file("static/background.png", png(640, 400))
}

#[test]
fn a_good_theme_is_clean() {
    let p = good_images(themed(GOOD)).file(
        "signin-pages.toml",
        config(&format!(
            "[theme]\n{GOOD}\n[sign_out]\nurl = \"https://www.example.com/bye\"\n"
        )),
    );
    expect_clean(&p);
}

#[test]
fn b001_a_colour_that_is_not_rrggbb() {
    let p = themed("primary_color = \"#fff\"");
    expect_only(&p, "B001", "signin-pages.toml", 4, Some(17));
    let out = p.run(&["check"]);
    assert!(stderr(&out).contains("`#ffffff`"), "{}", stderr(&out));
    // In a brand's theme too, at its line.
    let p = Project::with_page(&clean_page("", "")).file(
        "signin-pages.toml",
        format!(
            "{}[brands.theme]\nsecondary_color = \"ebebed\"\n",
            config("")
        ),
    );
    let (found, human, _, _) = check_all_formats(&p);
    assert_eq!(
        found
            .iter()
            .map(|f| (f.code.as_str(), f.line, f.column))
            .collect::<Vec<_>>(),
        [("B001", Some(10), Some(19))],
        "{human}"
    );
}

#[test]
fn b002_a_variant_okta_does_not_know() {
    let p = themed("sign_in_page = \"BACKGROUND_IMAGES\"");
    expect_only(&p, "B002", "signin-pages.toml", 4, Some(16));
    let out = p.run(&["check"]);
    let err = stderr(&out);
    assert!(err.contains("did you mean `BACKGROUND_IMAGE`?"), "{err}");
    assert!(
        err.contains("`BACKGROUND_IMAGE`, `BACKGROUND_SECONDARY_COLOR`, `OKTA_DEFAULT`"),
        "{err}"
    );
    // Each touch point has its own list: FULL_THEME is an email variant, not a loading one.
    let p = themed("email_template = \"FULL_THEME\"\nloading_page = \"FULL_THEME\"");
    expect_only_as(
        "rule_B002_loading",
        &p,
        "B002",
        "signin-pages.toml",
        5,
        Some(16),
    );
}

#[test]
fn unknown_theme_keys_are_p001_at_the_key() {
    let p = themed("primary_colour = \"#0f5c45\"");
    expect_only_as(
        "theme_unknown_key",
        &p,
        "P001",
        "signin-pages.toml",
        4,
        Some(1),
    );
    let p = Project::with_page(&clean_page("", "")).file(
        "signin-pages.toml",
        config("[sign_out]\nurl = \"https://a.example\"\nkind = \"x\""),
    );
    expect_only_as(
        "sign_out_unknown_key",
        &p,
        "P001",
        "signin-pages.toml",
        5,
        Some(1),
    );
}

#[test]
fn b003_images_are_judged_by_their_header_not_their_name() {
    // An SVG named .png.
    let p = themed("logo = \"static/logo.png\"").file(
        "static/logo.png",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    expect_only(&p, "B003", "signin-pages.toml", 4, Some(8));
    let out = p.run(&["check"]);
    assert!(stderr(&out).contains("is an SVG"), "{}", stderr(&out));
    // A favicon that is not square; one larger than 512 × 512.
    for (w, h, says) in [
        (64, 32, "64 × 32 pixels, not square"),
        (600, 600, "600 × 600 pixels (at most 512 × 512)"),
    ] {
        let p = themed("favicon = \"static/f.png\"").file("static/f.png", png(w, h));
        let (found, human, _, _) = check_all_formats(&p);
        assert_eq!(found.len(), 1, "{human}");
        assert_eq!(
            (found[0].code.as_str(), found[0].line, found[0].column),
            ("B003", Some(4), Some(11))
        );
        assert!(human.contains(says), "{human}");
    }
    // A favicon may be an ICO; a logo may not.
    let mut ico = vec![
        0, 0, 1, 0, 1, 0, 48, 48, 0, 0, 1, 0, 32, 0, 0, 0, 0, 0, 22, 0, 0, 0,
    ];
    ico.extend([0u8; 64]);
    let p = themed("favicon = \"static/f.ico\"\nlogo = \"static/l.ico\"")
        .file("static/f.ico", &ico)
        .file("static/l.ico", &ico);
    let (found, human, _, _) = check_all_formats(&p);
    assert_eq!(found.len(), 1, "{human}");
    assert_eq!(
        (found[0].line, found[0].column),
        (Some(5), Some(8)),
        "{human}"
    );
    assert!(human.contains("`logo` `static/l.ico` is an ICO"), "{human}");
}

#[test]
fn b003_sizes_come_from_metadata_and_hostile_headers_do_not_panic() {
    // A logo of 100 kB or more: a real PNG padded past the limit.
    let mut big = png(10, 10);
    big.resize(100_000, 0);
    let p = themed("logo = \"static/logo.png\"").file("static/logo.png", &big);
    let (found, human, _, _) = check_all_formats(&p);
    assert_eq!(found.len(), 1, "{human}");
    assert!(
        human.contains("is 100 kB (100000 bytes) (limit: below 100 kB"),
        "{human}"
    );
    // A 2 GB sparse background: its size from metadata, only its header read.
    let p = themed("background = \"static/bg.png\"").file("static/bg.png", png(4, 4));
    std::fs::OpenOptions::new()
        .write(true)
        .open(p.path().join("static/bg.png"))
        .unwrap()
        .set_len(2_000_000_000)
        .unwrap();
    let (found, human, _, _) = check_all_formats(&p);
    assert_eq!(found.len(), 1, "{human}");
    assert!(
        human.contains("is 2000 MB (2000000000 bytes) (limit: below 2 MB"),
        "{human}"
    );
    // Truncated and absurd headers: a finding each, never a panic.
    let mut absurd_jpeg = vec![0xFF, 0xD8];
    for _ in 0..300 {
        absurd_jpeg.extend([0xFF, 0xE1, 0x00, 0x02]);
    }
    for (bytes, says) in [
        (png(4, 4)[..20].to_vec(), "truncated PNG"),
        (b"GIF89a\x00".to_vec(), "truncated GIF"),
        (vec![0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF], "truncated JPEG"),
        (absurd_jpeg, "no frame header"),
        (vec![0, 0, 1, 0, 0xFF, 0xFF, 1], "truncated ICO"),
        (
            b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\0\0\0\0\0".to_vec(),
            "size of zero",
        ),
        (Vec::new(), "not an image format Okta takes"),
    ] {
        let p = themed("favicon = \"static/f.png\"").file("static/f.png", &bytes);
        let (found, human, _, _) = check_all_formats(&p);
        assert_eq!(found.len(), 1, "{says}: {human}");
        assert_eq!(found[0].code, "B003", "{human}");
        assert!(human.contains(says), "{says}: {human}");
    }
}

#[test]
fn b004_a_missing_file_or_one_outside_the_project() {
    let p = themed("logo = \"static/nope.png\"");
    expect_only(&p, "B004", "signin-pages.toml", 4, Some(8));
    for path in ["../outside.png", "/etc/hostname", "static/../../x.png"] {
        let p = themed(&format!("background = \"{path}\""));
        let (found, human, _, _) = check_all_formats(&p);
        assert_eq!(found.len(), 1, "{path}: {human}");
        assert_eq!(found[0].code, "B004", "{human}");
        assert!(human.contains("outside the project"), "{path}: {human}");
    }
    // A link inside the project that leads out.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("logo.png"), png(10, 10)).unwrap();
    let p = themed("logo = \"static/logo.png\"").file("static/.keep", "");
    std::os::unix::fs::symlink(
        outside.path().join("logo.png"),
        p.path().join("static/logo.png"),
    )
    .unwrap();
    let (found, human, _, _) = check_all_formats(&p);
    assert_eq!(found.len(), 1, "{human}");
    assert_eq!(found[0].code, "B004", "{human}");
    assert!(
        human.contains("a link that leads outside the project"),
        "{human}"
    );
}

#[test]
fn b005_contrast_of_each_colour_with_its_contrast_colour_per_target() {
    // #777777 on white is 4.47:1: just below.
    let p = themed("primary_color = \"#777777\"\nprimary_contrast_color = \"#ffffff\"");
    expect_only(&p, "B005", "signin-pages.toml", 5, Some(26));
    let out = p.run(&["check"]);
    assert!(stderr(&out).contains("4.47:1"), "{}", stderr(&out));
    // Merged per target: the brand's darker primary fixes it for that target only; the
    // finding stays for the other brand, at the project's key.
    let toml = format!(
        "{}[brands.theme]\nprimary_color = \"#555555\"\n[[brands]]\nname = \"C\"\n",
        config("[theme]\nprimary_color = \"#777777\"\nprimary_contrast_color = \"#ffffff\"")
    );
    let p = Project::with_page(&clean_page("", "")).file("signin-pages.toml", toml);
    let out = p.run(&["check", "--format", "json"]);
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{}", stdout(&out));
    assert_eq!(lines[0]["code"], "B005");
    assert_eq!(lines[0]["brand"], "C");
    assert_eq!(lines[0]["line"], 5);
    // Without a written contrast colour Okta derives one: nothing to judge.
    expect_clean(&themed("primary_color = \"#777777\""));
}

#[test]
fn brand_settings_and_sign_out_addresses() {
    let p = Project::with_page(&clean_page("", "")).file(
        "signin-pages.toml",
        format!(
            "{}privacy_policy_url = \"https://acme.example/privacy\"\n",
            config("[sign_out]\nurl = \"http://acme.example/bye\"")
        ),
    );
    let (found, human, _, _) = check_all_formats(&p);
    let got: Vec<_> = found.iter().map(|f| (f.code.as_str(), f.line)).collect();
    assert_eq!(got, [("P002", Some(4)), ("P002", Some(10))], "{human}");
    assert!(
        human.contains("agree_to_custom_privacy_policy = true"),
        "{human}"
    );
    assert!(
        human.contains("`sign_out.url` must be an https:// address"),
        "{human}"
    );
}
