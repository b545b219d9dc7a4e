//! Rate limits per client address on signing, confirming and signing in, and the client
//! address itself, which comes from `X-Forwarded-For` only behind a trusted proxy.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderValue, RETRY_AFTER};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, web};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use super::{message_page, negotiate_lang, render};
use crate::i18n::Tr;
use crate::metrics::Limited;
use crate::routes::AppState;

/// Token buckets per client address, one set per kind of request.
pub struct RateLimits {
    sign: DefaultKeyedRateLimiter<IpAddr>,
    confirm: DefaultKeyedRateLimiter<IpAddr>,
    login: DefaultKeyedRateLimiter<IpAddr>,
}

fn quota(burst: u32, per: Duration) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(per)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

impl Default for RateLimits {
    /// A crowded event or campus behind one address signs a few a minute and never meets
    /// these; a script sending a hundred a minute is cut to one every four seconds after
    /// its first twenty.
    fn default() -> Self {
        Self {
            sign: DefaultKeyedRateLimiter::keyed(quota(20, Duration::from_secs(4))),
            confirm: DefaultKeyedRateLimiter::keyed(quota(30, Duration::from_secs(2))),
            login: DefaultKeyedRateLimiter::keyed(quota(10, Duration::from_secs(6))),
        }
    }
}

impl RateLimits {
    /// Admits a request, or says how long to wait.
    fn check(&self, kind: Limited, client: IpAddr) -> Result<(), Duration> {
        let limiter = match kind {
            Limited::Sign => &self.sign,
            Limited::Confirm => &self.confirm,
            Limited::Login => &self.login,
        };
        limiter
            .check_key(&client)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// Forgets addresses whose buckets are full again, so memory follows current traffic.
    pub fn forget_idle(&self) {
        self.sign.retain_recent();
        self.confirm.retain_recent();
        self.login.retain_recent();
    }
}

fn kind_of(method: &Method, path: &str) -> Option<Limited> {
    let posting = method == Method::POST;
    if path.starts_with("/confirm/") {
        Some(Limited::Confirm)
    } else if posting && path == "/admin/login" {
        Some(Limited::Login)
    } else if posting
        && (path.ends_with("/sign") || (path.starts_with("/api/") && path.ends_with("/signatures")))
    {
        Some(Limited::Sign)
    } else {
        None
    }
}

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

pub async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(kind) = kind_of(req.method(), req.path()) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
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
    let mut response = if req.path().starts_with("/api/") {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(raw: &str) -> IpAddr {
        raw.parse().expect("an address")
    }

    #[test]
    fn a_flood_from_one_address_is_cut_but_others_are_not() {
        let limits = RateLimits::default();
        let flood = ip("203.0.113.9");
        let admitted = (0..100)
            .filter(|_| limits.check(Limited::Sign, flood).is_ok())
            .count();
        assert_eq!(
            admitted, 20,
            "the burst passes, the rest of a hundred at once does not"
        );
        assert!(limits.check(Limited::Sign, ip("198.51.100.7")).is_ok());
        assert!(
            limits.check(Limited::Confirm, flood).is_ok(),
            "kinds are limited separately"
        );
    }

    #[test]
    fn only_state_changing_routes_are_limited() {
        assert_eq!(
            kind_of(&Method::POST, "/campaigns/x/sign"),
            Some(Limited::Sign)
        );
        assert_eq!(kind_of(&Method::POST, "/embed/x/sign"), Some(Limited::Sign));
        assert_eq!(
            kind_of(&Method::POST, "/api/v1/campaigns/x/signatures"),
            Some(Limited::Sign)
        );
        assert_eq!(
            kind_of(&Method::GET, "/confirm/abc"),
            Some(Limited::Confirm)
        );
        assert_eq!(kind_of(&Method::POST, "/admin/login"), Some(Limited::Login));
        assert_eq!(kind_of(&Method::GET, "/campaigns/x"), None);
        assert_eq!(kind_of(&Method::GET, "/api/v1/campaigns/x"), None);
    }
}
