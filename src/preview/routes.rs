//! The preview's routes: every request tiny_http hands over, after the `Host` check,
//! goes to one handler by method and path — a target's page, the index, the preview's
//! assets and event stream, the CSP reports, the project's `static/` files, the real
//! widget's files and the mock IDX answers it asks for.

use std::io::Read;
use std::path::Path;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::site::{self, PageKind};
use super::url::{Query, parse_query, percent_decode};
use super::{Shared, assets, csp, events, guard, idx, page, pages, server, theme};

/// The most CSP reports kept for `/__preview/csp-reports`.
const MAX_REPORTS: usize = 500;

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII without CR/LF")
}

/// A response with a body and a content type, never cached.
fn respond(request: Request, status: u16, content_type: &str, body: impl Into<Vec<u8>>) {
    let response = Response::from_data(body.into())
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(response);
}

const HTML: &str = "text/html; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

impl Shared {
    pub(super) fn handle(&self, mut request: Request) {
        let hosts: Vec<&str> = request
            .headers()
            .iter()
            .filter(|h| h.field.equiv("Host"))
            .map(|h| h.value.as_str())
            .collect();
        let Some(origin) = guard::origin(&hosts, self.addr) else {
            let why = format!(
                "421 Misdirected Request: this preview answers only requests for {}; \
                 this one named another host (or none), as a page of another site does \
                 when it points its own name at this machine (DNS rebinding). \
                 Open {} instead.\n",
                guard::accepted_hosts(self.addr),
                format_args!("http://{}/", server::reachable(self.addr)),
            );
            return respond(request, 421, TEXT, why);
        };
        let url = request.url().to_string();
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        let path = path.to_string();
        let method = request.method().clone();
        match (&method, path.as_str()) {
            (Method::Get | Method::Head, "/") => self.index(request, parse_query(query)),
            (Method::Get, "/__preview/ping") => {
                let _ = request.respond(Response::empty(204));
            }
            (Method::Get, "/__preview/events") => self.events(request),
            (Method::Post, "/__preview/csp-report") => {
                let Some(body) = read_body(&mut request) else {
                    return too_large(request);
                };
                self.csp_report(&body);
                let _ = request.respond(Response::empty(204));
            }
            (Method::Get, "/__preview/csp-reports") => {
                let reports = self.reports.lock().expect("reports lock").clone();
                let json = serde_json::to_string_pretty(&reports).expect("reports serialize");
                respond(request, 200, "application/json", json);
            }
            (Method::Get, "/__preview/site.json") => {
                let json = self.current().summary_json().to_string();
                respond(request, 200, "application/json", json);
            }
            (Method::Get | Method::Head, p) if p.starts_with("/__preview/siw/") => {
                match &self.widget_dist {
                    Some(dist) => {
                        // A run of screenshots never changes the installed widget: the
                        // browser may keep its scripts (and their compiled code). `serve`
                        // lets it keep them too, asking each time whether they changed (a
                        // reinstall while it runs): a reload then costs a 304, not 4 MB and
                        // a compile of the widget's code.
                        let cache = if self.options.visual {
                            "max-age=3600"
                        } else {
                            "no-cache"
                        };
                        serve_file(request, dist, dist, &p["/__preview/siw/".len()..], cache)
                    }
                    None => self.not_found(request),
                }
            }
            (Method::Get | Method::Head, p) if p.starts_with("/__preview/theme/") => {
                self.theme_file(request, &p["/__preview/theme/".len()..], query)
            }
            (Method::Get | Method::Head, p) if p.starts_with("/__preview/") => {
                match assets::get(&p["/__preview/".len()..]) {
                    // Versioned URLs (`assets::url`) never change their contents.
                    Some((content_type, body)) if query.starts_with("v=") => {
                        let response = Response::from_data(body.as_bytes())
                            .with_header(header("Content-Type", content_type))
                            .with_header(header(
                                "Cache-Control",
                                "public, max-age=31536000, immutable",
                            ));
                        let _ = request.respond(response);
                    }
                    Some((content_type, body)) => respond(request, 200, content_type, body),
                    None => self.not_found(request),
                }
            }
            (Method::Get | Method::Head, p) if p.starts_with("/static/") => {
                let base = self.root.join("static");
                serve_file(
                    request,
                    &self.root,
                    &base,
                    &p["/static/".len()..],
                    "no-cache",
                );
            }
            // The real widget and the stand-in alike move on through the mock answers.
            (Method::Post, p) if p.starts_with("/idp/idx/") => {
                let Some(body) = read_body(&mut request) else {
                    return too_large(request);
                };
                let settings = self
                    .current()
                    .project
                    .as_ref()
                    .map(|info| info.preview)
                    .unwrap_or_default();
                let (status, json) = idx::answer(p, &body, &origin, &settings);
                respond(request, status, idx::CONTENT_TYPE, json);
            }
            (Method::Get | Method::Head, p) => match site::parse_page_path(p) {
                Some((dir, kind)) => self.page(request, &dir, kind, parse_query(query), &origin),
                None => self.not_found(request),
            },
            _ => respond(request, 405, TEXT, "method not allowed"),
        }
    }

    fn not_found(&self, request: Request) {
        let site = self.current();
        let html = pages::not_found_page(&site, request.url());
        respond(request, 404, HTML, html);
    }

    fn index(&self, request: Request, q: Query) {
        let site = self.current();
        match pages::index_page(
            &site,
            &self.widget_note,
            q.state.as_deref(),
            q.locale.as_deref(),
        ) {
            Ok(html) => respond(request, 200, HTML, html),
            Err(html) => respond(request, 400, HTML, html),
        }
    }

    fn page(&self, request: Request, dir: &str, kind: PageKind, q: Query, origin: &str) {
        let site = self.current();
        let page = page::PageRequest {
            site: &site,
            dir,
            kind,
            state: q.state.as_deref(),
            locale: q.locale.as_deref(),
            origin,
            real_widget: self.widget_dist.as_deref(),
            stand_in_reason: self.stand_in_reason.as_deref(),
            visual: self.options.visual,
        };
        match page::serve_page(&page) {
            page::Served::Page {
                html,
                csp_header,
                csp_value,
            } => {
                let response = Response::from_data(html.into_bytes())
                    .with_header(header("Content-Type", HTML))
                    .with_header(header("Cache-Control", "no-store"))
                    .with_header(header(csp_header, &csp_value));
                let _ = request.respond(response);
            }
            page::Served::Broken(html) => respond(request, 500, HTML, html),
            page::Served::BadQuery(html) => respond(request, 400, HTML, html),
            page::Served::Missing => self.not_found(request),
        }
    }

    /// A file of a target's theme (`super::theme`): an image from its path in the
    /// project, typed by its header and cached as `static/` files are; or the stylesheet
    /// of a page, cached for good under its versioned URL as the preview's own assets.
    fn theme_file(&self, request: Request, rest: &str, query: &str) {
        let site = self.current();
        let found = theme::parse_path(rest)
            .and_then(|(dir, name)| site.target(&dir).and_then(|t| theme::file(t, name)));
        match found {
            Some(theme::ThemeFile::Image(rel)) => {
                serve_path(request, &self.root, &self.root, &rel, "no-cache", true);
            }
            Some(theme::ThemeFile::Css(css)) if query.starts_with("v=") => {
                let response = Response::from_data(css.into_bytes())
                    .with_header(header("Content-Type", "text/css; charset=utf-8"))
                    .with_header(header(
                        "Cache-Control",
                        "public, max-age=31536000, immutable",
                    ));
                let _ = request.respond(response);
            }
            Some(theme::ThemeFile::Css(css)) => {
                respond(request, 200, "text/css; charset=utf-8", css)
            }
            None => respond(request, 404, TEXT, "not found"),
        }
    }

    fn events(&self, request: Request) {
        let Some(rx) = self.events.subscribe() else {
            let _ = request.respond(Response::empty(503));
            return;
        };
        let hello = serde_json::json!({ "generation": self.current().generation }).to_string();
        events::stream(request, rx, &hello);
    }

    fn csp_report(&self, body: &[u8]) {
        let site = self.current();
        for report in csp::parse_reports(body) {
            let report = site.locate_report(report);
            err!("{}", report.describe());
            self.events.send(
                "csp",
                &serde_json::to_string(&report).expect("reports serialize"),
            );
            let mut all = self.reports.lock().expect("reports lock");
            if all.len() >= MAX_REPORTS {
                all.remove(0);
            }
            all.push(report);
        }
    }
}

/// The request's body, or `None` when it is larger than [`guard::MAX_BODY`] (the front
/// door refuses those first; this holds for a request that reached tiny_http otherwise).
fn read_body(request: &mut Request) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    let limit = guard::MAX_BODY as u64 + 1;
    let _ = request.as_reader().take(limit).read_to_end(&mut body);
    (body.len() <= guard::MAX_BODY).then_some(body)
}

fn too_large(request: Request) {
    let why = format!(
        "413 Content Too Large: the preview accepts request bodies of at most {} KiB\n",
        guard::MAX_BODY / 1024
    );
    respond(request, 413, TEXT, why);
}

/// The file `rel` (a URL path) below `base`, when [`guard::open`] allows it: a regular
/// file whose real path lies inside `within`, with `cache` as its `Cache-Control`.
fn serve_file(request: Request, within: &Path, base: &Path, rel: &str, cache: &str) {
    serve_path(request, within, base, &percent_decode(rel), cache, false);
}

/// [`serve_file`] of a path already decoded; `sniff`: the content type from the file's
/// header (an image whose name does not say what it is), not its extension.
fn serve_path(request: Request, within: &Path, base: &Path, rel: &str, cache: &str, sniff: bool) {
    match guard::open(within, base, rel) {
        Some(file) => {
            // The validator: the file's size and modification time, so that a save (or a
            // reinstall) is a new tag and an unchanged file is answered with a 304.
            let tag = file.metadata().ok().map(|m| {
                let modified = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .unwrap_or_default();
                format!("\"{:x}-{:x}\"", m.len(), modified.as_nanos())
            });
            let unchanged = tag.as_deref().is_some_and(|tag| {
                request.headers().iter().any(|h| {
                    h.field.equiv("If-None-Match")
                        && h.value.as_str().split(',').any(|t| t.trim() == tag)
                })
            });
            if unchanged {
                let response = Response::empty(StatusCode(304))
                    .with_header(header("Cache-Control", cache))
                    .with_header(header("ETag", tag.as_deref().unwrap_or_default()));
                let _ = request.respond(response);
                return;
            }
            let mut file = file;
            let content_type = match sniff {
                true => crate::theme::image::read_header(&mut file)
                    .map_or("application/octet-stream", |h| h.format.mime()),
                false => assets::content_type(rel),
            };
            if sniff && std::io::Seek::rewind(&mut file).is_err() {
                return respond(request, 500, TEXT, "cannot read the file");
            }
            let mut response = Response::from_file(file)
                .with_header(header("Content-Type", content_type))
                .with_header(header("Cache-Control", cache));
            if let Some(tag) = &tag {
                response = response.with_header(header("ETag", tag));
            }
            let _ = request.respond(response);
        }
        None => respond(request, 404, TEXT, "not found"),
    }
}
