//! A campaign's count over time: confirmations per hour or per day (UTC), and the running
//! total, from the confirmation times of the stored signatures.

use std::collections::BTreeMap;

use chrono::{DurationRound, NaiveDate, NaiveDateTime, TimeDelta};

/// How finely the history is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Confirmations counted per hour, the finest interval served; days are sums of hours.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfirmationHistory {
    hours: BTreeMap<NaiveDateTime, i64>,
}

impl ConfirmationHistory {
    pub fn from_times(times: impl IntoIterator<Item = NaiveDateTime>) -> Self {
        let mut hours = BTreeMap::new();
        for at in times {
            *hours.entry(Interval::Hour.start_of(at)).or_insert(0) += 1;
        }
        Self { hours }
    }

    pub fn total(&self) -> i64 {
        self.hours.values().sum()
    }

    /// Every interval from the first confirmation's to the last's, those without any
    /// included as zeros, so that readers can plot the series as it comes.
    pub fn series(&self, interval: Interval) -> Vec<HistoryPoint> {
        let (Some(first), Some(last)) = (self.hours.keys().next(), self.hours.keys().last()) else {
            return Vec::new();
        };
        self.between(
            interval,
            interval.start_of(*first),
            interval.start_of(*last),
        )
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
        let mut cumulative: i64 = self.hours.range(..first).map(|(_, n)| n).sum();
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
    use super::*;

    fn at(day: u32, hour: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day)
            .and_then(|d| d.and_hms_opt(hour, minute, 7))
            .expect("a valid time")
    }

    #[test]
    fn confirmations_are_counted_per_interval_with_gaps_as_zeros() {
        let history = ConfirmationHistory::from_times([
            at(2, 23, 59),
            at(2, 9, 0),
            at(2, 9, 30),
            at(4, 0, 0),
        ]);
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
        let history = ConfirmationHistory::from_times([at(1, 10, 0), at(20, 10, 0)]);
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
    fn no_confirmations_make_an_empty_series() {
        let history = ConfirmationHistory::default();
        assert!(history.series(Interval::Hour).is_empty());
        assert_eq!(Interval::parse("week"), None);
        assert_eq!(Interval::parse("day").map(Interval::as_str), Some("day"));
    }
}
