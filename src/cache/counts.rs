//! Signature counts, served from memory. Reading a count never touches the database:
//! the surges that break petition sites are mostly people reloading to watch the count.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{Notify, watch};

use crate::db::{Database, StoreError, counts};
use crate::domain::{publication_cut, published_in_person};

/// The shortest pause between two refreshes, so a flood of confirmations costs at most
/// a few counting queries a second.
const MIN_REFRESH_GAP: Duration = Duration::from_millis(200);

/// A refresh counts every confirmed signature, which on a million takes a good part of a
/// second: the pause after one is this many times as long as it took, so counting takes
/// at most a tenth of a processor however full the database is, and the count lags by a
/// few seconds at worst.
const GAP_PER_REFRESH_TIME: u32 = 9;

/// The pause after a refresh that took `took`.
fn gap_after(took: Duration) -> Duration {
    MIN_REFRESH_GAP.max(took * GAP_PER_REFRESH_TIME)
}

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
            .run(move |conn| counts::confirmed_counts_by_channel(conn, cut))
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
            let started = std::time::Instant::now();
            if let Err(error) = self.refresh(&db).await {
                tracing::warn!(error = ?error, "could not refresh signature counts");
            }
            tokio::time::sleep(gap_after(started.elapsed())).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_a_full_database_takes_at_most_a_tenth_of_a_processor() {
        assert_eq!(gap_after(Duration::from_millis(5)), MIN_REFRESH_GAP);
        let took = Duration::from_millis(400);
        let gap = gap_after(took);
        assert!(took.as_secs_f64() / (took + gap).as_secs_f64() <= 0.1);
    }
}
