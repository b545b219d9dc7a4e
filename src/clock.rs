//! Time as the database tells it. Servers sharing one database agree on form tokens and
//! mail leases only if they agree on the time, and the one clock they all see is the
//! database's: each server measures how far its own clock is from it, at start and then
//! every few seconds, and adds that offset to its own time.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};

/// Beyond this offset from the database's clock the server's clock is broken (NTP is not
/// running, or a virtual machine was paused): `/healthz` answers 503 so that the load
/// balancer takes the server out until an operator sets the clock right. The time the
/// server uses is corrected anyway; this is a few seconds, well above what measuring over a
/// busy network can be wrong by.
pub const MAX_CLOCK_OFFSET: TimeDelta = TimeDelta::seconds(5);

/// How often the offset is measured again: a clock that NTP steps, or that drifts, is
/// followed within this.
pub const MEASURE_EVERY: Duration = Duration::from_secs(10);

/// This server's clock, corrected by its measured offset from the database's.
#[derive(Clone, Default)]
pub struct Clock {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    /// For tests: how far this server's own clock is off. Zero in real servers.
    skew: TimeDelta,
    /// The database's time minus this server's, in microseconds.
    offset_micros: AtomicI64,
}

impl Clock {
    /// A clock that is `skew` off the machine's, as a server with a wrong clock has: for
    /// tests, which cannot set the machine's clock.
    pub fn skewed(skew: TimeDelta) -> Self {
        Self {
            inner: Arc::new(Inner {
                skew,
                offset_micros: AtomicI64::new(0),
            }),
        }
    }

    /// The time by this server's own clock, uncorrected.
    pub fn server_now(&self) -> DateTime<Utc> {
        Utc::now() + self.inner.skew
    }

    /// The time by the database's clock, as far as the last measurement tells.
    pub fn now(&self) -> DateTime<Utc> {
        self.server_now() + self.offset()
    }

    pub fn now_naive(&self) -> NaiveDateTime {
        self.now().naive_utc()
    }

    /// The database's time minus this server's, as last measured.
    pub fn offset(&self) -> TimeDelta {
        TimeDelta::microseconds(self.inner.offset_micros.load(Ordering::Relaxed))
    }

    /// Whether this server's own clock is too far off the database's to be trusted.
    pub fn is_off(&self) -> bool {
        self.offset().abs() > MAX_CLOCK_OFFSET
    }

    /// Keeps a newly measured offset (see `db::clock::measure`).
    pub fn set_offset(&self, offset: TimeDelta) {
        let micros = offset.num_microseconds().unwrap_or(i64::MAX);
        self.inner.offset_micros.store(micros, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offset_corrects_the_server_s_own_time() {
        let clock = Clock::skewed(TimeDelta::minutes(-10));
        clock.inner.offset_micros.store(
            TimeDelta::minutes(10).num_microseconds().unwrap_or(0),
            Ordering::Relaxed,
        );
        assert!((clock.now() - Utc::now()).abs() < TimeDelta::seconds(1));
        assert!(clock.is_off());
        assert!(!Clock::default().is_off());
    }
}
