//! The contract's driver for the Okta calls no command makes yet (issue 14: a brand's
//! theme, its images, its sign-out page and the brand PUT): each call through the
//! library's own client, so Prism judges the very requests the tool sends — the
//! multipart uploads included.
//!
//! `cargo run --example contract-calls -- <org URL> <brand name>`, with the token in
//! `OKTA_API_TOKEN` (`contract/run.sh` runs it; see contract/README.md). Exits 1 when a
//! call fails, naming it.

// As in the library (src/lib.rs): `OktaError` carries Okta's whole answer.
#![allow(clippy::result_large_err)]

use signin_pages::okta::brands::{self, Settings};
use signin_pages::okta::images::{self, Image, Upload};
use signin_pages::okta::sign_out::{self, SignOutPage};
use signin_pages::okta::{Client, Credentials, OktaError, OrgUrl, Secret, themes};
use signin_pages::{errln, outln};

/// A 1×1 PNG and a 1×1 GIF: real images of the formats Okta takes.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\x04\0\x09\xfb\x03\xfd\xe3U\xf2\x9c\0\0\0\0IEND\xaeB`\x82";
const GIF: &[u8] = b"GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!\xf9\x04\x01\0\0\0\0,\0\0\0\0\x01\0\x01\0\0\x02\x02D\x01\0;";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [org, brand_name] = args.as_slice() else {
        errln!("usage: contract-calls <org URL> <brand name> (token in OKTA_API_TOKEN)");
        std::process::exit(2);
    };
    let token = std::env::var("OKTA_API_TOKEN").unwrap_or_default();
    let creds = Credentials::ApiToken {
        token: Secret::new(token),
        source: "OKTA_API_TOKEN".into(),
    };
    let org = OrgUrl::parse(org).unwrap_or_else(|e| {
        errln!("contract-calls: {e}");
        std::process::exit(2)
    });
    let c = Client::new(org, creds, 2).unwrap_or_else(|e| {
        errln!("contract-calls: {e}");
        std::process::exit(2)
    });
    match run(&c, brand_name) {
        Ok(()) => outln!("contract-calls: every call answered"),
        Err(e) => {
            errln!("contract-calls: {e}");
            std::process::exit(1);
        }
    }
}

fn run(c: &Client, brand_name: &str) -> Result<(), OktaError> {
    let brand = brands::list(c)?
        .into_iter()
        .find(|b| b.name == brand_name)
        .ok_or_else(|| OktaError::Setup(format!("no brand named {brand_name}")))?
        .id;

    // The theme: list, get, and a PUT with every field Okta requires.
    let mut theme = themes::current(c, &brand)?;
    themes::get(c, &brand, &theme.id)?;
    theme.primary_color = "#0f5c45".into();
    theme.sign_in_page = "BACKGROUND_IMAGE".into();
    themes::put(c, &brand, &theme)?;
    outln!("theme {}: read and replaced", theme.id);

    // The images: a multipart upload and a delete each.
    for (image, name, content_type, bytes) in [
        (Image::Logo, "logo.png", "image/png", PNG),
        (Image::Favicon, "favicon.png", "image/png", PNG),
        (Image::Background, "background.gif", "image/gif", GIF),
    ] {
        let file = Upload {
            file_name: name,
            content_type,
            bytes,
        };
        let url = images::upload(c, &brand, &theme.id, image, &file)?;
        images::delete(c, &brand, &theme.id, image)?;
        outln!("{}: uploaded ({url}) and deleted", image.segment());
    }
    // Okta's example names its logo at `https://{yourOktaDomain}/…`: not the org, so
    // not fetched (and nothing reaches Prism).
    if let Some(logo) = &theme.logo {
        match images::download(c, logo) {
            Ok(_) => return Err(OktaError::Setup(format!("{logo} was fetched"))),
            Err(e) => outln!("logo download refused, as it must be: {e}"),
        }
    }

    // The sign-out page.
    sign_out::get(c, &brand)?;
    sign_out::put(
        c,
        &brand,
        &SignOutPage::External("https://www.acme.example/signed-out".into()),
    )?;
    sign_out::put(c, &brand, &SignOutPage::OktaDefault)?;
    outln!("sign-out page: read and replaced");

    // The brand: read, then a full replace with the managed settings changed.
    let settings = Settings {
        remove_powered_by_okta: Some(true),
        custom_privacy_policy_url: Some(Some("https://www.acme.example/privacy".into())),
        agree_to_custom_privacy_policy: Some(true),
        locale: Some(Some("en".into())),
    };
    brands::update(c, &brand, &settings)?;
    brands::update(
        c,
        &brand,
        &Settings {
            custom_privacy_policy_url: Some(None),
            ..Settings::default()
        },
    )?;
    outln!("brand {brand}: read and replaced");
    Ok(())
}
