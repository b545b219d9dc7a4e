//! Cross-origin access to the signing API: which partner sites' pages may call it.
//!
//! Written here rather than with actix-cors: the allowed origins are a per-campaign list that
//! the handler reads with the campaign, and the rules fit in a few lines.

use actix_web::http::StatusCode;
use actix_web::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_MAX_AGE, ALLOW, HeaderValue, ORIGIN, VARY,
};
use actix_web::{HttpRequest, HttpResponse};

use crate::domain::EmbedOrigins;

/// How long a browser may reuse a preflight answer.
const PREFLIGHT_MAX_AGE_SECONDS: &str = "600";

/// What the campaign's list says about the page that sent a request.
#[derive(Debug, Clone)]
pub enum Cors {
    /// No `Origin` header: a partner's server, or a tool such as curl.
    NotCrossOrigin,
    /// A page the campaign accepts; the value is what `Access-Control-Allow-Origin` says.
    Allowed(HeaderValue),
    /// A page on a site the campaign does not list.
    Refused,
}

impl Cors {
    pub fn check(req: &HttpRequest, origins: &EmbedOrigins) -> Self {
        let Some(origin) = req.headers().get(ORIGIN) else {
            return Cors::NotCrossOrigin;
        };
        match origins {
            EmbedOrigins::Any => Cors::Allowed(HeaderValue::from_static("*")),
            EmbedOrigins::Only(_) => match origin.to_str() {
                Ok(value) if origins.allows(value) => Cors::Allowed(origin.clone()),
                _ => Cors::Refused,
            },
        }
    }

    /// Lets the calling page read `response`, if the campaign accepts that page.
    pub fn apply(&self, mut response: HttpResponse) -> HttpResponse {
        let headers = response.headers_mut();
        // The answer depends on Origin, so a cache must not hand one site's answer to another.
        headers.append(VARY, HeaderValue::from_static("origin"));
        if let Cors::Allowed(value) = self {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, value.clone());
        }
        response
    }

    /// The answer to a preflight `OPTIONS` request.
    pub fn preflight(&self) -> HttpResponse {
        let response = match self {
            Cors::Allowed(_) => HttpResponse::NoContent()
                .insert_header((ACCESS_CONTROL_ALLOW_METHODS, "POST, OPTIONS"))
                .insert_header((ACCESS_CONTROL_ALLOW_HEADERS, "content-type"))
                .insert_header((ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE_SECONDS))
                .finish(),
            Cors::NotCrossOrigin => HttpResponse::NoContent()
                .insert_header((ALLOW, "POST, OPTIONS"))
                .finish(),
            Cors::Refused => HttpResponse::new(StatusCode::FORBIDDEN),
        };
        self.apply(response)
    }
}
