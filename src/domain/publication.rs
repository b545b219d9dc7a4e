//! When signatures given in person (paper, kiosk) show in public counts.
//!
//! Whoever stands alone at a kiosk could otherwise type someone's email, or their name and
//! postal code, and watch the public count: a new person moves it by one, someone who had
//! signed leaves it as it was. So in-person signatures are published only at 00:00 UTC,
//! those recorded before then, and only in whole steps of `IN_PERSON_STEP`. Before the
//! publication, the public sees nothing of an entry; after it, one entry moves the count
//! only if it completes a step, which a person cannot tell without knowing every other
//! in-person entry of the day and how near the next step the count stood. Staff see live
//! counts on their own pages.

use chrono::{NaiveDateTime, NaiveTime, TimeDelta};

/// In-person signatures show in public counts in whole steps of this many.
pub const IN_PERSON_STEP: i64 = 10;

/// The latest publication time at or before `now` (00:00 UTC): in-person signatures
/// recorded before it are published.
pub fn publication_cut(now: NaiveDateTime) -> NaiveDateTime {
    now.date().and_time(NaiveTime::MIN)
}

/// The in-person count the public sees, from the number recorded before the cut.
pub fn published_in_person(recorded_before_cut: i64) -> i64 {
    recorded_before_cut.max(0) / IN_PERSON_STEP * IN_PERSON_STEP
}

/// When in-person signatures appear in the public history, from how many were recorded
/// before its range (`earlier`) and on each day within it (days before today's publication
/// cut only): the count published before the range, and each later step of
/// `IN_PERSON_STEP` at the publication after the day that completed it, so that the
/// history agrees with the count and dates no single entry.
pub fn in_person_publications(
    earlier: i64,
    recorded_per_day: impl IntoIterator<Item = (NaiveDateTime, i64)>,
) -> (i64, Vec<(NaiveDateTime, i64)>) {
    let published_earlier = published_in_person(earlier);
    let mut days: Vec<(NaiveDateTime, i64)> = recorded_per_day.into_iter().collect();
    days.sort_unstable();
    let (mut recorded, mut published) = (earlier, published_earlier);
    let mut steps = Vec::new();
    for (day, count) in days {
        recorded += count;
        let now_published = published_in_person(recorded);
        if now_published > published {
            steps.push((
                publication_cut(day) + TimeDelta::days(1),
                now_published - published,
            ));
            published = now_published;
        }
    }
    (published_earlier, steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(raw: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M").expect("a time")
    }

    #[test]
    fn in_person_counts_are_published_in_steps_of_ten() {
        assert_eq!(published_in_person(0), 0);
        assert_eq!(published_in_person(9), 0);
        assert_eq!(published_in_person(10), 10);
        assert_eq!(published_in_person(27), 20);
        assert_eq!(published_in_person(-1), 0);
    }

    #[test]
    fn the_publication_is_the_last_midnight_utc() {
        assert_eq!(
            publication_cut(at("2026-12-07 15:30")),
            at("2026-12-07 00:00")
        );
        assert_eq!(
            publication_cut(at("2026-12-07 00:00")),
            at("2026-12-07 00:00")
        );
    }

    #[test]
    fn the_history_shows_whole_steps_at_their_publication() {
        let days = [
            (at("2026-12-05 00:00"), 12),
            (at("2026-12-06 00:00"), 9),
            (at("2026-12-07 00:00"), 3),
        ];

        let (earlier, steps) = in_person_publications(4, days);

        // 4 before the range publish nothing; with 12 on the 5th, 16 make one step, published
        // at 00:00 on the 6th; 9 on the 6th make 25, a second step on the 7th; 3 on the 7th
        // make 28, no step.
        assert_eq!(earlier, 0);
        assert_eq!(
            steps,
            vec![(at("2026-12-06 00:00"), 10), (at("2026-12-07 00:00"), 10)]
        );
        let (earlier, steps) = in_person_publications(23, [(at("2026-12-05 00:00"), 30)]);
        assert_eq!((earlier, steps), (20, vec![(at("2026-12-06 00:00"), 30)]));
    }
}
