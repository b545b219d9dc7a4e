//! The one place that wires configuration, storage, background workers and routes together.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use chrono::{TimeDelta, Utc};
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinHandle;

use crate::cache::campaigns::CampaignCache;
use crate::cache::counts::SignatureCounts;
use crate::cache::history::HistoryCache;
use crate::cache::history_answers::HistoryAnswers;
use crate::cache::organisation::OrganisationCache;
use crate::cache::pages::RenderedCache;
use crate::cache::review_baselines::ReviewBaselines;
use crate::cache::share_pictures::SharePictures;
use crate::cache::sources::KnownSourceCache;
use crate::clock::{Clock, MEASURE_EVERY};
use crate::config::{Retention, Settings};
use crate::db::{Database, SignatureWriter, clock as database_clock, outbox, privacy, review};
use crate::domain::{
    ConfirmationKey, FormTokenKey, FormTokenUses, NetworkKeys, NotMeKey, OwnOrigins, SealingKey,
    StaffKeys, UnsubscribeKey,
};
use crate::mail::{
    Composer, MailWorker, ReminderTask, SteadyRate, TestMail, Transport, UpdateQueue,
};
use crate::metrics::Metrics;
use crate::password_checks::PasswordCheckers;
use crate::rate_limits::{KioskCeiling, RateLimits};
use crate::review::{Alerts, Invalidator, Signaller};
use crate::routes::{AppState, ConnectionCap};
use crate::{routes, seed};

/// A built application: bound to its port, with its workers running.
pub struct Application {
    port: u16,
    server: Server,
    shutdown: watch::Sender<bool>,
    workers: Vec<JoinHandle<()>>,
}

/// Connections in the pool: enough for page reads and the mail worker next to the writer
/// thread, which holds one of its own.
const POOL_SIZE: u32 = 16;

/// Mail workers, each claiming its own batches and sharing the SMTP connections: while one
/// records what it sent and claims more, the others keep sending.
const MAIL_WORKERS: usize = 2;

/// How long a staff sign-in waits for a free password checker before it gets `503`.
const PASSWORD_CHECK_WAIT: Duration = Duration::from_secs(5);

/// Delivery packs built at once; a PDF of a million signers is held in memory while it is
/// made, so more staff asking at once wait their turn rather than exhaust the server.
const DELIVERY_PACKS_AT_ONCE: usize = 2;

/// How often the query planner's statistics are refreshed while serving.
const OPTIMIZE_INTERVAL: Duration = Duration::from_secs(3600);

/// How often the write-ahead log is copied into the database file.
const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(1);

/// How long a rendered campaign page is reused, and how many are kept. With counts
/// refreshed every second, what a page shows is never more than two seconds old.
const RENDERED_TTL: Duration = Duration::from_secs(1);
const RENDERED_MAX: usize = 1024;
/// A newly registered partner's links get their own page within this long.
const KNOWN_SOURCES_TTL: Duration = Duration::from_secs(10);

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.bind)
            .with_context(|| format!("could not listen on {}", settings.bind))?;
        let address = listener.local_addr()?;
        let port = address.port();
        let base_url = settings
            .base_url
            .clone()
            .unwrap_or_else(|| format!("http://{address}"));
        let db = Database::open_limited(
            &settings.database_url,
            POOL_SIZE,
            settings.max_database_pages,
        )?;
        let seed_demo = settings.seed_demo;
        let migrate_db = db.clone();
        let seeded = tokio::task::spawn_blocking(move || -> anyhow::Result<bool> {
            for migration in migrate_db.migrate()? {
                tracing::info!(%migration, "applied migration");
            }
            let mut conn = migrate_db.connection()?;
            let released = outbox::release_claims(&mut conn)?;
            if released > 0 {
                tracing::info!(released, "emails claimed before a restart are due again");
            }
            if !seed_demo {
                return Ok(false);
            }
            Ok(seed::seed_demo_if_empty(&mut conn, Utc::now().naive_utc())?)
        })
        .await??;
        if seeded {
            tracing::info!(slug = seed::DEMO_SLUG, "created the demo campaign");
        }

        let metrics = Arc::new(Metrics::default());
        let clock = Clock::skewed(settings.clock_skew);
        let offset = database_clock::measure(&db, &clock)
            .await
            .context("could not read the database's clock")?;
        metrics.clock_offset(offset);
        let mail_wake = Arc::new(Notify::new());
        let (writer, _writer_threads) = SignatureWriter::start(
            db.clone(),
            settings.writer,
            Arc::clone(&mail_wake),
            clock.clone(),
        )
        .context("could not start the signature writer")?;

        let counts = Arc::new(SignatureCounts::default());
        counts
            .refresh(&db)
            .await
            .context("could not count signatures")?;
        let campaigns = Arc::new(CampaignCache::default());
        campaigns
            .reload(&db)
            .await
            .context("could not load campaigns")?;
        let organisation = Arc::new(OrganisationCache::default());
        organisation
            .reload(&db)
            .await
            .context("could not load the organisation's settings")?;

        let transport = Transport::new(
            settings.smtp_url.as_deref(),
            settings.smtp_connections,
            settings.smtp_timeout,
            settings.mail_dir.clone(),
        )?;
        if transport.writes_files() {
            tracing::info!(
                dir = %settings.mail_dir.display(),
                "MARIPOSA_SMTP_URL is not set: emails are written as .eml files"
            );
        }
        let (shutdown, shutdown_rx) = watch::channel(false);
        let composer = Composer {
            unsubscribe: UnsubscribeKey::derive(&settings.secret_key),
            confirmation: ConfirmationKey::derive(&settings.secret_key),
            not_me: NotMeKey::derive(&settings.secret_key),
            from: settings.mail_from.clone(),
            organisation: Arc::clone(&organisation),
            base_url: base_url.clone(),
        };
        let test_mail = TestMail {
            transport: transport.clone(),
            composer: composer.clone(),
        };
        let mail_worker = MailWorker {
            db: db.clone(),
            transport,
            composer,
            retry: settings.mail_retry,
            lease: TimeDelta::from_std(settings.mail_lease).unwrap_or(TimeDelta::MAX),
            concurrency: usize::from(settings.smtp_connections).div_ceil(MAIL_WORKERS),
            wake: Arc::clone(&mail_wake),
            metrics: Arc::clone(&metrics),
            update_rate: Arc::new(SteadyRate::per_minute(settings.update_rate_per_minute)),
            clock: clock.clone(),
            unrecorded: Arc::default(),
        };
        let update_wake = Arc::new(Notify::new());
        let mut workers: Vec<JoinHandle<()>> = (0..MAIL_WORKERS)
            .map(|_| tokio::spawn(mail_worker.clone().run(shutdown_rx.clone())))
            .collect();
        workers.extend([
            tokio::spawn(database_clock::keep_measured(
                clock.clone(),
                db.clone(),
                MEASURE_EVERY,
                Arc::clone(&metrics),
                shutdown_rx.clone(),
            )),
            tokio::spawn(Arc::clone(&counts).keep_fresh(
                db.clone(),
                settings.count_refresh,
                shutdown_rx.clone(),
            )),
            tokio::spawn(Arc::clone(&campaigns).keep_fresh(
                db.clone(),
                settings.campaign_refresh,
                Arc::clone(&metrics),
                shutdown_rx.clone(),
            )),
            tokio::spawn(Arc::clone(&organisation).keep_fresh(
                db.clone(),
                settings.campaign_refresh,
                shutdown_rx.clone(),
            )),
            tokio::spawn(
                db.clone()
                    .keep_checkpointed(CHECKPOINT_INTERVAL, shutdown_rx.clone()),
            ),
            tokio::spawn(
                db.clone()
                    .keep_analyzed(OPTIMIZE_INTERVAL, shutdown_rx.clone()),
            ),
            tokio::spawn(
                UpdateQueue {
                    db: db.clone(),
                    wake: Arc::clone(&update_wake),
                    mail_wake: Arc::clone(&mail_wake),
                    clock: clock.clone(),
                }
                .run(shutdown_rx.clone()),
            ),
            tokio::spawn(
                ReminderTask {
                    db: db.clone(),
                    confirmation: ConfirmationKey::derive(&settings.secret_key),
                    settings: settings.reminders,
                    mail_wake,
                    metrics: Arc::clone(&metrics),
                    clock: clock.clone(),
                }
                .run(shutdown_rx.clone()),
            ),
        ]);

        let signaller = Arc::new(Signaller::new(
            NetworkKeys::derive(&settings.secret_key),
            settings.review.throwaway.clone(),
        ));
        let history = Arc::new(HistoryCache::new(settings.history_ttl));
        let invalidations_wake = Arc::new(Notify::new());
        let review_baselines = Arc::new(ReviewBaselines::default());
        workers.push(tokio::spawn(
            Invalidator {
                db: db.clone(),
                counts: Arc::clone(&counts),
                history: Arc::clone(&history),
                baselines: Arc::clone(&review_baselines),
                clock: clock.clone(),
                wake: Arc::clone(&invalidations_wake),
                every: settings.review.invalidations_every,
            }
            .run(shutdown_rx.clone()),
        ));
        workers.push(tokio::spawn(
            Alerts {
                db: db.clone(),
                campaigns: Arc::clone(&campaigns),
                baselines: Arc::clone(&review_baselines),
                transport: test_mail.transport.clone(),
                from: settings.mail_from.clone(),
                base_url: base_url.clone(),
                clock: clock.clone(),
                every: settings.review.alerts_every,
            }
            .run(shutdown_rx.clone()),
        ));
        let state = web::Data::new(AppState {
            db,
            staff_keys: StaffKeys::derive(&settings.secret_key),
            password_checkers: PasswordCheckers::start(PASSWORD_CHECK_WAIT)
                .context("could not start the password checkers")?,
            session_policy: settings.session_policy,
            https: settings.is_https(),
            metrics: Arc::clone(&metrics),
            rate_limits: settings.rate_limits.then(RateLimits::default),
            trusted_proxies: settings.trusted_proxies.clone(),
            min_fill_time: settings.min_fill_time,
            unsubscribe_key: UnsubscribeKey::derive(&settings.secret_key),
            not_me_key: NotMeKey::derive(&settings.secret_key),
            campaigns,
            organisation,
            share_pictures: SharePictures::default(),
            pages: RenderedCache::new(RENDERED_TTL, RENDERED_MAX),
            known_sources: KnownSourceCache::new(KNOWN_SOURCES_TTL),
            writer,
            counts,
            history,
            history_answers: HistoryAnswers::default(),
            form_key: FormTokenKey::derive(&settings.secret_key, "sign"),
            confirmation_key: ConfirmationKey::derive(&settings.secret_key),
            form_uses: settings.rate_limits.then(FormTokenUses::default),
            base_url: base_url.clone(),
            own_origins: OwnOrigins::of_urls(&[&base_url, &format!("http://{address}")]),
            sealing_key: SealingKey::derive(&settings.secret_key),
            kiosk_ceiling: KioskCeiling::default(),
            update_wake,
            update_cancel_window: settings.update_cancel_window,
            test_mail,
            clock,
            delivery_packs: Arc::new(Semaphore::new(DELIVERY_PACKS_AT_ONCE)),
            signaller,
            invalidations_wake,
            review_baselines,
        });
        workers.push(tokio::spawn(forget_idle(
            state.clone(),
            shutdown_rx.clone(),
        )));
        workers.push(tokio::spawn(enforce_retention(
            state.db.clone(),
            settings.retention,
            settings.review.network_retention,
            shutdown_rx,
        )));
        let https = settings.is_https();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(Compress::default())
                .wrap(from_fn(routes::head_as_get))
                .wrap(from_fn(routes::read_body_in_time))
                .wrap(from_fn(routes::refuse_crowded_connections))
                .wrap(from_fn(move |req, next| {
                    routes::security_headers(https, req, next)
                }))
                .wrap(from_fn(move |req, next| {
                    routes::remember_language(https, req, next)
                }))
                .wrap(from_fn(routes::log_requests))
                .app_data(state.clone())
                .configure(routes::configure)
        })
        // Headers must arrive within 5 s and an idle connection is closed after 5 s (the
        // defaults, named here because slow clients hold file descriptors); bodies have
        // their own deadline, `routes::read_body_in_time`.
        .client_request_timeout(Duration::from_secs(5))
        .keep_alive(Duration::from_secs(5))
        .client_disconnect_timeout(Duration::from_secs(1))
        .shutdown_timeout(30);
        let server = match settings.max_connections_per_client {
            Some(max) => {
                let cap = ConnectionCap::new(max, settings.trusted_proxies.clone());
                server.on_connect(move |connection, data| cap.on_connect(connection, data))
            }
            None => server,
        };
        let server = server.listen(listener)?.run();
        tracing::info!(%address, %base_url, "listening");
        Ok(Self {
            port,
            server,
            shutdown,
            workers,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGINT or SIGTERM, lets in-flight requests finish, then stops the
    /// background workers between two emails.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.server.await.context("the web server failed")?;
        let _ = self.shutdown.send(true);
        for worker in self.workers {
            if tokio::time::timeout(Duration::from_secs(30), worker)
                .await
                .is_err()
            {
                tracing::warn!("a background worker did not stop in time");
            }
        }
        tracing::info!("stopped");
        Ok(())
    }
}

/// Once a minute, lets the rate limiter forget addresses that have been quiet and the form
/// counts forget expired forms.
async fn forget_idle(state: web::Data<AppState>, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(60)) => {
                if let Some(limits) = &state.rate_limits {
                    limits.forget_idle();
                }
                if let Some(uses) = &state.form_uses {
                    uses.forget_expired(state.clock.now());
                }
                state.kiosk_ceiling.forget_idle();
            }
            _ = shutdown.changed() => return,
        }
    }
}

/// Drops the review's network hashes once they are as old as the operator keeps them,
/// deletes signatures never confirmed, and erases closed campaigns' personal data when the
/// operator asked for it, on start and then every `check_every`.
async fn enforce_retention(
    db: Database,
    retention: Retention,
    network_retention: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let now = Utc::now().naive_utc();
        let network_cutoff = now - TimeDelta::from_std(network_retention).unwrap_or(TimeDelta::MAX);
        match db
            .run(move |conn| review::forget_networks(conn, network_cutoff))
            .await
        {
            Ok(0) => {}
            Ok(dropped) => tracing::info!(dropped, "retention: network hashes dropped"),
            Err(error) => tracing::error!(error = ?error, "network hashes could not be dropped"),
        }
        let pending_cutoff = now - TimeDelta::from_std(retention.pending).unwrap_or(TimeDelta::MAX);
        let closed_cutoff = retention
            .anonymise_closed_after
            .map(|after| now - TimeDelta::from_std(after).unwrap_or(TimeDelta::MAX));
        let result = db
            .run(move |conn| {
                let purged = privacy::purge_unconfirmed(conn, pending_cutoff)?;
                let anonymised = match closed_cutoff {
                    Some(cutoff) => privacy::anonymise_closed(conn, cutoff)?,
                    None => 0,
                };
                Ok((purged, anonymised))
            })
            .await;
        match result {
            Ok((0, 0)) => {}
            Ok((purged, anonymised)) => {
                tracing::info!(purged, anonymised, "retention: personal data removed");
            }
            Err(error) => tracing::error!(error = ?error, "retention could not run"),
        }
        tokio::select! {
            () = tokio::time::sleep(retention.check_every) => {}
            _ = shutdown.changed() => return,
        }
    }
}
