//! `[[brands]]`: at least one, each named, and no two sharing a folder (the same name,
//! names that make the same folder, or folders that differ only in case).

use super::Findings;
use crate::config::folders::{brand_dir, folder_key};
use crate::config::model::Brand;
use crate::config::raw::{RawBrand, table_to_json};
use crate::config::theme;

pub(super) fn validate(f: &mut Findings<'_>, raw: &[RawBrand]) -> Vec<Brand> {
    if raw.is_empty() {
        f.p002(
            0..0,
            "the project has no brand",
            "add one: `[[brands]]` with `name = \"…\"`, the brand's name in Okta",
        );
    }
    let mut brands: Vec<Brand> = Vec::new();
    for b in raw {
        let name = b.name.get_ref();
        if name.trim().is_empty() {
            f.p002(
                b.name.span(),
                "a brand needs a name",
                "write the brand's name as Okta shows it",
            );
        }
        let dir = brand_dir(name);
        if let Some(clash) = folder_clash(&brands, name, &dir) {
            f.p002(b.name.span(), clash, "give each brand its own name");
        }
        super::widget::customizations(f, &b.widget_customizations);
        brands.push(Brand {
            name: b.name.clone(),
            dir,
            vars: table_to_json(&b.vars),
            widget_customizations: b.widget_customizations.clone(),
            tokens: super::widget::tokens(f, &b.tokens),
            theme: theme::theme(f, b.theme.as_ref()),
            sign_out: theme::sign_out(f, b.sign_out.as_ref()),
            settings: theme::brand_settings(
                f,
                b.remove_powered_by_okta,
                b.privacy_policy_url.as_ref(),
                b.agree_to_custom_privacy_policy,
                b.locale.as_ref(),
            ),
        });
    }
    brands
}

/// Why the brand `name` (folder `dir`) cannot sit beside `earlier`, if it cannot.
fn folder_clash(earlier: &[Brand], name: &str, dir: &str) -> Option<String> {
    let prev = earlier
        .iter()
        .find(|p| p.name.get_ref() == name || folder_key(&p.dir) == folder_key(dir))?;
    Some(if prev.name.get_ref() == name {
        format!("brand `{name}` is listed twice")
    } else if prev.dir == dir {
        format!(
            "brands `{}` and `{name}` would share the folder `{dir}`",
            prev.name.get_ref()
        )
    } else {
        format!(
            "brands `{}` and `{name}` would share a folder on a file system that ignores case (macOS, Windows): `{}` and `{dir}`",
            prev.name.get_ref(),
            prev.dir
        )
    })
}
