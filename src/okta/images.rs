//! A theme's images: the logo, the favicon and the background image
//! (`/api/v1/brands/{brandId}/themes/{themeId}/{logo|favicon|background-image}`).
//! Uploaded as `multipart/form-data` (one part, `file`, with its file name and content
//! type), deleted (Okta's default comes back), and downloaded from the URL the theme
//! names — only from the org or Okta's CDN, without the credentials, up to
//! [`MAX_IMAGE`] bytes ([`super::Client::fetch_asset`]).
//!
//! The form is written here rather than by reqwest's `multipart` feature (not enabled,
//! and it would pull in `mime_guess` and its tables for one part with a known type): a
//! random boundary from the system's generator, checked against the bytes it frames.
//! An upload replaces the image whole, so it is retried like a PUT.

use reqwest::Method;
use ring::rand::{SecureRandom as _, SystemRandom};

use super::client::{Payload, Repeat, api_path};
use super::{Client, OktaError};

/// The most read when downloading an image: twice the largest Okta accepts (a 2 MB
/// background).
pub const MAX_IMAGE: u64 = 4 << 20;

/// Which image of a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Image {
    Logo,
    Favicon,
    Background,
}

impl Image {
    pub const ALL: [Image; 3] = [Image::Logo, Image::Favicon, Image::Background];

    /// Its path segment.
    pub fn segment(self) -> &'static str {
        match self {
            Image::Logo => "logo",
            Image::Favicon => "favicon",
            Image::Background => "background-image",
        }
    }

    /// The `ThemeResponse` field with its URL.
    pub fn field(self) -> &'static str {
        match self {
            Image::Logo => "logo",
            Image::Favicon => "favicon",
            Image::Background => "backgroundImage",
        }
    }

    /// Its URL in a theme.
    pub fn url_in(self, theme: &super::themes::Theme) -> Option<&str> {
        match self {
            Image::Logo => theme.logo.as_deref(),
            Image::Favicon => theme.favicon.as_deref(),
            Image::Background => theme.background_image.as_deref(),
        }
    }
}

/// A file to upload. The caller has read its header (the content type is the format
/// the bytes are, not what the file name says).
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    /// Sent as the part's `filename` (reduced to `[A-Za-z0-9._-]`; the name alone).
    pub file_name: &'a str,
    /// `image/png`, `image/jpeg`, `image/gif`, `image/x-icon`.
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

pub fn path(brand_id: &str, theme_id: &str, image: Image) -> String {
    api_path(&["brands", brand_id, "themes", theme_id, image.segment()])
}

/// `POST …/{logo|favicon|background-image}` as a multipart form; the image's new URL
/// (`ImageUploadResponse.url`).
pub fn upload(
    c: &Client,
    brand_id: &str,
    theme_id: &str,
    image: Image,
    file: &Upload<'_>,
) -> Result<String, OktaError> {
    let what = path(brand_id, theme_id, image);
    let (content_type, body) = form(file)?;
    let answer = c.send_payload(
        Method::POST,
        &what,
        &[],
        Payload::Raw {
            content_type: &content_type,
            bytes: &body,
        },
        Repeat::Replaces,
    )?;
    let v: serde_json::Value = serde_json::from_slice(&answer.body).unwrap_or_default();
    v.get("url")
        .and_then(|u| u.as_str())
        .map(String::from)
        .ok_or_else(|| OktaError::Transport {
            method: "POST".into(),
            path: what,
            message: "Okta's answer names no `url` for the uploaded image".into(),
        })
}

/// `DELETE …/{logo|favicon|background-image}`: Okta's default image shows again.
pub fn delete(c: &Client, brand_id: &str, theme_id: &str, image: Image) -> Result<(), OktaError> {
    c.delete(&path(brand_id, theme_id, image), &[])
}

/// The bytes at an image URL a theme names (see [`Client::fetch_asset`]).
pub fn download(c: &Client, url: &str) -> Result<Vec<u8>, OktaError> {
    c.fetch_asset(url, MAX_IMAGE)
}

/// `file` as a `multipart/form-data` body: its `Content-Type` (with the boundary) and
/// its bytes.
pub fn form(file: &Upload<'_>) -> Result<(String, Vec<u8>), OktaError> {
    let setup = |m: &str| OktaError::Setup(format!("cannot upload {}: {m}", file.file_name));
    let ct = file.content_type;
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
    };
    if !ct
        .split_once('/')
        .is_some_and(|(a, b)| token(a) && token(b))
    {
        return Err(setup(&format!("`{ct}` is not a media type")));
    }
    let name: String = file
        .file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || matches!(ch, '.' | '_' | '-') {
                ch
            } else {
                '_'
            }
        })
        .collect();
    let name = if name.trim_matches('.').is_empty() {
        "image".to_string()
    } else {
        name
    };
    let rng = SystemRandom::new();
    let boundary = loop {
        let mut raw = [0u8; 16];
        rng.fill(&mut raw)
            .map_err(|_| setup("the system's random generator failed"))?;
        let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
        let boundary = format!("signin-pages-{hex}");
        if memchr::memmem::find(file.bytes, boundary.as_bytes()).is_none() {
            break boundary;
        }
    };
    let mut body = Vec::with_capacity(file.bytes.len() + 256);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {ct}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Ok((format!("multipart/form-data; boundary={boundary}"), body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_frames_the_bytes_with_a_fresh_boundary() {
        let bytes = b"\x89PNG\r\n\x1a\n--not-a-boundary\r\n\x00\xff";
        let file = Upload {
            file_name: "static/my logo\"\r\n.png",
            content_type: "image/png",
            bytes,
        };
        let (ct, body) = form(&file).unwrap();
        let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
        assert_eq!(boundary.len(), "signin-pages-".len() + 32);
        let head = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"my_logo___.png\"\r\nContent-Type: image/png\r\n\r\n"
        );
        let tail = format!("\r\n--{boundary}--\r\n");
        assert!(body.starts_with(head.as_bytes()));
        assert!(body.ends_with(tail.as_bytes()));
        assert_eq!(&body[head.len()..body.len() - tail.len()], bytes);
        let (again, _) = form(&file).unwrap();
        assert_ne!(ct, again, "a new boundary each time");
        assert!(
            form(&Upload {
                content_type: "image/png\r\nX-Evil: 1",
                ..file
            })
            .is_err()
        );
    }
}
