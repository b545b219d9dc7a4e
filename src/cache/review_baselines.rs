//! Each campaign's review baseline, the week that tells what is usual for it, kept for the
//! hour in which it stays the same: the review page and the alerts then read only the last
//! day of signatures, not eight. An invalidation that ends on this server drops the
//! campaign's baseline; on other servers it is at most an hour old.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;

use crate::db::{Connection, review};
use crate::domain::Usual;

#[derive(Default)]
pub struct ReviewBaselines {
    /// By campaign: the end of the week measured, and what it measured.
    kept: Mutex<HashMap<i64, (NaiveDateTime, Arc<Usual>)>>,
}

impl ReviewBaselines {
    /// What is usual for the campaign between `from` and `until`, read once per `until`.
    pub fn get(
        &self,
        conn: &mut Connection,
        campaign_id: i64,
        from: NaiveDateTime,
        until: NaiveDateTime,
    ) -> diesel::QueryResult<Arc<Usual>> {
        if let Ok(kept) = self.kept.lock()
            && let Some((kept_until, usual)) = kept.get(&campaign_id)
            && *kept_until == until
        {
            return Ok(Arc::clone(usual));
        }
        // Read without the lock: readers arriving together as the hour turns may each read
        // it, but nobody waits on another campaign's week.
        let usual = Arc::new(review::baseline(conn, campaign_id, from, until)?);
        if let Ok(mut kept) = self.kept.lock() {
            kept.insert(campaign_id, (until, Arc::clone(&usual)));
        }
        Ok(usual)
    }

    /// Drops a campaign's baseline, after an invalidation changed what it counts.
    pub fn forget(&self, campaign_id: i64) {
        if let Ok(mut kept) = self.kept.lock() {
            kept.remove(&campaign_id);
        }
    }
}
