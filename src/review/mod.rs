//! Reviewing a campaign's signatures, the use cases: the signals taken at signing, the
//! invalidations run in batches in the background, and the alerts that tell staff a wave
//! is under way. See the README's "Reviewing a campaign's signatures".

mod alerts;
pub mod asking;
mod invalidation;
mod signals;

pub use alerts::Alerts;
pub use invalidation::{Invalidator, conditions_json, network_hashes};
pub use signals::Signaller;

use chrono::{DurationRound, NaiveDateTime, TimeDelta};

use crate::cache::review_baselines::ReviewBaselines;
use crate::db::review::{Invalidation, SampleRow};
use crate::db::{Connection, review};
use crate::domain::{Conditions, Trend, unusual};

/// How far back the review page looks for what is unusual now.
pub const RECENT: TimeDelta = TimeDelta::hours(24);
/// What the campaign's own past is measured over, before that.
pub const BASELINE: TimeDelta = TimeDelta::days(7);

/// What is unusual in a campaign's last day against the week before it. The day starts on
/// the hour, so that the week before it stays the same for an hour and is read once.
pub fn trends(
    conn: &mut Connection,
    baselines: &ReviewBaselines,
    campaign_id: i64,
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<Trend>> {
    let since = (now - RECENT)
        .duration_trunc(TimeDelta::hours(1))
        .unwrap_or(now - RECENT);
    // Servers' clocks differ by seconds; a signature stamped ahead of this one's still counts.
    let recent = review::hourly_counts(conn, campaign_id, since, now + RECENT)?;
    let usual = baselines.get(conn, campaign_id, since - BASELINE, since)?;
    Ok(unusual(&recent, &usual))
}

/// Signatures of a search shown before anything is done.
const SAMPLE: i64 = 10;

/// What a search found: how many, a few of them, and how many the campaign still counts.
pub struct Found {
    pub conditions: Conditions,
    pub count: i64,
    pub sample: Vec<SampleRow>,
    pub counted: i64,
}

/// Everything the review page of a campaign shows, read in one go.
pub struct Overview {
    pub trends: Vec<Trend>,
    pub found: Option<Found>,
    pub invalidations: Vec<Invalidation>,
    pub flagged: i64,
    /// "This wasn't me" reports of the last day, by email domain.
    pub reports: Vec<(String, i64)>,
}

pub fn overview(
    conn: &mut Connection,
    baselines: &ReviewBaselines,
    campaign_id: i64,
    search: Option<Conditions>,
    now: NaiveDateTime,
) -> diesel::QueryResult<Overview> {
    let found = match search {
        Some(conditions) => Some(Found {
            count: review::matching_count(conn, campaign_id, &conditions)?,
            sample: review::sample(conn, campaign_id, &conditions, SAMPLE)?,
            counted: review::still_counted(conn, campaign_id)?,
            conditions,
        }),
        None => None,
    };
    Ok(Overview {
        trends: trends(conn, baselines, campaign_id, now)?,
        found,
        invalidations: review::invalidations_of(conn, campaign_id)?,
        flagged: review::flagged(conn, campaign_id)?,
        reports: review::reports_by_domain(conn, campaign_id, now - RECENT)?,
    })
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;

    use super::*;
    use crate::db::testing::Recorder;
    use crate::db::{Database, DatabaseUrl};

    fn reads_of_signatures(recorder: &Recorder) -> usize {
        let mut statements = recorder.0.lock().expect("the recorder");
        let reads = statements
            .iter()
            .filter(|sql| sql.contains("FROM signatures"))
            .count();
        statements.clear();
        reads
    }

    #[test]
    fn the_review_reads_the_week_before_once_an_hour_and_the_last_day_each_time() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = Database::open(&DatabaseUrl::Sqlite(dir.path().join("review.db")), 2)
            .expect("the database opens");
        db.migrate().expect("migrations apply");
        let mut conn = db.dedicated_connection().expect("a connection");
        conn.batch_execute(
            "INSERT INTO campaigns (id, slug, default_lang, goal, default_country, created_at, updated_at)
                 VALUES (1, 'wave', 'es', 100, 'MX', '2026-11-01 00:00:00', '2026-11-01 00:00:00');",
        )
        .expect("a campaign");
        let recorder = Recorder::default();
        diesel::Connection::set_instrumentation(&mut conn, recorder.clone());
        let baselines = ReviewBaselines::default();
        let now = NaiveDateTime::parse_from_str("2026-12-07 10:20:00", "%Y-%m-%d %H:%M:%S")
            .expect("a time");

        trends(&mut conn, &baselines, 1, now).expect("the first look");
        assert_eq!(
            reads_of_signatures(&recorder),
            2,
            "the last day and the week"
        );
        trends(&mut conn, &baselines, 1, now + TimeDelta::minutes(30)).expect("a look later");
        assert_eq!(reads_of_signatures(&recorder), 1, "the week is kept");
        trends(&mut conn, &baselines, 1, now + TimeDelta::hours(1)).expect("the next hour");
        assert_eq!(reads_of_signatures(&recorder), 2, "a new hour, a new week");
        baselines.forget(1);
        trends(&mut conn, &baselines, 1, now + TimeDelta::hours(1)).expect("after a change");
        assert_eq!(
            reads_of_signatures(&recorder),
            2,
            "a forgotten week is read again"
        );
    }
}
