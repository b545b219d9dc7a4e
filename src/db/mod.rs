//! Storage: the connection pool, migrations, and the queries each part of the domain needs.
//! Nothing outside this module writes SQL or sees a Diesel connection type.

/// Runs one Diesel statement on whichever backend `conn` is. For statements Diesel builds for
/// each backend but not for both through one connection type (`ON CONFLICT`), the body is
/// compiled once per backend.
macro_rules! on_each_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::Connection::Sqlite($c) => $body,
            $crate::db::Connection::Postgres($c) => $body,
        }
    };
}

pub mod api_tokens;
pub mod audit;
pub mod campaigns;
pub mod clock;
pub mod consents;
pub mod counts;
mod deletion;
pub mod delivery;
pub mod in_person;
pub mod kiosks;
pub mod organisation;
pub mod outbox;
pub mod outbox_stats;
pub mod paper;
pub mod partner_links;
pub mod partners;
#[cfg(test)]
pub(crate) mod plans;
pub mod privacy;
mod recanonicalise;
pub mod reminders;
pub mod reports;
pub mod review;
pub mod schema;
mod signature_row;
pub mod signatures;
pub mod staff;
pub mod staff_roles;
#[cfg(test)]
pub(crate) mod testing;
pub mod updates;
mod url;
mod writer;

mod connection {
    use diesel::{PgConnection, SqliteConnection};

    /// A connection to either backend. Diesel's query builder speaks to both through it;
    /// where their SQL differs, a query matches on the variant (in `db` only). It lives in
    /// a module of its own because the derive's generated code imports Diesel's
    /// `Connection` trait, whose name `db` gives to this type.
    #[derive(diesel::MultiConnection)]
    pub enum AnyConnection {
        Sqlite(SqliteConnection),
        Postgres(PgConnection),
    }
}

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use diesel::RunQueryDsl;
use diesel::connection::{SimpleConnection, TransactionManager};
use diesel::r2d2::{CustomizeConnection, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use url::one_line;
pub use url::{DatabaseUrl, DatabaseUrlError, Manager};
pub use writer::{SignatureWriter, WriteError, WriterConfig};

pub use connection::AnyConnection as Connection;

type Pool = diesel::r2d2::Pool<Manager>;

/// How long a health check waits for a database connection before it answers 503.
const HEALTH_CHECK_WAIT: Duration = Duration::from_secs(2);
pub type PooledConn = PooledConnection<Manager>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// The PostgreSQL advisory lock that serialises migrations between instances starting at
/// once: the first migrates, the others wait and then find nothing left to do.
const MIGRATION_LOCK: i64 = 0x6d61_7269_706f_7361; // "mariposa"

/// How long a statement waits for another writer before SQLite reports "busy".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Rows of each index SQLite's `ANALYZE` reads at most: enough for the planner to tell a
/// selective index from a broad one, and quick on a million signatures.
const ANALYSIS_LIMIT: u32 = 1000;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no database connection could be had")]
    Unavailable(#[from] diesel::r2d2::PoolError),
    #[error("a database query failed")]
    Query(#[from] diesel::result::Error),
    #[error("the database could not be opened")]
    Connect(#[from] diesel::ConnectionError),
    #[error("a database task stopped unexpectedly")]
    Task(#[from] tokio::task::JoinError),
}

/// The pool every request and background task draws connections from.
#[derive(Clone)]
pub struct Database {
    pool: Pool,
    url: DatabaseUrl,
    pragmas: SqlitePragmas,
}

/// Applied to every pooled connection: durability and integrity are per-connection
/// settings in SQLite, so a pool that skipped one connection would silently weaken both.
/// `secure_delete` zeroes deleted content, so erased personal data leaves the file.
#[derive(Debug, Clone, Copy)]
struct SqlitePragmas {
    max_pages: Option<u64>,
}

impl SqlitePragmas {
    fn apply(&self, conn: &mut Connection) -> diesel::QueryResult<()> {
        let Connection::Sqlite(conn) = conn else {
            return Ok(());
        };
        conn.batch_execute(&format!(
            "PRAGMA busy_timeout = {};
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA secure_delete = ON;",
            BUSY_TIMEOUT.as_millis()
        ))?;
        if let Some(pages) = self.max_pages {
            conn.batch_execute(&format!("PRAGMA max_page_count = {pages};"))?;
        }
        Ok(())
    }
}

impl CustomizeConnection<Connection, diesel::r2d2::Error> for SqlitePragmas {
    // PostgreSQL's defaults are what Mariposa needs: `synchronous_commit` on, so a commit
    // is durable on disk when it returns; nothing is set per connection.
    fn on_acquire(&self, conn: &mut Connection) -> Result<(), diesel::r2d2::Error> {
        self.apply(conn).map_err(diesel::r2d2::Error::QueryError)
    }
}

impl Database {
    pub fn open(url: &DatabaseUrl, max_connections: u32) -> anyhow::Result<Self> {
        Self::open_limited(url, max_connections, None)
    }

    /// Like `open`, with the database file capped at `max_pages` pages: a full disk that
    /// operators and tests can bring about on purpose.
    pub fn open_limited(
        url: &DatabaseUrl,
        max_connections: u32,
        max_pages: Option<u64>,
    ) -> anyhow::Result<Self> {
        match url {
            DatabaseUrl::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).with_context(|| {
                        format!("could not create the data directory {}", dir.display())
                    })?;
                }
                // WAL is a setting of the file, kept once made. Made here, by one connection
                // before the pool opens several at once: switching needs the file to itself,
                // and the pool's connections racing to switch were refused "database is locked".
                let mut first = url
                    .connect()
                    .with_context(|| format!("could not open the database {}", path.display()))?;
                if let Connection::Sqlite(conn) = &mut first {
                    conn.batch_execute(&format!(
                        "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL;",
                        BUSY_TIMEOUT.as_millis()
                    ))
                    .with_context(|| {
                        format!("could not put the database {} in WAL mode", path.display())
                    })?;
                }
            }
            DatabaseUrl::Postgres(_) => {
                // One connection first, for one clear line when the server cannot be
                // reached: the pool would only time out and say that it did.
                url.connect().map_err(|error| {
                    anyhow::anyhow!(
                        "cannot connect to PostgreSQL at {}: {}",
                        url.server(),
                        url.connect_failure(&error.to_string())
                    )
                })?;
            }
        }
        let pragmas = SqlitePragmas { max_pages };
        let pool = Pool::builder()
            .max_size(max_connections)
            .connection_timeout(Duration::from_secs(10))
            .connection_customizer(Box::new(pragmas))
            .build(Manager { url: url.clone() })
            .with_context(|| match url {
                DatabaseUrl::Sqlite(path) => {
                    format!("could not open the database {}", path.display())
                }
                DatabaseUrl::Postgres(_) => {
                    format!("cannot connect to PostgreSQL at {}", url.server())
                }
            })?;
        Ok(Self {
            pool,
            url: url.clone(),
            pragmas,
        })
    }

    /// Applies pending migrations and returns the names of those it applied. On
    /// PostgreSQL, under an advisory lock held by a connection of its own, so that servers
    /// starting together migrate once, and the lock goes with the connection whatever
    /// happens.
    pub fn migrate(&self) -> anyhow::Result<Vec<String>> {
        let names = |applied: Vec<diesel::migration::MigrationVersion<'_>>| -> Vec<String> {
            applied.iter().map(ToString::to_string).collect()
        };
        let mut conn = self.dedicated_connection()?;
        let applied = match &mut conn {
            Connection::Sqlite(conn) => conn.run_pending_migrations(SQLITE_MIGRATIONS).map(names),
            Connection::Postgres(conn) => {
                conn.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
                conn.run_pending_migrations(POSTGRES_MIGRATIONS).map(names)
            }
        }
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("could not apply database migrations")?;
        // Still under the lock on PostgreSQL: one server recanonicalises, once.
        let recanonicalised = recanonicalise::recanonicalise_emails(&mut conn)
            .context("could not bring canonical email addresses up to date")?;
        if recanonicalised != recanonicalise::Recanonicalised::default() {
            tracing::info!(
                updated = recanonicalised.updated,
                merged = recanonicalised.merged,
                "canonical email addresses brought up to date"
            );
        }
        Ok(applied)
    }

    /// A connection for blocking code: the command line and dedicated threads.
    pub fn connection(&self) -> Result<PooledConn, StoreError> {
        Ok(self.pool.get()?)
    }

    /// A pool connection for async code that hands it to a blocking task of its own (a
    /// streamed download): waiting for it happens on the blocking pool, never on an async
    /// worker.
    pub async fn connection_for_blocking_task(&self) -> Result<PooledConn, StoreError> {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || Ok(pool.get()?)).await?
    }

    /// A connection outside the pool, with the same settings, for a thread that keeps one
    /// and may change its settings.
    pub fn dedicated_connection(&self) -> Result<Connection, StoreError> {
        let mut conn = self.url.connect()?;
        self.pragmas.apply(&mut conn)?;
        Ok(conn)
    }

    /// The SQLite write-ahead log file beside the database; PostgreSQL has none of ours.
    fn write_ahead_log(&self) -> Option<PathBuf> {
        let DatabaseUrl::Sqlite(path) = &self.url else {
            return None;
        };
        let mut log = path.clone().into_os_string();
        log.push("-wal");
        Some(PathBuf::from(log))
    }

    /// Runs blocking database work on Tokio's blocking pool, off the async executor.
    pub async fn run<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut Connection) -> diesel::QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            Ok(work(&mut conn)?)
        })
        .await?
    }

    /// Copies committed pages from the write-ahead log into the database file, without
    /// waiting for readers or holding up the writer (a passive checkpoint).
    /// PostgreSQL checkpoints by itself.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        self.run(|conn| match conn {
            Connection::Sqlite(conn) => conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE)"),
            Connection::Postgres(_) => Ok(()),
        })
        .await
    }

    /// Checkpoints every `interval` until `shutdown`, so that the signature writer, which
    /// does not checkpoint, never has to copy pages while supporters wait.
    pub async fn keep_checkpointed(
        self,
        interval: Duration,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) {
        if self.url.is_shared() {
            return;
        }
        loop {
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                _ = shutdown.changed() => break,
            }
            if let Err(error) = self.checkpoint().await {
                tracing::warn!(error = ?error, "could not checkpoint the database");
            }
        }
    }

    /// Brings the statistics the query planners choose indexes by up to date. Without
    /// them, SQLite guessed wrong on a full campaign and read every confirmed signature to
    /// find one person (0.5 s instead of 0.1 ms). SQLite samples at most `ANALYSIS_LIMIT`
    /// rows of each index, so this takes milliseconds however full the database is;
    /// PostgreSQL samples a fixed number of rows too, and its autovacuum analyses as well.
    pub fn analyze(conn: &mut Connection) -> diesel::QueryResult<()> {
        match conn {
            Connection::Sqlite(conn) => conn.batch_execute(&format!(
                "PRAGMA analysis_limit = {ANALYSIS_LIMIT}; ANALYZE;"
            )),
            Connection::Postgres(conn) => conn.batch_execute("ANALYZE signatures"),
        }
    }

    /// Analyses once at start, then keeps the statistics fresh every `interval` until
    /// `shutdown`: SQLite's `PRAGMA optimize` re-analyses only the tables whose size
    /// changed a lot since, so a quiet database costs nothing.
    pub async fn keep_analyzed(
        self,
        interval: Duration,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) {
        if let Err(error) = self.run(Self::analyze).await {
            tracing::warn!(error = ?error, "could not analyse the database");
        }
        loop {
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                _ = shutdown.changed() => break,
            }
            let optimized = self
                .run(|conn| match conn {
                    Connection::Sqlite(conn) => conn.batch_execute(&format!(
                        "PRAGMA analysis_limit = {ANALYSIS_LIMIT}; PRAGMA optimize = 0x10002;"
                    )),
                    // Autovacuum analyses PostgreSQL's tables as they change.
                    Connection::Postgres(_) => Ok(()),
                })
                .await;
            if let Err(error) = optimized {
                tracing::warn!(error = ?error, "could not optimise the database");
            }
        }
    }

    /// A consistent copy of the live database in `target`, which must not exist yet: a
    /// SQLite file, or on PostgreSQL an archive written by the server's own `pg_dump`
    /// (restored with `pg_restore`).
    pub fn backup(&self, target: &Path) -> anyhow::Result<()> {
        match &self.url {
            DatabaseUrl::Sqlite(_) => {
                let mut conn = self.connection()?;
                diesel::sql_query("VACUUM INTO ?")
                    .bind::<diesel::sql_types::Text, _>(target.to_string_lossy())
                    .execute(&mut *conn)?;
                Ok(())
            }
            DatabaseUrl::Postgres(url) => {
                let output = std::process::Command::new("pg_dump")
                    .args(["--format=custom", "--file"])
                    .arg(target)
                    .arg(url)
                    .output()
                    .context(
                        "on PostgreSQL, backups are made with pg_dump, which is not installed \
                         (Debian package postgresql-client)",
                    )?;
                if !output.status.success() {
                    anyhow::bail!(
                        "pg_dump failed: {}",
                        one_line(&String::from_utf8_lossy(&output.stderr))
                    );
                }
                Ok(())
            }
        }
    }

    /// Answers whether the database responds to a trivial query, within a few seconds:
    /// load balancers give up on a health check sooner than the pool waits for a
    /// connection, and a check that times out says less than one that answers "down".
    pub async fn ping(&self) -> Result<(), StoreError> {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get_timeout(HEALTH_CHECK_WAIT)?;
            Ok(conn.batch_execute("SELECT 1")?)
        })
        .await?
    }
}

/// Runs `work` in a transaction that takes the write lock at once. SQLite's default
/// deferred transactions can fail with "busy" when a reader upgrades to a writer; taking
/// the lock first lets the busy timeout do its job instead.
/// PostgreSQL locks rows, not the database, so its ordinary transaction is the right one.
pub fn write_transaction<T, F>(conn: &mut Connection, work: F) -> diesel::QueryResult<T>
where
    F: FnOnce(&mut Connection) -> diesel::QueryResult<T>,
{
    match conn {
        Connection::Sqlite(sqlite) => {
            diesel::connection::AnsiTransactionManager::begin_transaction_sql(
                sqlite,
                "BEGIN IMMEDIATE",
            )?;
        }
        Connection::Postgres(_) => return diesel::Connection::transaction(conn, work),
    }
    match work(conn) {
        Ok(value) => {
            <Connection as TransactionManager<Connection>>::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            match <Connection as TransactionManager<Connection>>::rollback_transaction(conn) {
                Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
                Err(rollback_error) => Err(rollback_error),
            }
        }
    }
}
