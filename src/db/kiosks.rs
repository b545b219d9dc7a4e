//! Kiosks and what became of each signature they sent.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::campaigns::Campaign;
use super::in_person::{self, Event, InPersonRecorded, NewEvent};
use super::outbox::{self, MailKind};
use super::schema::{campaigns, events, kiosk_uploads, kiosks};
use super::{Connection, write_transaction};
use crate::domain::{
    Channel, HashedToken, IdempotencyKey, InPersonPlace, InPersonSignature, KIOSK_WELCOMES_PER_DAY,
    KioskRequest, KioskState, Source, UploadOutcome,
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

/// A kiosk with its campaign and the source of its event: all that taking a signature from
/// it needs to know, read in one query.
#[derive(Debug, Clone)]
pub struct KioskAtEvent {
    pub kiosk: Kiosk,
    pub campaign: Campaign,
    event_source: Option<String>,
}

impl KioskAtEvent {
    /// Whether signatures are taken now: the kiosk live and its campaign open.
    pub fn takes_signatures(&self, now: NaiveDateTime) -> bool {
        self.kiosk.state(now) == KioskState::Open && self.campaign.accepts_signatures(now)
    }

    /// Where its signatures were given, for the signatures it records.
    pub fn place(&self) -> InPersonPlace {
        InPersonPlace {
            event_id: self.kiosk.event_id,
            channel: Channel::Kiosk,
            source: self.event_source.as_deref().and_then(Source::parse_lenient),
        }
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

/// The kiosk whose link carries this secret, with its campaign and event, in one query;
/// revoked and expired ones included, so that their uploads can be answered and counted as
/// refused.
pub fn by_secret(conn: &mut Connection, secret: &HashedToken) -> QueryResult<Option<KioskAtEvent>> {
    let found: Option<(Kiosk, Campaign, Option<String>)> = kiosks::table
        .inner_join(campaigns::table)
        .inner_join(events::table.on(events::id.eq(kiosks::event_id)))
        .filter(kiosks::secret_hash.eq(secret.as_str()))
        .select((Kiosk::as_select(), Campaign::as_select(), events::source))
        .first(conn)
        .optional()?;
    Ok(found.map(|(kiosk, campaign, event_source)| KioskAtEvent {
        kiosk,
        campaign,
        event_source,
    }))
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

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use chrono::NaiveDate;
    use diesel::Connection as _;
    use diesel::connection::{Instrumentation, InstrumentationEvent, SimpleConnection as _};
    use diesel_migrations::MigrationHarness;

    use super::super::SQLITE_MIGRATIONS;
    use super::*;
    use crate::domain::{Lang, SignatureInput, SignedAt};

    /// Every statement the connection runs from now on, transaction control left out.
    fn record_statements(conn: &mut SqliteConnection) -> Arc<Mutex<Vec<String>>> {
        let statements = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&statements);
        let instrumentation = move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { query, .. } = event {
                let sql = query.to_string();
                let control = ["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"];
                if !control.iter().any(|word| sql.starts_with(word)) {
                    seen.lock().expect("not poisoned").push(sql);
                }
            }
        };
        conn.set_instrumentation(Box::new(instrumentation) as Box<dyn Instrumentation>);
        statements
    }

    #[test]
    fn a_kiosk_upload_runs_three_queries_before_it_inserts_the_signature() {
        let mut sqlite = SqliteConnection::establish(":memory:").expect("an in-memory database");
        sqlite
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .expect("migrations");
        let secret = HashedToken::of("the kiosk's secret");
        sqlite
            .batch_execute(&format!(
                "INSERT INTO campaigns (id, slug, default_lang, goal, default_country, created_at, updated_at)
                   VALUES (1, 'c', 'es', 10, 'MX', '2026-11-01 00:00:00', '2026-11-01 00:00:00');
                 INSERT INTO events (id, campaign_id, name, place, source, created_at, created_by, undone_by)
                   VALUES (1, 1, 'Feria', 'Zócalo', 'feria-zocalo', '2026-11-01 00:00:00', '', '');
                 INSERT INTO kiosks (id, campaign_id, event_id, secret_hash, created_at, expires_at)
                   VALUES (1, 1, 1, '{}', '2026-11-01 00:00:00', '2026-11-03 00:00:00');",
                secret.as_str()
            ))
            .expect("a campaign with a kiosk at an event");
        let statements = record_statements(&mut sqlite);
        let mut conn = Connection::Sqlite(sqlite);
        let now = NaiveDate::from_ymd_opt(2026, 11, 2)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .expect("a time");

        // What the kiosk upload use case asks of the database, in its order.
        let found = by_secret(&mut conn, &secret)
            .expect("the query")
            .expect("the kiosk");
        let input = SignatureInput {
            first_name: "Rosa".into(),
            last_name: "Icela".into(),
            country: "MX".into(),
            ..SignatureInput::default()
        };
        let signature = InPersonSignature::parse(
            &input,
            found.campaign.form_rules(),
            found.place(),
            Lang::Es,
            SignedAt::received(now),
        )
        .expect("a valid signature");
        let key = IdempotencyKey::parse("a-good-key-00000001").expect("a key");
        let outcome = record_upload(&mut conn, found.kiosk.id, &key, Some(&signature), now)
            .expect("recorded");

        assert_eq!(outcome, UploadOutcome::Counted);
        assert_eq!(
            signature.source.as_ref().map(Source::as_str),
            Some("feria-zocalo")
        );
        let statements = statements.lock().expect("not poisoned");
        let before_insert: Vec<&String> = statements
            .iter()
            .take_while(|sql| !sql.starts_with("INSERT"))
            .collect();
        assert_eq!(before_insert.len(), 3, "{before_insert:#?}");
    }
}
