//! "This wasn't me": the signature a link points at, and its removal with a report.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{not_me_reports, signatures};
use crate::db::{Connection, deletion, write_transaction};

/// What a "this wasn't me" link needs to check its code and show its page: the
/// signature's address and language, and its campaign.
#[derive(Debug, Clone, Queryable)]
pub struct NotMeTarget {
    pub email: String,
    pub lang: String,
    pub campaign_id: i64,
    pub campaign_slug: String,
}

pub fn not_me_target(conn: &mut Connection, signature_id: i64) -> QueryResult<Option<NotMeTarget>> {
    use crate::db::schema::campaigns;
    signatures::table
        .inner_join(campaigns::table)
        .filter(signatures::id.eq(signature_id))
        .filter(signatures::erased_at.is_null())
        .select((
            signatures::email,
            signatures::lang,
            signatures::campaign_id,
            campaigns::slug,
        ))
        .first(conn)
        .optional()
}

/// Removes a signature its address's owner did not make, keeping only its signals as a
/// report. `false` when it was already gone, so a replayed link changes nothing.
pub fn remove_not_me(
    conn: &mut Connection,
    signature_id: i64,
    email: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    write_transaction(conn, |conn| {
        let found: Option<(i64, Option<String>, Option<String>)> = signatures::table
            .find(signature_id)
            .filter(signatures::email.eq(email))
            .filter(signatures::erased_at.is_null())
            .select((
                signatures::campaign_id,
                signatures::email_domain,
                signatures::network_hash,
            ))
            .first(conn)
            .optional()?;
        let Some((campaign_id, domain, network)) = found else {
            return Ok(false);
        };
        diesel::insert_into(not_me_reports::table)
            .values((
                not_me_reports::campaign_id.eq(campaign_id),
                not_me_reports::created_at.eq(now),
                not_me_reports::email_domain.eq(domain),
                not_me_reports::network_hash.eq(network),
            ))
            .execute(conn)?;
        deletion::delete_signature(conn, signature_id)?;
        Ok(true)
    })
}
