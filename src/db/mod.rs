//! Storage: the connection pool, migrations, and the queries each part of the domain needs.
//! Nothing outside this module writes SQL or sees a Diesel connection type.

pub mod api_tokens;
pub mod audit;
pub mod campaigns;
pub mod outbox;
pub mod partners;
pub mod privacy;
pub mod reminders;
pub mod reports;
pub mod schema;
pub mod signatures;
pub mod staff;
mod writer;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub use writer::{SignatureWriter, WriteError, WriterConfig};

pub type Connection = diesel::SqliteConnection;
type Pool = diesel::r2d2::Pool<ConnectionManager<Connection>>;
pub type PooledConn = PooledConnection<ConnectionManager<Connection>>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// How long a statement waits for another writer before SQLite reports "busy".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the data lives, parsed from `MARIPOSA_DATABASE_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum DatabaseUrlError {
    #[error("the database URL {0:?} has no file path after sqlite://")]
    EmptySqlitePath(String),
    #[error("the database URL {0:?} should start with sqlite://")]
    UnknownScheme(String),
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, DatabaseUrlError> {
        if let Some(path) = raw.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(DatabaseUrlError::EmptySqlitePath(raw.to_owned()));
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        Err(DatabaseUrlError::UnknownScheme(raw.to_owned()))
    }

    /// The directory for files that belong with the data: generated secret, mail in
    /// file mode, backups.
    pub fn data_dir(&self) -> PathBuf {
        match self {
            Self::Sqlite(path) => path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        }
    }
}

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
    path: PathBuf,
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
        conn.batch_execute(&format!(
            "PRAGMA busy_timeout = {};
             PRAGMA journal_mode = WAL;
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
                let manager = ConnectionManager::<Connection>::new(path.to_string_lossy());
                let pragmas = SqlitePragmas { max_pages };
                let pool = Pool::builder()
                    .max_size(max_connections)
                    .connection_timeout(Duration::from_secs(10))
                    .connection_customizer(Box::new(pragmas))
                    .build(manager)
                    .with_context(|| format!("could not open the database {}", path.display()))?;
                Ok(Self {
                    pool,
                    path: path.clone(),
                    pragmas,
                })
            }
        }
    }

    /// Applies pending migrations and returns the names of those it applied.
    pub fn migrate(&self) -> anyhow::Result<Vec<String>> {
        let mut conn = self.connection()?;
        let applied: Vec<String> = conn
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .context("could not apply database migrations")?
            .iter()
            .map(ToString::to_string)
            .collect();
        let recanonicalised = signatures::recanonicalise_emails(&mut conn)
            .context("could not bring canonical email addresses up to date")?;
        if recanonicalised != signatures::Recanonicalised::default() {
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

    /// A connection outside the pool, with the same settings, for a thread that keeps one
    /// and may change its settings.
    pub fn dedicated_connection(&self) -> Result<Connection, StoreError> {
        use diesel::Connection as _;
        let mut conn = Connection::establish(&self.path.to_string_lossy())?;
        self.pragmas.apply(&mut conn)?;
        Ok(conn)
    }

    /// The write-ahead log file beside the database.
    pub fn write_ahead_log(&self) -> PathBuf {
        let mut log = self.path.clone().into_os_string();
        log.push("-wal");
        PathBuf::from(log)
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
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        self.run(|conn| conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE)"))
            .await
    }

    /// Checkpoints every `interval` until `shutdown`, so that the signature writer, which
    /// does not checkpoint, never has to copy pages while supporters wait.
    pub async fn keep_checkpointed(
        self,
        interval: Duration,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) {
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

    /// Answers whether the database responds to a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.run(|conn| conn.batch_execute("SELECT 1")).await
    }
}

/// Runs `work` in a transaction that takes the write lock at once. SQLite's default
/// deferred transactions can fail with "busy" when a reader upgrades to a writer; taking
/// the lock first lets the busy timeout do its job instead.
pub fn write_transaction<T, F>(conn: &mut Connection, work: F) -> diesel::QueryResult<T>
where
    F: FnOnce(&mut Connection) -> diesel::QueryResult<T>,
{
    conn.immediate_transaction(work)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_a_file_and_its_directory() {
        let url = DatabaseUrl::parse("sqlite://data/mariposa.db").expect("valid");
        assert_eq!(url, DatabaseUrl::Sqlite("data/mariposa.db".into()));
        assert_eq!(url.data_dir(), PathBuf::from("data"));
        let bare = DatabaseUrl::parse("sqlite://m.db").expect("valid");
        assert_eq!(bare.data_dir(), PathBuf::from("."));
    }

    #[test]
    fn unknown_schemes_are_refused_with_the_url_in_the_message() {
        let error = DatabaseUrl::parse("mysql://x").expect_err("unsupported");
        assert!(error.to_string().contains("mysql://x"));
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }
}
