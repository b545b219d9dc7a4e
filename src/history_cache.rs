//! Campaigns' count histories, kept in memory for a while: building one reads every
//! confirmation time of a campaign, which is fine once a minute and not on every page view.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::db::{Database, StoreError, signatures};
use crate::domain::ConfirmationHistory;

type Kept = (Instant, Arc<ConfirmationHistory>);

pub struct HistoryCache {
    ttl: Duration,
    by_campaign: RwLock<HashMap<i64, Kept>>,
    /// Held while a history is read from the database, so that a crowd arriving as one
    /// expires causes one read, not one each.
    reading: Mutex<()>,
}

impl HistoryCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            by_campaign: RwLock::new(HashMap::new()),
            reading: Mutex::new(()),
        }
    }

    /// The campaign's history, at most `ttl` old; while another request reads a fresh one,
    /// the one kept before is served, however old.
    pub async fn get(
        &self,
        db: &Database,
        campaign_id: i64,
    ) -> Result<Arc<ConfirmationHistory>, StoreError> {
        let kept = self.kept(campaign_id);
        if let Some((made, history)) = &kept
            && made.elapsed() < self.ttl
        {
            return Ok(Arc::clone(history));
        }
        let _reading = match (self.reading.try_lock(), kept) {
            (Ok(guard), _) => guard,
            (Err(_), Some((_, stale))) => return Ok(stale),
            (Err(_), None) => self.reading.lock().await,
        };
        if let Some((made, history)) = self.kept(campaign_id)
            && made.elapsed() < self.ttl
        {
            return Ok(history);
        }
        let fresh = Arc::new(
            db.run(move |conn| signatures::confirmation_history(conn, campaign_id))
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
