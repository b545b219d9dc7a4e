//! Cross-cutting behaviour of every response: a request log line, security headers, and
//! `HEAD` wherever there is `GET`.

use std::sync::LazyLock;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{
    CONTENT_SECURITY_POLICY, HeaderName, HeaderValue, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use actix_web::middleware::Next;
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

/// Answers `HEAD` on every `GET` route, as uptime checkers and link checkers expect, by
/// routing it as `GET`: actix-http remembers the request was `HEAD` and sends the
/// response's head without its body. Changing the method here, before routing, is what
/// actix's own `NormalizePath` does with the path.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}

/// The Content-Security-Policy of a page that may be framed by `frame_ancestors` (a CSP
/// source list such as `'none'`, `*` or partner origins). Scripts and styles come only from
/// our own files, and forms post only to us.
pub fn content_security_policy(frame_ancestors: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         form-action 'self'; frame-ancestors {frame_ancestors}; base-uri 'none'; object-src 'none'"
    )
}

static REFUSE_FRAMING: LazyLock<HeaderValue> = LazyLock::new(|| {
    HeaderValue::from_str(&content_security_policy("'none'"))
        .unwrap_or_else(|_| HeaderValue::from_static("frame-ancestors 'none'"))
});

/// Headers every response gets unless its handler set its own. No page may be framed
/// unless its handler sets a policy that says otherwise, as the embedded form does.
pub async fn security_headers(
    https: bool,
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    if !headers.contains_key(CONTENT_SECURITY_POLICY) {
        headers.insert(CONTENT_SECURITY_POLICY, REFUSE_FRAMING.clone());
        // The older browsers' word for frame-ancestors 'none'. It has no value that allows
        // a list of sites, so a response with a policy of its own must go without it.
        headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    let mut add = |name, value| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    add(X_CONTENT_TYPE_OPTIONS, "nosniff");
    add(REFERRER_POLICY, "strict-origin-when-cross-origin");
    if https {
        add(STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    Ok(response)
}
