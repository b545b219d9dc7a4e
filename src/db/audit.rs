//! The audit log: who did what to campaigns, accounts, tokens and exports.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Connection;
use super::schema::audit_log;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: i64,
    pub created_at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

pub fn record(
    conn: &mut Connection,
    actor: &str,
    action: &str,
    detail: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::created_at.eq(now),
            audit_log::actor.eq(actor),
            audit_log::action.eq(action),
            audit_log::detail.eq(detail),
        ))
        .execute(conn)?;
    Ok(())
}

/// The newest entries, older than `before` when paging back.
pub fn recent(
    conn: &mut Connection,
    limit: i64,
    before: Option<i64>,
) -> QueryResult<Vec<AuditEntry>> {
    let mut query = audit_log::table
        .order(audit_log::id.desc())
        .limit(limit)
        .select(AuditEntry::as_select())
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(audit_log::id.lt(before));
    }
    query.load(conn)
}
