//! The outbox worker: sends due emails, records what happened, and backs off when the
//! relay fails. An email is retried until it is sent or can never be: then it is marked
//! failed, kept for staff to see, and counted.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use futures_util::StreamExt;
use tokio::sync::{Mutex, Notify, watch};

use super::{CampaignForMail, Composer, SendError, SteadyRate, Transport};
use crate::clock::Clock;
use crate::config::RetryPolicy;
use crate::db::outbox::{self, Delivery, MailKind, PendingMail};
use crate::db::{Database, campaigns, updates};
use crate::domain::{Lang, UpdateText};
use crate::metrics::Metrics;

/// Emails claimed at once, as a multiple of the emails in flight: each claim and each
/// record of deliveries is a durable write, so larger batches mean fewer flushes per email.
const BATCH_PER_CONNECTION: usize = 4;
/// Polling interval when nothing wakes the worker, which also picks up retries.
const IDLE_POLL: Duration = Duration::from_secs(1);
/// While sending keeps failing, a warning at most this often, so an outage does not flood
/// the log.
const WARN_EVERY: Duration = Duration::from_secs(60);
/// When the database does not take what was sent, it is asked again after this, then
/// twice as long each time up to `MAX_RECORD_RETRY`: once the database is back, what was
/// sent is recorded within a second, long before the lease (minutes) ends.
const FIRST_RECORD_RETRY: Duration = Duration::from_millis(100);
const MAX_RECORD_RETRY: Duration = Duration::from_secs(1);

#[derive(Clone)]
pub struct MailWorker {
    pub db: Database,
    pub transport: Transport,
    pub composer: Composer,
    pub retry: RetryPolicy,
    /// How long a claim lasts. Longer than a batch can take with the relay's default
    /// deadlines (each connection slot sends `BATCH_PER_CONNECTION` emails, each within two
    /// 30-second deadlines), so no email is claimed twice while it is being sent; a crashed
    /// worker's claims come back after it. While the database is away, what was sent waits
    /// in `unrecorded` and no server can claim anything; it is recorded within a second of
    /// the database's return, and other servers can claim those emails again only if the
    /// outage outlasted the lease (5 minutes by default).
    pub lease: TimeDelta,
    /// Emails this worker has in flight at once over the SMTP connections. lettre 0.11.23
    /// leaves Nagle's algorithm on, so each message waits about 40 ms for the relay's
    /// delayed ACK after its body: throughput comes from many connections at once.
    pub concurrency: usize,
    pub wake: Arc<Notify>,
    pub metrics: Arc<Metrics>,
    /// How fast updates to signers go out, shared by this server's workers.
    pub update_rate: Arc<SteadyRate>,
    /// The time as the database tells it, shared by this server's tasks.
    pub clock: Clock,
    /// What this server's workers sent (or failed to) and the database has not taken yet,
    /// shared by them: none of them claims while something waits here.
    pub unrecorded: Arc<Mutex<Vec<Delivery>>>,
}

impl MailWorker {
    /// Runs until `shutdown` turns true. Emails being sent then are let go at once, so that
    /// a relay that does not answer never holds up stopping; they are due again at the
    /// next start.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut warned: Option<Instant> = None;
        let mut record_retry = FIRST_RECORD_RETRY;
        loop {
            if *shutdown.borrow() {
                break;
            }
            // What was sent is recorded before anything more is claimed, and no worker of
            // this server claims while something waits to be recorded: otherwise an email
            // whose "sent" is still in memory here could be claimed and sent again.
            let mut unrecorded = self.unrecorded.lock().await;
            if !self.record(&mut unrecorded).await {
                drop(unrecorded);
                tokio::select! {
                    () = tokio::time::sleep(record_retry) => {}
                    _ = shutdown.changed() => {}
                }
                record_retry = (record_retry * 2).min(MAX_RECORD_RETRY);
                continue;
            }
            record_retry = FIRST_RECORD_RETRY;
            let limit = i64::try_from(self.concurrency * BATCH_PER_CONNECTION).unwrap_or(i64::MAX);
            let lease = self.lease;
            let update_limit = self.update_rate.take(limit);
            let claimed = self
                .db
                .run(move |conn| outbox::claim_due(conn, limit, update_limit, lease))
                .await;
            drop(unrecorded);
            let batch = match claimed {
                Ok(batch) => batch,
                Err(error) => {
                    tracing::error!(error = ?error, "could not read the mail outbox");
                    Vec::new()
                }
            };
            let updates_claimed = batch.iter().filter(|m| m.update_id.is_some()).count();
            self.update_rate
                .give_back(update_limit - i64::try_from(updates_claimed).unwrap_or(0));
            if batch.is_empty() {
                tokio::select! {
                    () = self.wake.notified() => {}
                    () = tokio::time::sleep(IDLE_POLL) => {}
                    _ = shutdown.changed() => {}
                }
                continue;
            }
            let deliveries = self.deliver(batch, &mut shutdown).await;
            self.report(&deliveries, &mut warned);
            let mut unrecorded = self.unrecorded.lock().await;
            unrecorded.extend(deliveries);
            // If this fails, the next turn of the loop tries again, and keeps trying.
            self.record(&mut unrecorded).await;
        }
        let mut unrecorded = self.unrecorded.lock().await;
        if !self.record(&mut unrecorded).await {
            tracing::error!(
                emails = unrecorded.len(),
                "stopping with email outcomes the database did not take; those sent will be sent again once their lease ends"
            );
        }
    }

    /// Writes `unrecorded` outcomes to the outbox, and answers whether none is left. They
    /// stay in memory until the database takes them: an email whose "sent" is lost would
    /// be sent again once its lease ends.
    async fn record(&self, unrecorded: &mut Vec<Delivery>) -> bool {
        if unrecorded.is_empty() {
            return true;
        }
        let deliveries = unrecorded.clone();
        match self
            .db
            .run(move |conn| outbox::record_deliveries(conn, &deliveries))
            .await
        {
            Ok(()) => {
                unrecorded.clear();
                true
            }
            Err(error) => {
                tracing::error!(
                    error = ?error,
                    emails = unrecorded.len(),
                    "could not record email deliveries; trying again"
                );
                false
            }
        }
    }

    /// Counts and logs a batch's outcome. Logs carry outbox ids and the relay's error,
    /// never an address or a link.
    fn report(&self, deliveries: &[Delivery], warned: &mut Option<Instant>) {
        let mut sent = 0;
        let mut failures = 0;
        let mut given_up = 0;
        let mut first_error = None;
        for delivery in deliveries {
            match delivery {
                Delivery::Sent { .. } => sent += 1,
                Delivery::Failed { error, .. } => {
                    failures += 1;
                    first_error.get_or_insert(error.as_str());
                }
                Delivery::GivenUp { id, error } => {
                    failures += 1;
                    given_up += 1;
                    tracing::warn!(outbox = id, %error, "an email could not be sent and is marked failed");
                }
                Delivery::Released { .. } => {}
            }
        }
        self.metrics.emails_sent(sent);
        self.metrics.email_failures(failures);
        self.metrics.emails_given_up(given_up);
        match first_error {
            Some(error) if warned.is_none_or(|at| at.elapsed() >= WARN_EVERY) => {
                tracing::warn!(
                    failures,
                    sent,
                    %error,
                    "emails could not be sent; they will be retried"
                );
                *warned = Some(Instant::now());
            }
            Some(_) => {}
            None if sent > 0 && warned.take().is_some() => {
                tracing::info!("the relay takes emails again");
            }
            None => {}
        }
    }

    /// Sends a batch, as many at once as the worker's concurrency allows. If `shutdown`
    /// turns true meanwhile, the emails not done yet are released unsent.
    async fn deliver(
        &self,
        batch: Vec<PendingMail>,
        shutdown: &mut watch::Receiver<bool>,
    ) -> Vec<Delivery> {
        let titles = self.campaign_titles(&batch).await;
        let texts = self.update_texts(&batch).await;
        let claimed: Vec<i64> = batch.iter().map(|mail| mail.id).collect();
        let mut sending = futures_util::stream::iter(batch)
            .map(|mail| {
                let campaign = titles.get(&(mail.campaign_id, mail.lang.clone())).cloned();
                let update = mail.update_id.and_then(|id| texts.get(&id).cloned());
                async move { self.deliver_one(mail, campaign, update).await }
            })
            .buffer_unordered(self.concurrency.max(1));
        let mut done = Vec::with_capacity(claimed.len());
        loop {
            tokio::select! {
                delivery = sending.next() => match delivery {
                    Some(delivery) => done.push(delivery),
                    None => return done,
                },
                _ = shutdown.changed() => break,
            }
        }
        let finished: HashSet<i64> = done.iter().map(Delivery::id).collect();
        done.extend(
            claimed
                .into_iter()
                .filter(|id| !finished.contains(id))
                .map(|id| Delivery::Released { id }),
        );
        done
    }

    async fn deliver_one(
        &self,
        mail: PendingMail,
        campaign: Option<CampaignForMail>,
        update: Option<Arc<Vec<UpdateText>>>,
    ) -> Delivery {
        let now = self.clock.now_naive();
        let attempts = u32::try_from(mail.attempts).unwrap_or(0).saturating_add(1);
        let to_delta = |d: Duration| TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX);
        let id = mail.id;
        // Temporary failures (a silent, unreachable or busy relay) are retried with
        // back-off until the email has waited `give_up_after`.
        let retry_later = |error: String| {
            if now - mail.created_at >= to_delta(self.retry.give_up_after) {
                Delivery::GivenUp { id, error }
            } else {
                Delivery::Failed {
                    id,
                    retry_after: to_delta(self.retry.delay_after(attempts)),
                    error,
                }
            }
        };
        let Some(campaign) = campaign else {
            return retry_later("the campaign could not be loaded".into());
        };
        if mail.kind == MailKind::Update && update.is_none() {
            return retry_later("the update could not be loaded".into());
        }
        let composed = self
            .composer
            .content(&mail, &campaign, update.as_deref().map(Vec::as_slice))
            .and_then(|content| Ok((self.composer.message(&mail, &content)?, content)));
        let (message, content) = match composed {
            Ok(composed) => composed,
            // Writing an email depends only on what is stored: it would fail again.
            Err(error) => {
                return Delivery::GivenUp {
                    id,
                    error: error.to_string(),
                };
            }
        };
        match self.transport.send(message).await {
            Ok(()) => {
                if self.transport.writes_files() {
                    tracing::info!(outbox = id, link = %content.link, "email written to a file");
                } else {
                    tracing::debug!(outbox = id, "email sent");
                }
                Delivery::Sent { id }
            }
            // Refused for good (a 5xx). Tried again a few times, far apart, in case the
            // cause was a setting an operator fixes, such as the sender address.
            Err(SendError::Permanent(error)) if attempts < self.retry.permanent_attempts => {
                Delivery::Failed {
                    id,
                    retry_after: to_delta(self.retry.permanent_delay),
                    error,
                }
            }
            Err(SendError::Permanent(error)) => Delivery::GivenUp { id, error },
            Err(SendError::Transient(error)) => retry_later(error),
        }
    }

    /// The texts of each update in the batch.
    async fn update_texts(&self, batch: &[PendingMail]) -> HashMap<i64, Arc<Vec<UpdateText>>> {
        let mut wanted: Vec<i64> = batch.iter().filter_map(|m| m.update_id).collect();
        if wanted.is_empty() {
            return HashMap::new();
        }
        wanted.sort_unstable();
        wanted.dedup();
        match self.db.run(move |conn| updates::texts(conn, &wanted)).await {
            Ok(texts) => texts.into_iter().map(|(id, t)| (id, Arc::new(t))).collect(),
            Err(error) => {
                tracing::error!(error = ?error, "could not load update texts for emails");
                HashMap::new()
            }
        }
    }

    /// Slug and title of each campaign in the batch, in each signer's language.
    async fn campaign_titles(
        &self,
        batch: &[PendingMail],
    ) -> HashMap<(i64, String), CampaignForMail> {
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
                        titles.insert(
                            (campaign_id, lang),
                            CampaignForMail {
                                default_lang: campaign.campaign.default_lang(),
                                slug: campaign.campaign.slug,
                                title,
                            },
                        );
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
