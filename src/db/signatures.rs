//! Signatures: recording them (with de-duplication), confirming them, counting them.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::campaigns::Campaign;
use super::outbox::{self, MailKind};
use super::schema::{campaigns, confirmation_tokens, signatures};
use super::{Connection, write_transaction};
use crate::domain::{CONSENT_VERSION, HashedToken, Lang, NewSignature, PlainToken};

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
/// The confirmation email is queued in the same transaction as the row it confirms.
pub fn record(
    conn: &mut Connection,
    signature: &NewSignature,
    token: &PlainToken,
    now: NaiveDateTime,
) -> QueryResult<Recorded> {
    let canonical = signature.email.canonical();
    let inserted: Option<i64> = diesel::insert_into(signatures::table)
        .values((
            signatures::campaign_id.eq(signature.campaign_id),
            signatures::first_name.eq(signature.first_name.as_str()),
            signatures::last_name.eq(signature.last_name.as_str()),
            signatures::email.eq(signature.email.as_str()),
            signatures::email_canonical.eq(&canonical),
            signatures::country.eq(signature.country.code()),
            signatures::postal_code.eq(signature.postal_code.as_ref().map(|p| p.as_str())),
            signatures::email_opt_in.eq(signature.email_opt_in),
            signatures::comment.eq(signature.comment.as_ref().map(|c| c.as_str())),
            signatures::source.eq(signature.source.as_ref().map(|s| s.as_str())),
            signatures::lang.eq(signature.lang.code()),
            signatures::consent_version.eq(CONSENT_VERSION),
            signatures::created_at.eq(now),
        ))
        .on_conflict((signatures::campaign_id, signatures::email_canonical))
        .do_nothing()
        .returning(signatures::id)
        .get_result(conn)
        .optional()?;

    if let Some(signature_id) = inserted {
        insert_token(conn, signature_id, token, now)?;
        outbox::enqueue(conn, signature_id, MailKind::Confirm, Some(token), now)?;
        return Ok(Recorded::New { signature_id });
    }

    let (signature_id, confirmed_at, repeat_emails): (i64, Option<NaiveDateTime>, i32) =
        signatures::table
            .filter(signatures::campaign_id.eq(signature.campaign_id))
            .filter(signatures::email_canonical.eq(&canonical))
            .select((
                signatures::id,
                signatures::confirmed_at,
                signatures::repeat_emails,
            ))
            .first(conn)?;
    if repeat_emails >= MAX_REPEAT_EMAILS {
        return Ok(Recorded::Repeat {
            signature_id,
            emailed: false,
        });
    }
    diesel::update(signatures::table.find(signature_id))
        .set(signatures::repeat_emails.eq(signatures::repeat_emails + 1))
        .execute(conn)?;
    if confirmed_at.is_some() {
        outbox::enqueue(conn, signature_id, MailKind::AlreadySigned, None, now)?;
    } else {
        insert_token(conn, signature_id, token, now)?;
        outbox::enqueue(conn, signature_id, MailKind::Confirm, Some(token), now)?;
    }
    Ok(Recorded::Repeat {
        signature_id,
        emailed: true,
    })
}

fn insert_token(
    conn: &mut Connection,
    signature_id: i64,
    token: &PlainToken,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(confirmation_tokens::table)
        .values((
            confirmation_tokens::signature_id.eq(signature_id),
            confirmation_tokens::token_hash.eq(token.hash().as_str()),
            confirmation_tokens::created_at.eq(now),
            confirmation_tokens::expires_at.eq(now + CONFIRMATION_TOKEN_LIFETIME),
        ))
        .execute(conn)?;
    Ok(())
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
        let signature_id = confirmation_tokens::table
            .filter(confirmation_tokens::token_hash.eq(token.as_str()))
            .select(confirmation_tokens::signature_id);
        diesel::update(
            signatures::table
                .filter(signatures::id.eq_any(signature_id))
                .filter(signatures::confirmed_at.is_null()),
        )
        .set(signatures::confirmed_at.eq(now))
        .execute(conn)?;
    }
    Ok(state)
}

/// Confirmed signatures per campaign id.
pub fn confirmed_counts(conn: &mut Connection) -> QueryResult<Vec<(i64, i64)>> {
    signatures::table
        .filter(signatures::confirmed_at.is_not_null())
        .group_by(signatures::campaign_id)
        .select((signatures::campaign_id, diesel::dsl::count_star()))
        .load(conn)
}
