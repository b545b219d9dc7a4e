//! Reminders: every few minutes, queues the one reminder owed to each signer who has not
//! confirmed after the configured time, while their campaign is open. The outbox worker
//! sends them like any other email.

use std::sync::Arc;

use chrono::TimeDelta;
use tokio::sync::{Notify, watch};

use crate::clock::Clock;
use crate::config::Reminders;
use crate::db::{Database, reminders};
use crate::domain::{ConfirmationKey, IssuedToken, RandomnessUnavailable};
use crate::metrics::Metrics;

/// Signatures reminded per transaction, so that a backlog never holds the writer long.
const BATCH: i64 = 500;

pub struct ReminderTask {
    pub db: Database,
    /// Issues each reminder's fresh confirmation token.
    pub confirmation: ConfirmationKey,
    pub settings: Reminders,
    /// Wakes the mail worker once reminders are queued.
    pub mail_wake: Arc<Notify>,
    pub metrics: Arc<Metrics>,
    /// Reminders are queued by the database's time, like every email, so that one queued
    /// by a server whose clock is fast is not held back.
    pub clock: Clock,
}

impl ReminderTask {
    /// Runs until `shutdown` turns true; does nothing when reminders are off.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let Some(after) = self.settings.after else {
            return;
        };
        let after = TimeDelta::from_std(after).unwrap_or(TimeDelta::MAX);
        loop {
            match self.queue_due(after).await {
                Ok(0) => {}
                Ok(queued) => {
                    self.metrics
                        .reminders_queued(u64::try_from(queued).unwrap_or(u64::MAX));
                    tracing::info!(queued, "reminders queued for signatures not confirmed");
                    self.mail_wake.notify_one();
                }
                Err(error) => tracing::error!(error = ?error, "reminders could not be queued"),
            }
            tokio::select! {
                () = tokio::time::sleep(self.settings.check_every) => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    /// Queues every reminder due now, a batch at a time.
    async fn queue_due(&self, after: TimeDelta) -> anyhow::Result<usize> {
        let mut queued = 0;
        loop {
            let now = self.clock.now_naive();
            let signed_before = now.checked_sub_signed(after).unwrap_or(now);
            let due = self
                .db
                .run(move |conn| reminders::awaiting(conn, signed_before, now, BATCH))
                .await?;
            let full_batch = due.len() == usize::try_from(BATCH).unwrap_or(usize::MAX);
            let issued = due
                .into_iter()
                .map(|id| Ok((id, self.confirmation.issue()?)))
                .collect::<Result<Vec<(i64, IssuedToken)>, RandomnessUnavailable>>()?;
            let recorded = self
                .db
                .run(move |conn| reminders::record(conn, &issued, now))
                .await?;
            queued += recorded;
            // A batch that queued nothing would be read again the same way: stop until
            // the next check.
            if !full_batch || recorded == 0 {
                return Ok(queued);
            }
        }
    }
}
