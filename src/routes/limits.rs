//! Rate limits per client on signing, confirming and signing in, and the client address
//! itself, which comes from `X-Forwarded-For` only behind a trusted proxy.
//!
//! Each limited route wraps itself in its limit (see `routes::configure` and
//! `routes::admin::configure`), so the limit follows the route the router matched, however
//! the path was spelled or percent-encoded.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderValue, RETRY_AFTER};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, web};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use super::{message_page, negotiate_lang, render};
use crate::domain::ClientNetwork;
use crate::i18n::Tr;
use crate::intake::kiosk::Ceiling;
use crate::metrics::Limited;
use crate::routes::AppState;

/// Token buckets per client network, one set per kind of request.
pub struct RateLimits {
    sign: DefaultKeyedRateLimiter<ClientNetwork>,
    confirm: DefaultKeyedRateLimiter<ClientNetwork>,
    login: DefaultKeyedRateLimiter<ClientNetwork>,
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
        let client = ClientNetwork::of(client);
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

/// Each kiosk's own ceiling, which takes the place of the per-address limits: one tablet
/// signs hundreds of people an hour from one address. On average one signature every three
/// seconds, with a burst for what a kiosk kept while offline; beyond that, a stolen link
/// cannot flood a campaign.
pub struct KioskCeiling(DefaultKeyedRateLimiter<i64>);

/// Signatures a kiosk may send at once, as after a spell offline.
pub const KIOSK_BURST: u32 = 30;
/// The time a kiosk's allowance takes to grow by one signature.
pub const KIOSK_PERIOD: Duration = Duration::from_secs(3);

impl Default for KioskCeiling {
    fn default() -> Self {
        Self(DefaultKeyedRateLimiter::keyed(quota(
            KIOSK_BURST,
            KIOSK_PERIOD,
        )))
    }
}

impl Ceiling for KioskCeiling {
    fn admit(&self, kiosk_id: i64) -> Result<(), Duration> {
        self.0
            .check_key(&kiosk_id)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

impl KioskCeiling {
    pub fn forget_idle(&self) {
        self.0.retain_recent();
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
    fn an_ipv6_client_counts_once_for_its_whole_64() {
        let limits = RateLimits::default();
        let admitted = (0..100u16)
            .filter(|i| {
                let address = format!("2001:db8:7:9:{i:x}::1");
                limits.check(Limited::Sign, ip(&address)).is_ok()
            })
            .count();
        assert_eq!(
            admitted, 20,
            "a hundred addresses from one /64 share one burst"
        );
        assert!(limits.check(Limited::Sign, ip("2001:db8:7:a::1")).is_ok());
    }
}
