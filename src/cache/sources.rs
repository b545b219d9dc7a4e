//! The source codes a campaign page is made for, kept in memory for a while: registered
//! partners' codes and the share links' own. A page with one of them in `?source=` is
//! rendered and kept for everyone who follows that link; a page with any other `?source=`
//! is the page without one, so that new values in links cannot make every request render
//! and compress the page again.

use std::collections::HashSet;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::db::{Database, StoreError, partners};
use crate::domain::{ShareChannel, Source};

pub struct KnownSourceCache {
    ttl: Duration,
    kept: RwLock<Option<(Instant, Arc<HashSet<String>>)>>,
}

impl KnownSourceCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            kept: RwLock::new(None),
        }
    }

    /// `source` when it is a registered partner's code or a share link's.
    pub async fn known(&self, db: &Database, source: Source) -> Result<Option<Source>, StoreError> {
        let codes = match self.fresh() {
            Some(codes) => codes,
            None => self.read(db).await?,
        };
        Ok(codes.contains(source.as_str()).then_some(source))
    }

    fn fresh(&self) -> Option<Arc<HashSet<String>>> {
        let kept = self.kept.read().ok()?;
        kept.as_ref()
            .filter(|(made, _)| made.elapsed() < self.ttl)
            .map(|(_, codes)| Arc::clone(codes))
    }

    async fn read(&self, db: &Database) -> Result<Arc<HashSet<String>>, StoreError> {
        let codes: HashSet<String> = db
            .run(partners::list)
            .await?
            .into_iter()
            .map(|partner| partner.code)
            .chain(ShareChannel::ALL.map(ShareChannel::source))
            .collect();
        let codes = Arc::new(codes);
        if let Ok(mut kept) = self.kept.write() {
            *kept = Some((Instant::now(), Arc::clone(&codes)));
        }
        Ok(codes)
    }
}
