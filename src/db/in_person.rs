//! Events, and the signatures given in person at them (paper sheets, kiosks): stored as
//! counted, de-duplicated against everyone who already signed the campaign.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::Connection;
use super::outbox::{self, MailKind};
use super::schema::{events, signatures};
use super::signature_row::NewSignatureRow;
use crate::domain::{Channel, InPersonSignature};

/// An event of a campaign where people sign in person.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct Event {
    pub id: i64,
    pub campaign_id: i64,
    pub name: String,
    pub place: String,
    pub held_on: Option<NaiveDate>,
    pub source: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub campaign_id: i64,
    pub name: &'a str,
    pub place: &'a str,
    pub held_on: Option<NaiveDate>,
    pub source: Option<&'a str>,
}

pub fn create_event(
    conn: &mut Connection,
    event: &NewEvent<'_>,
    now: NaiveDateTime,
) -> QueryResult<Event> {
    on_each_backend!(conn, |conn| {
        diesel::insert_into(events::table)
            .values((
                events::campaign_id.eq(event.campaign_id),
                events::name.eq(event.name),
                events::place.eq(event.place),
                events::held_on.eq(event.held_on),
                events::source.eq(event.source),
                events::created_at.eq(now),
            ))
            .returning(Event::as_returning())
            .get_result(conn)
    })
}

pub fn event(conn: &mut Connection, id: i64) -> QueryResult<Option<Event>> {
    events::table
        .find(id)
        .select(Event::as_select())
        .first(conn)
        .optional()
}

/// A campaign's events, the latest first.
pub fn events_of_campaign(conn: &mut Connection, campaign_id: i64) -> QueryResult<Vec<Event>> {
    events::table
        .filter(events::campaign_id.eq(campaign_id))
        .order((events::created_at.desc(), events::id.desc()))
        .select(Event::as_select())
        .load(conn)
}

/// What recording an in-person signature did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InPersonRecorded {
    /// It counts now: a new signature, or an online one that was never confirmed.
    Counted { signature_id: i64 },
    /// This person's signature already counted; nothing changed.
    AlreadyCounted { signature_id: i64 },
    /// A kiosk entry with the email of an online signature never confirmed: it stays
    /// pending, since anyone at a kiosk can type anyone's email.
    LeftPending { signature_id: i64 },
}

/// The unique key of a signature within its campaign: the canonical email, or for someone
/// who gave none, their person key.
fn unique_key(signature: &InPersonSignature) -> String {
    match &signature.email {
        Some(email) => email.canonical(),
        None => format!("person:{}", signature.person_key().as_str()),
    }
}

/// The counted signature this person already has in the campaign, if any: by email when
/// they gave one, else (or also) by name, postal code and country.
pub fn duplicate_of(
    conn: &mut Connection,
    signature: &InPersonSignature,
) -> QueryResult<Option<i64>> {
    let by_key = signatures::table
        .filter(signatures::campaign_id.eq(signature.campaign_id))
        .filter(signatures::email_canonical.eq(unique_key(signature)))
        .filter(signatures::confirmed_at.is_not_null())
        .select(signatures::id)
        .first(conn)
        .optional()?;
    if by_key.is_some() {
        return Ok(by_key);
    }
    counted_person(conn, signature)
}

/// A counted signature with the same person key. With an email on both sides the emails
/// decide (two people of one name in one postal code each count); without one, the name does.
fn counted_person(
    conn: &mut Connection,
    signature: &InPersonSignature,
) -> QueryResult<Option<i64>> {
    let person_key = signature.person_key();
    let mut same_person = signatures::table
        .filter(signatures::campaign_id.eq(signature.campaign_id))
        .filter(signatures::person_key.eq(person_key.as_str()))
        .filter(signatures::confirmed_at.is_not_null())
        .filter(signatures::erased_at.is_null())
        .select(signatures::id)
        .into_boxed();
    if signature.email.is_some() {
        same_person = same_person.filter(signatures::email.eq(""));
    }
    same_person.first(conn).optional()
}

/// Records a signature given in person, counted at once, with its welcome email when the
/// signer asked for one. Call it inside a write transaction; an import records all its rows
/// in one.
pub fn record(
    conn: &mut Connection,
    signature: &InPersonSignature,
    now: NaiveDateTime,
) -> QueryResult<InPersonRecorded> {
    let recorded = store(conn, signature, now)?;
    if let InPersonRecorded::Counted { signature_id } = recorded
        && wants_welcome(signature)
    {
        outbox::enqueue(conn, signature_id, MailKind::Welcome, None, now)?;
    }
    Ok(recorded)
}

/// Whether the signer left an email and asked to hear more: a welcome email is owed.
pub fn wants_welcome(signature: &InPersonSignature) -> bool {
    signature.email.is_some() && signature.email_opt_in
}

/// Records a signature given in person, as `record` does, but without its welcome email,
/// for a caller that bounds those itself (a kiosk).
pub fn store(
    conn: &mut Connection,
    signature: &InPersonSignature,
    now: NaiveDateTime,
) -> QueryResult<InPersonRecorded> {
    if let Some(signature_id) = counted_person(conn, signature)? {
        return Ok(InPersonRecorded::AlreadyCounted { signature_id });
    }
    let key = unique_key(signature);
    let inserted: Option<i64> = on_each_backend!(conn, |conn| {
        diesel::insert_into(signatures::table)
            .values(NewSignatureRow::in_person(signature, &key, now))
            .on_conflict((signatures::campaign_id, signatures::email_canonical))
            .do_nothing()
            .returning(signatures::id)
            .get_result(conn)
            .optional()
    })?;
    if let Some(signature_id) = inserted {
        return Ok(InPersonRecorded::Counted { signature_id });
    }

    let (signature_id, confirmed_at, opted_in): (i64, Option<NaiveDateTime>, bool) =
        signatures::table
            .filter(signatures::campaign_id.eq(signature.campaign_id))
            .filter(signatures::email_canonical.eq(&key))
            .select((
                signatures::id,
                signatures::confirmed_at,
                signatures::email_opt_in,
            ))
            .first(conn)?;
    if confirmed_at.is_some() {
        return Ok(InPersonRecorded::AlreadyCounted { signature_id });
    }
    // A kiosk is unattended at times, and whoever stands at it can type any email: only
    // the mailbox's owner confirms an online signature, by its link.
    if signature.channel == Channel::Kiosk {
        return Ok(InPersonRecorded::LeftPending { signature_id });
    }
    // They signed online and never confirmed; signing on paper, which staff type in from a
    // sheet a volunteer saw filled, confirms it.
    diesel::update(signatures::table.find(signature_id))
        .set((
            signatures::recorded_at.eq(now),
            signatures::confirmed_at.eq(signature.signed_at.at()),
            signatures::channel.eq(signature.channel.as_str()),
            signatures::event_id.eq(signature.event_id),
            signatures::source.eq(signature.source.as_ref().map(|s| s.as_str())),
            signatures::email_opt_in.eq(opted_in || signature.email_opt_in),
        ))
        .execute(conn)?;
    Ok(InPersonRecorded::Counted { signature_id })
}

/// After an online signature is confirmed: if the same person (by name, postal code and
/// country) already counted in person without an email, the two become one. The online
/// signature stays, since its confirmation stands on its own: undoing a bad paper batch
/// later must not take it away. The in-person row, which holds nothing the online one
/// lacks but its event, goes.
pub(super) fn merge_confirmed_online(conn: &mut Connection, online_id: i64) -> QueryResult<()> {
    let online: Option<(i64, Option<String>)> = signatures::table
        .find(online_id)
        .filter(signatures::channel.eq(Channel::Online.as_str()))
        .select((signatures::campaign_id, signatures::person_key))
        .first(conn)
        .optional()?;
    let Some((campaign_id, Some(person_key))) = online else {
        return Ok(());
    };
    let in_person: Vec<i64> = signatures::table
        .filter(signatures::campaign_id.eq(campaign_id))
        .filter(signatures::person_key.eq(&person_key))
        .filter(signatures::channel.ne(Channel::Online.as_str()))
        .filter(signatures::email.eq(""))
        .filter(signatures::confirmed_at.is_not_null())
        .filter(signatures::erased_at.is_null())
        .select(signatures::id)
        .load(conn)?;
    for id in in_person {
        super::deletion::delete_signature(conn, id)?;
    }
    Ok(())
}
