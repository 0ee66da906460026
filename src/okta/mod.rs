//! Okta's Management API: the client, credentials, errors, and the operations the
//! commands use (brands, sign-in and error pages, policies).

pub mod auth;
pub mod client;
pub mod error;
pub mod ops;
pub mod org_url;

pub use auth::{Credentials, Secret};
pub use client::Client;
pub use error::OktaError;
pub use org_url::{OrgUrl, OrgUrlError};
