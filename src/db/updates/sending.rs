//! Sending an update: the request and its cancel window, and its recipients queued in the
//! outbox a batch at a time.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::UpdateRow;
use crate::db::outbox::NewMail;
use crate::db::schema::{campaign_updates, campaigns, outbox, signatures};
use crate::db::{Connection, write_transaction};
use crate::domain::{TooSoon, may_send};

/// What became of a request to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendRequest {
    /// Its recipients are being queued.
    Started,
    AlreadySent,
    TooSoon(TooSoon),
    NotFound,
}

impl UpdateRow {
    /// Sent, but not yet taken by the queue: staff may still cancel it.
    pub fn cancellable(&self) -> bool {
        self.sent_at.is_some() && self.queued_through == 0 && self.queued_at.is_none()
    }
}

/// Marks an update as sent by `actor`, if the campaign's last update went long enough ago
/// or staff confirmed an override. Its recipients are queued in the background from
/// `starts_at`, a few minutes on, so that staff can still cancel it until then.
pub fn request_send(
    conn: &mut Connection,
    campaign_id: i64,
    update_id: i64,
    actor: &str,
    override_confirmed: bool,
    now: NaiveDateTime,
    starts_at: NaiveDateTime,
) -> QueryResult<SendRequest> {
    write_transaction(conn, |conn| {
        // Two staff sending at once on PostgreSQL take turns here, so the rule holds.
        if let Connection::Postgres(pg) = conn {
            campaigns::table
                .find(campaign_id)
                .select(campaigns::id)
                .for_update()
                .first::<i64>(pg)
                .optional()?;
        }
        let sent_at: Option<Option<NaiveDateTime>> = campaign_updates::table
            .filter(campaign_updates::id.eq(update_id))
            .filter(campaign_updates::campaign_id.eq(campaign_id))
            .select(campaign_updates::sent_at)
            .first(conn)
            .optional()?;
        match sent_at {
            None => return Ok(SendRequest::NotFound),
            Some(Some(_)) => return Ok(SendRequest::AlreadySent),
            Some(None) => {}
        }
        let last_sent: Option<NaiveDateTime> = campaign_updates::table
            .filter(campaign_updates::campaign_id.eq(campaign_id))
            .select(diesel::dsl::max(campaign_updates::sent_at))
            .first(conn)?;
        if let Err(too_soon) = may_send(last_sent, now, override_confirmed) {
            return Ok(SendRequest::TooSoon(too_soon));
        }
        diesel::update(campaign_updates::table.find(update_id))
            .set((
                campaign_updates::sent_at.eq(starts_at),
                campaign_updates::sent_by.eq(actor),
            ))
            .execute(conn)?;
        Ok(SendRequest::Started)
    })
}

/// Takes back a sent update that the queue has not yet taken: nothing of it was queued,
/// and it can be edited and sent again. Returns false when it is too late (or there is no
/// such update). The condition is checked in the same statement that clears it: on
/// PostgreSQL a queue holding the row makes this wait, then see that it was taken.
pub fn cancel_send(conn: &mut Connection, campaign_id: i64, update_id: i64) -> QueryResult<bool> {
    let cancelled = diesel::update(
        campaign_updates::table
            .filter(campaign_updates::id.eq(update_id))
            .filter(campaign_updates::campaign_id.eq(campaign_id))
            .filter(campaign_updates::sent_at.is_not_null())
            .filter(campaign_updates::queued_through.eq(0))
            .filter(campaign_updates::queued_at.is_null()),
    )
    .set((
        campaign_updates::sent_at.eq(None::<NaiveDateTime>),
        campaign_updates::sent_by.eq(None::<String>),
    ))
    .execute(conn)?;
    Ok(cancelled == 1)
}

/// The signers an update reaches: confirmed, asked to hear more, neither unsubscribed nor
/// erased, not removed from the count by a review, and with an email (someone who signed a
/// paper sheet may have ticked the box without one). A signature a review invalidated is
/// not one the campaign stands behind, so it hears nothing more from it.
#[diesel::dsl::auto_type]
fn reachable() -> _ {
    let no_email: &'static str = "";
    signatures::confirmed_at
        .is_not_null()
        .and(signatures::email_opt_in.eq(true))
        .and(signatures::opted_out_at.is_null())
        .and(signatures::erased_at.is_null())
        .and(signatures::invalidation_id.is_null())
        .and(signatures::email.ne(no_email))
}

/// How many people an update of the campaign would go to now.
pub fn recipient_count(conn: &mut Connection, campaign_id: i64) -> QueryResult<i64> {
    signatures::table
        .filter(signatures::campaign_id.eq(campaign_id))
        .filter(reachable())
        .count()
        .get_result(conn)
}

/// Queues the next batch of one sent update's recipients (see `reachable`). Returns
/// how many were queued, and whether any update still has recipients to queue.
pub fn queue_recipients(
    conn: &mut Connection,
    batch: i64,
    now: NaiveDateTime,
) -> QueryResult<(usize, bool)> {
    write_transaction(conn, |conn| {
        // An update is taken once its cancel window has passed.
        let sending = campaign_updates::table
            .filter(campaign_updates::sent_at.le(now))
            .filter(campaign_updates::queued_at.is_null())
            .order(campaign_updates::id)
            .select((
                campaign_updates::id,
                campaign_updates::campaign_id,
                campaign_updates::queued_through,
            ))
            .limit(1);
        let found: Option<(i64, i64, i64)> = match conn {
            Connection::Sqlite(conn) => sending.first(conn).optional()?,
            // Servers sharing the database queue different updates, or take turns.
            Connection::Postgres(conn) => {
                sending.for_update().skip_locked().first(conn).optional()?
            }
        };
        let Some((update_id, campaign_id, queued_through)) = found else {
            return Ok((0, false));
        };
        let recipients: Vec<i64> = signatures::table
            .filter(signatures::campaign_id.eq(campaign_id))
            .filter(signatures::id.gt(queued_through))
            .filter(reachable())
            .order(signatures::id)
            .limit(batch)
            .select(signatures::id)
            .load(conn)?;
        let rows: Vec<_> = recipients
            .iter()
            .map(|&signature_id| NewMail::update(signature_id, update_id, now))
            .collect();
        if !rows.is_empty() {
            on_each_backend!(conn, |conn| diesel::insert_into(outbox::table)
                .values(&rows)
                .execute(conn))?;
        }
        let done = i64::try_from(recipients.len()).unwrap_or(i64::MAX) < batch;
        let last = recipients.last().copied().unwrap_or(queued_through);
        diesel::update(campaign_updates::table.find(update_id))
            .set((
                campaign_updates::queued_through.eq(last),
                campaign_updates::queued_at.eq(done.then_some(now)),
            ))
            .execute(conn)?;
        Ok((recipients.len(), true))
    })
}
