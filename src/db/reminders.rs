//! Reminders: the one email a signer who has not confirmed gets, with a fresh link.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::outbox::{self, MailKind};
use super::schema::{campaigns, signatures};
use super::signatures::insert_token;
use super::{Connection, write_transaction};
use crate::domain::IssuedToken;

/// Campaigns that take signatures at `now` and are not paused. There are few campaigns,
/// so their ids are read once rather than joined into every query.
fn open_campaigns(conn: &mut Connection, now: NaiveDateTime) -> QueryResult<Vec<i64>> {
    campaigns::table
        .filter(campaigns::is_open.eq(true))
        .filter(
            campaigns::closes_at
                .is_null()
                .or(campaigns::closes_at.gt(now)),
        )
        .filter(campaigns::paused_at.is_null())
        .select(campaigns::id)
        .load(conn)
}

/// Up to `limit` signatures owed a reminder: signed before `signed_before`, still not
/// confirmed, never reminded, neither erased nor opted out, on a campaign open at `now`.
pub fn awaiting(
    conn: &mut Connection,
    signed_before: NaiveDateTime,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<i64>> {
    let open = open_campaigns(conn, now)?;
    signatures::table
        .filter(signatures::confirmed_at.is_null())
        .filter(signatures::reminded_at.is_null())
        .filter(signatures::created_at.le(signed_before))
        .filter(signatures::erased_at.is_null())
        .filter(signatures::opted_out_at.is_null())
        .filter(signatures::campaign_id.eq_any(&open))
        .order(signatures::created_at)
        .limit(limit)
        .select(signatures::id)
        .load(conn)
}

/// Queues a reminder for each signature with its new token, marking the signature in the
/// same transaction. Conditions are checked again, so a signature confirmed, reminded or
/// whose campaign closed since `awaiting` read it is left alone. Returns how many were queued.
pub fn record(
    conn: &mut Connection,
    reminders: &[(i64, IssuedToken)],
    now: NaiveDateTime,
) -> QueryResult<usize> {
    write_transaction(conn, |conn| {
        let open = open_campaigns(conn, now)?;
        let mut queued = 0;
        for (signature_id, token) in reminders {
            let marked = diesel::update(
                signatures::table
                    .filter(signatures::id.eq(signature_id))
                    .filter(signatures::confirmed_at.is_null())
                    .filter(signatures::reminded_at.is_null())
                    .filter(signatures::erased_at.is_null())
                    .filter(signatures::campaign_id.eq_any(&open)),
            )
            .set(signatures::reminded_at.eq(now))
            .execute(conn)?;
            if marked == 1 {
                insert_token(conn, *signature_id, token, now)?;
                outbox::enqueue(
                    conn,
                    *signature_id,
                    MailKind::Reminder,
                    Some(&token.nonce),
                    now,
                )?;
                queued += 1;
            }
        }
        Ok(queued)
    })
}
