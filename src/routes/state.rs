//! What request handlers share: built once by `startup`, handed to every handler.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, Semaphore};

use crate::cache::campaigns::CampaignCache;
use crate::cache::counts::SignatureCounts;
use crate::cache::history::HistoryCache;
use crate::cache::organisation::OrganisationCache;
use crate::cache::sources::KnownSourceCache;
use crate::clock::Clock;
use crate::config::SessionPolicy;
use crate::db::{Database, SignatureWriter};
use crate::domain::{
    ConfirmationKey, FormTokenKey, FormTokenUses, NotMeKey, OwnOrigins, SealingKey, StaffKeys,
    TrustedProxies, UnsubscribeKey,
};
use crate::intake::{kiosk, online};
use crate::mail::TestMail;
use crate::metrics::Metrics;
use crate::password_checks::PasswordCheckers;
use crate::rate_limits::{KioskCeiling, RateLimits};
use crate::review::Signaller;

use crate::cache::history_answers::HistoryAnswers;
use crate::cache::pages::RenderedCache;
use crate::cache::review_baselines::ReviewBaselines;
use crate::cache::share_pictures::SharePictures;

/// What request handlers share.
pub struct AppState {
    pub db: Database,
    pub staff_keys: StaffKeys,
    /// Where staff passwords are checked, a few at a time.
    pub password_checkers: PasswordCheckers,
    pub session_policy: SessionPolicy,
    /// Whether the public address is https, which makes cookies `Secure`.
    pub https: bool,
    pub metrics: Arc<Metrics>,
    /// `None` when rate limits are switched off.
    pub rate_limits: Option<RateLimits>,
    pub trusted_proxies: TrustedProxies,
    /// Forms sent sooner than this after they were served are taken for bots.
    pub min_fill_time: Duration,
    pub unsubscribe_key: UnsubscribeKey,
    /// Checks "this wasn't me" links.
    pub not_me_key: NotMeKey,
    pub campaigns: Arc<CampaignCache>,
    /// The organisation's settings, which every public page and email shows.
    pub organisation: Arc<OrganisationCache>,
    /// Campaigns' link-preview pictures, drawn once per version.
    pub share_pictures: SharePictures,
    /// Campaign pages, reused for a second.
    pub pages: RenderedCache,
    /// Which `?source=` values (partners', share links') make a page of their own.
    pub known_sources: KnownSourceCache,
    pub writer: SignatureWriter,
    pub counts: Arc<SignatureCounts>,
    /// Count histories, for the API and the campaign page's chart.
    pub history: Arc<HistoryCache>,
    /// The history API's answers, made once per history kept.
    pub history_answers: HistoryAnswers,
    pub form_key: FormTokenKey,
    /// Issues the token of each confirmation link; the mail worker derives it again.
    pub confirmation_key: ConfirmationKey,
    /// Signatures each form has carried, per client address, on this instance; `None`,
    /// like `rate_limits`, when per-address limits are switched off.
    pub form_uses: Option<FormTokenUses>,
    pub base_url: String,
    /// Where staff forms may come from.
    pub own_origins: OwnOrigins,
    /// What kiosks seal the signatures they keep offline to.
    pub sealing_key: SealingKey,
    /// Each kiosk's own limit, in place of the per-address ones.
    pub kiosk_ceiling: KioskCeiling,
    /// Tells the update queue that staff sent an update.
    pub update_wake: Arc<Notify>,
    /// How long a sent update waits before its emails go out, and can be cancelled.
    pub update_cancel_window: Duration,
    /// Sends staff a test of an update, straight to the relay.
    pub test_mail: TestMail,
    /// The time as the database tells it: forms are issued and checked by it, so that
    /// servers whose clocks differ take each other's forms.
    pub clock: Clock,
    /// Delivery packs being built: each holds its PDF in memory while it is made, so only
    /// a few are built at once.
    pub delivery_packs: Arc<Semaphore>,
    /// What the review keeps of each online signature.
    pub signaller: Arc<Signaller>,
    /// Wakes this server's invalidation runner when staff start, cancel or undo one.
    pub invalidations_wake: Arc<Notify>,
    /// What is usual for each campaign, which its review page measures the last day against.
    pub review_baselines: Arc<ReviewBaselines>,
}

impl AppState {
    /// What the online signature use case needs of the shared state.
    pub fn online_desk(&self) -> online::Desk<'_> {
        online::Desk {
            metrics: &self.metrics,
            clock: &self.clock,
            form_key: &self.form_key,
            min_fill_time: self.min_fill_time,
            form_uses: self.form_uses.as_ref(),
            confirmation_key: &self.confirmation_key,
            writer: &self.writer,
            db: &self.db,
            signaller: &self.signaller,
        }
    }
    /// What the kiosk use cases need of the shared state.
    pub fn kiosk_desk(&self) -> kiosk::Desk<'_> {
        kiosk::Desk {
            db: &self.db,
            counts: &self.counts,
            sealing_key: &self.sealing_key,
            ceiling: &self.kiosk_ceiling,
        }
    }
}
