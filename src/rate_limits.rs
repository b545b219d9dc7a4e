//! Token buckets kept in memory: per client network for signing, confirming and signing in,
//! and per kiosk. Which routes they guard, and what a client is told, is `routes::limits`.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::domain::ClientNetwork;
use crate::metrics::Limited;

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
    pub fn check(&self, kind: Limited, client: IpAddr) -> Result<(), Duration> {
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

impl KioskCeiling {
    /// Admits one signature from a kiosk, or says how long to wait.
    pub fn check(&self, kiosk_id: i64) -> Result<(), Duration> {
        self.0
            .check_key(&kiosk_id)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    pub fn forget_idle(&self) {
        self.0.retain_recent();
    }
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
