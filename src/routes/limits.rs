//! Rate limits per client on signing, confirming and signing in (their buckets are
//! `crate::rate_limits`), and the client address itself, which comes from
//! `X-Forwarded-For` only behind a trusted proxy.
//!
//! Each limited route wraps itself in its limit (see `routes::configure` and
//! `routes::admin::configure`), so the limit follows the route the router matched, however
//! the path was spelled or percent-encoded.

use std::net::IpAddr;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderValue, RETRY_AFTER};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, web};

use super::{message_page, negotiate_lang, render};
use crate::i18n::Tr;
use crate::metrics::Limited;
use crate::routes::AppState;

/// The address of the client that sent `req`, as far as we can trust it.
pub fn client_ip(req: &HttpRequest) -> IpAddr {
    let peer = req
        .peer_addr()
        .map_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), |peer| {
            peer.ip()
        });
    match req.app_data::<web::Data<AppState>>() {
        Some(state) => state.trusted_proxies.client(
            peer,
            req.headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok()),
        ),
        None => peer,
    }
}

/// The limit of the signing routes (the form, the embedded form and the JSON API).
pub async fn signing(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    rate_limit(Limited::Sign, req, next).await
}

/// The limit of the confirmation page and its button.
pub async fn confirming(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    rate_limit(Limited::Confirm, req, next).await
}

/// The limit of the staff sign-in form.
pub async fn signing_in(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    rate_limit(Limited::Login, req, next).await
}

async fn rate_limit(
    kind: Limited,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let Some(limits) = &state.rate_limits else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let client = client_ip(req.request());
    match limits.check(kind, client) {
        Ok(()) => Ok(next.call(req).await?.map_into_boxed_body()),
        Err(wait) => {
            state.metrics.rate_limited(kind);
            let seconds = wait.as_secs().max(1);
            let response = too_many_requests(req.request(), seconds);
            Ok(req.into_response(response))
        }
    }
}

fn too_many_requests(req: &HttpRequest, seconds: u64) -> HttpResponse {
    // The matched pattern, not the path, which a client may have percent-encoded.
    let api = req
        .match_pattern()
        .is_some_and(|pattern| pattern.starts_with("/api/"));
    let mut response = if api {
        HttpResponse::TooManyRequests().json(serde_json::json!({
            "error": "rate_limited",
            "message": "Too many requests from this address. Try again later.",
            "retry_after_seconds": seconds,
        }))
    } else {
        let tr = Tr(negotiate_lang(req, None));
        render(
            StatusCode::TOO_MANY_REQUESTS,
            &message_page(tr, req, "rate-limited-title", &["rate-limited-body"], None),
        )
    };
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(RETRY_AFTER, value);
    }
    response
}
