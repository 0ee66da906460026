//! `signin-pages init [DIR]`: write the starter project (`starter`).

use crate::cli::{GlobalArgs, InitArgs};
use crate::cmd::{Outcome, status};
use crate::starter;

pub(crate) fn execute(g: &GlobalArgs, a: &InitArgs) -> Outcome {
    match starter::write(&a.dir) {
        Ok(n) => {
            status(
                g,
                &format!(
                    "wrote a starter project ({n} files) into {}",
                    a.dir.display()
                ),
            );
            status(
                g,
                &format!("next: signin-pages build --project {}", a.dir.display()),
            );
            Outcome::Success
        }
        Err(e) => {
            errln!("error: {e}");
            Outcome::Failure
        }
    }
}
