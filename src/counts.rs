//! Signature counts, served from memory. Reading a count never touches the database:
//! the surges that break petition sites are mostly people reloading to watch the count.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{Notify, watch};

use crate::db::{Database, StoreError, signatures};
use crate::domain::{publication_cut, published_in_person};

/// The shortest pause between two refreshes, so a flood of confirmations costs at most
/// a few counting queries a second.
const MIN_REFRESH_GAP: Duration = Duration::from_millis(200);

/// A campaign's counted signatures as the public sees them: confirmed online, and given in
/// person (paper, kiosk) as published (see `domain::publication`). Staff pages count live.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub online: i64,
    pub in_person: i64,
}

impl Tally {
    pub fn total(self) -> i64 {
        self.online + self.in_person
    }
}

#[derive(Default)]
pub struct SignatureCounts {
    confirmed: RwLock<HashMap<i64, Tally>>,
    changed: Notify,
}

impl SignatureCounts {
    /// Confirmed signatures of a campaign, as of the last refresh.
    pub fn get(&self, campaign_id: i64) -> i64 {
        self.tally(campaign_id).total()
    }

    /// The same, online and in person apart.
    pub fn tally(&self, campaign_id: i64) -> Tally {
        self.confirmed
            .read()
            .map(|counts| counts.get(&campaign_id).copied().unwrap_or_default())
            .unwrap_or_default()
    }

    /// Asks for a refresh soon, after a confirmation on this server.
    pub fn changed(&self) {
        self.changed.notify_one();
    }

    pub async fn refresh(&self, db: &Database) -> Result<(), StoreError> {
        let cut = publication_cut(Utc::now().naive_utc());
        let fresh: HashMap<i64, Tally> = db
            .run(move |conn| signatures::confirmed_counts_by_channel(conn, cut))
            .await?
            .into_iter()
            .map(|(campaign_id, online, in_person)| {
                let in_person = published_in_person(in_person);
                (campaign_id, Tally { online, in_person })
            })
            .collect();
        if let Ok(mut counts) = self.confirmed.write() {
            *counts = fresh;
        }
        Ok(())
    }

    /// Refreshes every `interval`, and soon after each local confirmation. The interval
    /// also picks up confirmations made on other servers sharing the database.
    pub async fn keep_fresh(
        self: Arc<Self>,
        db: Database,
        interval: Duration,
        mut shutdown: watch::Receiver<bool>,
    ) {
        loop {
            tokio::select! {
                () = self.changed.notified() => {}
                () = tokio::time::sleep(interval) => {}
                _ = shutdown.changed() => {}
            }
            if *shutdown.borrow() {
                break;
            }
            if let Err(error) = self.refresh(&db).await {
                tracing::warn!(error = ?error, "could not refresh signature counts");
            }
            tokio::time::sleep(MIN_REFRESH_GAP).await;
        }
    }
}
