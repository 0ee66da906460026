//! Routing a request to the API it names, authentication, JSON bodies, and Okta's error
//! answers.

use std::sync::atomic::Ordering;

use serde_json::{Value, json};

use super::*;

/// A request, parsed for routing.
pub(super) struct Req<'a> {
    pub(super) method: &'a str,
    pub(super) segments: Vec<String>,
    pub(super) query: Vec<(String, String)>,
    pub(super) headers: &'a [(String, String)],
    pub(super) body: &'a [u8],
}

impl Req<'_> {
    pub(super) fn q(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

pub(super) fn route(shared: &Shared, raw: &RawRequest) -> Response {
    let (path, query) = raw.target.split_once('?').unwrap_or((&raw.target, ""));
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    let req = Req {
        method: &raw.method,
        segments,
        query: parse_form(query),
        headers: &raw.headers,
        body: &raw.body,
    };
    let segs: Vec<&str> = req.segments.iter().map(String::as_str).collect();

    if segs == ["oauth2", "v1", "token"] {
        return if req.method == "POST" {
            token_endpoint(shared, &req)
        } else {
            method_not_allowed(shared)
        };
    }
    let ["api", "v1", rest @ ..] = segs.as_slice() else {
        return asset(shared, &req, path).unwrap_or_else(|| not_found(shared, path));
    };
    if !authorized(shared, &req) {
        return Response::json(
            401,
            &okta_error(shared, "E0000011", "Invalid token provided", &[]),
        )
        .header("WWW-Authenticate", "SSWS realm=\"okta\"");
    }
    // Parse (and screen) a JSON body once for every writing request (an image upload is
    // a multipart form, read by its endpoint).
    let upload = matches!(
        rest,
        [
            "brands",
            _,
            "themes",
            _,
            "logo" | "favicon" | "background-image"
        ]
    );
    let body = if matches!(req.method, "PUT" | "POST") && !upload {
        match json_body(shared, &req) {
            Ok(v) => Some(v),
            Err(resp) => return resp,
        }
    } else {
        None
    };
    let body = body.as_ref();
    let mut org = lock(&shared.org);
    match rest {
        ["brands"] => match req.method {
            "GET" => list_brands(shared, &org, &req),
            _ => method_not_allowed(shared),
        },
        ["brands", id] => match (req.method, org.brand(id)) {
            ("GET", Some(b)) => Response::json(200, &brand_json(&b.brand, &shared.base)),
            ("GET", None) => brand_not_found(shared, id),
            ("PUT", _) => replace_brand(shared, &mut org, id, body.unwrap()),
            _ => method_not_allowed(shared),
        },
        ["brands", id, "themes", more @ ..] => {
            theme_endpoint(shared, &mut org, &req, id, more, body)
        }
        ["brands", id, "pages", "sign-out", "customized"] => {
            sign_out_endpoint(shared, &mut org, &req, id, body)
        }
        ["brands", id, "domains"] => match req.method {
            "GET" => list_brand_domains(shared, &org, id),
            _ => method_not_allowed(shared),
        },
        ["brands", id, "pages", kind @ ("sign-in" | "error"), slot] => {
            page_endpoint(shared, &mut org, &req, id, kind, slot, body)
        }
        ["policies"] => match req.method {
            "GET" => list_policies(shared, &org, &req),
            "POST" => {
                let activate = req.q("activate") != Some("false");
                match create_policy(&mut org, body.unwrap(), activate, false) {
                    Ok(p) => Response::json(200, &policy_json(&p, &shared.base)),
                    Err(causes) => validation_failed(shared, "policy", &causes),
                }
            }
            _ => method_not_allowed(shared),
        },
        ["policies", pid] => match (req.method, org.policy(pid)) {
            ("GET", Some(p)) => Response::json(200, &policy_json(&p.policy, &shared.base)),
            ("GET", None) => not_found_resource(shared, pid, "Policy"),
            _ => method_not_allowed(shared),
        },
        ["policies", pid, "rules"] => {
            if org.policy(pid).is_none() {
                return not_found_resource(shared, pid, "Policy");
            }
            match req.method {
                "GET" => {
                    let rules: Vec<Value> = org
                        .policy(pid)
                        .unwrap()
                        .rules
                        .iter()
                        .map(|r| rule_json(r, pid, &shared.base))
                        .collect();
                    Response::json(200, &Value::Array(rules))
                }
                "POST" => {
                    let activate = req.q("activate") != Some("false");
                    match create_rule(&mut org, pid, body.unwrap(), !activate) {
                        Ok(r) => Response::json(200, &rule_json(&r, pid, &shared.base)),
                        Err(causes) => validation_failed(shared, "policyRule", &causes),
                    }
                }
                _ => method_not_allowed(shared),
            }
        }
        ["policies", pid, "rules", rid] => {
            let Some(p) = org.policy(pid) else {
                return not_found_resource(shared, pid, "Policy");
            };
            let Some(existing) = p.rules.iter().find(|r| r["id"] == *rid).cloned() else {
                return not_found_resource(shared, rid, "PolicyRule");
            };
            match req.method {
                "GET" => Response::json(200, &rule_json(&existing, pid, &shared.base)),
                "PUT" => replace_rule(shared, &mut org, pid, &existing, body.unwrap()),
                _ => method_not_allowed(shared),
            }
        }
        ["groups"] => match req.method {
            "GET" => {
                let q = req.q("q").unwrap_or("").to_lowercase();
                let limit: usize = req
                    .q("limit")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(10_000);
                let groups: Vec<Value> = org
                    .groups
                    .iter()
                    .filter(|g| {
                        g["profile"]["name"]
                            .as_str()
                            .is_some_and(|n| n.to_lowercase().starts_with(&q))
                    })
                    .take(limit)
                    .map(|g| group_json(g, &shared.base))
                    .collect();
                Response::json(200, &Value::Array(groups))
            }
            _ => method_not_allowed(shared),
        },
        ["users", who] => match req.method {
            "GET" => match find_user(&org, who) {
                Some(u) => Response::json(200, &user_json(u, &shared.base)),
                None => not_found_resource(shared, who, "User"),
            },
            _ => method_not_allowed(shared),
        },
        ["users", who, "sessions"] => match req.method {
            "DELETE" => {
                let Some(id) = find_user(&org, who).map(|u| u["id"].as_str().unwrap().to_string())
                else {
                    return not_found_resource(shared, who, "User");
                };
                let oauth = req.q("oauthTokens") == Some("true");
                org.cleared_sessions.push((id, oauth));
                Response::no_content()
            }
            _ => method_not_allowed(shared),
        },
        _ => not_found(shared, path),
    }
}

fn authorized(shared: &Shared, req: &Req) -> bool {
    let ctl = lock(&shared.ctl);
    match req.header("authorization").and_then(|h| h.split_once(' ')) {
        Some(("SSWS", t)) => t.trim() == ctl.api_token,
        Some(("Bearer", t)) => t.trim() == ctl.access_token,
        _ => false,
    }
}

/// The body of a PUT/POST as JSON, after Okta's cheap screens: media type, well-formed
/// JSON, no 4-byte UTF-8 anywhere.
fn json_body(shared: &Shared, req: &Req) -> Result<Value, Response> {
    if let Some(ct) = req.header("content-type")
        && !ct.to_ascii_lowercase().starts_with("application/json")
    {
        return Err(Response::json(
            415,
            &okta_error(
                shared,
                "E0000001",
                "Unsupported Media Type: the request body must be application/json",
                &[],
            ),
        ));
    }
    let value: Value = serde_json::from_slice(req.body).map_err(|_| {
        Response::json(
            400,
            &okta_error(
                shared,
                "E0000003",
                "The request body was not well-formed.",
                &[],
            ),
        )
    })?;
    let mut paths = Vec::new();
    find_four_byte(&value, "", &mut paths);
    if let Some(field) = paths.first().cloned() {
        let causes: Vec<String> = paths
            .iter()
            .map(|p| {
                format!("{p}: The value contains characters that are not supported (4-byte UTF-8, such as emoji).")
            })
            .collect();
        return Err(validation_failed(shared, &field, &causes));
    }
    Ok(value)
}

/// The path (`a.b[0].c`) of every string or key holding a 4-byte UTF-8 character.
fn find_four_byte(v: &Value, path: &str, out: &mut Vec<String>) {
    let four_byte = |s: &str| s.chars().any(|c| c.len_utf8() == 4);
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match v {
        Value::String(s) if four_byte(s) => out.push(if path.is_empty() {
            "body".into()
        } else {
            path.into()
        }),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                find_four_byte(x, &format!("{path}[{i}]"), out);
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                if four_byte(k) {
                    out.push(join(k));
                }
                find_four_byte(x, &join(k), out);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

pub(super) fn okta_error(shared: &Shared, code: &str, summary: &str, causes: &[String]) -> Value {
    let n = shared.next_error_id.fetch_add(1, Ordering::SeqCst);
    json!({
        "errorCode": code,
        "errorSummary": summary,
        "errorLink": code,
        "errorId": format!("oaefake{n:015}"),
        "errorCauses": causes.iter().map(|c| json!({"errorSummary": c})).collect::<Vec<_>>()
    })
}

pub(super) fn validation_failed(shared: &Shared, field: &str, causes: &[String]) -> Response {
    Response::json(
        400,
        &okta_error(
            shared,
            "E0000001",
            &format!("Api validation failed: {field}"),
            causes,
        ),
    )
}

pub(super) fn not_found(shared: &Shared, path: &str) -> Response {
    Response::json(
        404,
        &okta_error(
            shared,
            "E0000007",
            &format!("Not found: Resource not found: {path} (Endpoint)"),
            &[],
        ),
    )
}

pub(super) fn not_found_resource(shared: &Shared, id: &str, kind: &str) -> Response {
    Response::json(
        404,
        &okta_error(
            shared,
            "E0000007",
            &format!("Not found: Resource not found: {id} ({kind})"),
            &[],
        ),
    )
}

pub(super) fn brand_not_found(shared: &Shared, id: &str) -> Response {
    not_found_resource(shared, id, "Brand")
}

pub(super) fn method_not_allowed(shared: &Shared) -> Response {
    Response::json(
        405,
        &okta_error(
            shared,
            "E0000022",
            "The endpoint does not support the provided HTTP method",
            &[],
        ),
    )
}
