//! The database's clock: the one time every server sharing the database agrees on.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Timestamp;

use super::Connection;

#[derive(QueryableByName)]
struct DatabaseTime {
    #[diesel(sql_type = Timestamp)]
    now: NaiveDateTime,
}

/// The database server's time now, in UTC. On PostgreSQL `clock_timestamp()`, not `now()`,
/// which would be the start of an enclosing transaction. SQLite's clock is the machine's own.
pub fn now(conn: &mut Connection) -> QueryResult<NaiveDateTime> {
    let sql = match conn {
        Connection::Sqlite(_) => "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now') AS now",
        Connection::Postgres(_) => {
            "SELECT CAST(clock_timestamp() AT TIME ZONE 'UTC' AS timestamp) AS now"
        }
    };
    Ok(diesel::sql_query(sql).get_result::<DatabaseTime>(conn)?.now)
}
