//! Template rendering of arbitrary text: the input is `templates/sign-in.html` of the
//! example project (its layouts and partials beside it), rendered with a real target's
//! context. Errors are fine; every diagnostic must also render.
#![no_main]

use std::path::Path;
use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use signin_pages::diag::{ColorChoice, Diagnostics, render_human};
use signin_pages::project::{self, Project};
use signin_pages::render::Engine;
use signin_pages::render::context::SharedContext;
use signin_pages::source::SourceFile;

fn project() -> &'static Project {
    static P: OnceLock<Project> = OnceLock::new();
    P.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/acme");
        project::load(&root, &mut Diagnostics::new()).expect("examples/acme loads")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let p = project();
    let mut templates: Vec<Arc<SourceFile>> = p
        .templates
        .iter()
        .filter(|t| t.path != "templates/sign-in.html")
        .cloned()
        .collect();
    templates.push(Arc::new(SourceFile::new("templates/sign-in.html", text)));
    let diags: Vec<_> = match Engine::new(&templates) {
        Ok(engine) => {
            let ctx =
                SharedContext::new(p).for_target(&p.config.environments[0], &p.config.brands[0]);
            match engine.render("sign-in.html", &ctx) {
                Ok(_) => return,
                Err(d) => d,
            }
        }
        Err(d) => d,
    };
    let diags: Diagnostics = diags.into_iter().collect();
    let _ = render_human(&diags, ColorChoice::Never);
});
