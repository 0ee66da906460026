//! `signin-pages serve`: start the live preview (`preview`) on a loopback address and
//! wait until the process is stopped.

use std::net::SocketAddr;

use crate::cli::{GlobalArgs, ServeArgs};
use crate::cmd::Outcome;
use crate::preview::{Options, Preview};

pub(crate) fn execute(g: &GlobalArgs, a: &ServeArgs) -> Outcome {
    let (widget_cache, widget_cdn) = crate::preview::widget_cache_from_env();
    let options = Options {
        addr: SocketAddr::new(a.host, a.port),
        widget_dir: a.widget_dir.clone(),
        widget_cache,
        widget_cdn,
        color: g.color,
        quiet: g.quiet,
        visual: false,
    };
    let preview = match Preview::start(&g.project, options) {
        Ok(p) => p,
        Err(e) => {
            errln!("error: {e}");
            return Outcome::Failure;
        }
    };
    let url = preview.url();
    // On stdout, always: scripts read the URL (and the port `--port 0` picked) from it.
    outln!("Serving the preview at {url} (Ctrl-C to stop)");
    if !a.host.is_loopback() {
        errln!(
            "warning: listening on {}: other machines can reach the preview",
            preview.addr()
        );
    }
    if a.open {
        open_browser(&url);
    }
    preview.wait();
    Outcome::Success
}

fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if let Err(e) = std::process::Command::new(program)
        .args(&args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        errln!("warning: cannot open a browser ({program}: {e}); open {url} yourself");
    }
}
