//! The one place that wires configuration, storage, background workers and routes together.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use chrono::Utc;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use crate::campaign_cache::CampaignCache;
use crate::config::Settings;
use crate::counts::SignatureCounts;
use crate::db::{Database, SignatureWriter};
use crate::domain::FormTokenKey;
use crate::mail::{Composer, MailWorker, Transport};
use crate::routes::rendered::RenderedCache;
use crate::{routes, seed};

/// What request handlers share.
pub struct AppState {
    pub db: Database,
    pub campaigns: Arc<CampaignCache>,
    /// Campaign pages, reused for a second.
    pub pages: RenderedCache,
    /// Public JSON summaries, reused for a second.
    pub api_bodies: RenderedCache,
    pub writer: SignatureWriter,
    pub counts: Arc<SignatureCounts>,
    pub form_key: FormTokenKey,
    pub base_url: String,
}

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

/// How often the write-ahead log is copied into the database file.
const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(1);

/// How long a rendered campaign page or count is reused, and how many are kept. With counts
/// refreshed every second, what a page shows is never more than two seconds old.
const RENDERED_TTL: Duration = Duration::from_secs(1);
const RENDERED_MAX: usize = 1024;

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
        let db = Database::open(&settings.database_url, POOL_SIZE)?;
        let seed_demo = settings.seed_demo;
        let migrate_db = db.clone();
        let seeded = tokio::task::spawn_blocking(move || -> anyhow::Result<bool> {
            for migration in migrate_db.migrate()? {
                tracing::info!(%migration, "applied migration");
            }
            if !seed_demo {
                return Ok(false);
            }
            let mut conn = migrate_db.connection()?;
            Ok(seed::seed_demo_if_empty(&mut conn, Utc::now().naive_utc())?)
        })
        .await??;
        if seeded {
            tracing::info!(slug = seed::DEMO_SLUG, "created the demo campaign");
        }

        let mail_wake = Arc::new(Notify::new());
        let (writer, _writer_thread) =
            SignatureWriter::start(db.clone(), settings.writer, Arc::clone(&mail_wake))
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

        let transport = Transport::new(
            settings.smtp_url.as_deref(),
            settings.smtp_connections,
            settings.mail_dir.clone(),
        )?;
        if transport.writes_files() {
            tracing::info!(
                dir = %settings.mail_dir.display(),
                "MARIPOSA_SMTP_URL is not set: emails are written as .eml files"
            );
        }
        let (shutdown, shutdown_rx) = watch::channel(false);
        let mail_worker = MailWorker {
            db: db.clone(),
            transport,
            composer: Composer {
                from: settings.mail_from.clone(),
                base_url: base_url.clone(),
            },
            retry: settings.mail_retry,
            concurrency: usize::from(settings.smtp_connections).div_ceil(MAIL_WORKERS),
            wake: mail_wake,
        };
        let mut workers: Vec<JoinHandle<()>> = (0..MAIL_WORKERS)
            .map(|_| tokio::spawn(mail_worker.clone().run(shutdown_rx.clone())))
            .collect();
        workers.extend([
            tokio::spawn(Arc::clone(&counts).keep_fresh(
                db.clone(),
                settings.count_refresh,
                shutdown_rx.clone(),
            )),
            tokio::spawn(Arc::clone(&campaigns).keep_fresh(
                db.clone(),
                settings.campaign_refresh,
                shutdown_rx.clone(),
            )),
            tokio::spawn(
                db.clone()
                    .keep_checkpointed(CHECKPOINT_INTERVAL, shutdown_rx),
            ),
        ]);

        let state = web::Data::new(AppState {
            db,
            campaigns,
            pages: RenderedCache::new(RENDERED_TTL, RENDERED_MAX),
            api_bodies: RenderedCache::new(RENDERED_TTL, RENDERED_MAX),
            writer,
            counts,
            form_key: FormTokenKey::derive(&settings.secret_key),
            base_url: base_url.clone(),
        });
        let https = settings.is_https();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(Compress::default())
                .wrap(routes::security_headers(https))
                .wrap(from_fn(routes::log_requests))
                .app_data(state.clone())
                .configure(routes::configure)
        })
        .shutdown_timeout(30)
        .listen(listener)?
        .run();
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
