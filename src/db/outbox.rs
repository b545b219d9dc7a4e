//! The mail outbox: emails owed to signers, written with the signature they belong to and
//! delivered by the mail worker.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::schema::{outbox, signatures};
use super::{Connection, clock, write_transaction};
use crate::domain::TokenNonce;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// "Please confirm your signature", with a link.
    Confirm,
    /// "You have already signed", for a repeat attempt after confirming.
    AlreadySigned,
    /// "Your signature does not count yet", once, with a fresh confirmation link.
    Reminder,
    /// News from the campaign, to a confirmed signer who asked for it.
    Update,
    /// "Thank you for signing", once, to someone who signed in person, left an email and
    /// asked to hear more.
    Welcome,
}

impl MailKind {
    fn as_str(self) -> &'static str {
        match self {
            MailKind::Confirm => "confirm",
            MailKind::AlreadySigned => "already_signed",
            MailKind::Reminder => "reminder",
            MailKind::Update => "update",
            MailKind::Welcome => "welcome",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        match raw {
            "confirm" => Some(MailKind::Confirm),
            "already_signed" => Some(MailKind::AlreadySigned),
            "reminder" => Some(MailKind::Reminder),
            "update" => Some(MailKind::Update),
            "welcome" => Some(MailKind::Welcome),
            _ => None,
        }
    }
}

/// A row of `outbox` as it is queued: the table's one column list, for every kind of mail.
/// `None` is written as NULL, so that a batch inserts the same on both backends.
#[derive(Insertable)]
#[diesel(table_name = outbox, treat_none_as_default_value = false)]
pub(super) struct NewMail<'a> {
    signature_id: i64,
    kind: &'static str,
    link_nonce: Option<&'a str>,
    update_id: Option<i64>,
    next_attempt_at: NaiveDateTime,
    created_at: NaiveDateTime,
}

impl<'a> NewMail<'a> {
    /// An email to the signer of `signature_id`, due at once.
    fn new(
        signature_id: i64,
        kind: MailKind,
        link_nonce: Option<&'a TokenNonce>,
        now: NaiveDateTime,
    ) -> Self {
        Self {
            signature_id,
            kind: kind.as_str(),
            link_nonce: link_nonce.map(TokenNonce::as_str),
            update_id: None,
            next_attempt_at: now,
            created_at: now,
        }
    }

    /// Update `update_id` to the signer of `signature_id`, due at once.
    pub(super) fn update(signature_id: i64, update_id: i64, now: NaiveDateTime) -> Self {
        Self {
            update_id: Some(update_id),
            ..Self::new(signature_id, MailKind::Update, None, now)
        }
    }
}

pub fn enqueue(
    conn: &mut Connection,
    signature_id: i64,
    kind: MailKind,
    link_nonce: Option<&TokenNonce>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(outbox::table)
        .values(NewMail::new(signature_id, kind, link_nonce, now))
        .execute(conn)?;
    Ok(())
}

/// Queues several emails with one statement.
pub fn enqueue_many(
    conn: &mut Connection,
    emails: &[(i64, MailKind, Option<&TokenNonce>)],
    now: NaiveDateTime,
) -> QueryResult<()> {
    if emails.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = emails
        .iter()
        .map(|&(signature_id, kind, link_nonce)| NewMail::new(signature_id, kind, link_nonce, now))
        .collect();
    on_each_backend!(conn, |conn| diesel::insert_into(outbox::table)
        .values(&rows)
        .execute(conn))?;
    Ok(())
}

/// An email claimed for delivery, with what is needed to write it.
#[derive(Debug, Clone)]
pub struct PendingMail {
    pub id: i64,
    pub signature_id: i64,
    /// Whether the signer asked to hear more, so the email offers a one-click way out.
    pub email_opt_in: bool,
    pub kind: MailKind,
    /// For a confirmation email: what its link's token is derived from.
    pub link_nonce: Option<TokenNonce>,
    pub attempts: i32,
    pub created_at: NaiveDateTime,
    pub campaign_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub lang: String,
    /// For an update: which one.
    pub update_id: Option<i64>,
}

type PendingRow = (
    (i64, i64, bool, String, Option<String>, i32, NaiveDateTime),
    (i64, String, String, String, String),
    Option<i64>,
);

/// Up to `limit` due emails, either updates or every other kind.
fn due(
    conn: &mut Connection,
    now: NaiveDateTime,
    limit: i64,
    updates: bool,
) -> QueryResult<Vec<i64>> {
    if limit <= 0 {
        return Ok(Vec::new());
    }
    // Each kind has an index of its own (see the updates migration), so confirmations are
    // found at once however many update emails wait.
    macro_rules! load_due {
        ($kind:expr) => {{
            let due = outbox::table
                .filter(outbox::sent_at.is_null())
                .filter(outbox::failed_at.is_null())
                .filter($kind)
                .filter(outbox::next_attempt_at.le(now))
                .filter(
                    outbox::locked_until
                        .is_null()
                        .or(outbox::locked_until.le(now)),
                )
                .order(outbox::next_attempt_at)
                .limit(limit)
                .select(outbox::id);
            match conn {
                // The write lock taken at the start of the transaction keeps other workers out.
                Connection::Sqlite(conn) => due.load(conn),
                // Rows another worker (on any server) is claiming right now are passed
                // over, not waited for: each worker gets its own emails at once.
                Connection::Postgres(conn) => due.for_update().skip_locked().load(conn),
            }
        }};
    }
    if updates {
        load_due!(outbox::update_id.is_not_null())
    } else {
        load_due!(outbox::update_id.is_null())
    }
}

/// Claims up to `limit` due emails for `lease`, of which at most `update_limit` updates:
/// every other email comes first, so a large update never delays a confirmation. While the
/// lease runs no other worker (on this server or another) takes them; if this worker
/// dies, they become due again. What is due, and when the lease ends, is read from the
/// database's clock, so that a server whose clock is fast cannot take emails another is
/// still sending.
///
/// An update whose signer has since unsubscribed or been erased leaves the outbox here,
/// unsent: the recipients were chosen when it was queued, which may be hours earlier.
pub fn claim_due(
    conn: &mut Connection,
    limit: i64,
    update_limit: i64,
    lease: TimeDelta,
) -> QueryResult<Vec<PendingMail>> {
    write_transaction(conn, |conn| {
        let now = clock::now(conn)?;
        let mut due_ids = due(conn, now, limit, false)?;
        let room = (limit - i64::try_from(due_ids.len()).unwrap_or(limit)).min(update_limit);
        let updates = due(conn, now, room, true)?;
        if !updates.is_empty() {
            let unwanted = outbox::table
                .inner_join(signatures::table)
                .filter(outbox::id.eq_any(&updates))
                .filter(
                    signatures::email_opt_in
                        .eq(false)
                        .or(signatures::confirmed_at.is_null())
                        .or(signatures::opted_out_at.is_not_null())
                        .or(signatures::erased_at.is_not_null()),
                )
                .select(outbox::id)
                .load::<i64>(conn)?;
            if !unwanted.is_empty() {
                diesel::delete(outbox::table.filter(outbox::id.eq_any(&unwanted))).execute(conn)?;
            }
            due_ids.extend(updates.into_iter().filter(|id| !unwanted.contains(id)));
        }
        let due = due_ids;
        if due.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(outbox::table.filter(outbox::id.eq_any(&due)))
            .set(outbox::locked_until.eq(now + lease))
            .execute(conn)?;
        let rows: Vec<PendingRow> = outbox::table
            .inner_join(signatures::table)
            .filter(outbox::id.eq_any(&due))
            .select((
                (
                    outbox::id,
                    signatures::id,
                    signatures::email_opt_in,
                    outbox::kind,
                    outbox::link_nonce,
                    outbox::attempts,
                    outbox::created_at,
                ),
                (
                    signatures::campaign_id,
                    signatures::first_name,
                    signatures::last_name,
                    signatures::email,
                    signatures::lang,
                ),
                outbox::update_id,
            ))
            .order(outbox::id)
            .load(conn)?;
        Ok(rows
            .into_iter()
            .filter_map(
                |(
                    (id, signature_id, email_opt_in, kind, nonce, attempts, created_at),
                    (campaign_id, first_name, last_name, email, lang),
                    update_id,
                )| {
                    Some(PendingMail {
                        id,
                        signature_id,
                        email_opt_in,
                        kind: MailKind::parse(&kind)?,
                        link_nonce: nonce.map(TokenNonce::stored),
                        attempts,
                        created_at,
                        campaign_id,
                        first_name,
                        last_name,
                        email,
                        lang,
                        update_id,
                    })
                },
            )
            .collect())
    })
}

/// What happened to one claimed email.
#[derive(Debug, Clone)]
pub enum Delivery {
    Sent {
        id: i64,
    },
    /// Not sent this time; tried again `retry_after` it is recorded.
    Failed {
        id: i64,
        retry_after: TimeDelta,
        error: String,
    },
    /// Never to be sent: it leaves the queue, and its link's nonce goes.
    GivenUp {
        id: i64,
        error: String,
    },
    /// Not tried, or cut off, because the worker is stopping: due again at once.
    Released {
        id: i64,
    },
}

impl Delivery {
    pub fn id(&self) -> i64 {
        match self {
            Self::Sent { id }
            | Self::Failed { id, .. }
            | Self::GivenUp { id, .. }
            | Self::Released { id } => *id,
        }
    }
}

/// Records a batch of delivery results in one transaction, at the database's time. An
/// email sent or given up on loses its link's nonce: from then on not even the server
/// secret recreates the token.
pub fn record_deliveries(conn: &mut Connection, deliveries: &[Delivery]) -> QueryResult<()> {
    write_transaction(conn, |conn| {
        let now = clock::now(conn)?;
        for delivery in deliveries {
            let row = outbox::table.find(delivery.id());
            match delivery {
                Delivery::Sent { .. } => {
                    diesel::update(row)
                        .set((
                            outbox::sent_at.eq(now),
                            outbox::link_nonce.eq(None::<String>),
                            outbox::locked_until.eq(None::<NaiveDateTime>),
                            outbox::attempts.eq(outbox::attempts + 1),
                            outbox::last_error.eq(None::<String>),
                        ))
                        .execute(conn)?;
                }
                Delivery::Failed {
                    retry_after, error, ..
                } => {
                    diesel::update(row)
                        .set((
                            outbox::next_attempt_at.eq(now + *retry_after),
                            outbox::locked_until.eq(None::<NaiveDateTime>),
                            outbox::attempts.eq(outbox::attempts + 1),
                            outbox::last_error.eq(error),
                        ))
                        .execute(conn)?;
                }
                Delivery::GivenUp { error, .. } => {
                    diesel::update(row)
                        .set((
                            outbox::failed_at.eq(now),
                            outbox::link_nonce.eq(None::<String>),
                            outbox::locked_until.eq(None::<NaiveDateTime>),
                            outbox::attempts.eq(outbox::attempts + 1),
                            outbox::last_error.eq(error),
                        ))
                        .execute(conn)?;
                }
                Delivery::Released { .. } => {
                    diesel::update(row)
                        .set(outbox::locked_until.eq(None::<NaiveDateTime>))
                        .execute(conn)?;
                }
            }
        }
        Ok(())
    })
}

/// Lets go of every claim. Only one server uses a SQLite file, so at start any claim left
/// is from a process that died mid-batch; without this its emails would wait out the lease.
/// On PostgreSQL the claims may belong to other servers, alive and sending: a dead
/// server's claims end with their lease.
pub fn release_claims(conn: &mut Connection) -> QueryResult<usize> {
    match conn {
        Connection::Sqlite(_) => diesel::update(
            outbox::table
                .filter(outbox::sent_at.is_null())
                .filter(outbox::failed_at.is_null()),
        )
        .set(outbox::locked_until.eq(None::<NaiveDateTime>))
        .execute(conn),
        Connection::Postgres(_) => Ok(0),
    }
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection as _;
    use diesel::prelude::*;
    use diesel_migrations::MigrationHarness;

    use super::super::SQLITE_MIGRATIONS;
    use super::super::schema::outbox;

    #[test]
    fn the_upgrade_to_derived_tokens_fails_only_unsent_emails_that_hold_a_token() {
        let mut conn = SqliteConnection::establish(":memory:").expect("an in-memory database");
        let pending = conn
            .pending_migrations(SQLITE_MIGRATIONS)
            .expect("migrations");
        for migration in pending
            .iter()
            .take_while(|m| !m.name().to_string().contains("derived_tokens"))
        {
            conn.run_migration(migration.as_ref())
                .expect("an earlier migration");
        }
        conn.batch_execute(
            "INSERT INTO campaigns (id, slug, default_lang, goal, default_country, created_at, updated_at)
               VALUES (1, 'c', 'es', 10, 'MX', '2026-11-01 00:00:00', '2026-11-01 00:00:00');
             INSERT INTO signatures (id, campaign_id, first_name, last_name, email, email_canonical,
                 country, email_opt_in, lang, consent_version, created_at)
               VALUES (1, 1, 'A', 'B', 'a@example.org', 'a@example.org', 'MX', 0, 'es', 'v1',
                 '2026-11-01 00:00:00');
             INSERT INTO outbox (id, signature_id, kind, link_token, next_attempt_at, created_at, sent_at)
               VALUES (1, 1, 'confirm', 'waiting', '2026-11-01 00:00:00', '2026-11-01 00:00:00', NULL),
                      (2, 1, 'confirm', 'sent-but-not-wiped', '2026-11-01 00:00:00', '2026-11-01 00:00:00',
                        '2026-11-01 00:00:01'),
                      (3, 1, 'already_signed', NULL, '2026-11-01 00:00:00', '2026-11-01 00:00:00', NULL);",
        )
        .expect("rows as the older code wrote them");

        conn.run_pending_migrations(SQLITE_MIGRATIONS)
            .expect("the upgrade");

        let failed: Vec<i64> = outbox::table
            .filter(outbox::failed_at.is_not_null())
            .select(outbox::id)
            .load(&mut conn)
            .expect("failed emails");
        assert_eq!(failed, vec![1]);
    }

    #[test]
    fn confirmations_are_claimed_before_updates_and_updates_only_within_their_allowance() {
        let mut sqlite = SqliteConnection::establish(":memory:").expect("an in-memory database");
        sqlite
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .expect("migrations");
        sqlite
            .batch_execute(
                "INSERT INTO campaigns (id, slug, default_lang, goal, default_country, created_at, updated_at)
                   VALUES (1, 'c', 'es', 10, 'MX', '2026-11-01 00:00:00', '2026-11-01 00:00:00');
                 INSERT INTO campaign_updates (id, campaign_id, created_at, created_by, sent_at)
                   VALUES (1, 1, '2026-11-01 00:00:00', 'staff:a@example.org', '2026-11-01 00:00:00');
                 INSERT INTO signatures (id, campaign_id, first_name, last_name, email, email_canonical,
                     country, email_opt_in, lang, consent_version, created_at, confirmed_at)
                   VALUES (1, 1, 'A', 'B', 'a@example.org', 'a@example.org', 'MX', 1, 'es', 'v1',
                     '2026-11-01 00:00:00', '2026-11-01 00:00:00'),
                          (2, 1, 'C', 'D', 'c@example.org', 'c@example.org', 'MX', 1, 'es', 'v1',
                     '2026-11-01 00:00:00', '2026-11-01 00:00:00');
                 INSERT INTO outbox (id, signature_id, kind, update_id, next_attempt_at, created_at)
                   VALUES (1, 1, 'update', 1, '2026-11-01 00:00:00', '2026-11-01 00:00:00'),
                          (2, 2, 'update', 1, '2026-11-01 00:00:00', '2026-11-01 00:00:00'),
                          (3, 2, 'already_signed', NULL, '2026-11-02 00:00:00', '2026-11-02 00:00:00');",
            )
            .expect("an update queued before a newer email");
        let mut conn = super::Connection::Sqlite(sqlite);
        let claimed =
            super::claim_due(&mut conn, 10, 1, chrono::TimeDelta::minutes(5)).expect("a claim");
        let ids: Vec<(i64, Option<i64>)> = claimed.iter().map(|m| (m.id, m.update_id)).collect();
        assert_eq!(
            ids,
            vec![(1, Some(1)), (3, None)],
            "the newer email, and one update"
        );

        let claimed =
            super::claim_due(&mut conn, 10, 0, chrono::TimeDelta::minutes(5)).expect("a claim");
        assert!(claimed.is_empty(), "no allowance, no update");
    }
}
