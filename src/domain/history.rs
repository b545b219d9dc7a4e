//! A campaign's count over time: confirmations per hour or per day (UTC), and the running
//! total, from the confirmation times of the stored signatures.

use std::collections::BTreeMap;

use chrono::{DurationRound, NaiveDate, NaiveDateTime, TimeDelta};

/// How finely the history is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Interval {
    Hour,
    Day,
}

impl Interval {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "hour" => Some(Interval::Hour),
            "day" => Some(Interval::Day),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Hour => "hour",
            Interval::Day => "day",
        }
    }

    fn length(self) -> TimeDelta {
        match self {
            Interval::Hour => TimeDelta::hours(1),
            Interval::Day => TimeDelta::days(1),
        }
    }

    /// The start of the interval `at` falls in. Truncating cannot fail for an hour or a
    /// day at any time chrono can hold.
    fn start_of(self, at: NaiveDateTime) -> NaiveDateTime {
        at.duration_trunc(self.length()).unwrap_or(at)
    }
}

/// One interval: the confirmations in it, and all confirmations up to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryPoint {
    pub start: NaiveDateTime,
    pub confirmed: i64,
    pub cumulative: i64,
}

/// The hourly history covers at most the last 30 days.
pub const HOURLY_DAYS: i64 = 30;
/// The daily history covers at most about three years.
pub const DAILY_DAYS: i64 = 3 * 366;

/// Confirmations counted per hour, the finest interval served; days are sums of hours.
/// Only the hours of a bounded range are kept, so that what a history costs, in memory and
/// in every answer built from it, does not grow with the campaign's age or with a stored
/// time that is wrong (a paper date of the year 26).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfirmationHistory {
    hours: BTreeMap<NaiveDateTime, i64>,
    /// Confirmations before the range: carried into the first point's running total.
    earlier: i64,
    /// Where the hourly series may start: `HOURLY_DAYS` before the history was made.
    hourly_from: NaiveDateTime,
}

impl ConfirmationHistory {
    /// The times a history is counted over, the end excluded: from the day before the
    /// campaign was created, or `DAILY_DAYS` ago if that is later, to a day from now.
    pub fn range(
        campaign_created: NaiveDateTime,
        now: NaiveDateTime,
    ) -> (NaiveDateTime, NaiveDateTime) {
        let from = (campaign_created - TimeDelta::days(1)).max(now - TimeDelta::days(DAILY_DAYS));
        (
            Interval::Day.start_of(from),
            Interval::Hour.start_of(now) + TimeDelta::days(1),
        )
    }

    /// A history from the confirmations counted before its range and per hour within it.
    pub fn from_hours(
        earlier: i64,
        hours: impl IntoIterator<Item = (NaiveDateTime, i64)>,
        now: NaiveDateTime,
    ) -> Self {
        let mut kept = BTreeMap::new();
        for (at, count) in hours {
            *kept.entry(Interval::Hour.start_of(at)).or_insert(0) += count;
        }
        Self {
            hours: kept,
            earlier,
            hourly_from: Interval::Hour.start_of(now) - TimeDelta::days(HOURLY_DAYS),
        }
    }

    pub fn total(&self) -> i64 {
        self.earlier + self.hours.values().sum::<i64>()
    }

    /// Every interval from the first confirmation's in range to the last's, those without
    /// any included as zeros, so that readers can plot the series as it comes. Hours start
    /// no earlier than `HOURLY_DAYS` ago.
    pub fn series(&self, interval: Interval) -> Vec<HistoryPoint> {
        let (Some(first), Some(last)) = (self.hours.keys().next(), self.hours.keys().last()) else {
            return Vec::new();
        };
        let first = match interval {
            Interval::Hour => (*first).max(self.hourly_from),
            Interval::Day => *first,
        };
        self.between(interval, interval.start_of(first), interval.start_of(*last))
    }

    /// The `days` days that end with `today`, oldest first.
    pub fn last_days(&self, today: NaiveDate, days: u32) -> Vec<HistoryPoint> {
        let last = today.and_time(chrono::NaiveTime::MIN);
        let first = last - TimeDelta::days(i64::from(days.max(1)) - 1);
        self.between(Interval::Day, first, last)
    }

    /// Intervals from the one starting at `first` to the one starting at `last`.
    fn between(
        &self,
        interval: Interval,
        first: NaiveDateTime,
        last: NaiveDateTime,
    ) -> Vec<HistoryPoint> {
        let mut cumulative: i64 =
            self.earlier + self.hours.range(..first).map(|(_, n)| n).sum::<i64>();
        let mut points = Vec::new();
        let mut start = first;
        while start <= last {
            let end = start + interval.length();
            let confirmed: i64 = self.hours.range(start..end).map(|(_, n)| n).sum();
            cumulative += confirmed;
            points.push(HistoryPoint {
                start,
                confirmed,
                cumulative,
            });
            start = end;
        }
        points
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;

    use super::*;

    fn at(day: u32, hour: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day)
            .and_then(|d| d.and_hms_opt(hour, minute, 7))
            .expect("a valid time")
    }

    /// A history of one confirmation at each of `times`, made on 5 November.
    fn history_of(times: &[NaiveDateTime]) -> ConfirmationHistory {
        ConfirmationHistory::from_hours(0, times.iter().map(|at| (*at, 1)), at(5, 0, 0))
    }

    #[test]
    fn confirmations_are_counted_per_interval_with_gaps_as_zeros() {
        let history = history_of(&[at(2, 23, 59), at(2, 9, 0), at(2, 9, 30), at(4, 0, 0)]);
        assert_eq!(history.total(), 4);

        let days = history.series(Interval::Day);
        let figures: Vec<(NaiveDateTime, i64, i64)> = days
            .iter()
            .map(|p| (p.start, p.confirmed, p.cumulative))
            .collect();
        assert_eq!(
            figures,
            vec![
                (at(2, 0, 0) - TimeDelta::seconds(7), 3, 3),
                (at(3, 0, 0) - TimeDelta::seconds(7), 0, 3),
                (at(4, 0, 0) - TimeDelta::seconds(7), 1, 4),
            ]
        );

        let hours = history.series(Interval::Hour);
        assert_eq!(hours.len(), 40, "from 09:00 on the 2nd to 00:00 on the 4th");
        assert_eq!(hours[0].confirmed, 2);
        assert_eq!(hours.iter().map(|p| p.confirmed).sum::<i64>(), 4);
        assert_eq!(hours.last().map(|p| p.cumulative), Some(4));
    }

    #[test]
    fn the_last_days_carry_the_total_from_before_them() {
        let history = history_of(&[at(1, 10, 0), at(20, 10, 0)]);
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).expect("a date");

        let days = history.last_days(today, 3);

        assert_eq!(days.len(), 3);
        assert_eq!(
            days[0].start.date(),
            NaiveDate::from_ymd_opt(2026, 11, 19).expect("a date")
        );
        assert_eq!(
            days[0].cumulative, 1,
            "the first day's signature came before"
        );
        assert_eq!(days[1].confirmed, 1);
        assert_eq!(days[2].cumulative, 2);
    }

    #[test]
    fn a_campaign_of_any_age_has_a_bounded_history() {
        let now = at(5, 0, 0);
        let year_26 = NaiveDate::from_ymd_opt(26, 11, 2)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .expect("a valid time");
        let (from, until) = ConfirmationHistory::range(year_26, now);
        assert_eq!(
            from,
            Interval::Day.start_of(now) - TimeDelta::days(DAILY_DAYS)
        );
        assert_eq!(until, Interval::Hour.start_of(now) + TimeDelta::days(1));
        let created = at(1, 15, 0);
        let day_before = NaiveDate::from_ymd_opt(2026, 10, 31).map(|d| d.and_time(NaiveTime::MIN));
        assert_eq!(Some(ConfirmationHistory::range(created, now).0), day_before);

        // An hour with a confirmation in each of the last 200 days.
        let hours = (0..200).map(|day| (now - TimeDelta::days(day), 1));
        let history = ConfirmationHistory::from_hours(5, hours, now);
        let hourly = history.series(Interval::Hour);
        assert_eq!(hourly.len(), 30 * 24 + 1);
        assert_eq!(
            hourly[0].cumulative,
            5 + 200 - 30,
            "the earlier ones carried"
        );
        assert_eq!(history.series(Interval::Day).len(), 200);
        assert_eq!(history.total(), 205);
    }

    #[test]
    fn no_confirmations_make_an_empty_series() {
        let history = ConfirmationHistory::default();
        assert!(history.series(Interval::Hour).is_empty());
        assert_eq!(Interval::parse("week"), None);
        assert_eq!(Interval::parse("day").map(Interval::as_str), Some("day"));
    }
}
