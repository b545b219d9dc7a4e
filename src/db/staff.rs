//! Staff accounts, their sessions, and failed logins.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Connection;
use super::schema::{login_failures, staff, staff_sessions};
use crate::domain::{HashedToken, Lang, Role};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff)]
pub struct StaffAccount {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub lang: Option<String>,
}

/// Creates an account with `role`, reading its pages in `lang` or, when `None`, in its
/// browser's language; `Ok(None)` when the email already has one.
pub fn create(
    conn: &mut Connection,
    email: &str,
    password_hash: &str,
    role: Role,
    lang: Option<Lang>,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    on_each_backend!(conn, |conn| {
        diesel::insert_into(staff::table)
            .values((
                staff::email.eq(email),
                staff::password_hash.eq(password_hash),
                staff::lang.eq(lang.map(Lang::code)),
                staff::role.eq(role.code()),
                staff::created_at.eq(now),
            ))
            .on_conflict(staff::email)
            .do_nothing()
            .returning(staff::id)
            .get_result(conn)
            .optional()
    })
}

pub fn find_by_email(conn: &mut Connection, email: &str) -> QueryResult<Option<StaffAccount>> {
    staff::table
        .filter(staff::email.eq(email))
        .select(StaffAccount::as_select())
        .first(conn)
        .optional()
}

/// Remembers the language a member of staff chose for their pages.
pub fn set_lang(conn: &mut Connection, staff_id: i64, lang: Lang) -> QueryResult<()> {
    diesel::update(staff::table.find(staff_id))
        .set(staff::lang.eq(lang.code()))
        .execute(conn)?;
    Ok(())
}

pub fn record_login(conn: &mut Connection, staff_id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(staff::table.find(staff_id))
        .set(staff::last_login_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// A live session and who it belongs to.
#[derive(Debug, Clone, Queryable)]
pub struct SessionRow {
    pub id: i64,
    pub staff_id: i64,
    pub email: String,
    /// The language chosen for the account's pages, as stored (see `set_lang`).
    pub lang: Option<String>,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
}

pub fn create_session(
    conn: &mut Connection,
    staff_id: i64,
    token: &HashedToken,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(staff_sessions::table)
        .values((
            staff_sessions::staff_id.eq(staff_id),
            staff_sessions::token_hash.eq(token.as_str()),
            staff_sessions::created_at.eq(now),
            staff_sessions::last_seen_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find_session(conn: &mut Connection, token: &HashedToken) -> QueryResult<Option<SessionRow>> {
    staff_sessions::table
        .inner_join(staff::table)
        .filter(staff_sessions::token_hash.eq(token.as_str()))
        .select((
            staff_sessions::id,
            staff_sessions::staff_id,
            staff::email,
            staff::lang,
            staff_sessions::created_at,
            staff_sessions::last_seen_at,
        ))
        .first(conn)
        .optional()
}

pub fn touch_session(
    conn: &mut Connection,
    session_id: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(staff_sessions::table.find(session_id))
        .set(staff_sessions::last_seen_at.eq(now))
        .execute(conn)?;
    Ok(())
}

pub fn delete_session(conn: &mut Connection, session_id: i64) -> QueryResult<()> {
    diesel::delete(staff_sessions::table.find(session_id)).execute(conn)?;
    Ok(())
}

/// Removes sessions that can no longer be used, so the table does not grow forever.
pub fn delete_sessions_idle_since(
    conn: &mut Connection,
    cutoff: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(staff_sessions::table.filter(staff_sessions::last_seen_at.lt(cutoff)))
        .execute(conn)
}

/// A failed sign-in for `account` (a keyed hash of the email typed) from `client` (a
/// keyed hash of its network) and, when it carried a device cookie, from that `device`.
/// Failures older than `forget_before` are deleted, as no throttle reads them any more.
pub fn record_login_failure(
    conn: &mut Connection,
    account: &str,
    client: &str,
    device: Option<&str>,
    now: NaiveDateTime,
    forget_before: NaiveDateTime,
) -> QueryResult<()> {
    super::write_transaction(conn, |conn| {
        diesel::delete(login_failures::table.filter(login_failures::created_at.lt(forget_before)))
            .execute(conn)?;
        diesel::insert_into(login_failures::table)
            .values((
                login_failures::account.eq(account),
                login_failures::client.eq(client),
                login_failures::device.eq(device),
                login_failures::created_at.eq(now),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// Failed sign-ins since a moment, counted the ways the throttles need them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecentFailures {
    /// For the account, from clients without its device cookie.
    pub account_untrusted: i64,
    /// From the client network, without a device cookie.
    pub client_untrusted: i64,
    /// From the device whose cookie came with this attempt.
    pub device: i64,
}

pub fn recent_failures(
    conn: &mut Connection,
    account: &str,
    client: &str,
    device: Option<&str>,
    since: NaiveDateTime,
) -> QueryResult<RecentFailures> {
    let recent = login_failures::table.filter(login_failures::created_at.ge(since));
    let account_untrusted = recent
        .filter(login_failures::account.eq(account))
        .filter(login_failures::device.is_null())
        .count()
        .get_result(conn)?;
    let client_untrusted = recent
        .filter(login_failures::client.eq(client))
        .filter(login_failures::device.is_null())
        .count()
        .get_result(conn)?;
    let device = match device {
        Some(device) => recent
            .filter(login_failures::device.eq(device))
            .count()
            .get_result(conn)?,
        None => 0,
    };
    Ok(RecentFailures {
        account_untrusted,
        client_untrusted,
        device,
    })
}
