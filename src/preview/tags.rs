//! Okta's tags, filled in as Okta fills them when it serves a page. Okta renders pages
//! with Mustache, and so does [`fill`] (for Okta's tags only, as [`crate::okta_tags`]
//! finds them): `{{name}}` is HTML-escaped, `{{{name}}}` is not, `{{#name}}…{{/name}}`
//! shows its content when `name` is true, `{{^name}}` when false, and an unknown name is
//! empty. Hidden text keeps its line breaks, so every line of the served page is the same
//! line of the rendered page. [`Values`] gives each tag a realistic stand-in.

use std::path::Path;

use serde_json::Value;

use super::site::{PageKind, ProjectInfo, TargetPages};
use super::{assets, idx, theme};
use crate::config::{ImageKey, WidgetGeneration};
use crate::okta_tags;
use crate::render::{escape_html, js_literal};

/// The values of Okta's tags for one response.
pub(super) struct Values<'a> {
    pub(super) target: &'a TargetPages,
    pub(super) project: &'a ProjectInfo,
    pub(super) kind: PageKind,
    pub(super) nonce: &'a str,
    pub(super) config: &'a Value,
    pub(super) real_widget: Option<&'a Path>,
}

impl Values<'_> {
    pub(super) fn var(&self, name: &str) -> String {
        let n = self.nonce;
        let brand = &self.target.brand;
        let image = |i| theme::image_url(self.target, self.project, self.kind, i);
        match name {
            "pageTitle" => match self.kind {
                PageKind::SignIn => format!("{brand} - Sign In"),
                PageKind::Error => brand.clone(),
            },
            "nonceValue" => n.to_string(),
            "bgImageUrl" => format!("url({})", image(ImageKey::Background)),
            "themedStylesUrl" => theme::styles_url(self.target, self.kind),
            "faviconUrl" => image(ImageKey::Favicon),
            "SignInWidgetResources" => match self.real_widget {
                Some(dist) => {
                    let (js, css) = idx::bundle(dist, self.project.generation);
                    format!(
                        "<link href=\"/__preview/siw/{css}\" type=\"text/css\" rel=\"stylesheet\"/>\
                         <script src=\"/__preview/siw/{js}\" type=\"text/javascript\" nonce=\"{n}\"></script>"
                    )
                }
                None => format!(
                    "<link href=\"{}\" type=\"text/css\" rel=\"stylesheet\"/>\
                     <script src=\"{}\" type=\"text/javascript\" nonce=\"{n}\"></script>",
                    assets::url("widget.css"),
                    assets::url("widget.js")
                ),
            },
            "OktaUtil" => format!(
                "<script src=\"{}\" type=\"text/javascript\" nonce=\"{n}\"></script>",
                assets::url("okta-util.js")
            ),
            "config" => js_literal(self.config),
            "orgName" => brand.clone(),
            "orgLogo" => image(ImageKey::Logo),
            "errorSummary" => "You don't have access to this page".into(),
            "errorDescription" => "<p>Your administrator has not assigned this app to you. \
                 (A sample error shown by the signin-pages preview.)</p>"
                .into(),
            "technicalDetails" => {
                "E0000006: You do not have permission to perform the requested action".into()
            }
            "back" => "Go back".into(),
            "buttonText" => "Go to homepage".into(),
            "buttonHref" => "/".into(),
            _ => String::new(),
        }
    }

    pub(super) fn section(&self, name: &str) -> bool {
        match name {
            "useSiwGen3" => self.project.generation == WidgetGeneration::G3,
            _ => false,
        }
    }
}

/// Mustache, for Okta's tags: see the module documentation.
pub(crate) fn fill(
    html: &str,
    var: &dyn Fn(&str) -> String,
    section: &dyn Fn(&str) -> bool,
) -> String {
    let mut out = String::with_capacity(html.len() + 2048);
    // Open sections: name, and whether their content shows.
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut last = 0;
    let shown = |open: &[(String, bool)]| open.iter().all(|(_, show)| *show);
    let keep = |out: &mut String, text: &str, show: bool| {
        if show {
            out.push_str(text);
        } else {
            out.extend(text.chars().filter(|c| *c == '\n'));
        }
    };
    for tag in okta_tags::find_tags(html, false) {
        keep(&mut out, &html[last..tag.range.start], shown(&open));
        last = tag.range.end;
        match tag.sigil {
            Some(b'#') => open.push((tag.name.clone(), section(&tag.name))),
            Some(b'^') => open.push((tag.name.clone(), !section(&tag.name))),
            Some(_) => {
                if let Some(i) = open.iter().rposition(|(n, _)| *n == tag.name) {
                    open.truncate(i);
                }
            }
            None if shown(&open) => {
                let v = var(&tag.name);
                if tag.triple {
                    out.push_str(&v);
                } else {
                    out.push_str(&escape_html(&v));
                }
            }
            None => {}
        }
    }
    keep(&mut out, &html[last..], shown(&open));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_fill(html: &str, g3: bool) -> String {
        fill(
            html,
            &|n| match n {
                "nonceValue" => "N0".into(),
                "pageTitle" => "A & B".into(),
                "OktaUtil" => "<script>u</script>".into(),
                _ => String::new(),
            },
            &|n| n == "useSiwGen3" && g3,
        )
    }

    #[test]
    fn fills_variables_escaping_double_braces_only() {
        let html = "<title>{{pageTitle}}</title>{{{OktaUtil}}}<style nonce=\"{{ nonceValue }}\">";
        assert_eq!(
            sample_fill(html, false),
            "<title>A &amp; B</title><script>u</script><style nonce=\"N0\">"
        );
    }

    #[test]
    fn sections_follow_the_generation_and_keep_lines() {
        let html = "a\n{{#useSiwGen3}}\nhtml { font-size: 87.5%; }\n{{/useSiwGen3}}\n{{^useSiwGen3}}g2{{/useSiwGen3}}\nz";
        let g3 = sample_fill(html, true);
        assert!(g3.contains("87.5%") && !g3.contains("g2"));
        let g2 = sample_fill(html, false);
        assert!(!g2.contains("87.5%") && g2.contains("g2"));
        assert_eq!(g2.lines().count(), html.lines().count());
        assert_eq!(g3.lines().count(), html.lines().count());
        assert!(g2.ends_with("\nz"));
    }

    #[test]
    fn unknown_tags_are_empty_as_in_mustache() {
        assert_eq!(sample_fill("[{{nope}}][{{{alsoNope}}}]", false), "[][]");
    }
}
