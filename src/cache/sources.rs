//! The source codes a campaign page is made for, kept in memory for a while: registered
//! partners' codes and the share links' own. A page with one of them in `?source=` is
//! rendered and kept for everyone who follows that link; a page with any other `?source=`
//! is the page without one, so that new values in links cannot make every request render
//! and compress the page again. A partner's code also names the partner, whose consent box
//! the form then shows.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::db::{Database, StoreError, partners};
use crate::domain::{ShareChannel, Source};

/// Each known code, with the name of the partner it is, if it is one.
type Codes = HashMap<String, Option<String>>;

pub struct KnownSourceCache {
    ttl: Duration,
    kept: RwLock<Option<(Instant, Arc<Codes>)>>,
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
        let codes = self.codes(db).await?;
        Ok(codes.contains_key(source.as_str()).then_some(source))
    }

    /// The name of the partner whose code is `source`; `None` for any other source.
    pub async fn partner_name(
        &self,
        db: &Database,
        source: &str,
    ) -> Result<Option<String>, StoreError> {
        let codes = self.codes(db).await?;
        Ok(codes.get(source).cloned().flatten())
    }

    async fn codes(&self, db: &Database) -> Result<Arc<Codes>, StoreError> {
        match self.fresh() {
            Some(codes) => Ok(codes),
            None => self.read(db).await,
        }
    }

    fn fresh(&self) -> Option<Arc<Codes>> {
        let kept = self.kept.read().ok()?;
        kept.as_ref()
            .filter(|(made, _)| made.elapsed() < self.ttl)
            .map(|(_, codes)| Arc::clone(codes))
    }

    async fn read(&self, db: &Database) -> Result<Arc<Codes>, StoreError> {
        let codes: Codes = ShareChannel::ALL
            .map(|channel| (channel.source(), None))
            .into_iter()
            .chain(
                db.run(partners::list)
                    .await?
                    .into_iter()
                    .map(|partner| (partner.code, Some(partner.name))),
            )
            .collect();
        let codes = Arc::new(codes);
        if let Ok(mut kept) = self.kept.write() {
            *kept = Some((Instant::now(), Arc::clone(&codes)));
        }
        Ok(codes)
    }
}
