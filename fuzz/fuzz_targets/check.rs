//! The HTML/CSP/Okta/label/secret checks on an arbitrary page, as the sign-in page and
//! as the error page of the example project. Every finding must also render.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use signin_pages::check;
use signin_pages::diag::{ColorChoice, Diagnostics, render_human};
use signin_pages::payload::{Customizations, PostAuthPrompt, SignInPageBody};
use signin_pages::project::{self, Project};

fn project() -> &'static Project {
    static P: OnceLock<Project> = OnceLock::new();
    P.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/acme");
        project::load(&root, &mut Diagnostics::new()).expect("examples/acme loads")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(html) = std::str::from_utf8(data) else {
        return;
    };
    let p = project();
    let (env, brand) = (&p.config.environments[0], &p.config.brands[0]);
    let body = SignInPageBody {
        page_content: html.to_string(),
        widget_version: p.config.widget_version.get_ref().clone(),
        widget_customizations: Customizations {
            fields: p.config.widget_customizations.clone(),
            widget_generation: p.config.widget_generation,
            post_auth_keep_me_signed_in_prompt: PostAuthPrompt::from_project(p),
        },
        content_security_policy_setting: p.config.csp.clone(),
    };
    let found = check::target(p, env, brand, "fuzz/acme", &body, Some(html));
    let diags: Diagnostics = check::apply_policy(p, found).into_iter().collect();
    let _ = render_human(&diags, ColorChoice::Never);
});
