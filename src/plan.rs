//! Targets: one brand in one environment, filtered by `--env` / `--brand`.

use crate::config::Config;
use crate::diag::suggest::closest;
use crate::diag::{Diagnostic, Diagnostics, Rule};

/// Indices into `config.environments` and `config.brands`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub env: usize,
    pub brand: usize,
}

/// `--env` / `--brand`, as given on the command line.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub env: Option<String>,
    pub brand: Option<String>,
}

/// Every target the filter selects, environments in name order, brands in file order.
pub fn targets(config: &Config, filter: &Filter, diags: &mut Diagnostics) -> Vec<Target> {
    let env_names: Vec<&str> = config
        .environments
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    let brand_names: Vec<&str> = config
        .brands
        .iter()
        .map(|b| b.name.get_ref().as_str())
        .collect();
    let mut ok = true;
    if let Some(e) = &filter.env
        && !env_names.contains(&e.as_str())
    {
        diags.push(unknown("environment", e, &env_names, Rule::P009));
        ok = false;
    }
    if let Some(b) = &filter.brand
        && !brand_names.contains(&b.as_str())
    {
        diags.push(unknown("brand", b, &brand_names, Rule::P009));
        ok = false;
    }
    if !ok {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (ei, env) in config.environments.iter().enumerate() {
        if filter.env.as_ref().is_some_and(|e| e != &env.name) {
            continue;
        }
        for (bi, brand) in config.brands.iter().enumerate() {
            if filter
                .brand
                .as_ref()
                .is_some_and(|b| b != brand.name.get_ref())
            {
                continue;
            }
            out.push(Target { env: ei, brand: bi });
        }
    }
    out
}

fn unknown(what: &str, name: &str, known: &[&str], code: Rule) -> Diagnostic {
    let help = match closest(name, known.iter().copied()) {
        Some(c) => format!("did you mean `{c}`? the project has: {}", known.join(", ")),
        None => format!("the project has: {}", known.join(", ")),
    };
    Diagnostic::new(
        code,
        format!("no {what} named `{name}` in signin-pages.toml"),
    )
    .help(help)
}
