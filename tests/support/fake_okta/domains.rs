//! A brand's custom domains: `GET /api/v1/brands/{brandId}/domains` (Okta's
//! `BrandDomains`, `{"domains": [DomainResponse, …]}`), and what a test sets them to.

use serde_json::{Value, json};

use super::*;

impl FakeOkta {
    /// Replaces the brand's custom domains: `(domain, validationStatus)` pairs
    /// (`VERIFIED`, `COMPLETED`, `IN_PROGRESS`, `NOT_STARTED`); `&[]` leaves it none.
    pub fn set_domains(&self, brand_id: &str, domains: &[(&str, &str)]) {
        let mut org = self.org();
        let list: Vec<Value> = domains
            .iter()
            .map(|(d, status)| domain_json(&mut org, brand_id, d, status))
            .collect();
        org.brand_mut(brand_id)
            .expect("set_domains: no such brand")
            .domains = list;
    }
}

/// The domain a brand gets by default: `login.<name, lower-case, letters and digits>.example.com`.
pub(super) fn default_domain(brand_name: &str) -> String {
    let slug: String = brand_name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    format!(
        "login.{}.example.com",
        if slug.is_empty() { "brand" } else { &slug }
    )
}

/// A `DomainResponse` as Okta stores it (without `_links`).
pub(super) fn domain_json(org: &mut Org, brand_id: &str, domain: &str, status: &str) -> Value {
    json!({
        "id": org.new_id("OcD"),
        "brandId": brand_id,
        "domain": domain,
        "certificateSourceType": "OKTA_MANAGED",
        "dnsRecords": [{
            "fqdn": domain,
            "recordType": "CNAME",
            "values": ["fake.customdomains.okta.com"]
        }],
        "validationStatus": status
    })
}

pub(super) fn list_brand_domains(shared: &Shared, org: &Org, brand_id: &str) -> Response {
    let Some(brand) = org.brand(brand_id) else {
        return brand_not_found(shared, brand_id);
    };
    let base = &shared.base;
    let domains: Vec<Value> = brand
        .domains
        .iter()
        .map(|d| {
            let mut d = d.clone();
            let id = d["id"].as_str().unwrap_or("").to_string();
            d["_links"] = json!({
                "self": {"href": format!("{base}/api/v1/domains/{id}"), "hints": {"allow": ["GET", "PUT", "DELETE"]}},
                "brand": {"href": format!("{base}/api/v1/brands/{brand_id}"), "hints": {"allow": ["GET"]}}
            });
            d
        })
        .collect();
    Response::json(200, &json!({ "domains": domains }))
}
