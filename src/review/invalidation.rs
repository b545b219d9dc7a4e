//! Invalidations run in the background, a batch per transaction, on every server: a server
//! that stops mid-way leaves the rest to the others, and two running one invalidation at
//! once take each signature once (see `db::review::run_batch`).

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use tokio::sync::{Notify, watch};

use crate::cache::counts::SignatureCounts;
use crate::cache::history::HistoryCache;
use crate::cache::review_baselines::ReviewBaselines;
use crate::clock::Clock;
use crate::db::{Database, review};
use crate::domain::{Conditions, NetworkKeys, NetworkQuery};

/// The pause between two batches, so that signing and page reads get the database in turn.
const BETWEEN_BATCHES: Duration = Duration::from_millis(20);

/// The conditions as stored with an invalidation.
pub fn conditions_json(conditions: &Conditions) -> String {
    serde_json::to_string(conditions).unwrap_or_default()
}

/// The hashes a network has under the keys of the days `conditions` cover: a signature
/// from it on any of those days has one of them.
pub fn network_hashes(
    keys: &NetworkKeys,
    salts: &[(NaiveDate, String)],
    conditions: &Conditions,
    query: &NetworkQuery,
) -> Vec<String> {
    match query {
        NetworkQuery::Hash(hash) => vec![hash.as_str().to_owned()],
        NetworkQuery::Prefix(prefix) => salts
            .iter()
            .filter(|(day, _)| conditions.covers_day(*day))
            .map(|(day, salt)| keys.hash(*day, salt, *prefix).as_str().to_owned())
            .collect(),
    }
}

#[derive(Clone)]
pub struct Invalidator {
    pub db: Database,
    pub counts: Arc<SignatureCounts>,
    pub history: Arc<HistoryCache>,
    pub baselines: Arc<ReviewBaselines>,
    pub clock: Clock,
    /// Woken when staff start, cancel or undo an invalidation on this server.
    pub wake: Arc<Notify>,
    /// How often unfinished invalidations (started on other servers, or before a restart)
    /// are looked for.
    pub every: Duration,
}

impl Invalidator {
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            if let Err(error) = self.run_unfinished(&mut shutdown).await {
                tracing::warn!(error = ?error, "invalidations could not run");
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.every) => {}
                _ = shutdown.changed() => return,
            }
            if *shutdown.borrow() {
                return;
            }
        }
    }

    async fn run_unfinished(&self, shutdown: &mut watch::Receiver<bool>) -> anyhow::Result<()> {
        loop {
            let unfinished = self.db.run(review::unfinished).await?;
            if unfinished.is_empty() {
                return Ok(());
            }
            for invalidation in unfinished {
                let conditions: Conditions = serde_json::from_str(&invalidation.conditions)?;
                let now = self.clock.now_naive();
                let campaign_id = invalidation.campaign_id;
                let more = self
                    .db
                    .run(move |conn| review::run_batch(conn, &invalidation, &conditions, now))
                    .await?;
                if !more {
                    self.counts.changed();
                    self.history.forget(campaign_id);
                    self.baselines.forget(campaign_id);
                }
            }
            self.counts.changed();
            if *shutdown.borrow() {
                return Ok(());
            }
            tokio::time::sleep(BETWEEN_BATCHES).await;
        }
    }
}
