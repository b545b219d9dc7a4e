//! HTTP: each handler turns a request into domain calls and a response, nothing more.

pub mod admin;
mod api;
mod assets;
mod badge;
mod campaigns;
mod confirm;
mod connections;
mod cors;
mod embed;
mod health;
mod history;
mod kiosk;
mod language;
pub mod limits;
mod middleware;
mod not_me;
mod openapi;
mod partner;
pub mod share_picture;
mod signing;
mod state;
mod unsubscribe;

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, REFERRER_POLICY, RETRY_AFTER};
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, ResponseError, web};
use askama::Template;

use crate::cache::organisation::CurrentOrganisation;
use crate::i18n::Tr;
use crate::pages::{Action, MessagePage, Page};

pub use connections::{ConnectionCap, read_body_in_time, refuse_crowded_connections};
pub use language::{lang_cookie, negotiate_lang, remember_language, requested_lang};
pub use limits::client_ip;
pub use middleware::{head_as_get, log_requests, security_headers};
pub use state::AppState;

/// Largest form body accepted; a full form with a 1,000-character comment is far smaller.
const FORM_LIMIT: usize = 16 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::FormConfig::default()
            .limit(FORM_LIMIT)
            .error_handler(|error, req| {
                let status = error.status_code();
                let tr = Tr(negotiate_lang(req, None));
                let page = message_page(tr, req, "bad-request-title", &["bad-request-body"], None);
                actix_web::error::InternalError::from_response(error, render(status, &page)).into()
            }),
    )
    .configure(admin::configure)
    .route("/", web::get().to(campaigns::index))
    .route("/healthz", web::get().to(health::healthz))
    .route("/metrics", web::get().to(health::metrics))
    .route("/static/{file}", web::get().to(assets::serve))
    .route(
        "/organisation.css",
        web::get().to(assets::organisation_stylesheet),
    )
    .route("/campaigns/{slug}", web::get().to(campaigns::show))
    .route(
        "/campaigns/{slug}/sign",
        web::post().to(signing::sign).wrap(from_fn(limits::signing)),
    )
    .route(
        "/campaigns/{slug}/check-email",
        web::get().to(signing::check_email),
    )
    .route("/campaigns/{slug}/thanks", web::get().to(campaigns::thanks))
    .route("/campaigns/{slug}/badge.svg", web::get().to(badge::show))
    .route(
        "/campaigns/{slug}/share.png",
        web::get().to(share_picture::show),
    )
    .route(
        "/confirm/{token}",
        web::get()
            .to(confirm::show)
            .wrap(from_fn(limits::confirming)),
    )
    .route(
        "/confirm/{token}",
        web::post()
            .to(confirm::confirm)
            .wrap(from_fn(limits::confirming)),
    )
    .route(
        "/not-me/{id}/{mac}",
        web::get()
            .to(not_me::show)
            .wrap(from_fn(limits::confirming)),
    )
    .route(
        "/not-me/{id}/{mac}",
        web::post()
            .to(not_me::remove)
            .wrap(from_fn(limits::confirming)),
    )
    .route("/unsubscribe/{id}/{mac}", web::get().to(unsubscribe::show))
    .route(
        "/unsubscribe/{id}/{mac}",
        web::post().to(unsubscribe::unsubscribe),
    )
    .route(
        "/kiosk/service-worker.js",
        web::get().to(kiosk::service_worker),
    )
    .route("/kiosk/{secret}", web::get().to(kiosk::show))
    .route("/kiosk/{secret}/sign", web::post().to(kiosk::sign))
    .route("/kiosk/{secret}/thanks", web::get().to(kiosk::thanks))
    .service(
        web::resource("/kiosk/{secret}/signatures")
            .app_data(web::PayloadConfig::new(kiosk::UPLOAD_LIMIT))
            .route(web::post().to(kiosk::upload)),
    )
    .service(
        web::resource("/kiosk/{secret}/status")
            .app_data(web::PayloadConfig::new(kiosk::UPLOAD_LIMIT))
            .route(web::post().to(kiosk::status)),
    )
    .service(
        // The link is the partner's key: no search engine may keep the page, no site it
        // links to may learn the address, no cache may hold it.
        web::scope("/partner/{token}")
            .wrap(
                DefaultHeaders::new()
                    .add(("x-robots-tag", "noindex, nofollow"))
                    .add((REFERRER_POLICY, "no-referrer"))
                    .add((CACHE_CONTROL, "no-store")),
            )
            .route("", web::get().to(partner::show))
            .route(
                "/campaigns/{slug}/signatures.csv",
                web::get().to(partner::signatures),
            ),
    )
    .route("/embed.js", web::get().to(embed::script))
    .route("/embed/{slug}", web::get().to(campaigns::show))
    .route(
        "/embed/{slug}/sign",
        web::post().to(signing::sign).wrap(from_fn(limits::signing)),
    )
    .route(
        "/embed/{slug}/check-email",
        web::get().to(signing::check_email),
    )
    .configure(openapi::configure)
    .default_service(web::to(not_found));
}

/// One query parameter; a malformed query string is treated as absent, never as an error.
pub fn query_param(req: &HttpRequest, name: &str) -> Option<String> {
    web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|query| query.into_inner().remove(name))
}

pub fn render(status: StatusCode, template: &impl Template) -> HttpResponse {
    match template.render() {
        Ok(body) => html(status).body(body),
        Err(error) => unrenderable(&error),
    }
}

/// The start of an HTML response.
pub fn html(status: StatusCode) -> HttpResponseBuilder {
    let mut builder = HttpResponse::build(status);
    builder.insert_header((CONTENT_TYPE, "text/html; charset=utf-8"));
    builder
}

/// What the visitor gets when a template fails, which only a bug can cause.
pub fn unrenderable(error: &askama::Error) -> HttpResponse {
    tracing::error!(error = %error, "a page could not be rendered");
    HttpResponse::ServiceUnavailable()
        .insert_header((CONTENT_TYPE, "text/plain; charset=utf-8"))
        .body("Mariposa could not show this page. Please try again.")
}

pub fn message_page(
    tr: Tr,
    req: &HttpRequest,
    title_key: &str,
    paragraph_keys: &[&str],
    action: Option<Action>,
) -> MessagePage {
    MessagePage {
        page: page(tr, req),
        title: tr.t(title_key),
        paragraphs: paragraph_keys.iter().map(|key| tr.t(key)).collect(),
        action,
        share: None,
    }
}

pub fn page(tr: Tr, req: &HttpRequest) -> Page {
    let state = req.app_data::<web::Data<AppState>>();
    let base_url = state
        .map(|state| state.base_url.clone())
        .unwrap_or_default();
    Page::new(tr, &base_url, req.path(), current_organisation(req))
}

/// The organisation's settings as this request's pages show them.
pub fn current_organisation(req: &HttpRequest) -> Arc<CurrentOrganisation> {
    req.app_data::<web::Data<AppState>>()
        .map(|state| state.organisation.current())
        .unwrap_or_default()
}

pub fn not_found_page(tr: Tr, req: &HttpRequest) -> HttpResponse {
    let home = Action {
        href: format!("/?lang={}", tr.lang().code()),
        label: tr.t("not-found-home"),
    };
    render(
        StatusCode::NOT_FOUND,
        &message_page(tr, req, "not-found-title", &["not-found-body"], Some(home)),
    )
}

/// Pages reached through a link with a secret in it (confirmation, unsubscribe): the secret
/// must not leak through the Referer header to other sites, nor be kept by caches.
pub fn secret_link(mut response: HttpResponse) -> HttpResponse {
    use actix_web::http::header::{HeaderValue, REFERRER_POLICY};
    let headers = response.headers_mut();
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A link from an email that is incomplete, forged or no longer known.
pub fn unknown_link(req: &HttpRequest) -> HttpResponse {
    let tr = Tr(negotiate_lang(req, None));
    let home = Action {
        href: format!("/?lang={}", tr.lang().code()),
        label: tr.t("not-found-home"),
    };
    render(
        StatusCode::NOT_FOUND,
        &message_page(
            tr,
            req,
            "confirm-unknown-title",
            &["confirm-unknown-body"],
            Some(home),
        ),
    )
}

async fn not_found(req: HttpRequest) -> HttpResponse {
    not_found_page(Tr(negotiate_lang(&req, None)), &req)
}

/// A failure that is not the visitor's doing (the database or the disk). The visitor gets
/// a page in their language asking them to try again; the cause goes to the log.
#[derive(Debug)]
pub struct PageError {
    tr: Tr,
    path: String,
    organisation: Arc<CurrentOrganisation>,
    cause: anyhow::Error,
}

impl PageError {
    pub fn new(tr: Tr, req: &HttpRequest, cause: impl Into<anyhow::Error>) -> Self {
        Self {
            tr,
            path: req.path().to_owned(),
            organisation: current_organisation(req),
            cause: cause.into(),
        }
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:#}", self.cause)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        StatusCode::SERVICE_UNAVAILABLE
    }

    fn error_response(&self) -> HttpResponse {
        tracing::error!(error = ?self.cause, "request failed");
        let page = MessagePage {
            page: Page::new(self.tr, "", &self.path, Arc::clone(&self.organisation)),
            title: self.tr.t("error-title"),
            paragraphs: vec![self.tr.t("error-body")],
            action: None,
            share: None,
        };
        let mut response = render(StatusCode::SERVICE_UNAVAILABLE, &page);
        let headers = response.headers_mut();
        headers.insert(
            RETRY_AFTER,
            actix_web::http::header::HeaderValue::from_static("5"),
        );
        headers.insert(
            CACHE_CONTROL,
            actix_web::http::header::HeaderValue::from_static("no-store"),
        );
        response
    }
}

/// The campaign, from memory.
pub(super) async fn load_campaign(
    state: &AppState,
    slug: &str,
    req: &HttpRequest,
) -> Result<Option<Arc<crate::db::campaigns::CampaignWithTexts>>, PageError> {
    state
        .campaigns
        .get(&state.db, slug)
        .await
        .map_err(|e| PageError::new(Tr(negotiate_lang(req, None)), req, e))
}
