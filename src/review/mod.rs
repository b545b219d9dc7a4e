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

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::review::{Invalidation, SampleRow};
use crate::db::{Connection, review};
use crate::domain::{Conditions, Trend, unusual};

/// How far back the review page looks for what is unusual now.
pub const RECENT: TimeDelta = TimeDelta::hours(24);
/// What the campaign's own past is measured over, before that.
pub const BASELINE: TimeDelta = TimeDelta::days(7);

/// What is unusual in a campaign's last day against the week before it.
pub fn trends(
    conn: &mut Connection,
    campaign_id: i64,
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<Trend>> {
    let since = now - RECENT;
    let recent = review::hourly_counts(conn, campaign_id, since)?;
    let usual = review::baseline(conn, campaign_id, since - BASELINE, since)?;
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
        trends: trends(conn, campaign_id, now)?,
        found,
        invalidations: review::invalidations_of(conn, campaign_id)?,
        flagged: review::flagged(conn, campaign_id)?,
        reports: review::reports_by_domain(conn, campaign_id, now - RECENT)?,
    })
}
