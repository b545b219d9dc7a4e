//! Campaigns' count histories, kept in memory for a while: building one groups a campaign's
//! confirmations by hour in the database, which is fine once a minute and not on every
//! page view.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::sync::Mutex;

use crate::db::{Database, StoreError, counts};
use crate::domain::ConfirmationHistory;

type Kept = (Instant, Arc<ConfirmationHistory>);

pub struct HistoryCache {
    ttl: Duration,
    by_campaign: RwLock<HashMap<i64, Kept>>,
    /// Held while a history is read from the database, so that a crowd arriving as one
    /// expires causes one read, not one each.
    reading: Arc<Mutex<()>>,
}

impl HistoryCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            by_campaign: RwLock::new(HashMap::new()),
            reading: Arc::new(Mutex::new(())),
        }
    }

    /// The campaign's history. One older than `ttl` is still answered at once, while a
    /// fresh one is read in the background; only a campaign's first request waits.
    pub async fn get(
        self: &Arc<Self>,
        db: &Database,
        campaign_id: i64,
    ) -> Result<Arc<ConfirmationHistory>, StoreError> {
        match self.kept(campaign_id) {
            Some((made, history)) if made.elapsed() < self.ttl => Ok(history),
            Some((_, stale)) => {
                self.refresh_in_background(db.clone(), campaign_id);
                Ok(stale)
            }
            None => {
                let _reading = self.reading.lock().await;
                match self.kept(campaign_id) {
                    Some((_, history)) => Ok(history),
                    None => self.read(db, campaign_id).await,
                }
            }
        }
    }

    /// Starts reading a fresh history unless a read is already under way.
    fn refresh_in_background(self: &Arc<Self>, db: Database, campaign_id: i64) {
        let Ok(reading) = Arc::clone(&self.reading).try_lock_owned() else {
            return;
        };
        let cache = Arc::clone(self);
        tokio::spawn(async move {
            let _reading = reading;
            if let Err(error) = cache.read(&db, campaign_id).await {
                tracing::warn!(error = ?error, "could not refresh a count history");
            }
        });
    }

    async fn read(
        &self,
        db: &Database,
        campaign_id: i64,
    ) -> Result<Arc<ConfirmationHistory>, StoreError> {
        let fresh = Arc::new(
            db.run(move |conn| {
                counts::confirmation_history(conn, campaign_id, Utc::now().naive_utc())
            })
            .await?,
        );
        if let Ok(mut kept) = self.by_campaign.write() {
            kept.insert(campaign_id, (Instant::now(), Arc::clone(&fresh)));
        }
        Ok(fresh)
    }

    fn kept(&self, campaign_id: i64) -> Option<Kept> {
        self.by_campaign
            .read()
            .ok()?
            .get(&campaign_id)
            .map(|(made, history)| (*made, Arc::clone(history)))
    }
}

#[cfg(test)]
mod tests {
    use diesel::RunQueryDsl;

    use super::*;
    use crate::db::DatabaseUrl;

    fn confirm_one_more(db: &Database, n: u32) {
        let mut conn = db.connection().expect("a connection");
        diesel::sql_query(format!(
            "INSERT INTO signatures (campaign_id, first_name, last_name, email, email_canonical,
                 country, email_opt_in, lang, consent_version, created_at, confirmed_at)
             VALUES (1, 'A', 'B', 'a{n}@example.org', 'a{n}@example.org', 'MX', FALSE, 'es', 'v1',
                 '2026-11-01 00:00:00', '2026-11-01 10:00:00')"
        ))
        .execute(&mut conn)
        .expect("a confirmed signature");
    }

    #[tokio::test]
    async fn a_stale_history_is_answered_at_once_and_refreshed_behind_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = DatabaseUrl::parse(&format!("sqlite://{}", dir.path().join("h.db").display()))
            .expect("a database URL");
        let db = Database::open(&url, 2).expect("the database opens");
        db.migrate().expect("migrated");
        diesel::sql_query(
            "INSERT INTO campaigns (id, slug, default_lang, goal, default_country, created_at,
                 updated_at) VALUES (1, 'c', 'es', 10, 'MX', '2026-11-01 00:00:00',
                 '2026-11-01 00:00:00')",
        )
        .execute(&mut db.connection().expect("a connection"))
        .expect("a campaign");
        confirm_one_more(&db, 1);
        let cache = Arc::new(HistoryCache::new(Duration::ZERO));

        assert_eq!(cache.get(&db, 1).await.expect("read").total(), 1);
        confirm_one_more(&db, 2);
        assert_eq!(
            cache.get(&db, 1).await.expect("read").total(),
            1,
            "the kept history, while a fresh one is read"
        );

        let deadline = Instant::now() + Duration::from_secs(10);
        while cache.get(&db, 1).await.expect("read").total() != 2 {
            assert!(Instant::now() < deadline, "the fresh history replaces it");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
