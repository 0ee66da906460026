//! Reset KMSI for a user (the guide's "Reset KMSI"): clear the user's sessions and
//! remembered factors, so that the next sign-in asks for MFA and shows the KMSI prompt
//! again; optionally revoke the OAuth tokens issued to them too.

use crate::okta::users::{self, User};
use crate::okta::{Client, OktaError};

/// Find the user by login or id; `None` when the org has no such user.
pub fn find_user(c: &Client, login_or_id: &str) -> Result<Option<User>, OktaError> {
    users::find(c, login_or_id)
}

/// Clear `user`'s sessions (and, with `revoke_tokens`, revoke their OAuth tokens).
pub fn reset(c: &Client, user: &User, revoke_tokens: bool) -> Result<(), OktaError> {
    users::clear_sessions(c, &user.id, revoke_tokens)
}
