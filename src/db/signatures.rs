//! Signatures: recording them (with de-duplication), confirming them, counting them.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamp};

use super::campaigns::Campaign;
use super::outbox::{self, MailKind};
use super::schema::{campaigns, confirmation_tokens, email_recanonicalisation_due, signatures};
use super::{Connection, write_transaction};
use super::{deletion, in_person};
use crate::domain::{
    CONSENT_VERSION, Channel, ConfirmationHistory, HashedToken, IssuedToken, Lang, NewSignature,
    SignerEmail, email_domain, in_person_publications, publication_cut,
};

/// How long a confirmation link works.
pub const CONFIRMATION_TOKEN_LIFETIME: TimeDelta = TimeDelta::days(30);

/// How many "already signed" or repeated confirmation emails one signature may cause, so
/// that nobody can use the form to flood someone else's inbox.
pub const MAX_REPEAT_EMAILS: i32 = 3;

/// What recording a signature did. The supporter is told the same thing in every case;
/// this is for logs and metrics only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    New { signature_id: i64 },
    Repeat { signature_id: i64, emailed: bool },
}

/// Records `signature`, or notices that its canonical email already signed this campaign.
/// The confirmation email is queued in the same transaction as the row it confirms, with
/// the nonce its token is derived from; the token table gets the token's hash.
pub fn record(
    conn: &mut Connection,
    signature: &NewSignature,
    token: &IssuedToken,
    now: NaiveDateTime,
) -> QueryResult<Recorded> {
    let canonical = signature.email.canonical();
    let inserted: Option<i64> = on_each_backend!(conn, |conn| {
        diesel::insert_into(signatures::table)
            .values(signature_row(signature, &canonical, now))
            .on_conflict((signatures::campaign_id, signatures::email_canonical))
            .do_nothing()
            .returning(signatures::id)
            .get_result(conn)
            .optional()
    })?;

    if let Some(signature_id) = inserted {
        insert_token(conn, signature_id, token, now)?;
        outbox::enqueue(
            conn,
            signature_id,
            MailKind::Confirm,
            Some(&token.nonce),
            now,
        )?;
        return Ok(Recorded::New { signature_id });
    }

    let (signature_id, confirmed_at): (i64, Option<NaiveDateTime>) = signatures::table
        .filter(signatures::campaign_id.eq(signature.campaign_id))
        .filter(signatures::email_canonical.eq(&canonical))
        .select((signatures::id, signatures::confirmed_at))
        .first(conn)?;
    // The update checks the cap itself: several writers (PostgreSQL's, or several servers')
    // that read the count below it at once would each send one more email otherwise.
    // PostgreSQL re-checks the condition on the row as the previous update left it.
    let counted = diesel::update(
        signatures::table
            .find(signature_id)
            .filter(signatures::repeat_emails.lt(MAX_REPEAT_EMAILS)),
    )
    .set(signatures::repeat_emails.eq(signatures::repeat_emails + 1))
    .execute(conn)?;
    if counted == 0 {
        return Ok(Recorded::Repeat {
            signature_id,
            emailed: false,
        });
    }
    if confirmed_at.is_some() {
        outbox::enqueue(conn, signature_id, MailKind::AlreadySigned, None, now)?;
    } else {
        insert_token(conn, signature_id, token, now)?;
        outbox::enqueue(
            conn,
            signature_id,
            MailKind::Confirm,
            Some(&token.nonce),
            now,
        )?;
    }
    Ok(Recorded::Repeat {
        signature_id,
        emailed: true,
    })
}

/// Records a batch of signatures in one transaction (which the caller opens), each answered
/// as `record` would answer it alone.
///
/// On PostgreSQL each statement is a round trip to the server, so the new signatures go in
/// as one multi-row insert, their tokens and emails as one more each. The rows are in the
/// order of the unique key: two servers inserting overlapping batches then take the key
/// locks in the same order and cannot deadlock. Repeats, and a second signature from one
/// address within the batch, take `record`'s path, in the same order.
pub fn record_batch(
    conn: &mut Connection,
    batch: &[(&NewSignature, &IssuedToken)],
    now: NaiveDateTime,
) -> QueryResult<Vec<Recorded>> {
    let Connection::Postgres(pg) = conn else {
        return batch
            .iter()
            .map(|(signature, token)| record(conn, signature, token, now))
            .collect();
    };
    let keys: Vec<(i64, String)> = batch
        .iter()
        .map(|(signature, _)| (signature.campaign_id, signature.email.canonical()))
        .collect();
    let mut order: Vec<usize> = (0..batch.len()).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    let rows: Vec<_> = order
        .iter()
        .map(|&i| signature_row(batch[i].0, &keys[i].1, now))
        .collect();
    let inserted: Vec<(i64, i64, String)> = diesel::insert_into(signatures::table)
        .values(&rows)
        .on_conflict((signatures::campaign_id, signatures::email_canonical))
        .do_nothing()
        .returning((
            signatures::id,
            signatures::campaign_id,
            signatures::email_canonical,
        ))
        .load(pg)?;
    let mut new_ids: std::collections::HashMap<(i64, String), i64> = inserted
        .into_iter()
        .map(|(id, campaign_id, canonical)| ((campaign_id, canonical), id))
        .collect();

    let mut results = vec![None; batch.len()];
    let mut tokens = Vec::new();
    let mut emails = Vec::new();
    for &i in &order {
        let (signature, token) = batch[i];
        // The first signature of an address in the batch is the one inserted.
        results[i] = Some(match new_ids.remove(&keys[i]) {
            Some(signature_id) => {
                tokens.push(token_row(signature_id, token, now));
                emails.push((signature_id, MailKind::Confirm, Some(&token.nonce)));
                Recorded::New { signature_id }
            }
            None => record(conn, signature, token, now)?,
        });
    }
    if !tokens.is_empty() {
        on_each_backend!(conn, |conn| diesel::insert_into(confirmation_tokens::table)
            .values(&tokens)
            .execute(conn))?;
    }
    outbox::enqueue_many(conn, &emails, now)?;
    Ok(results.into_iter().flatten().collect())
}

/// A signature's columns as `record` and `record_batch` insert them.
type SignatureRow<'a> = (
    diesel::dsl::Eq<signatures::campaign_id, i64>,
    diesel::dsl::Eq<signatures::first_name, &'a str>,
    diesel::dsl::Eq<signatures::last_name, &'a str>,
    diesel::dsl::Eq<signatures::email, &'a str>,
    diesel::dsl::Eq<signatures::email_canonical, &'a str>,
    diesel::dsl::Eq<signatures::country, &'a str>,
    diesel::dsl::Eq<signatures::postal_code, Option<&'a str>>,
    diesel::dsl::Eq<signatures::email_opt_in, bool>,
    diesel::dsl::Eq<signatures::comment, Option<&'a str>>,
    diesel::dsl::Eq<signatures::source, Option<&'a str>>,
    diesel::dsl::Eq<signatures::lang, &'static str>,
    diesel::dsl::Eq<signatures::consent_version, &'static str>,
    diesel::dsl::Eq<signatures::created_at, NaiveDateTime>,
    diesel::dsl::Eq<signatures::person_key, String>,
    diesel::dsl::Eq<signatures::email_domain, Option<&'a str>>,
    diesel::dsl::Eq<signatures::network_hash, Option<&'a str>>,
    diesel::dsl::Eq<signatures::flagged_at, Option<NaiveDateTime>>,
);

fn signature_row<'a>(
    signature: &'a NewSignature,
    canonical: &'a str,
    now: NaiveDateTime,
) -> SignatureRow<'a> {
    (
        signatures::campaign_id.eq(signature.campaign_id),
        signatures::first_name.eq(signature.first_name.as_str()),
        signatures::last_name.eq(signature.last_name.as_str()),
        signatures::email.eq(signature.email.as_str()),
        signatures::email_canonical.eq(canonical),
        signatures::country.eq(signature.country.code()),
        signatures::postal_code.eq(signature.postal_code.as_ref().map(|p| p.as_str())),
        signatures::email_opt_in.eq(signature.email_opt_in),
        signatures::comment.eq(signature.comment.as_ref().map(|c| c.as_str())),
        signatures::source.eq(signature.source.as_ref().map(|s| s.as_str())),
        signatures::lang.eq(signature.lang.code()),
        signatures::consent_version.eq(CONSENT_VERSION),
        signatures::created_at.eq(now),
        signatures::person_key.eq(signature.person_key().as_str().to_owned()),
        signatures::email_domain.eq(email_domain(canonical)),
        signatures::network_hash.eq(signature.signals.network.as_ref().map(|n| n.as_str())),
        signatures::flagged_at.eq(signature.signals.throwaway.then_some(now)),
    )
}

#[allow(clippy::type_complexity)]
fn token_row(
    signature_id: i64,
    token: &IssuedToken,
    now: NaiveDateTime,
) -> (
    diesel::dsl::Eq<confirmation_tokens::signature_id, i64>,
    diesel::dsl::Eq<confirmation_tokens::token_hash, String>,
    diesel::dsl::Eq<confirmation_tokens::created_at, NaiveDateTime>,
    diesel::dsl::Eq<confirmation_tokens::expires_at, NaiveDateTime>,
) {
    (
        confirmation_tokens::signature_id.eq(signature_id),
        confirmation_tokens::token_hash.eq(token.hash.as_str().to_owned()),
        confirmation_tokens::created_at.eq(now),
        confirmation_tokens::expires_at.eq(now + CONFIRMATION_TOKEN_LIFETIME),
    )
}

pub(super) fn insert_token(
    conn: &mut Connection,
    signature_id: i64,
    token: &IssuedToken,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(confirmation_tokens::table)
        .values(token_row(signature_id, token, now))
        .execute(conn)?;
    Ok(())
}

/// What a staff request to send a signer a new confirmation link found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resent {
    Queued { signature_id: i64 },
    AlreadyConfirmed { signature_id: i64 },
    NotFound,
}

/// Queues a new confirmation email, with a new link, for the signature the canonical
/// address `canonical` made on a campaign, unless it is confirmed or erased. Staff ask for
/// this for a signer who lost the first email, so the repeat-email cap does not apply.
pub fn resend_confirmation(
    conn: &mut Connection,
    campaign_id: i64,
    canonical: &str,
    token: &IssuedToken,
    now: NaiveDateTime,
) -> QueryResult<Resent> {
    write_transaction(conn, |conn| {
        let found: Option<(i64, Option<NaiveDateTime>)> = signatures::table
            .filter(signatures::campaign_id.eq(campaign_id))
            .filter(signatures::email_canonical.eq(canonical))
            .filter(signatures::erased_at.is_null())
            .select((signatures::id, signatures::confirmed_at))
            .first(conn)
            .optional()?;
        Ok(match found {
            None => Resent::NotFound,
            Some((signature_id, Some(_))) => Resent::AlreadyConfirmed { signature_id },
            Some((signature_id, None)) => {
                insert_token(conn, signature_id, token, now)?;
                outbox::enqueue(
                    conn,
                    signature_id,
                    MailKind::Confirm,
                    Some(&token.nonce),
                    now,
                )?;
                Resent::Queued { signature_id }
            }
        })
    })
}

/// What a confirmation link leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenState {
    Valid {
        campaign_slug: String,
        lang: Lang,
        already_confirmed: bool,
    },
    Expired {
        campaign_slug: String,
        lang: Lang,
    },
    /// The campaign stopped taking signatures before this one was confirmed. Its count is
    /// frozen, so the signature stays unconfirmed.
    CampaignClosed {
        campaign_slug: String,
        lang: Lang,
        /// The day it closed by its closing date; `None` when staff closed it by hand.
        closed_on: Option<NaiveDate>,
    },
    Unknown,
}

pub fn token_state(
    conn: &mut Connection,
    token: &HashedToken,
    now: NaiveDateTime,
) -> QueryResult<TokenState> {
    let found: Option<(NaiveDateTime, Option<NaiveDateTime>, String, Campaign)> =
        confirmation_tokens::table
            .inner_join(signatures::table.inner_join(campaigns::table))
            .filter(confirmation_tokens::token_hash.eq(token.as_str()))
            .select((
                confirmation_tokens::expires_at,
                signatures::confirmed_at,
                signatures::lang,
                Campaign::as_select(),
            ))
            .first(conn)
            .optional()?;
    Ok(match found {
        None => TokenState::Unknown,
        Some((expires_at, confirmed_at, lang, campaign)) => {
            let lang = Lang::parse(&lang).unwrap_or(Lang::Es);
            let campaign_slug = campaign.slug.clone();
            if confirmed_at.is_none() && expires_at <= now {
                TokenState::Expired {
                    campaign_slug,
                    lang,
                }
            } else if confirmed_at.is_none() && !campaign.accepts_signatures(now) {
                TokenState::CampaignClosed {
                    campaign_slug,
                    lang,
                    closed_on: campaign
                        .closes_at
                        .filter(|closes| *closes <= now)
                        .map(|closes| closes.date()),
                }
            } else {
                TokenState::Valid {
                    campaign_slug,
                    lang,
                    already_confirmed: confirmed_at.is_some(),
                }
            }
        }
    })
}

/// Confirms the signature a token belongs to. Confirming twice changes nothing and
/// reports the same state, so a double click or a retried request is harmless. The
/// campaign is checked in the same transaction, so none closes between check and update.
pub fn confirm(
    conn: &mut Connection,
    token: &HashedToken,
    now: NaiveDateTime,
) -> QueryResult<TokenState> {
    write_transaction(conn, |conn| confirm_in_transaction(conn, token, now))
}

fn confirm_in_transaction(
    conn: &mut Connection,
    token: &HashedToken,
    now: NaiveDateTime,
) -> QueryResult<TokenState> {
    let state = token_state(conn, token, now)?;
    if let TokenState::Valid {
        already_confirmed: false,
        ..
    } = state
    {
        let signature_id: i64 = confirmation_tokens::table
            .filter(confirmation_tokens::token_hash.eq(token.as_str()))
            .select(confirmation_tokens::signature_id)
            .first(conn)?;
        let confirmed = diesel::update(
            signatures::table
                .find(signature_id)
                .filter(signatures::confirmed_at.is_null()),
        )
        .set(signatures::confirmed_at.eq(now))
        .execute(conn)?;
        if confirmed > 0 {
            in_person::merge_confirmed_online(conn, signature_id)?;
        }
    }
    Ok(state)
}

/// Confirmed signatures per campaign: online, and given in person (paper and kiosk)
/// recorded before `cut`, the last publication (see `domain::publication`).
pub fn confirmed_counts_by_channel(
    conn: &mut Connection,
    cut: NaiveDateTime,
) -> QueryResult<Vec<(i64, i64, i64)>> {
    let rows: Vec<(i64, String, i64)> = signatures::table
        .filter(signatures::confirmed_at.is_not_null())
        .filter(signatures::invalidation_id.is_null())
        .filter(
            signatures::channel
                .eq(crate::domain::Channel::Online.as_str())
                .or(signatures::recorded_at.is_null())
                .or(signatures::recorded_at.lt(cut)),
        )
        .group_by((signatures::campaign_id, signatures::channel))
        .select((
            signatures::campaign_id,
            signatures::channel,
            diesel::dsl::count_star(),
        ))
        .order(signatures::campaign_id)
        .load(conn)?;
    let mut counts: Vec<(i64, i64, i64)> = Vec::new();
    for (campaign_id, channel, count) in rows {
        if counts.last().is_none_or(|(id, ..)| *id != campaign_id) {
            counts.push((campaign_id, 0, 0));
        }
        if let Some(last) = counts.last_mut() {
            if channel == crate::domain::Channel::Online.as_str() {
                last.1 += count;
            } else {
                last.2 += count;
            }
        }
    }
    Ok(counts)
}

/// A campaign's count history as the public may see it at `now`, over the bounded range of
/// `ConfirmationHistory::range`, with what came before it as one number: online
/// confirmations counted per hour, in-person signatures per day of recording and shown in
/// the steps in which they were published (see `domain::publication`). What is read
/// depends on the hours in range, not on the campaign's age. The one place the public
/// history is built from.
pub fn confirmation_history(
    conn: &mut Connection,
    campaign_id: i64,
    now: NaiveDateTime,
) -> QueryResult<ConfirmationHistory> {
    let created: NaiveDateTime = campaigns::table
        .find(campaign_id)
        .select(campaigns::created_at)
        .first(conn)?;
    let (from, until) = ConfirmationHistory::range(created, now);
    let online = Channel::Online.as_str();
    let confirmed = signatures::table
        .filter(signatures::campaign_id.eq(campaign_id))
        .filter(signatures::confirmed_at.is_not_null())
        .filter(signatures::invalidation_id.is_null());
    let earlier_online: i64 = confirmed
        .filter(signatures::channel.eq(online))
        .filter(signatures::confirmed_at.lt(from))
        .count()
        .get_result(conn)?;
    // In person, the publication goes by when the server recorded a signature (a kiosk back
    // online dates its signatures back); only in-person rows have `recorded_at`, and an
    // index of their own (`signatures_in_person_recorded`).
    let (hour, day, [id, start, end]) = match conn {
        Connection::Sqlite(_) => (
            "strftime('%Y-%m-%d %H:00:00', confirmed_at)",
            "strftime('%Y-%m-%d 00:00:00', recorded_at)",
            ["?"; 3],
        ),
        Connection::Postgres(_) => (
            "date_trunc('hour', confirmed_at)",
            "date_trunc('day', recorded_at)",
            ["$1", "$2", "$3"],
        ),
    };
    let hours: Vec<PeriodCount> = diesel::sql_query(format!(
        "SELECT {hour} AS period, COUNT(*) AS confirmed FROM signatures
         WHERE campaign_id = {id} AND confirmed_at >= {start} AND confirmed_at < {end}
           AND channel = 'online' AND invalidation_id IS NULL
         GROUP BY {hour}"
    ))
    .bind::<BigInt, _>(campaign_id)
    .bind::<Timestamp, _>(from)
    .bind::<Timestamp, _>(until)
    .load(conn)?;
    let cut = publication_cut(now);
    let in_person_days: Vec<PeriodCount> = diesel::sql_query(format!(
        "SELECT {day} AS period, COUNT(*) AS confirmed FROM signatures
         WHERE campaign_id = {id} AND recorded_at IS NOT NULL AND recorded_at >= {start}
           AND recorded_at < {end} AND confirmed_at IS NOT NULL AND channel <> 'online'
           AND invalidation_id IS NULL
         GROUP BY {day}"
    ))
    .bind::<BigInt, _>(campaign_id)
    .bind::<Timestamp, _>(from)
    .bind::<Timestamp, _>(cut)
    .load(conn)?;
    let earlier_in_person: i64 = diesel::sql_query(format!(
        "SELECT COUNT(*) AS confirmed FROM signatures
         WHERE campaign_id = {id} AND recorded_at IS NOT NULL AND recorded_at < {start}
           AND confirmed_at IS NOT NULL AND channel <> 'online'
           AND invalidation_id IS NULL"
    ))
    .bind::<BigInt, _>(campaign_id)
    .bind::<Timestamp, _>(from)
    .get_result::<Counted>(conn)?
    .confirmed;
    let (published_earlier, steps) = in_person_publications(
        earlier_in_person,
        in_person_days.into_iter().map(|d| (d.period, d.confirmed)),
    );
    Ok(ConfirmationHistory::from_hours(
        earlier_online + published_earlier,
        hours
            .into_iter()
            .map(|h| (h.period, h.confirmed))
            .chain(steps),
        now,
    ))
}

#[derive(QueryableByName)]
struct PeriodCount {
    #[diesel(sql_type = Timestamp)]
    period: NaiveDateTime,
    #[diesel(sql_type = BigInt)]
    confirmed: i64,
}

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = BigInt)]
    confirmed: i64,
}

/// What bringing stored canonical addresses up to the current rules did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recanonicalised {
    /// Rows whose canonical address changed.
    pub updated: usize,
    /// Rows deleted because another row of the same campaign turned out to be the same
    /// mailbox.
    pub merged: usize,
}

/// Recomputes, once after the migration that asks for it, the canonical address of the
/// signatures stored under older rules, so that every spelling finds them for de-duplication
/// and erasure. Only an address with a character beyond ASCII can have changed, so only those
/// are read.
///
/// Where two rows of one campaign now share a canonical address, they are one mailbox that
/// signed twice: the row kept is the earliest confirmed one (or, if neither is confirmed, the
/// earliest signed), so a confirmed signature is never given up for a pending one; the other
/// row is deleted with its tokens and unsent mail. The count then holds that mailbox once.
pub fn recanonicalise_emails(conn: &mut Connection) -> QueryResult<Recanonicalised> {
    super::write_transaction(conn, |conn| {
        let mut done = Recanonicalised::default();
        let due: i64 = email_recanonicalisation_due::table
            .count()
            .get_result(conn)?;
        if due == 0 {
            return Ok(done);
        }
        // An address is beyond ASCII when it has more bytes than characters.
        let beyond_ascii = match conn {
            Connection::Sqlite(_) => "length(email) <> length(CAST(email AS BLOB))",
            Connection::Postgres(_) => "length(email) <> octet_length(email)",
        };
        let rows: Vec<StoredSigner> = signatures::table
            .filter(signatures::erased_at.is_null())
            .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(beyond_ascii))
            .select(StoredSigner::as_select())
            .load(conn)?;
        for row in rows {
            // An address the current rules cannot read keeps the key it had.
            let Ok(email) = SignerEmail::parse_any_domain(&row.email) else {
                continue;
            };
            let canonical = email.canonical();
            if canonical == row.email_canonical {
                continue;
            }
            let other: Option<StoredSigner> = signatures::table
                .filter(signatures::campaign_id.eq(row.campaign_id))
                .filter(signatures::email_canonical.eq(&canonical))
                .select(StoredSigner::as_select())
                .first(conn)
                .optional()?;
            if let Some(other) = other {
                done.merged += 1;
                let dropped = if row.kept_before(&other) {
                    other.id
                } else {
                    row.id
                };
                deletion::delete_signature(conn, dropped)?;
                if dropped == row.id {
                    continue;
                }
            }
            diesel::update(signatures::table.find(row.id))
                .set(signatures::email_canonical.eq(&canonical))
                .execute(conn)?;
            done.updated += 1;
        }
        diesel::delete(email_recanonicalisation_due::table).execute(conn)?;
        Ok(done)
    })
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = signatures)]
struct StoredSigner {
    id: i64,
    campaign_id: i64,
    email: String,
    email_canonical: String,
    created_at: NaiveDateTime,
    confirmed_at: Option<NaiveDateTime>,
}

impl StoredSigner {
    /// Of two signatures by one mailbox, whether this one is kept: confirmed before pending,
    /// then the earlier.
    fn kept_before(&self, other: &StoredSigner) -> bool {
        match (self.confirmed_at, other.confirmed_at) {
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(mine), Some(theirs)) => (mine, self.id) < (theirs, other.id),
            (None, None) => (self.created_at, self.id) < (other.created_at, other.id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(id: i64, created: u32, confirmed: Option<u32>) -> StoredSigner {
        let at = |hour| {
            chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
                .and_then(|d| d.and_hms_opt(hour, 0, 0))
                .expect("a valid time")
        };
        StoredSigner {
            id,
            campaign_id: 1,
            email: String::new(),
            email_canonical: String::new(),
            created_at: at(created),
            confirmed_at: confirmed.map(at),
        }
    }

    #[test]
    fn of_one_mailbox_the_earliest_confirmed_signature_is_kept() {
        let pending_first = signer(1, 1, None);
        let confirmed_later = signer(2, 2, Some(3));
        assert!(confirmed_later.kept_before(&pending_first));
        assert!(!pending_first.kept_before(&confirmed_later));

        let confirmed_last = signer(3, 0, Some(5));
        assert!(confirmed_later.kept_before(&confirmed_last));
        assert!(!confirmed_last.kept_before(&confirmed_later));

        let pending_later = signer(4, 4, None);
        assert!(pending_first.kept_before(&pending_later));
        assert!(!pending_later.kept_before(&pending_first));
    }
}
