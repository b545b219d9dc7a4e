//! The steady rate at which updates to signers go out: a token bucket shared by one
//! server's mail workers, holding at most a second's worth, so an update never sends in
//! bursts that a relay would throttle or that would crowd out confirmations.

use std::sync::Mutex;
use std::time::Instant;

pub struct SteadyRate {
    per_second: f64,
    /// The most that may go at once: a second's worth, and at least one.
    burst: f64,
    bucket: Mutex<Bucket>,
}

struct Bucket {
    tokens: f64,
    filled_at: Instant,
}

impl SteadyRate {
    pub fn per_minute(emails: u32) -> Self {
        let per_second = f64::from(emails) / 60.0;
        let burst = per_second.max(1.0);
        Self {
            per_second,
            burst,
            bucket: Mutex::new(Bucket {
                tokens: burst,
                filled_at: Instant::now(),
            }),
        }
    }

    /// Takes up to `wanted` sends, as many as the rate allows now.
    pub fn take(&self, wanted: i64) -> i64 {
        self.take_at(wanted, Instant::now())
    }

    fn take_at(&self, wanted: i64, now: Instant) -> i64 {
        let Ok(mut bucket) = self.bucket.lock() else {
            return 0;
        };
        let elapsed = now
            .saturating_duration_since(bucket.filled_at)
            .as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(self.burst);
        bucket.filled_at = now;
        // Whole sends only; the fraction carries over to the next call.
        let granted = (bucket.tokens.floor() as i64).clamp(0, wanted.max(0));
        bucket.tokens -= granted as f64;
        granted
    }

    /// Returns sends taken but not used, such as when fewer updates were due.
    pub fn give_back(&self, unused: i64) {
        if let Ok(mut bucket) = self.bucket.lock() {
            bucket.tokens = (bucket.tokens + unused.max(0) as f64).min(self.burst);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn sends_come_at_the_rate_and_never_in_a_burst_above_a_second() {
        let rate = SteadyRate::per_minute(600);
        let start = Instant::now();
        assert_eq!(rate.take_at(100, start), 10, "a second's worth at most");
        assert_eq!(rate.take_at(100, start), 0);
        assert_eq!(rate.take_at(100, start + Duration::from_millis(500)), 5);
        assert_eq!(rate.take_at(100, start + Duration::from_secs(60)), 10);
        rate.give_back(4);
        assert_eq!(rate.take_at(3, start + Duration::from_secs(60)), 3);
    }

    #[test]
    fn a_slow_rate_still_sends_one_at_a_time() {
        let rate = SteadyRate::per_minute(6);
        let start = Instant::now();
        assert_eq!(rate.take_at(5, start), 1);
        assert_eq!(rate.take_at(5, start + Duration::from_secs(5)), 0);
        assert_eq!(rate.take_at(5, start + Duration::from_secs(10)), 1);
    }
}
