//! Links that open a partner's own page: created by staff and shown once, stored as the
//! token's SHA-256, revocable. The link is the partner's only key, so it names one partner.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Connection;
use super::partners::Partner;
use super::schema::{partner_links, partners};
use crate::domain::HashedToken;

/// A link as the partners page lists it; never its token.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = partner_links)]
pub struct PartnerLink {
    pub id: i64,
    pub partner_id: i64,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

/// Stores a new link for a partner; `Ok(None)` when there is no such partner.
pub fn create(
    conn: &mut Connection,
    partner_id: i64,
    token: &HashedToken,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    let partner = partners::table
        .find(partner_id)
        .select(partners::id)
        .first::<i64>(conn)
        .optional()?;
    if partner.is_none() {
        return Ok(None);
    }
    diesel::insert_into(partner_links::table)
        .values((
            partner_links::partner_id.eq(partner_id),
            partner_links::token_hash.eq(token.as_str()),
            partner_links::created_at.eq(now),
        ))
        .returning(partner_links::id)
        .get_result(conn)
        .map(Some)
}

pub fn list(conn: &mut Connection) -> QueryResult<Vec<PartnerLink>> {
    partner_links::table
        .order(partner_links::id.desc())
        .select(PartnerLink::as_select())
        .load(conn)
}

/// Revokes a live link; returns the partner's code if it was one.
pub fn revoke(conn: &mut Connection, id: i64, now: NaiveDateTime) -> QueryResult<Option<String>> {
    let revoked: Option<i64> = diesel::update(
        partner_links::table
            .find(id)
            .filter(partner_links::revoked_at.is_null()),
    )
    .set(partner_links::revoked_at.eq(now))
    .returning(partner_links::partner_id)
    .get_result(conn)
    .optional()?;
    match revoked {
        Some(partner_id) => partners::table
            .find(partner_id)
            .select(partners::code)
            .first(conn)
            .optional(),
        None => Ok(None),
    }
}

/// The partner a live link with this token opens.
pub fn partner_of(conn: &mut Connection, token: &HashedToken) -> QueryResult<Option<Partner>> {
    partner_links::table
        .inner_join(partners::table)
        .filter(partner_links::token_hash.eq(token.as_str()))
        .filter(partner_links::revoked_at.is_null())
        .select(Partner::as_select())
        .first(conn)
        .optional()
}
