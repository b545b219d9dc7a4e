//! Kiosks and what became of each signature they sent.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::in_person::{self, Event, InPersonRecorded, NewEvent};
use super::outbox::{self, MailKind};
use super::schema::{events, kiosk_uploads, kiosks};
use super::{Connection, write_transaction};
use crate::domain::{
    HashedToken, IdempotencyKey, InPersonSignature, KIOSK_WELCOMES_PER_DAY, KioskRequest,
    KioskState, Source, UploadOutcome,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = kiosks)]
pub struct Kiosk {
    pub id: i64,
    pub campaign_id: i64,
    pub event_id: i64,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    /// How many signatures the device last said it was holding.
    pub waiting: i32,
    pub reported_at: Option<NaiveDateTime>,
    /// Uploads refused after the kiosk was revoked or expired, counted, not kept.
    pub refused: i64,
}

impl Kiosk {
    pub fn state(&self, now: NaiveDateTime) -> KioskState {
        KioskState::of(self.revoked_at, self.expires_at, now)
    }
}

/// A kiosk as staff see it in the list: its event and what it sent.
#[derive(Debug, Clone)]
pub struct KioskSummary {
    pub kiosk: Kiosk,
    pub event_name: String,
    pub counted: i64,
    pub duplicates: i64,
    pub invalid: i64,
    pub refused: i64,
}

fn create(
    conn: &mut Connection,
    campaign_id: i64,
    event_id: i64,
    secret: &HashedToken,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<Kiosk> {
    let row = (
        kiosks::campaign_id.eq(campaign_id),
        kiosks::event_id.eq(event_id),
        kiosks::secret_hash.eq(secret.as_str()),
        kiosks::created_at.eq(now),
        kiosks::expires_at.eq(expires_at),
    );
    on_each_backend!(conn, |c| diesel::insert_into(kiosks::table)
        .values(row)
        .returning(Kiosk::as_returning())
        .get_result(c))
}

/// A kiosk for the event `request` names: the campaign's event of that name (in any case)
/// when there is one, else a new event with the request's place, date and source.
pub fn create_for_event(
    conn: &mut Connection,
    campaign_id: i64,
    request: &KioskRequest,
    secret: &HashedToken,
    now: NaiveDateTime,
) -> QueryResult<(Kiosk, Event)> {
    write_transaction(conn, |conn| {
        let wanted = request.event_name.to_lowercase();
        let existing = in_person::events_of_campaign(conn, campaign_id)?
            .into_iter()
            .find(|event| event.name.to_lowercase() == wanted);
        let event = match existing {
            Some(event) => event,
            None => in_person::create_event(
                conn,
                &NewEvent {
                    campaign_id,
                    name: &request.event_name,
                    place: &request.place,
                    held_on: request.held_on,
                    source: request.source.as_ref().map(Source::as_str),
                },
                now,
            )?,
        };
        let expires_at = request.lifetime.expires_at(now);
        let kiosk = create(conn, campaign_id, event.id, secret, expires_at, now)?;
        Ok((kiosk, event))
    })
}

/// The kiosk whose link carries this secret, revoked and expired ones included, so that
/// their uploads can be answered and counted as refused.
pub fn by_secret(conn: &mut Connection, secret: &HashedToken) -> QueryResult<Option<Kiosk>> {
    kiosks::table
        .filter(kiosks::secret_hash.eq(secret.as_str()))
        .select(Kiosk::as_select())
        .first(conn)
        .optional()
}

/// Revokes one of a campaign's kiosks; `None` when there is no such live kiosk.
pub fn revoke(
    conn: &mut Connection,
    campaign_id: i64,
    id: i64,
    now: NaiveDateTime,
) -> QueryResult<Option<Kiosk>> {
    let live = kiosks::table
        .find(id)
        .filter(kiosks::campaign_id.eq(campaign_id))
        .filter(kiosks::revoked_at.is_null());
    on_each_backend!(conn, |c| diesel::update(live)
        .set(kiosks::revoked_at.eq(now))
        .returning(Kiosk::as_returning())
        .get_result(c)
        .optional())
}

/// Records how many signatures the device holds, as it last said.
pub fn report_waiting(
    conn: &mut Connection,
    id: i64,
    waiting: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(kiosks::table.find(id))
        .set((kiosks::waiting.eq(waiting), kiosks::reported_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// A campaign's kiosks, newest first, with what each sent.
pub fn of_campaign(conn: &mut Connection, campaign_id: i64) -> QueryResult<Vec<KioskSummary>> {
    let listed: Vec<(Kiosk, String)> = kiosks::table
        .inner_join(events::table.on(events::id.eq(kiosks::event_id)))
        .filter(kiosks::campaign_id.eq(campaign_id))
        .order(kiosks::id.desc())
        .select((Kiosk::as_select(), events::name))
        .load(conn)?;
    let ids: Vec<i64> = listed.iter().map(|(kiosk, _)| kiosk.id).collect();
    let tallies: Vec<(i64, String, i64)> = kiosk_uploads::table
        .filter(kiosk_uploads::kiosk_id.eq_any(&ids))
        .group_by((kiosk_uploads::kiosk_id, kiosk_uploads::outcome))
        .select((
            kiosk_uploads::kiosk_id,
            kiosk_uploads::outcome,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    Ok(listed
        .into_iter()
        .map(|(kiosk, event_name)| {
            let tally = |outcome: UploadOutcome| {
                tallies
                    .iter()
                    .filter(|(id, name, _)| {
                        *id == kiosk.id && UploadOutcome::parse(name) == Some(outcome)
                    })
                    .map(|(_, _, n)| n)
                    .sum()
            };
            KioskSummary {
                counted: tally(UploadOutcome::Counted),
                duplicates: tally(UploadOutcome::Duplicate),
                invalid: tally(UploadOutcome::Invalid),
                refused: kiosk.refused,
                event_name,
                kiosk,
            }
        })
        .collect())
}

/// The answer already given to this upload, when the device sends it again.
fn earlier_outcome(
    conn: &mut Connection,
    kiosk_id: i64,
    key: &IdempotencyKey,
) -> QueryResult<Option<UploadOutcome>> {
    let stored: Option<String> = kiosk_uploads::table
        .filter(kiosk_uploads::kiosk_id.eq(kiosk_id))
        .filter(kiosk_uploads::idempotency_key.eq(key.as_str()))
        .select(kiosk_uploads::outcome)
        .first(conn)
        .optional()?;
    Ok(stored.as_deref().and_then(UploadOutcome::parse))
}

/// Records one upload in one transaction: the answer it got before when the device sends
/// it again, else the signature (`None` when it could not be read as one) and its outcome.
pub fn record_upload(
    conn: &mut Connection,
    kiosk_id: i64,
    key: &IdempotencyKey,
    signature: Option<&InPersonSignature>,
    now: NaiveDateTime,
) -> QueryResult<UploadOutcome> {
    write_transaction(conn, |conn| {
        if let Some(earlier) = earlier_outcome(conn, kiosk_id, key)? {
            return Ok(earlier);
        }
        let outcome = match signature {
            None => UploadOutcome::Invalid,
            Some(signature) => match in_person::store(conn, signature, now)? {
                InPersonRecorded::Counted { signature_id } => {
                    if in_person::wants_welcome(signature) {
                        welcome_within_cap(conn, kiosk_id, signature_id, now)?;
                    }
                    UploadOutcome::Counted
                }
                // A pending online signature is answered as a repeat, so that the kiosk
                // tells nobody whether that email had signed.
                InPersonRecorded::AlreadyCounted { .. } | InPersonRecorded::LeftPending { .. } => {
                    UploadOutcome::Duplicate
                }
            },
        };
        record_outcome(conn, kiosk_id, key, outcome, now)?;
        Ok(outcome)
    })
}

/// Queues a welcome email for a kiosk's new signature unless the kiosk has queued its
/// day's share (UTC): a kiosk link in the wrong hands cannot send mail to any address
/// without end. The signature counts either way. No address gets two, since a campaign
/// holds each email once.
fn welcome_within_cap(
    conn: &mut Connection,
    kiosk_id: i64,
    signature_id: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let today = now.date();
    diesel::update(
        kiosks::table.find(kiosk_id).filter(
            kiosks::welcome_day
                .is_null()
                .or(kiosks::welcome_day.ne(today)),
        ),
    )
    .set((kiosks::welcome_day.eq(today), kiosks::welcomes.eq(0)))
    .execute(conn)?;
    let taken = diesel::update(
        kiosks::table
            .find(kiosk_id)
            .filter(kiosks::welcomes.lt(KIOSK_WELCOMES_PER_DAY)),
    )
    .set(kiosks::welcomes.eq(kiosks::welcomes + 1))
    .execute(conn)?;
    if taken > 0 {
        outbox::enqueue(conn, signature_id, MailKind::Welcome, None, now)?;
    }
    Ok(())
}

/// Counts an upload from a revoked or expired kiosk without opening it, or gives the answer
/// it got while the kiosk was open. Refusals update one counter in place, not a row each:
/// a lost tablet retrying for days must not fill the disk.
pub fn record_refusal(
    conn: &mut Connection,
    kiosk_id: i64,
    key: &IdempotencyKey,
) -> QueryResult<UploadOutcome> {
    if let Some(earlier) = earlier_outcome(conn, kiosk_id, key)? {
        return Ok(earlier);
    }
    diesel::update(kiosks::table.find(kiosk_id))
        .set(kiosks::refused.eq(kiosks::refused + 1))
        .execute(conn)?;
    Ok(UploadOutcome::Refused)
}

/// Records what became of an upload. A concurrent copy of the same upload that got here
/// first keeps its row; this one then changes nothing.
fn record_outcome(
    conn: &mut Connection,
    kiosk_id: i64,
    key: &IdempotencyKey,
    outcome: UploadOutcome,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let row = (
        kiosk_uploads::kiosk_id.eq(kiosk_id),
        kiosk_uploads::idempotency_key.eq(key.as_str()),
        kiosk_uploads::outcome.eq(outcome.as_str()),
        kiosk_uploads::received_at.eq(now),
    );
    on_each_backend!(conn, |c| diesel::insert_into(kiosk_uploads::table)
        .values(row)
        .on_conflict((kiosk_uploads::kiosk_id, kiosk_uploads::idempotency_key))
        .do_nothing()
        .execute(c))?;
    Ok(())
}
