//! Events, and the signatures given in person at them (paper sheets, kiosks): stored as
//! counted, de-duplicated against everyone who already signed the campaign.

use std::collections::HashMap;

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

/// How staff recognise a signature that already counts, without its id: how it came in,
/// the day, and the batch or event it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlierSignature {
    pub channel: Channel,
    pub on: NaiveDate,
    pub event: Option<String>,
}

/// The signatures `ids`, as staff recognise them.
pub fn earlier_signatures(
    conn: &mut Connection,
    ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, EarlierSignature>> {
    let mut found = std::collections::HashMap::new();
    // Bound parameters per statement stay well under SQLite's limit.
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String, NaiveDateTime, Option<String>)> = signatures::table
            .left_join(events::table)
            .filter(signatures::id.eq_any(chunk))
            .select((
                signatures::id,
                signatures::channel,
                signatures::created_at,
                events::name.nullable(),
            ))
            .load(conn)?;
        for (id, channel, signed_at, event) in rows {
            let channel = Channel::parse(&channel).unwrap_or(Channel::Online);
            let on = signed_at.date();
            found.insert(id, EarlierSignature { channel, on, event });
        }
    }
    Ok(found)
}

/// The counted signature each of `signatures` (all of one campaign) already has, if any: by
/// email when they gave one, else (or also) by name, postal code and country. Two queries
/// for the whole slice rather than two for each row: an import checks thousands.
pub fn duplicates_of(
    conn: &mut Connection,
    signatures: &[InPersonSignature],
) -> QueryResult<Vec<Option<i64>>> {
    let Some(campaign_id) = signatures.first().map(|s| s.campaign_id) else {
        return Ok(Vec::new());
    };
    let keys: Vec<String> = signatures.iter().map(unique_key).collect();
    // Whether each is confirmed is checked here, not in SQL: given that condition beside
    // 500 emails, SQLite read the whole campaign through its confirmed index instead of
    // making 500 lookups in the unique one.
    let by_key: HashMap<String, i64> = signatures::table
        .filter(signatures::campaign_id.eq(campaign_id))
        .filter(signatures::email_canonical.eq_any(&keys))
        .select((
            signatures::email_canonical,
            signatures::id,
            signatures::confirmed_at.is_not_null(),
        ))
        .load::<(String, i64, bool)>(conn)?
        .into_iter()
        .filter(|(_, _, confirmed)| *confirmed)
        .map(|(key, id, _)| (key, id))
        .collect();
    let people = CountedPeople::of(conn, campaign_id, signatures)?;
    Ok(signatures
        .iter()
        .zip(&keys)
        .map(|(signature, key)| {
            by_key
                .get(key)
                .copied()
                .or_else(|| people.same_person(signature))
        })
        .collect())
}

/// The counted signatures that share a person key with any of a batch of signatures, read
/// in one query; `same_person` then answers as `counted_person` would for each.
struct CountedPeople(HashMap<String, Vec<(i64, bool)>>);

impl CountedPeople {
    fn of(
        conn: &mut Connection,
        campaign_id: i64,
        signatures: &[InPersonSignature],
    ) -> QueryResult<Self> {
        let keys: Vec<String> = signatures
            .iter()
            .map(|s| s.person_key().as_str().to_owned())
            .collect();
        let rows: Vec<(Option<String>, i64, String)> = signatures::table
            .filter(signatures::campaign_id.eq(campaign_id))
            .filter(signatures::person_key.eq_any(&keys))
            .filter(signatures::confirmed_at.is_not_null())
            .filter(signatures::erased_at.is_null())
            .select((signatures::person_key, signatures::id, signatures::email))
            .load(conn)?;
        let mut people: HashMap<String, Vec<(i64, bool)>> = HashMap::new();
        for (key, id, email) in rows {
            if let Some(key) = key {
                people.entry(key).or_default().push((id, !email.is_empty()));
            }
        }
        Ok(Self(people))
    }

    /// With an email on both sides the emails decide; without one, the name does.
    fn same_person(&self, signature: &InPersonSignature) -> Option<i64> {
        self.0
            .get(signature.person_key().as_str())?
            .iter()
            .find(|(_, has_email)| signature.email.is_none() || !has_email)
            .map(|(id, _)| *id)
    }
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

/// Records a batch of in-person signatures of one campaign as `record` does each, with one
/// lookup of who already counted for the whole batch. The batch must not hold the same
/// person twice (an import's check sees to that). Call it inside a write transaction.
pub fn record_all(
    conn: &mut Connection,
    signatures: &[InPersonSignature],
    now: NaiveDateTime,
) -> QueryResult<Vec<InPersonRecorded>> {
    let Some(campaign_id) = signatures.first().map(|s| s.campaign_id) else {
        return Ok(Vec::new());
    };
    let people = CountedPeople::of(conn, campaign_id, signatures)?;
    let keys: Vec<String> = signatures.iter().map(unique_key).collect();
    let mut inserted = insert_new_rows(conn, signatures, &keys, &people, now)?;
    let mut recorded = Vec::with_capacity(signatures.len());
    let mut welcomes = Vec::new();
    for (signature, key) in signatures.iter().zip(&keys) {
        let outcome = match people.same_person(signature) {
            Some(signature_id) => InPersonRecorded::AlreadyCounted { signature_id },
            None => match inserted.remove(key) {
                Some(signature_id) => InPersonRecorded::Counted { signature_id },
                // Its key was taken: an online signature to merge with, or one that counts.
                None => insert_or_merge(conn, signature, now)?,
            },
        };
        if let InPersonRecorded::Counted { signature_id } = outcome
            && wants_welcome(signature)
        {
            welcomes.push((signature_id, MailKind::Welcome, None));
        }
        recorded.push(outcome);
    }
    outbox::enqueue_many(conn, &welcomes, now)?;
    Ok(recorded)
}

/// On PostgreSQL, inserts the rows of a batch whose person does not count yet as one
/// multi-row statement, and returns the id of each row it inserted by its unique key; a row
/// whose key was taken is left to `insert_or_merge`. Each statement is a round trip to
/// another process, and under load each one waits for the scheduler: an import of 20,000
/// rows made one at a time ran at 500 rows a second. The rows go in the order of their key,
/// as the signature writer's do, so that two writers take the key locks in the same order.
/// SQLite runs in this process, where a statement per row costs microseconds: nothing is
/// inserted here, and every row takes `insert_or_merge`.
fn insert_new_rows(
    conn: &mut Connection,
    signatures: &[InPersonSignature],
    keys: &[String],
    people: &CountedPeople,
    now: NaiveDateTime,
) -> QueryResult<HashMap<String, i64>> {
    let Connection::Postgres(pg) = conn else {
        return Ok(HashMap::new());
    };
    let mut new: Vec<(&InPersonSignature, &String)> = signatures
        .iter()
        .zip(keys)
        .filter(|(signature, _)| people.same_person(signature).is_none())
        .collect();
    if new.is_empty() {
        return Ok(HashMap::new());
    }
    new.sort_by(|a, b| a.1.cmp(b.1));
    let rows: Vec<NewSignatureRow<'_>> = new
        .iter()
        .map(|(signature, key)| NewSignatureRow::in_person(signature, key, now))
        .collect();
    let inserted: Vec<(String, i64)> = diesel::insert_into(signatures::table)
        .values(&rows)
        .on_conflict((signatures::campaign_id, signatures::email_canonical))
        .do_nothing()
        .returning((signatures::email_canonical, signatures::id))
        .load(pg)?;
    Ok(inserted.into_iter().collect())
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
    insert_or_merge(conn, signature, now)
}

/// Stores a signature whose person does not count yet: a new row, or, when an online
/// signature with the same email waits for its confirmation, that one.
fn insert_or_merge(
    conn: &mut Connection,
    signature: &InPersonSignature,
    now: NaiveDateTime,
) -> QueryResult<InPersonRecorded> {
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
