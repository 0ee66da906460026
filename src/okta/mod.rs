//! Okta's Management API: the client, credentials, errors, and the operations the
//! commands use (brands, sign-in and error pages, policies).

// Okta's errors carry everything Okta said (code, summary, causes, id) and our advice;
// they are returned rarely and read by people, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod auth;
pub mod client;
pub mod error;
pub mod ops;

pub use auth::{Credentials, Secret};
pub use client::Client;
pub use error::OktaError;
