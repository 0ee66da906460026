//! `/api/v1/users`: finding a user, and clearing their sessions (the guide's "reset
//! KMSI").

use serde_json::Value;

use super::client::api_path;
use super::{Client, OktaError};

/// A user found by login or id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub login: String,
}

/// `GET /api/v1/users/{loginOrId}`; `None` when there is no such user.
pub fn find(c: &Client, login_or_id: &str) -> Result<Option<User>, OktaError> {
    Ok(c.get(&api_path(&["users", login_or_id]), &[])?.map(|u| {
        let s = |p: &str| {
            u.pointer(p)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        User {
            id: s("/id"),
            login: s("/profile/login"),
        }
    }))
}

/// `DELETE /api/v1/users/{userId}/sessions?oauthTokens=…`: the user's sessions and
/// remembered factors are cleared; with `revoke_tokens` the OAuth tokens issued to the
/// user are revoked too.
pub fn clear_sessions(c: &Client, user_id: &str, revoke_tokens: bool) -> Result<(), OktaError> {
    c.delete(
        &api_path(&["users", user_id, "sessions"]),
        &[("oauthTokens", if revoke_tokens { "true" } else { "false" })],
    )
}
