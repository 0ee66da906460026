//! A theme's images: the one kind of request sent to a URL an answer names that is not
//! an API call. Only to the org's origin or Okta's CDN (`https://*.oktacdn.com`),
//! redirects held to the same rule, never with the credentials, and no more than the
//! caller's cap; retries and pacing are the API's (`Client::exchange`).

use url::Url;

use super::super::error::OktaError;
use super::super::org_url::{Foreign, OrgUrl, path_of};
use super::{Client, MAX_REDIRECTS, RedirectRefused, bad_url};

impl Client {
    /// The bytes of an image a theme names (`url`, absolute or on the org), read up to
    /// `cap` bytes. Only from the org's origin or Okta's CDN (`https://…oktacdn.com`),
    /// redirects included, and never with the credentials: the images are public, and a
    /// URL an answer names is no reason to send the token anywhere or to fetch from
    /// whatever host it names (an internal address, say) into a backup or `static/`.
    pub fn fetch_asset(&self, url: &str, cap: u64) -> Result<Vec<u8>, OktaError> {
        let base = self
            .org
            .endpoint("/")
            .map_err(|e| bad_url("GET", url, &e))?;
        let target = OrgUrl::resolve(&base, url).map_err(|e| OktaError::Transport {
            method: "GET".into(),
            path: url.into(),
            message: format!("the theme's image URL is not a URL ({e})"),
        })?;
        let from = path_of(&target).to_string();
        if let Err(foreign) = asset_allowed(&self.org, &target) {
            return Err(OktaError::Foreign {
                method: "GET".into(),
                path: from,
                via: "the theme's image URL",
                origin: foreign.to_string(),
                org: format!("{} or {OKTA_CDN_RULE}", self.org),
            });
        }
        let http = self.assets_client()?;
        let builder = http.get(target).header(
            "Accept",
            "image/png, image/jpeg, image/gif, image/x-icon, */*;q=0.1",
        );
        let request = self.build("GET", builder, &from)?;
        Ok(self.exchange(http, request, None, true, cap)?.body)
    }

    fn assets_client(&self) -> Result<&reqwest::blocking::Client, OktaError> {
        if let Some(c) = self.assets.get() {
            return Ok(c);
        }
        let gate = self.org.clone();
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if let Err(foreign) = asset_allowed(&gate, attempt.url()) {
                attempt.error(RedirectRefused::Foreign(foreign))
            } else if attempt.previous().len() > MAX_REDIRECTS {
                attempt.error(RedirectRefused::TooMany)
            } else {
                attempt.follow()
            }
        });
        let http = reqwest::blocking::Client::builder()
            .timeout(self.policy.timeout)
            .connect_timeout(self.policy.timeout.min(std::time::Duration::from_secs(10)))
            .user_agent(concat!("signin-pages/", env!("CARGO_PKG_VERSION")))
            .redirect(redirects)
            .build()
            .map_err(|e| OktaError::Setup(format!("cannot start the HTTP client: {e}")))?;
        Ok(self.assets.get_or_init(|| http))
    }
}

/// The Okta CDN rule in words, for messages.
const OKTA_CDN_RULE: &str = "Okta's CDN (https://*.oktacdn.com)";

/// Where a theme's image may be fetched from: the org's origin, or Okta's CDN
/// (`https://oktacdn.com` or a subdomain such as `ok12static.oktacdn.com`, on the default
/// port), never with user info. The host is compared parsed, as a whole label suffix:
/// `oktacdn.com.evil.example` and `evil-oktacdn.com` are not the CDN.
pub fn asset_allowed(org: &OrgUrl, url: &Url) -> Result<(), Foreign> {
    if org.admit(url).is_ok() {
        return Ok(());
    }
    let cdn = url.scheme() == "https"
        && url.port().is_none()
        && url.username().is_empty()
        && url.password().is_none()
        && matches!(url.host(), Some(url::Host::Domain(h))
            if h == "oktacdn.com" || h.ends_with(".oktacdn.com"));
    if cdn {
        return Ok(());
    }
    // The same refusal, worded as the org check words it.
    org.admit(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_come_from_the_org_or_okta_cdn_only() {
        let org = OrgUrl::parse("https://acme.okta.com").unwrap();
        let ok = |u: &str| asset_allowed(&org, &Url::parse(u).unwrap()).is_ok();
        assert!(ok("https://acme.okta.com/bc/image/fileStoreRecord?id=fs1"));
        assert!(ok("https://ok12static.oktacdn.com/fs/bco/1/fs0abc"));
        assert!(ok(
            "https://tc2static.oktacdn.com/fs/bcg/4/gfs1wwhrwJR4LpB5X0w6"
        ));
        assert!(ok("https://oktacdn.com/x.png"));
        for refused in [
            "http://ok12static.oktacdn.com/x.png",
            "https://ok12static.oktacdn.com:8443/x.png",
            "https://u@ok12static.oktacdn.com/x.png",
            "https://oktacdn.com.evil.example/x.png",
            "https://evil-oktacdn.com/x.png",
            "https://evil.example/oktacdn.com/x.png",
            "https://169.254.169.254/latest/meta-data/",
            "https://acme.okta.com.evil.example/logo.png",
            "file:///etc/passwd",
        ] {
            assert!(!ok(refused), "{refused} must be refused");
        }
    }
}
