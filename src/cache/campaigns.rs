//! Campaigns and their texts, served from memory. A campaign page is read far more often
//! than a campaign changes, so requests never wait for the database to learn what a
//! campaign says; the cache is reloaded every few seconds, and at once after a staff edit.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::NaiveDateTime;
use tokio::sync::watch;

use crate::db::campaigns::{self, CampaignWithTexts};
use crate::db::{Database, StoreError};
use crate::metrics::Metrics;

#[derive(Default)]
pub struct CampaignCache {
    /// Every campaign by slug, newest first in `order`.
    by_slug: RwLock<HashMap<String, Arc<CampaignWithTexts>>>,
    order: RwLock<Vec<Arc<CampaignWithTexts>>>,
    /// Reloads are numbered as they start. One that read the database before a staff edit
    /// and finishes after the reload that edit asked for must not put the old campaign back.
    started: AtomicU64,
    /// The number of the reload whose campaigns are kept.
    kept: AtomicU64,
}

impl CampaignCache {
    /// The campaign with `slug`. One that is not in memory yet (created a moment ago, maybe
    /// on another server) is looked up in the database and kept.
    pub async fn get(
        &self,
        db: &Database,
        slug: &str,
    ) -> Result<Option<Arc<CampaignWithTexts>>, StoreError> {
        if let Some(found) = self.cached(slug) {
            return Ok(Some(found));
        }
        let wanted = slug.to_owned();
        let Some(loaded) = db
            .run(move |conn| campaigns::find_by_slug(conn, &wanted))
            .await?
        else {
            return Ok(None);
        };
        let loaded = Arc::new(loaded);
        if let Ok(mut by_slug) = self.by_slug.write() {
            by_slug.insert(slug.to_owned(), Arc::clone(&loaded));
        }
        Ok(Some(loaded))
    }

    fn cached(&self, slug: &str) -> Option<Arc<CampaignWithTexts>> {
        self.by_slug
            .read()
            .ok()
            .and_then(|by_slug| by_slug.get(slug).cloned())
    }

    /// Campaigns taking signatures at `now`, newest first.
    pub fn open(&self, now: NaiveDateTime) -> Vec<Arc<CampaignWithTexts>> {
        self.order
            .read()
            .map(|all| {
                all.iter()
                    .filter(|c| c.campaign.accepts_signatures(now))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Replaces what is in memory with what the database holds now.
    pub async fn reload(&self, db: &Database) -> Result<(), StoreError> {
        let number = self.started.fetch_add(1, Ordering::SeqCst) + 1;
        let all: Vec<Arc<CampaignWithTexts>> = db
            .run(campaigns::list_all)
            .await?
            .into_iter()
            .map(Arc::new)
            .collect();
        let by_slug = all
            .iter()
            .map(|c| (c.campaign.slug.clone(), Arc::clone(c)))
            .collect();
        if let (Ok(mut old_by_slug), Ok(mut old_order)) = (self.by_slug.write(), self.order.write())
            && self.kept.load(Ordering::SeqCst) < number
        {
            *old_by_slug = by_slug;
            *old_order = all;
            self.kept.store(number, Ordering::SeqCst);
        }
        Ok(())
    }

    /// Reloads every `interval`, which picks up changes made by the command line or on
    /// other servers sharing the database. Staff pages reload at once after a change.
    pub async fn keep_fresh(
        self: Arc<Self>,
        db: Database,
        interval: Duration,
        metrics: Arc<Metrics>,
        mut shutdown: watch::Receiver<bool>,
    ) {
        loop {
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                _ = shutdown.changed() => {}
            }
            if *shutdown.borrow() {
                break;
            }
            match self.reload(&db).await {
                Ok(()) => metrics.campaigns_reloaded(),
                Err(error) => tracing::warn!(error = ?error, "could not reload campaigns"),
            }
        }
    }
}
