//! The outbox worker: sends due emails, records what happened, and backs off when the
//! relay fails. Rows are only ever marked, never deleted, so an outage delays mail but
//! loses none.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use futures_util::StreamExt;
use tokio::sync::{Notify, watch};

use super::{Composer, SendError, Transport};
use crate::config::RetryPolicy;
use crate::db::outbox::{self, Delivery, PendingMail};
use crate::db::{Database, campaigns};
use crate::domain::Lang;
use crate::metrics::Metrics;

/// Emails claimed at once, as a multiple of the emails in flight: each claim and each
/// record of deliveries is a durable write, so larger batches mean fewer flushes per email.
const BATCH_PER_CONNECTION: usize = 4;
/// Polling interval when nothing wakes the worker, which also picks up retries.
const IDLE_POLL: Duration = Duration::from_secs(1);
/// Permanent refusals are retried rarely: an operator may fix the cause, and an email is
/// never silently dropped.
const PERMANENT_RETRY: TimeDelta = TimeDelta::hours(6);

#[derive(Clone)]
pub struct MailWorker {
    pub db: Database,
    pub transport: Transport,
    pub composer: Composer,
    pub retry: RetryPolicy,
    /// How long a claim lasts. Long enough for a slow relay; a crashed worker's claims come
    /// back after it.
    pub lease: TimeDelta,
    /// Emails this worker has in flight at once over the SMTP connection pool. lettre
    /// 0.11.23 leaves Nagle's algorithm on, so each message waits about 40 ms for the
    /// relay's delayed ACK after its body: throughput comes from many connections at once.
    pub concurrency: usize,
    pub wake: Arc<Notify>,
    pub metrics: Arc<Metrics>,
}

impl MailWorker {
    /// Runs until `shutdown` turns true, finishing the batch in hand first.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut failing_since_logged = false;
        loop {
            if *shutdown.borrow() {
                break;
            }
            let now = Utc::now().naive_utc();
            let limit = i64::try_from(self.concurrency * BATCH_PER_CONNECTION).unwrap_or(i64::MAX);
            let lease = self.lease;
            let claimed = self
                .db
                .run(move |conn| outbox::claim_due(conn, now, limit, lease))
                .await;
            let batch = match claimed {
                Ok(batch) => batch,
                Err(error) => {
                    tracing::error!(error = ?error, "could not read the mail outbox");
                    Vec::new()
                }
            };
            if batch.is_empty() {
                tokio::select! {
                    () = self.wake.notified() => {}
                    () = tokio::time::sleep(IDLE_POLL) => {}
                    _ = shutdown.changed() => {}
                }
                continue;
            }
            let deliveries = self.deliver(batch).await;
            let failures = deliveries
                .iter()
                .filter(|d| matches!(d, Delivery::Failed { .. }))
                .count();
            if failures > 0 && !failing_since_logged {
                tracing::warn!(failures, "emails could not be sent; they will be retried");
            }
            failing_since_logged = failures > 0;
            self.metrics.email_failures(failures as u64);
            self.metrics
                .emails_sent((deliveries.len() - failures) as u64);
            let now = Utc::now().naive_utc();
            if let Err(error) = self
                .db
                .run(move |conn| outbox::record_deliveries(conn, &deliveries, now))
                .await
            {
                // The claims lapse after the lease and the emails are tried again: a
                // duplicate is better than a lost confirmation.
                tracing::error!(error = ?error, "could not record email deliveries");
            }
        }
    }

    async fn deliver(&self, batch: Vec<PendingMail>) -> Vec<Delivery> {
        let titles = self.campaign_titles(&batch).await;
        futures_util::stream::iter(batch)
            .map(|mail| {
                let campaign = titles.get(&(mail.campaign_id, mail.lang.clone())).cloned();
                async move { self.deliver_one(mail, campaign).await }
            })
            .buffer_unordered(self.concurrency.max(1))
            .collect()
            .await
    }

    async fn deliver_one(&self, mail: PendingMail, campaign: Option<(String, String)>) -> Delivery {
        let now = Utc::now().naive_utc();
        let attempts = u32::try_from(mail.attempts).unwrap_or(0).saturating_add(1);
        let transient_retry =
            now + TimeDelta::from_std(self.retry.delay_after(attempts)).unwrap_or(TimeDelta::MAX);
        let Some((slug, title)) = campaign else {
            return Delivery::Failed {
                id: mail.id,
                retry_at: transient_retry,
                error: "the campaign could not be loaded".into(),
            };
        };
        let composed = self
            .composer
            .content(&mail, &slug, &title)
            .and_then(|content| Ok((self.composer.message(&mail, &content)?, content)));
        let (message, content) = match composed {
            Ok(composed) => composed,
            Err(error) => {
                tracing::error!(outbox = mail.id, error = %error, "email could not be composed");
                return Delivery::Failed {
                    id: mail.id,
                    retry_at: now + PERMANENT_RETRY,
                    error: error.to_string(),
                };
            }
        };
        match self.transport.send(message).await {
            Ok(()) => {
                if self.transport.writes_files() {
                    tracing::info!(outbox = mail.id, link = %content.link, "email written to a file");
                } else {
                    tracing::debug!(outbox = mail.id, "email sent");
                }
                Delivery::Sent { id: mail.id }
            }
            Err(SendError::Permanent(error)) => {
                tracing::warn!(outbox = mail.id, %error, "relay refused an email");
                Delivery::Failed {
                    id: mail.id,
                    retry_at: now + PERMANENT_RETRY,
                    error,
                }
            }
            Err(SendError::Transient(error)) => Delivery::Failed {
                id: mail.id,
                retry_at: transient_retry,
                error,
            },
        }
    }

    /// Slug and title of each campaign in the batch, in each signer's language.
    async fn campaign_titles(
        &self,
        batch: &[PendingMail],
    ) -> HashMap<(i64, String), (String, String)> {
        let mut wanted: Vec<(i64, String)> = batch
            .iter()
            .map(|m| (m.campaign_id, m.lang.clone()))
            .collect();
        wanted.sort();
        wanted.dedup();
        let result = self
            .db
            .run(move |conn| {
                let mut titles = HashMap::new();
                for (campaign_id, lang) in wanted {
                    if let Some(campaign) = campaigns::find_by_id(conn, campaign_id)? {
                        let title = campaign
                            .text(Lang::parse(&lang).unwrap_or(Lang::Es))
                            .map(|t| t.title.clone())
                            .unwrap_or_default();
                        titles.insert((campaign_id, lang), (campaign.campaign.slug, title));
                    }
                }
                Ok(titles)
            })
            .await;
        result.unwrap_or_else(|error| {
            tracing::error!(error = ?error, "could not load campaign titles for emails");
            HashMap::new()
        })
    }
}
