//! Batches of paper signatures: each is an event, typed in or imported by staff, and undone
//! as a whole when a sheet turns out to be bad.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Connection;
use super::in_person::{self, Event, NewEvent};
use super::schema::{confirmation_tokens, events, signatures};
use crate::domain::Channel;

/// An event as the paper page lists it: who started it, whether it was undone, and how many
/// paper signatures it holds.
#[derive(Debug, Clone)]
pub struct Batch {
    pub event: Event,
    pub created_by: String,
    pub undone_at: Option<NaiveDateTime>,
    pub undone_by: String,
    pub paper_signatures: i64,
}

/// Creates the event of a new batch, naming the staff member (or the command line) behind it.
pub fn create_batch(
    conn: &mut Connection,
    event: &NewEvent<'_>,
    created_by: &str,
    now: NaiveDateTime,
) -> QueryResult<Event> {
    let event = in_person::create_event(conn, event, now)?;
    diesel::update(events::table.find(event.id))
        .set(events::created_by.eq(created_by))
        .execute(conn)?;
    Ok(event)
}

/// A campaign's paper batches, the latest first, with their paper signatures counted: the
/// events staff started for paper, and any other (a kiosk's) that paper was entered into.
pub fn batches(conn: &mut Connection, campaign_id: i64) -> QueryResult<Vec<Batch>> {
    let extra: Vec<(i64, String, Option<NaiveDateTime>, String)> = events::table
        .filter(events::campaign_id.eq(campaign_id))
        .select((
            events::id,
            events::created_by,
            events::undone_at,
            events::undone_by,
        ))
        .load(conn)?;
    let counts: Vec<(Option<i64>, i64)> = signatures::table
        .filter(signatures::campaign_id.eq(campaign_id))
        .filter(signatures::channel.eq(Channel::Paper.as_str()))
        .filter(signatures::event_id.is_not_null())
        .group_by(signatures::event_id)
        .select((signatures::event_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(in_person::events_of_campaign(conn, campaign_id)?
        .into_iter()
        .map(|event| {
            let (created_by, undone_at, undone_by) = extra
                .iter()
                .find(|(id, ..)| *id == event.id)
                .map(|(_, by, at, undone_by)| (by.clone(), *at, undone_by.clone()))
                .unwrap_or_default();
            let paper_signatures = counts
                .iter()
                .find(|(id, _)| *id == Some(event.id))
                .map_or(0, |(_, n)| *n);
            Batch {
                event,
                created_by,
                undone_at,
                undone_by,
                paper_signatures,
            }
        })
        .filter(|batch| !batch.created_by.is_empty() || batch.paper_signatures > 0)
        .collect())
}

/// One batch of a campaign, if it is the campaign's.
pub fn batch(conn: &mut Connection, campaign_id: i64, event_id: i64) -> QueryResult<Option<Batch>> {
    Ok(batches(conn, campaign_id)?
        .into_iter()
        .find(|batch| batch.event.id == event_id))
}

/// The batch of this name that is still in force, so that importing into "the same event"
/// again from the command line adds to it instead of starting another.
pub fn open_batch_named(
    conn: &mut Connection,
    campaign_id: i64,
    name: &str,
) -> QueryResult<Option<Event>> {
    let id: Option<i64> = events::table
        .filter(events::campaign_id.eq(campaign_id))
        .filter(events::name.eq(name))
        .filter(events::undone_at.is_null())
        .order(events::id.desc())
        .select(events::id)
        .first(conn)
        .optional()?;
    match id {
        Some(id) => in_person::event(conn, id),
        None => Ok(None),
    }
}

/// What undoing a batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Undone {
    /// Signatures the batch had added, now gone with their emails.
    pub removed: usize,
    /// Online signatures the batch had confirmed, waiting for their email confirmation again.
    pub reopened: usize,
}

/// Takes a batch's paper signatures back out of the count. Call it inside a write
/// transaction. A signature that began online and was confirmed by the sheet goes back to
/// waiting for its email confirmation; the rest go. Undoing twice does nothing more.
pub fn undo_batch(
    conn: &mut Connection,
    event_id: i64,
    undone_by: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Undone>> {
    let undone = diesel::update(
        events::table
            .find(event_id)
            .filter(events::undone_at.is_null()),
    )
    .set((events::undone_at.eq(now), events::undone_by.eq(undone_by)))
    .execute(conn)?;
    if undone == 0 {
        return Ok(None);
    }
    let of_batch = signatures::table
        .filter(signatures::event_id.eq(event_id))
        .filter(signatures::channel.eq(Channel::Paper.as_str()))
        .select(signatures::id);
    let rows: Vec<i64> = of_batch.load(conn)?;
    let began_online: Vec<i64> = confirmation_tokens::table
        .filter(confirmation_tokens::signature_id.eq_any(of_batch))
        .select(confirmation_tokens::signature_id)
        .distinct()
        .load(conn)?;
    let mut result = Undone::default();
    for id in rows {
        if began_online.contains(&id) {
            diesel::update(signatures::table.find(id))
                .set((
                    signatures::confirmed_at.eq(None::<NaiveDateTime>),
                    signatures::channel.eq(Channel::Online.as_str()),
                    signatures::event_id.eq(None::<i64>),
                ))
                .execute(conn)?;
            result.reopened += 1;
        } else {
            super::deletion::delete_signature(conn, id)?;
            result.removed += 1;
        }
    }
    Ok(Some(result))
}
