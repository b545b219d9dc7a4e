//! Each signer's consent to hear from a partner organisation (the organisation's own is
//! `signatures.email_opt_in`): given on the form, withdrawn by unsubscribing, deleted by
//! erasure, and the condition on which a partner sees a signer's personal data.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Connection;
use super::schema::{partner_consents, partners};
use crate::domain::FORM_CONSENT_VERSION;

/// Records that signature `signature_id` agreed to hear from the partner whose code is
/// `source`. A code that is no partner's (a share link's, a newsletter's) records nothing:
/// the form offered no such box.
pub fn give(
    conn: &mut Connection,
    signature_id: i64,
    source: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let partner = partners::table
        .filter(partners::code.eq(source))
        .select(partners::id)
        .first::<i64>(conn)
        .optional()?;
    let Some(partner_id) = partner else {
        return Ok(0);
    };
    diesel::insert_into(partner_consents::table)
        .values((
            partner_consents::signature_id.eq(signature_id),
            partner_consents::partner_id.eq(partner_id),
            partner_consents::version.eq(FORM_CONSENT_VERSION),
            partner_consents::given_at.eq(now),
        ))
        .execute(conn)
}

/// Withdraws every partner consent of a signature, keeping when it happened.
pub fn withdraw_all(
    conn: &mut Connection,
    signature_id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        partner_consents::table
            .filter(partner_consents::signature_id.eq(signature_id))
            .filter(partner_consents::withdrawn_at.is_null()),
    )
    .set(partner_consents::withdrawn_at.eq(now))
    .execute(conn)
}

/// Deletes the consents of erased or removed signatures: nothing is left to hand over.
pub fn delete_of(conn: &mut Connection, signature_ids: &[i64]) -> QueryResult<usize> {
    diesel::delete(
        partner_consents::table.filter(partner_consents::signature_id.eq_any(signature_ids)),
    )
    .execute(conn)
}

/// The partners' codes each of these signatures consents to now, as `(signature, code)`;
/// only `partner`'s when it is given, so that a partner's export shows nothing of others.
pub fn live_codes(
    conn: &mut Connection,
    signature_ids: &[i64],
    partner: Option<&str>,
) -> QueryResult<Vec<(i64, String)>> {
    let mut query = partner_consents::table
        .inner_join(partners::table)
        .filter(partner_consents::signature_id.eq_any(signature_ids))
        .filter(partner_consents::withdrawn_at.is_null())
        .select((partner_consents::signature_id, partners::code))
        .order((partner_consents::signature_id, partners::code))
        .into_boxed();
    if let Some(code) = partner {
        query = query.filter(partners::code.eq(code));
    }
    query.load(conn)
}
