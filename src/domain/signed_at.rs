//! When an in-person signature was given. Paper dates are typed by people and kiosk times
//! come from a tablet's clock: one sheet row dated `02/11/26`, read as the year 26, made
//! the public history build every hour since then. A time outside the campaign's life
//! cannot become a `SignedAt`.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

/// Slack on either side of the campaign's life, for time zones and a clock set a little wrong.
pub const SIGNING_SLACK: TimeDelta = TimeDelta::days(1);

/// A signing time no earlier than its campaign's creation and no later than now, each give
/// or take `SIGNING_SLACK`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SignedAt(NaiveDateTime);

/// Why a time cannot be a signing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignedAtError {
    #[error("before the campaign was created")]
    BeforeCampaign,
    #[error("in the future")]
    Future,
}

impl SignedAt {
    /// An exact time, such as a kiosk's clock gives.
    pub fn within(
        at: NaiveDateTime,
        campaign_created: NaiveDateTime,
        now: NaiveDateTime,
    ) -> Result<Self, SignedAtError> {
        if at < campaign_created - SIGNING_SLACK {
            return Err(SignedAtError::BeforeCampaign);
        }
        if at > now + SIGNING_SLACK {
            return Err(SignedAtError::Future);
        }
        Ok(Self(at))
    }

    /// A day without a time, as paper sheets give it, kept at noon so that it stays that
    /// day in every time zone near the event.
    pub fn on_day(
        day: NaiveDate,
        campaign_created: NaiveDateTime,
        now: NaiveDateTime,
    ) -> Result<Self, SignedAtError> {
        if day < (campaign_created - SIGNING_SLACK).date() {
            return Err(SignedAtError::BeforeCampaign);
        }
        if day > (now + SIGNING_SLACK).date() {
            return Err(SignedAtError::Future);
        }
        Ok(Self(day.and_time(
            NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default(),
        )))
    }

    /// The time a signature reaches the server, when its own time cannot be believed.
    pub fn received(now: NaiveDateTime) -> Self {
        Self(now)
    }

    pub fn at(self) -> NaiveDateTime {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(raw: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M").expect("a time")
    }

    fn day(raw: &str) -> NaiveDate {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").expect("a day")
    }

    #[test]
    fn a_day_in_the_campaigns_life_is_kept_at_noon() {
        let (created, now) = (time("2026-10-01 15:00"), time("2026-12-07 09:00"));
        let signed = SignedAt::on_day(day("2026-11-02"), created, now).expect("in range");
        assert_eq!(signed.at(), time("2026-11-02 12:00"));
        assert!(
            SignedAt::on_day(day("2026-09-30"), created, now).is_ok(),
            "a day of slack"
        );
        assert!(
            SignedAt::on_day(day("2026-12-08"), created, now).is_ok(),
            "a day of slack"
        );
    }

    #[test]
    fn the_year_26_and_next_year_are_refused() {
        let (created, now) = (time("2026-10-01 15:00"), time("2026-12-07 09:00"));
        assert_eq!(
            SignedAt::on_day(day("0026-11-02"), created, now),
            Err(SignedAtError::BeforeCampaign)
        );
        assert_eq!(
            SignedAt::on_day(day("2026-09-29"), created, now),
            Err(SignedAtError::BeforeCampaign)
        );
        assert_eq!(
            SignedAt::on_day(day("2027-11-02"), created, now),
            Err(SignedAtError::Future)
        );
        assert_eq!(
            SignedAt::within(time("2026-12-08 09:01"), created, now),
            Err(SignedAtError::Future)
        );
        assert_eq!(
            SignedAt::within(time("0026-12-07 09:00"), created, now),
            Err(SignedAtError::BeforeCampaign)
        );
    }
}
