//! Signatures: recording them (with de-duplication) and confirming them; `counts` counts them.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::campaigns::Campaign;
use super::outbox::{self, MailKind};
use super::schema::{campaigns, confirmation_tokens, signatures};
use super::signature_row::NewSignatureRow;
use super::{Connection, write_transaction};
use super::{consents, in_person};
use crate::domain::{HashedToken, IssuedToken, Lang, NewSignature};

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
            .values(NewSignatureRow::online(signature, &canonical, now))
            .on_conflict((signatures::campaign_id, signatures::email_canonical))
            .do_nothing()
            .returning(signatures::id)
            .get_result(conn)
            .optional()
    })?;

    if let Some(signature_id) = inserted {
        give_partner_consent(conn, signature_id, signature, now)?;
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
        .map(|&i| NewSignatureRow::online(batch[i].0, &keys[i].1, now))
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
                give_partner_consent(conn, signature_id, signature, now)?;
                tokens.push(NewToken::new(signature_id, token, now));
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

/// The partner consent a new signature gave on the form. A repeat signature gives none: its
/// answer must not differ from a first one's, and the first signature's consent stands.
fn give_partner_consent(
    conn: &mut Connection,
    signature_id: i64,
    signature: &NewSignature,
    now: NaiveDateTime,
) -> QueryResult<()> {
    if let (true, Some(source)) = (signature.partner_opt_in, &signature.source) {
        consents::give(conn, signature_id, source.as_str(), now)?;
    }
    Ok(())
}

/// A row of `confirmation_tokens`: the hash of a link's token, never the token.
#[derive(Insertable)]
#[diesel(table_name = confirmation_tokens)]
struct NewToken {
    signature_id: i64,
    token_hash: String,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
}

impl NewToken {
    fn new(signature_id: i64, token: &IssuedToken, now: NaiveDateTime) -> Self {
        Self {
            signature_id,
            token_hash: token.hash.as_str().to_owned(),
            created_at: now,
            expires_at: now + CONFIRMATION_TOKEN_LIFETIME,
        }
    }
}

pub(super) fn insert_token(
    conn: &mut Connection,
    signature_id: i64,
    token: &IssuedToken,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(confirmation_tokens::table)
        .values(NewToken::new(signature_id, token, now))
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

/// `confirm` inside the caller's write transaction: the signature writer's, which
/// confirmations share with signatures.
pub fn confirm_in_transaction(
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
