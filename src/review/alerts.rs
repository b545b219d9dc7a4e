//! Emails to staff when a campaign's signatures turn unusual: once per wave, that is once
//! per campaign, signal and value in a day, however many signatures the wave brings.

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use lettre::Message;
use lettre::message::Mailbox;
use tokio::sync::watch;

use super::trends;
use crate::cache::campaigns::CampaignCache;
use crate::cache::review_baselines::ReviewBaselines;
use crate::clock::Clock;
use crate::db::{Database, review};
use crate::domain::{Lang, Trend};
use crate::i18n::Tr;
use crate::mail::Transport;

/// A value that was alerted about is not alerted about again for this long.
const ONE_WAVE: TimeDelta = TimeDelta::hours(24);

pub struct Alerts {
    pub db: Database,
    pub campaigns: Arc<CampaignCache>,
    pub baselines: Arc<ReviewBaselines>,
    pub transport: Transport,
    pub from: Mailbox,
    pub base_url: String,
    pub clock: Clock,
    pub every: Duration,
}

impl Alerts {
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            tokio::select! {
                () = tokio::time::sleep(self.every) => {}
                _ = shutdown.changed() => return,
            }
            if let Err(error) = self.check().await {
                tracing::warn!(error = ?error, "review alerts could not be checked");
            }
        }
    }

    async fn check(&self) -> anyhow::Result<()> {
        let now = self.clock.now_naive();
        for campaign in self.campaigns.open(now) {
            let (id, slug) = (campaign.campaign.id, campaign.campaign.slug.clone());
            let baselines = Arc::clone(&self.baselines);
            let fresh: Vec<Trend> = self
                .db
                .run(move |conn| {
                    let mut fresh = Vec::new();
                    for trend in trends(conn, &baselines, id, now)? {
                        // Only the current hour and the one before: a wave, not history.
                        if trend.count.hour < now - TimeDelta::hours(2) {
                            continue;
                        }
                        let (dimension, value) = (trend.count.dimension.name(), &trend.count.value);
                        if review::claim_alert(conn, id, dimension, value, now - ONE_WAVE, now)? {
                            fresh.push(trend);
                        }
                    }
                    Ok(fresh)
                })
                .await?;
            if fresh.is_empty() {
                continue;
            }
            let staff = self.db.run(review::staff_addresses).await?;
            for (email, lang) in staff {
                let lang = lang.as_deref().and_then(Lang::parse).unwrap_or(Lang::En);
                let Ok(to) = email.parse::<Mailbox>() else {
                    continue;
                };
                let message = self.message(to, Tr(lang), &slug, &fresh)?;
                if let Err(error) = self.transport.send(message).await {
                    tracing::warn!(error = %error, "a review alert could not be sent");
                }
            }
            tracing::info!(campaign = %slug, unusual = fresh.len(), "review alert sent");
        }
        Ok(())
    }

    fn message(
        &self,
        to: Mailbox,
        tr: Tr,
        slug: &str,
        trends: &[Trend],
    ) -> anyhow::Result<Message> {
        let mut text = tr.t1("review-alert-intro", "campaign", slug);
        text.push_str("\n\n");
        for trend in trends {
            let dimension = tr.t(&format!(
                "review-dimension-{}",
                trend.count.dimension.name()
            ));
            text.push_str(&format!(
                "- {} UTC · {dimension} · {} · {}\n",
                trend.count.hour.format("%Y-%m-%d %H:%M"),
                trend.count.value,
                tr.number(trend.count.signed)
            ));
        }
        text.push_str(&format!(
            "\n{}\n{}/admin/campaigns/{slug}/review\n",
            tr.t("review-alert-open"),
            self.base_url
        ));
        Ok(Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(tr.t1("review-alert-subject", "campaign", slug))
            .body(text)?)
    }
}
