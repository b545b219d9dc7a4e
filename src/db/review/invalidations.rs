//! Invalidations: created from a search, run in batches, cancelled, undone, and their
//! standing for the delivery manifest.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{BATCH, lower};
use crate::db::schema::{invalidations, signatures};
use crate::db::{Connection, write_transaction};
use crate::domain::Conditions;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invalidations)]
pub struct Invalidation {
    pub id: i64,
    pub campaign_id: i64,
    pub conditions: String,
    pub reason: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub through_id: i64,
    /// Signatures this invalidation took out so far.
    pub affected: i64,
    /// When its batches ended: all done, cancelled, or (after an undo) all put back.
    pub finished_at: Option<NaiveDateTime>,
    pub cancelled_at: Option<NaiveDateTime>,
    pub undone_at: Option<NaiveDateTime>,
    pub undone_by: Option<String>,
}

impl Invalidation {
    pub fn running(&self) -> bool {
        self.finished_at.is_none()
    }
}

pub fn create_invalidation(
    conn: &mut Connection,
    campaign_id: i64,
    conditions: &str,
    reason: &str,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    on_each_backend!(conn, |conn| diesel::insert_into(invalidations::table)
        .values((
            invalidations::campaign_id.eq(campaign_id),
            invalidations::conditions.eq(conditions),
            invalidations::reason.eq(reason),
            invalidations::created_by.eq(by),
            invalidations::created_at.eq(now),
        ))
        .returning(invalidations::id)
        .get_result(conn))
}

pub fn invalidations_of(conn: &mut Connection, campaign_id: i64) -> QueryResult<Vec<Invalidation>> {
    invalidations::table
        .filter(invalidations::campaign_id.eq(campaign_id))
        .order(invalidations::id.desc())
        .select(Invalidation::as_select())
        .load(conn)
}

pub fn invalidation(
    conn: &mut Connection,
    campaign_id: i64,
    id: i64,
) -> QueryResult<Option<Invalidation>> {
    invalidations::table
        .filter(invalidations::campaign_id.eq(campaign_id))
        .find(id)
        .select(Invalidation::as_select())
        .first(conn)
        .optional()
}

/// Invalidations whose batches are not done, on any campaign.
pub fn unfinished(conn: &mut Connection) -> QueryResult<Vec<Invalidation>> {
    invalidations::table
        .filter(invalidations::finished_at.is_null())
        .order(invalidations::id)
        .select(Invalidation::as_select())
        .load(conn)
}

/// Runs one batch of an unfinished invalidation (or of its undoing) and says whether more
/// remain. Only signatures no other invalidation took are taken, so two servers running
/// overlapping invalidations count each signature once.
pub fn run_batch(
    conn: &mut Connection,
    invalidation: &Invalidation,
    conditions: &Conditions,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let id = invalidation.id;
    if invalidation.undone_at.is_some() {
        return write_transaction(conn, |conn| {
            let ids: Vec<i64> = signatures::table
                .filter(signatures::invalidation_id.eq(id))
                .select(signatures::id)
                .limit(BATCH)
                .load(conn)?;
            diesel::update(
                signatures::table
                    .filter(signatures::id.eq_any(&ids))
                    .filter(signatures::invalidation_id.eq(id)),
            )
            .set(signatures::invalidation_id.eq(None::<i64>))
            .execute(conn)?;
            let more = ids.len() as i64 == BATCH;
            if !more {
                finish(conn, id, true, now)?;
            }
            Ok(more)
        });
    }
    write_transaction(conn, |conn| {
        let ids: Vec<i64> = matching!(invalidation.campaign_id, conditions)
            .filter(signatures::id.gt(invalidation.through_id))
            .order(signatures::id)
            .limit(BATCH)
            .select(signatures::id)
            .load(conn)?;
        // The last batch may find nothing left to take.
        let taken = if ids.is_empty() {
            0
        } else {
            diesel::update(
                signatures::table
                    .filter(signatures::id.eq_any(&ids))
                    .filter(signatures::invalidation_id.is_null()),
            )
            .set(signatures::invalidation_id.eq(id))
            .execute(conn)?
        };
        let through = ids.last().copied().unwrap_or(invalidation.through_id);
        // Another server may be running this same batch: progress only moves forward, and
        // only the rows this one took are added.
        diesel::update(
            invalidations::table
                .find(id)
                .filter(invalidations::finished_at.is_null()),
        )
        .set((
            invalidations::through_id.eq(through),
            invalidations::affected.eq(invalidations::affected + taken as i64),
        ))
        .execute(conn)?;
        let more = ids.len() as i64 == BATCH;
        if !more {
            finish(conn, id, false, now)?;
        }
        Ok(more)
    })
}

/// Marks the batches done, unless staff undid (or took back) the invalidation meanwhile:
/// an undo asked for while the last batch ran must still put everything back.
fn finish(conn: &mut Connection, id: i64, undoing: bool, now: NaiveDateTime) -> QueryResult<()> {
    let unfinished = invalidations::table
        .find(id)
        .filter(invalidations::finished_at.is_null());
    if undoing {
        diesel::update(unfinished.filter(invalidations::undone_at.is_not_null()))
            .set(invalidations::finished_at.eq(now))
            .execute(conn)?;
    } else {
        diesel::update(unfinished.filter(invalidations::undone_at.is_null()))
            .set(invalidations::finished_at.eq(now))
            .execute(conn)?;
    }
    Ok(())
}

/// Stops a running invalidation after the batch under way; what it took stays out until it
/// is undone. `false` when it was not running.
pub fn cancel(
    conn: &mut Connection,
    campaign_id: i64,
    id: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        invalidations::table
            .filter(invalidations::campaign_id.eq(campaign_id))
            .find(id)
            .filter(invalidations::finished_at.is_null())
            .filter(invalidations::undone_at.is_null()),
    )
    .set((
        invalidations::cancelled_at.eq(now),
        invalidations::finished_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}

/// Starts putting an invalidation's signatures back, in batches. `false` when it was
/// already undone.
pub fn undo(
    conn: &mut Connection,
    campaign_id: i64,
    id: i64,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        invalidations::table
            .filter(invalidations::campaign_id.eq(campaign_id))
            .find(id)
            .filter(invalidations::undone_at.is_null()),
    )
    .set((
        invalidations::undone_at.eq(now),
        invalidations::undone_by.eq(by),
        invalidations::finished_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}

/// The invalidations that took signatures out of a campaign and stand: when, why, how many,
/// for the delivery manifest.
pub fn standing(
    conn: &mut Connection,
    campaign_id: i64,
) -> QueryResult<Vec<(NaiveDateTime, String, i64)>> {
    let standing: Vec<(i64, NaiveDateTime, String)> = invalidations::table
        .filter(invalidations::campaign_id.eq(campaign_id))
        .filter(invalidations::undone_at.is_null())
        .order(invalidations::id)
        .select((
            invalidations::id,
            invalidations::created_at,
            invalidations::reason,
        ))
        .load(conn)?;
    let mut rows = Vec::new();
    for (id, created_at, reason) in standing {
        // Counted afresh: the rows as they stand in the pack's own snapshot.
        let taken: i64 = signatures::table
            .filter(signatures::invalidation_id.eq(id))
            .filter(signatures::confirmed_at.is_not_null())
            .filter(signatures::erased_at.is_null())
            .count()
            .get_result(conn)?;
        if taken > 0 {
            rows.push((created_at, reason, taken));
        }
    }
    Ok(rows)
}
