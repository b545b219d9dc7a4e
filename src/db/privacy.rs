//! Erasure, retention and consent: personal data leaves the database files, counts stay.

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::schema::{campaigns, confirmation_tokens, outbox, signatures};
use super::{Connection, consents};

/// Blanks the personal data of the given signatures, removes their tokens and unsent mail,
/// and returns how many were erased. Rows stay, with their campaign, country, source and
/// confirmation time, so counts do not change.
fn erase_ids(conn: &mut Connection, ids: &[i64], now: NaiveDateTime) -> QueryResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    diesel::delete(
        confirmation_tokens::table.filter(confirmation_tokens::signature_id.eq_any(ids)),
    )
    .execute(conn)?;
    diesel::delete(outbox::table.filter(outbox::signature_id.eq_any(ids))).execute(conn)?;
    consents::delete_of(conn, ids)?;
    let mut erased = 0;
    for id in ids {
        erased += diesel::update(signatures::table.find(id))
            .set((
                signatures::first_name.eq(""),
                signatures::last_name.eq(""),
                signatures::email.eq(""),
                // Unique per campaign like a real address, and tied to nothing.
                signatures::email_canonical.eq(format!("erased:{id}")),
                signatures::postal_code.eq(None::<String>),
                signatures::person_key.eq(None::<String>),
                signatures::comment.eq(None::<String>),
                signatures::email_opt_in.eq(false),
                signatures::erased_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(erased)
}

#[derive(QueryableByName)]
struct CheckpointResult {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    busy: i32,
}

/// Makes overwritten and deleted personal data leave the database's files, as far as each
/// backend allows. Runs after the erasing transaction has committed.
///
/// SQLite: copies every committed page from the write-ahead log into the database file and
/// empties the log (`secure_delete` has zeroed the old content). A reader still on an older
/// snapshot makes SQLite report "busy"; it is asked again until the log is empty.
///
/// PostgreSQL keeps old row versions in the table files until `VACUUM` removes them; this
/// runs it on the tables that held the data. Their bytes may linger in free space and in
/// write-ahead log segments until overwritten or recycled (the README says so).
pub fn checkpoint(conn: &mut Connection) -> QueryResult<bool> {
    if let Connection::Postgres(conn) = conn {
        conn.batch_execute("VACUUM signatures, confirmation_tokens, outbox, partner_consents")?;
        return Ok(true);
    }
    for _ in 0..50 {
        let result: CheckpointResult =
            diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").get_result(conn)?;
        if result.busy == 0 {
            return Ok(true);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    tracing::warn!(
        "the write-ahead log could not be emptied; erased data may remain in it until the next checkpoint"
    );
    Ok(false)
}

/// Erases every signature of this canonical email, in one campaign or all.
pub fn erase_email(
    conn: &mut Connection,
    canonical_email: &str,
    campaign_id: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let erased = super::write_transaction(conn, |conn| {
        let mut query = signatures::table
            .filter(signatures::email_canonical.eq(canonical_email))
            .select(signatures::id)
            .into_boxed();
        if let Some(campaign_id) = campaign_id {
            query = query.filter(signatures::campaign_id.eq(campaign_id));
        }
        let ids: Vec<i64> = query.load(conn)?;
        erase_ids(conn, &ids, now)
    })?;
    checkpoint(conn)?;
    Ok(erased)
}

/// Deletes signatures never confirmed by `cutoff`, with their tokens and mail.
pub fn purge_unconfirmed(conn: &mut Connection, cutoff: NaiveDateTime) -> QueryResult<usize> {
    let purged = super::write_transaction(conn, |conn| {
        let stale = signatures::table
            .filter(signatures::confirmed_at.is_null())
            .filter(signatures::created_at.lt(cutoff))
            .select(signatures::id);
        let ids: Vec<i64> = stale.load(conn)?;
        if ids.is_empty() {
            return Ok(0);
        }
        diesel::delete(
            confirmation_tokens::table.filter(confirmation_tokens::signature_id.eq_any(&ids)),
        )
        .execute(conn)?;
        diesel::delete(outbox::table.filter(outbox::signature_id.eq_any(&ids))).execute(conn)?;
        consents::delete_of(conn, &ids)?;
        diesel::delete(signatures::table.filter(signatures::id.eq_any(&ids))).execute(conn)
    })?;
    if purged > 0 {
        checkpoint(conn)?;
    }
    Ok(purged)
}

/// Erases the personal data of campaigns closed before `cutoff` (closed by staff, or past
/// their closing date), keeping their counts.
pub fn anonymise_closed(conn: &mut Connection, cutoff: NaiveDateTime) -> QueryResult<usize> {
    let erased = super::write_transaction(conn, |conn| {
        let closed: Vec<i64> = campaigns::table
            .filter(
                campaigns::closes_at.lt(cutoff).or(campaigns::is_open
                    .eq(false)
                    .and(campaigns::updated_at.lt(cutoff))),
            )
            .select(campaigns::id)
            .load(conn)?;
        let ids: Vec<i64> = signatures::table
            .filter(signatures::campaign_id.eq_any(&closed))
            .filter(signatures::erased_at.is_null())
            .select(signatures::id)
            .load(conn)?;
        erase_ids(conn, &ids, cutoff)
    })?;
    if erased > 0 {
        checkpoint(conn)?;
    }
    Ok(erased)
}

/// Withdraws a signer's consent to hear more, from the organisation and from every partner
/// alike: the link in one organisation's email speaks for all. Returns whether the
/// signature exists.
pub fn opt_out(conn: &mut Connection, signature_id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    super::write_transaction(conn, |conn| {
        let updated = diesel::update(signatures::table.find(signature_id))
            .set((
                signatures::email_opt_in.eq(false),
                signatures::opted_out_at.eq(now),
            ))
            .execute(conn)?;
        consents::withdraw_all(conn, signature_id, now)?;
        Ok(updated > 0)
    })
}
