//! Cross-cutting behaviour of every response: a request log line and security headers.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{DefaultHeaders, Next};
use tracing::Instrument;

/// One log line per request, with an id that is also sent back as `X-Request-Id` so that a
/// supporter's report can be matched to the log. The route pattern is logged rather than
/// the path, because paths can carry confirmation tokens.
pub async fn log_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = format!("{:016x}", rand::random::<u64>());
    let span = tracing::info_span!("request", id = %request_id);
    let method = req.method().clone();
    let started = Instant::now();
    let mut response = next.call(req).instrument(span.clone()).await?;
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "(unmatched)".to_owned());
    let status = response.status().as_u16();
    span.in_scope(|| {
        tracing::info!(
            %method,
            route,
            status,
            elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
            "request"
        );
    });
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(response)
}

/// Headers every page gets unless a handler set its own. Scripts and styles come only from
/// our own files, and no page may be framed.
pub fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
        ))
        .add(("X-Frame-Options", "DENY"))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "strict-origin-when-cross-origin"));
    if https {
        headers.add(("Strict-Transport-Security", "max-age=31536000"))
    } else {
        headers
    }
}
