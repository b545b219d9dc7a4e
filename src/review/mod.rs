//! Reviewing a campaign's signatures, the use cases: the signals taken at signing, the
//! invalidations run in batches in the background, and the alerts that tell staff a wave
//! is under way. See the README's "Reviewing a campaign's signatures".

mod alerts;
mod invalidation;
mod signals;

pub use alerts::Alerts;
pub use invalidation::{Invalidator, conditions_json, network_hashes};
pub use signals::Signaller;

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::{Connection, review};
use crate::domain::{Trend, unusual};

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
