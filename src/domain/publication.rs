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

/// When in-person signatures appear in the public history, given when each was recorded:
/// a step of `IN_PERSON_STEP` at the publication after its last one was recorded, so that
/// the history agrees with the count and dates no single entry.
pub fn in_person_publication_times(
    mut recorded: Vec<NaiveDateTime>,
    now: NaiveDateTime,
) -> Vec<NaiveDateTime> {
    let cut = publication_cut(now);
    recorded.retain(|at| *at < cut);
    recorded.sort_unstable();
    let step = usize::try_from(IN_PERSON_STEP).unwrap_or(1);
    recorded
        .chunks_exact(step)
        .filter_map(|chunk| chunk.last())
        .flat_map(|last| {
            let published = publication_cut(*last) + TimeDelta::days(1);
            std::iter::repeat_n(published, step)
        })
        .collect()
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
    fn the_history_shows_whole_steps_at_their_publication_and_nothing_of_today() {
        let mut recorded: Vec<NaiveDateTime> = (0..12)
            .map(|m| at("2026-12-05 10:00") + TimeDelta::minutes(m))
            .collect();
        recorded.extend((0..9).map(|m| at("2026-12-06 09:00") + TimeDelta::minutes(m)));
        recorded.extend((0..5).map(|m| at("2026-12-07 09:00") + TimeDelta::minutes(m)));

        let times = in_person_publication_times(recorded, at("2026-12-07 12:00"));

        // 12 on the 5th make one step, published at 00:00 on the 6th; 2 + 9 on the 6th
        // complete the second, published at 00:00 on the 7th; today's wait.
        let mut expected = vec![at("2026-12-06 00:00"); 10];
        expected.extend(vec![at("2026-12-07 00:00"); 10]);
        assert_eq!(times, expected);
    }
}
