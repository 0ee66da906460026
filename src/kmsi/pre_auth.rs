//! Pre-authentication KMSI (the "Keep me signed in" checkbox before sign-in) is an org
//! setting with no API: `kmsi plan` prints the Admin Console steps, and warns when a
//! template hides the checkbox while the project asks for it.

use std::sync::Arc;

use crate::check::scan::{Scan, js};
use crate::config::Kmsi;
use crate::source::SourceFile;

/// The Admin Console steps for the pre-authentication checkbox (Okta's guide), to turn
/// it on or off.
pub fn pre_auth_steps(on: bool) -> [String; 4] {
    [
        "In the Admin Console, go to Security › General.".into(),
        "In the Organization Security section, click Edit.".into(),
        format!(
            "Turn {} \"Show option to stay signed in before users sign in\".",
            if on { "on" } else { "off" }
        ),
        "Click Save.".into(),
    ]
}

/// A template that hides the pre-authentication checkbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HiddenCheckbox {
    pub file: String,
    pub line: usize,
}

/// What `kmsi plan` says about pre-authentication KMSI.
#[derive(Debug, Clone, Default)]
pub struct PreAuth {
    /// `[kmsi] pre_auth`, when set.
    pub asked: Option<bool>,
    /// Templates that set `showKeepMeSignedIn` to false.
    pub hidden: Vec<HiddenCheckbox>,
}

impl PreAuth {
    pub fn new(k: &Kmsi, templates: &[Arc<SourceFile>]) -> Self {
        let asked = k.pre_auth.as_ref().map(|p| *p.get_ref());
        PreAuth {
            asked,
            hidden: if asked == Some(true) {
                hidden_checkbox(templates)
            } else {
                Vec::new()
            },
        }
    }
}

/// Where a template's inline script sets the widget's `features.showKeepMeSignedIn` to
/// false (`showKeepMeSignedIn = false`, `showKeepMeSignedIn: false`, quoted keys and
/// `["showKeepMeSignedIn"] = false` too). The page scanner finds the scripts the browser
/// runs and blanks their comments, so text, comments and other script types never count.
pub fn hidden_checkbox(templates: &[Arc<SourceFile>]) -> Vec<HiddenCheckbox> {
    const KEY: &str = "showKeepMeSignedIn";
    let mut out = Vec::new();
    for t in templates {
        let scan = Scan::new(&t.text);
        for script in scan.inline_js() {
            let code = script.code.as_str();
            for (at, _) in code.match_indices(KEY) {
                let b = code.as_bytes();
                if at > 0 && js::is_ident_byte(b[at - 1]) {
                    continue;
                }
                let rest = code[at + KEY.len()..]
                    .trim_start_matches(['"', '\''])
                    .trim_start()
                    .trim_start_matches(']')
                    .trim_start();
                let Some(rest) = rest.strip_prefix([':', '=']) else {
                    continue;
                };
                if rest.starts_with(['=', '>']) {
                    continue; // a comparison or an arrow, not an assignment
                }
                let rest = rest.trim_start();
                if rest.starts_with("false")
                    && !rest[5..].bytes().next().is_some_and(js::is_ident_byte)
                {
                    out.push(HiddenCheckbox {
                        file: t.path.clone(),
                        line: t.position(script.body.start + at).line,
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_checkbox_is_found() {
        let f = Arc::new(SourceFile::new(
            "templates/sign-in.html",
            "<script>\nconfig.features.showKeepMeSignedIn = false;\nvar a = {\"showKeepMeSignedIn\": false};\nif (x.showKeepMeSignedIn === false) {}\nfeatures: { showKeepMeSignedIn: falsey }\n</script>\n",
        ));
        let found = hidden_checkbox(&[f]);
        assert_eq!(found.iter().map(|h| h.line).collect::<Vec<_>>(), vec![2, 3]);
    }

    #[test]
    fn only_scripts_the_browser_runs_count() {
        let f = Arc::new(SourceFile::new(
            "templates/sign-in.html",
            "<p>Set showKeepMeSignedIn: false to hide it.</p>\n\
             <!-- showKeepMeSignedIn = false -->\n\
             <script type=\"text/template\">showKeepMeSignedIn: false</script>\n\
             <script>\n\
             // features.showKeepMeSignedIn = false;\n\
             /* showKeepMeSignedIn: false */\n\
             var noshowKeepMeSignedIn = false;\n\
             config.features['showKeepMeSignedIn'] = false;\n\
             </script>\n",
        ));
        let found = hidden_checkbox(&[f]);
        assert_eq!(found.iter().map(|h| h.line).collect::<Vec<_>>(), vec![8]);
    }
}
