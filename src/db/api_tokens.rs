//! API tokens for scheduled exports: shown once, stored as a hash, revocable.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Connection;
use super::schema::api_tokens;
use crate::domain::{HashedToken, Role};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    /// A partner's token sees only signatures with this source.
    pub source: Option<String>,
    /// What the token may do, as stored; see `role`.
    #[diesel(column_name = role)]
    stored_role: String,
}

impl ApiToken {
    /// What the token may do; a word this version does not know grants the least.
    pub fn role(&self) -> Role {
        Role::parse(&self.stored_role).unwrap_or(Role::Viewer)
    }
}

pub fn create(
    conn: &mut Connection,
    name: &str,
    source: Option<&str>,
    role: Role,
    token: &HashedToken,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::name.eq(name),
            api_tokens::source.eq(source),
            api_tokens::role.eq(role.code()),
            api_tokens::token_hash.eq(token.as_str()),
            api_tokens::created_at.eq(now),
        ))
        .returning(api_tokens::id)
        .get_result(conn)
}

pub fn list(conn: &mut Connection) -> QueryResult<Vec<ApiToken>> {
    api_tokens::table
        .order(api_tokens::id.desc())
        .select(ApiToken::as_select())
        .load(conn)
}

/// Revokes a token; returns its name if it existed and was live.
pub fn revoke(conn: &mut Connection, id: i64, now: NaiveDateTime) -> QueryResult<Option<String>> {
    diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .returning(api_tokens::name)
    .get_result(conn)
    .optional()
}

/// The live token with this hash, recording that it was used.
pub fn authenticate(
    conn: &mut Connection,
    token: &HashedToken,
    now: NaiveDateTime,
) -> QueryResult<Option<ApiToken>> {
    let found = api_tokens::table
        .filter(api_tokens::token_hash.eq(token.as_str()))
        .filter(api_tokens::revoked_at.is_null())
        .select(ApiToken::as_select())
        .first(conn)
        .optional()?;
    if let Some(token) = &found {
        diesel::update(api_tokens::table.find(token.id))
            .set(api_tokens::last_used_at.eq(now))
            .execute(conn)?;
    }
    Ok(found)
}
