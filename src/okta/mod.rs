//! Okta's Management API, and nothing else: it knows nothing of the project or the
//! pipeline (`tests/layers.rs` holds it to `out`, `redact` and `diag`).
//!
//! The machinery: [`client`] (one org, every request through the origin check, answers
//! capped), [`retry`] (rate limits, back-off, pacing), [`auth`] (API tokens and service
//! apps), [`error`] (Okta's errors with advice), [`org_url`] (the org's validated address).
//! Then one file per resource: [`brands`], [`domains`], [`pages`], [`sign_out`],
//! [`themes`], [`images`] (a theme's logo, favicon and background), [`policies`],
//! [`groups`], [`users`].

pub mod auth;
pub mod brands;
pub mod client;
pub mod domains;
pub mod error;
pub mod groups;
pub mod images;
pub mod org_url;
pub mod pages;
pub mod policies;
pub mod retry;
pub mod sign_out;
pub mod themes;
pub mod users;

pub use auth::{Credentials, Secret};
pub use client::Client;
pub use error::OktaError;
pub use org_url::{OrgUrl, OrgUrlError};
