//! Partner organisations and the source codes that attribute their signatures.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Connection;
use super::schema::partners;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = partners)]
pub struct Partner {
    pub id: i64,
    pub name: String,
    pub code: String,
    pub website: String,
}

pub fn list(conn: &mut Connection) -> QueryResult<Vec<Partner>> {
    partners::table
        .order(partners::name)
        .select(Partner::as_select())
        .load(conn)
}

/// Registers a partner; `Ok(None)` when the code is taken.
pub fn create(
    conn: &mut Connection,
    name: &str,
    code: &str,
    website: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    on_each_backend!(conn, |conn| {
        diesel::insert_into(partners::table)
            .values((
                partners::name.eq(name),
                partners::code.eq(code),
                partners::website.eq(website),
                partners::created_at.eq(now),
            ))
            .on_conflict(partners::code)
            .do_nothing()
            .returning(partners::id)
            .get_result(conn)
            .optional()
    })
}
