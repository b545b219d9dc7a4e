//! The outbox as operators and staff watch it: what waits, since when, and what failed.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Connection;
use super::schema::{outbox, signatures};

/// The outbox as operators watch it.
#[derive(Debug, Clone, Copy)]
pub struct OutboxStats {
    /// Emails waiting to be sent, and when the oldest of them was queued. An update's
    /// emails are sent slowly on purpose, so the oldest is looked for among the others.
    pub waiting: i64,
    pub oldest_waiting: Option<NaiveDateTime>,
    /// Emails given up on.
    pub failed: i64,
}

pub fn stats(conn: &mut Connection) -> QueryResult<OutboxStats> {
    let waiting = outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::failed_at.is_null())
        .count()
        .get_result(conn)?;
    let oldest_waiting = outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::failed_at.is_null())
        .filter(outbox::update_id.is_null())
        .select(diesel::dsl::min(outbox::created_at))
        .first(conn)?;
    let failed = outbox::table
        .filter(outbox::failed_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok(OutboxStats {
        waiting,
        oldest_waiting,
        failed,
    })
}

/// Emails to a campaign's signers that were given up on. Read from the few failed emails
/// (an index holds only those), not from the campaign's signatures, which may be millions.
pub fn failed_for_campaign(conn: &mut Connection, campaign_id: i64) -> QueryResult<i64> {
    outbox::table
        .filter(outbox::failed_at.is_not_null())
        .filter(diesel::dsl::exists(
            signatures::table
                .filter(signatures::id.eq(outbox::signature_id))
                .filter(signatures::campaign_id.eq(campaign_id)),
        ))
        .count()
        .get_result(conn)
}
