//! The database's clock: the one time every server sharing the database agrees on.

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use diesel::sql_types::Timestamp;
use tokio::sync::watch;

use super::{Connection, Database, StoreError};
use crate::clock::Clock;
use crate::metrics::Metrics;

/// Queries per measurement; the one that took least time is kept, as its answer is the
/// least blurred by the time on the wire.
const SAMPLES: usize = 3;

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

/// Measures `clock`'s offset from the database's clock and keeps it in `clock`. Each sample
/// is timed with a connection already in hand, so waiting for the pool blurs nothing.
pub async fn measure(db: &Database, clock: &Clock) -> Result<TimeDelta, StoreError> {
    let own = clock.clone();
    let offset = db
        .run(move |conn| {
            let mut best: Option<(TimeDelta, TimeDelta)> = None;
            for _ in 0..SAMPLES {
                let before = own.server_now();
                let database = now(conn)?.and_utc();
                let took = own.server_now() - before;
                let offset = database - (before + took / 2);
                if best.is_none_or(|(least, _)| took < least) {
                    best = Some((took, offset));
                }
            }
            Ok(best.map_or(TimeDelta::zero(), |(_, offset)| offset))
        })
        .await?;
    clock.set_offset(offset);
    Ok(offset)
}

/// Measures the offset every `every` until `shutdown`, saying in the log and in `/metrics`
/// when this server's clock is too far off. While the database cannot be reached the last
/// offset is kept; `/healthz` says the database is down anyway.
pub async fn keep_measured(
    clock: Clock,
    db: Database,
    every: Duration,
    metrics: Arc<Metrics>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut was_off = false;
    loop {
        match measure(&db, &clock).await {
            Ok(offset) => {
                metrics.clock_offset(offset);
                let off = clock.is_off();
                if off && !was_off {
                    tracing::error!(
                        offset_seconds = offset.num_milliseconds() as f64 / 1000.0,
                        "this server's clock is off from the database's: /healthz answers 503 until it is set right (is NTP running?)"
                    );
                } else if was_off && !off {
                    tracing::info!("this server's clock agrees with the database's again");
                }
                was_off = off;
            }
            Err(error) => {
                tracing::warn!(error = ?error, "could not read the database's clock");
            }
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
    }
}
