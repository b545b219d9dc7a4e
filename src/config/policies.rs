//! The policies a server runs by, each with its defaults: how long sessions and personal
//! data last, when reminders go, how email is retried, what the review keeps.

use std::time::Duration;

use crate::domain::ThrowawayDomains;

/// What the review of signatures keeps, and how often its background work runs.
#[derive(Debug, Clone)]
pub struct ReviewSettings {
    /// How long a signature's network hash (and each day's salt) is kept.
    pub network_retention: Duration,
    pub throwaway: ThrowawayDomains,
    /// How often unfinished invalidations are looked for, beside this server's own.
    pub invalidations_every: Duration,
    /// How often open campaigns are checked for waves to alert staff about.
    pub alerts_every: Duration,
}

/// How long staff sessions last.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(60 * 60),
            absolute: Duration::from_secs(12 * 60 * 60),
        }
    }
}

/// How long personal data is kept, and how often that is enforced.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    pub pending: Duration,
    pub anonymise_closed_after: Option<Duration>,
    pub check_every: Duration,
}

/// When signers who have not confirmed are reminded, and how often that is checked.
#[derive(Debug, Clone, Copy)]
pub struct Reminders {
    /// `None` sends no reminders.
    pub after: Option<Duration>,
    pub check_every: Duration,
}

/// How the mail worker retries an email the relay did not take, and when it gives up.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// After a temporary failure (no answer, a `4xx`): doubling from `first_delay`, capped
    /// at `max_delay`.
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// An email that has failed temporarily for this long since it was queued is failed.
    pub give_up_after: Duration,
    /// After a permanent refusal (a `5xx`): attempts this far apart, in case an operator
    /// fixes the cause, and failed after `permanent_attempts` refusals.
    pub permanent_delay: Duration,
    pub permanent_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            give_up_after: Duration::from_secs(3 * 24 * 60 * 60),
            permanent_delay: Duration::from_secs(60 * 60),
            permanent_attempts: 3,
        }
    }
}

impl RetryPolicy {
    /// Doubling back-off after `attempts` failures, capped at `max_delay`.
    pub fn delay_after(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(16));
        self.first_delay.saturating_mul(factor).min(self.max_delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_stop_growing_at_the_cap() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay_after(1), Duration::from_secs(1));
        assert_eq!(policy.delay_after(2), Duration::from_secs(2));
        assert_eq!(policy.delay_after(4), Duration::from_secs(8));
        assert_eq!(policy.delay_after(7), Duration::from_secs(60));
        assert_eq!(policy.delay_after(u32::MAX), Duration::from_secs(60));
    }
}
