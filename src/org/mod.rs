//! The org-side workflow, over the Management API ([`crate::okta`]): connecting to an
//! environment's org, the backups taken before every write, the pin that makes
//! `--publish` send what went to preview, the field-by-field comparison of what the org
//! has with what the project builds, the preflight that asks the org about each brand
//! before anything is written, and the commands' work on top of them: deploy, diff,
//! pull and rollback. `cmd/` reads the arguments, calls in here, and prints.

pub mod assets;
pub mod backup;
pub mod brands;
pub mod clock;
pub mod connect;
pub mod deploy;
pub mod diff;
pub mod fields;
pub mod pin;
pub mod preflight;
pub mod pull;
pub mod pull_theme;
pub mod rollback;

pub use connect::{connect, environment};
