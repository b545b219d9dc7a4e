//! Queues the recipients of updates staff have sent, a batch per transaction, so that a
//! campaign with a million signers never holds the writer or memory long. The outbox
//! worker then sends them at the update rate.

use std::sync::Arc;
use std::time::Duration;

use crate::clock::Clock;
use tokio::sync::{Notify, watch};

use crate::db::{Database, updates};

/// Recipients queued per transaction.
const BATCH: i64 = 1000;
/// How often sent updates are looked for when nothing wakes the task; this also picks up
/// a send interrupted by a restart, or made on another server.
const CHECK_EVERY: Duration = Duration::from_secs(1);

pub struct UpdateQueue {
    pub db: Database,
    /// Woken by staff sending an update.
    pub wake: Arc<Notify>,
    /// Wakes the mail worker once recipients are queued.
    pub mail_wake: Arc<Notify>,
    /// Update emails are queued by the database's time, like every email, so that those
    /// queued by a server whose clock is fast are not held back.
    pub clock: Clock,
}

impl UpdateQueue {
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            loop {
                if *shutdown.borrow() {
                    return;
                }
                let now = self.clock.now_naive();
                match self
                    .db
                    .run(move |conn| updates::queue_recipients(conn, BATCH, now))
                    .await
                {
                    Ok((queued, more)) => {
                        if queued > 0 {
                            tracing::info!(queued, "update emails queued");
                            self.mail_wake.notify_one();
                        }
                        if !more {
                            break;
                        }
                    }
                    Err(error) => {
                        tracing::error!(error = ?error, "update recipients could not be queued");
                        break;
                    }
                }
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(CHECK_EVERY) => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}
