//! Alerts about unusual signing, sent once per value and wave even with several servers.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::db::schema::review_alerts;
use crate::db::{Connection, write_transaction};

/// Records an alert about a value unless one was sent about it since `since`: `true` when
/// this server is the one to send it.
pub fn claim_alert(
    conn: &mut Connection,
    campaign_id: i64,
    dimension: &str,
    value: &str,
    since: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    write_transaction(conn, |conn| {
        // Servers checking at once take turns on the campaign's row, so only one sends.
        // SQLite's write transaction already runs alone.
        if let Connection::Postgres(_) = conn {
            diesel::sql_query("SELECT id FROM campaigns WHERE id = $1 FOR UPDATE")
                .bind::<BigInt, _>(campaign_id)
                .execute(conn)?;
        }
        let recent: i64 = review_alerts::table
            .filter(review_alerts::campaign_id.eq(campaign_id))
            .filter(review_alerts::dimension.eq(dimension))
            .filter(review_alerts::value.eq(value))
            .filter(review_alerts::sent_at.ge(since))
            .count()
            .get_result(conn)?;
        if recent > 0 {
            return Ok(false);
        }
        diesel::insert_into(review_alerts::table)
            .values((
                review_alerts::campaign_id.eq(campaign_id),
                review_alerts::dimension.eq(dimension),
                review_alerts::value.eq(value),
                review_alerts::sent_at.eq(now),
            ))
            .execute(conn)?;
        Ok(true)
    })
}

/// Every staff account's address and chosen language, for alerts.
pub fn staff_addresses(conn: &mut Connection) -> QueryResult<Vec<(String, Option<String>)>> {
    use crate::db::schema::staff;
    staff::table
        .order(staff::id)
        .select((staff::email, staff::lang))
        .load(conn)
}
