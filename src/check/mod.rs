//! Checks over a project and its rendered targets. Checks collect; they never stop at
//! the first problem.

mod labels;

use crate::diag::Diagnostic;
use crate::payload::SignInPageBody;
use crate::project::Project;

pub use labels::four_byte_chars;

/// Checks that do not depend on a target: labels and customizations as written.
pub fn project_wide(project: &Project) -> Vec<Diagnostic> {
    labels::project_wide(project)
}

/// Checks of one target's rendered pages and request body.
pub fn target(
    project: &Project,
    dir: &str,
    body: &SignInPageBody,
    error_html: Option<&str>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    out.extend(labels::page_content(
        project,
        &format!("dist/{dir}/sign-in.html"),
        &body.page_content,
    ));
    if let Some(html) = error_html {
        out.extend(labels::page_content(
            project,
            &format!("dist/{dir}/error.html"),
            html,
        ));
    }
    out
}
