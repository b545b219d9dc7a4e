//! Group commit: one thread writes signatures, committing whatever has queued up since its
//! last commit in a single transaction, and a second thread makes those commits durable.
//!
//! Each flush to disk takes milliseconds. Sharing one flush between every signature that
//! arrived meanwhile keeps each one durable before its answer while the number of flushes
//! stays bounded by the disk, not by the crowd. Committing and flushing are pipelined:
//! the writer's commits only write the write-ahead log (`synchronous=NORMAL`), and the
//! syncer flushes that log (`fdatasync`) before anyone is answered, so the next batch is
//! written while the previous one is being flushed.
//!
//! Other small writes that must be durable before their answer, such as confirmations, can
//! ride along (`SignatureWriter::write`): each runs in a savepoint of the next batch, and
//! shares its commit and flush.

use std::fs::File;
use std::sync::{Arc, Mutex, mpsc as std_mpsc};
use std::thread::JoinHandle;
use std::time::Instant;

use chrono::NaiveDateTime;
use diesel::Connection as _;
use diesel::RunQueryDsl as _;
use diesel::connection::SimpleConnection as _;
use tokio::sync::{Notify, mpsc, oneshot};

use super::signatures::{self, Recorded};
use super::{Connection, Database, StoreError, write_transaction};
use crate::clock::Clock;
use crate::domain::{IssuedToken, NewSignature};

#[derive(Debug, Clone, Copy)]
pub struct WriterConfig {
    /// Signatures that may wait for the writer; beyond this, signing answers "busy".
    pub queue_capacity: usize,
    /// Signatures committed together at most.
    pub max_batch: usize,
    /// Off only to measure what group commit is worth: one transaction and one flush per
    /// signature.
    pub group_commit: bool,
}

impl Default for WriterConfig {
    fn default() -> Self {
        Self {
            queue_capacity: 8192,
            max_batch: 1024,
            group_commit: true,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the signature queue is full")]
    QueueFull,
    #[error("the signature writer has stopped")]
    Stopped,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the write-ahead log could not be flushed to disk")]
    NotDurable(#[source] Arc<std::io::Error>),
}

/// Why a signature was not recorded, shared by every signature of a failed batch.
#[derive(Debug, Clone)]
enum Failure {
    Query(Arc<diesel::result::Error>),
    Sync(Arc<std::io::Error>),
}

type Reply = oneshot::Sender<Result<Recorded, Failure>>;

struct Job {
    signature: NewSignature,
    token: IssuedToken,
    reply: Reply,
}

/// What the writer is handed: a signature, or another write that shares its commit.
enum Work {
    /// Boxed: a signature is large, and most work in the queue is one.
    Sign(Box<Job>),
    Shared(Box<dyn SharedWrite>),
}

/// Answers a shared write once its batch is durable (`None`), or has failed.
type Deliver = Box<dyn FnOnce(Option<Failure>) + Send>;

/// A write that rides along with a batch of signatures.
trait SharedWrite: Send {
    /// Runs the write in a savepoint of the batch's transaction, so that its failure
    /// leaves the rest of the batch alone; the answer waits for the commit to be durable.
    fn run(self: Box<Self>, conn: &mut Connection) -> Deliver;
    /// Answers without running, when the batch could not be begun.
    fn fail(self: Box<Self>, failure: Failure);
}

struct Shared<T, F> {
    work: F,
    reply: oneshot::Sender<Result<T, Failure>>,
}

impl<T, F> SharedWrite for Shared<T, F>
where
    T: Send + 'static,
    F: FnOnce(&mut Connection) -> diesel::QueryResult<T> + Send + 'static,
{
    fn run(self: Box<Self>, conn: &mut Connection) -> Deliver {
        let Self { work, reply } = *self;
        let result = conn
            .transaction(work)
            .map_err(|error| Failure::Query(Arc::new(error)));
        Box::new(move |failed| {
            let _ = reply.send(match failed {
                Some(failure) => Err(failure),
                None => result,
            });
        })
    }

    fn fail(self: Box<Self>, failure: Failure) {
        let _ = self.reply.send(Err(failure));
    }
}

/// Flushes of the log that may be under way at once. The disk finishes overlapping flushes
/// much sooner than the same flushes one after another.
const SYNCERS: usize = 4;

/// Writer threads on PostgreSQL, each with its own connection. A commit there returns only
/// once the server has flushed it, so while one writer waits, the others write the next
/// batches, and the server flushes their commits together. SQLite has one writer at a
/// time anyway, and overlaps its flushes with the syncers instead.
const POSTGRES_WRITERS: usize = 4;

/// The handle requests use to have a signature written.
#[derive(Clone)]
pub struct SignatureWriter {
    queue: mpsc::Sender<Work>,
    /// On PostgreSQL, the pool that shared writes use directly (see `write`).
    shared_database: Option<Database>,
}

impl SignatureWriter {
    /// Starts the writer and syncer threads. They stop once every handle is dropped and
    /// the queue is drained, so no accepted signature is abandoned at shutdown.
    /// Signatures and their emails are stamped with `clock`'s time, the database's, so that
    /// an email queued on a server whose clock is fast is not held back on the others.
    pub fn start(
        db: Database,
        config: WriterConfig,
        committed: Arc<Notify>,
        clock: Clock,
    ) -> std::io::Result<(Self, Vec<JoinHandle<()>>)> {
        let (queue, jobs) = mpsc::channel(config.queue_capacity.max(1));
        let (to_sync, synced) = std_mpsc::channel();
        let synced = Arc::new(Mutex::new(synced));
        for _ in 0..SYNCERS {
            let synced = Arc::clone(&synced);
            let mail_wake = Arc::clone(&committed);
            std::thread::Builder::new()
                .name("signature-sync".into())
                .spawn(move || sync_and_answer(&synced, &mail_wake))?;
        }
        let shared_database = db.url.is_shared().then(|| db.clone());
        let writers = if shared_database.is_some() {
            POSTGRES_WRITERS
        } else {
            1
        };
        let jobs = Arc::new(Mutex::new(jobs));
        let threads = (0..writers)
            .map(|_| {
                let (db, jobs, to_sync) = (db.clone(), Arc::clone(&jobs), to_sync.clone());
                let (mail_wake, clock) = (Arc::clone(&committed), clock.clone());
                std::thread::Builder::new()
                    .name("signature-writer".into())
                    .spawn(move || run(db, config, &jobs, &to_sync, &mail_wake, &clock))
            })
            .collect::<std::io::Result<_>>()?;
        Ok((
            Self {
                queue,
                shared_database,
            },
            threads,
        ))
    }

    /// Writes a signature and returns once it is durable on disk.
    pub async fn record(
        &self,
        signature: NewSignature,
        token: IssuedToken,
    ) -> Result<Recorded, WriteError> {
        let (reply, answer) = oneshot::channel();
        self.send(Work::Sign(Box::new(Job {
            signature,
            token,
            reply,
        })))?;
        answered(answer.await)
    }

    /// Runs `work` in a write transaction and returns once it is durable on disk. On SQLite
    /// it shares the next batch's transaction: alone, a confirmation would queue for the one
    /// writer and wait for a flush of its own. On PostgreSQL it runs on the pool: the server
    /// commits many transactions at once and flushes them together, so queueing behind
    /// batches of signatures only adds their wait (four times slower in the benchmark).
    pub async fn write<T, F>(&self, work: F) -> Result<T, WriteError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> diesel::QueryResult<T> + Send + 'static,
    {
        if let Some(db) = &self.shared_database {
            return Ok(db.run(move |conn| write_transaction(conn, work)).await?);
        }
        let (reply, answer) = oneshot::channel();
        self.send(Work::Shared(Box::new(Shared { work, reply })))?;
        answered(answer.await)
    }

    fn send(&self, work: Work) -> Result<(), WriteError> {
        self.queue.try_send(work).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => WriteError::QueueFull,
            mpsc::error::TrySendError::Closed(_) => WriteError::Stopped,
        })
    }
}

fn answered<T>(
    answer: Result<Result<T, Failure>, oneshot::error::RecvError>,
) -> Result<T, WriteError> {
    match answer {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(Failure::Query(error))) => {
            Err(WriteError::Store(StoreError::Query(unshare(&error))))
        }
        Ok(Err(Failure::Sync(error))) => Err(WriteError::NotDurable(error)),
        Err(_) => Err(WriteError::Stopped),
    }
}

/// The write-ahead log, opened to be flushed. A commit is durable once it is.
struct Log(File);

/// A committed batch on its way to being answered: each signature's answer, and the log
/// to flush first (`None` when the commit flushed itself or failed).
struct Committed {
    log: Option<Arc<Log>>,
    answers: Vec<(Reply, Result<Recorded, Failure>)>,
    shared: Vec<Deliver>,
}

/// Takes the next batch from the queue: the first signature waiting, and with group commit
/// every other one already there. `None` once the queue is closed and empty.
fn next_batch(
    jobs: &Mutex<mpsc::Receiver<Work>>,
    config: WriterConfig,
    batch: &mut Vec<Work>,
) -> Option<()> {
    let mut jobs = jobs.lock().ok()?;
    batch.push(jobs.blocking_recv()?);
    if config.group_commit {
        while batch.len() < config.max_batch {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
    }
    Some(())
}

fn run(
    db: Database,
    config: WriterConfig,
    jobs: &Mutex<mpsc::Receiver<Work>>,
    to_sync: &std_mpsc::Sender<Committed>,
    mail_wake: &Notify,
    clock: &Clock,
) {
    // One connection for the thread's life keeps its prepared statements warm; it is given
    // back and replaced only after a failure, in case the failure was the connection's.
    let mut held: Option<(Connection, Option<Arc<Log>>)> = None;
    let mut work = Vec::with_capacity(config.max_batch);
    while next_batch(jobs, config, &mut work).is_some() {
        let started = Instant::now();
        let (mut batch, mut shared) = (Vec::new(), Vec::new());
        for item in work.drain(..) {
            match item {
                Work::Sign(job) => batch.push(*job),
                Work::Shared(write) => shared.push(write),
            }
        }
        let mut delivered = Vec::with_capacity(shared.len());
        let (outcome, log) = match held.take().map_or_else(|| writer_connection(&db), Ok) {
            Ok((mut conn, log)) => {
                let outcome = commit(&mut conn, &batch, shared, &mut delivered, clock.now_naive());
                if outcome.is_ok() {
                    held = Some((conn, log.clone()));
                }
                (outcome, log)
            }
            Err(error) => {
                let error = match error {
                    StoreError::Query(error) => error,
                    other => diesel::result::Error::QueryBuilderError(other.into()),
                };
                let failure = Failure::Query(Arc::new(unshare(&error)));
                for write in shared {
                    write.fail(failure.clone());
                }
                (Err(error), None)
            }
        };
        let answers = match outcome {
            Ok(results) => {
                tracing::debug!(
                    batch = batch.len(),
                    elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
                    "committed signatures"
                );
                batch
                    .drain(..)
                    .zip(results)
                    .map(|(job, result)| {
                        (job.reply, result.map_err(|e| Failure::Query(Arc::new(e))))
                    })
                    .collect()
            }
            Err(error) => {
                tracing::error!(error = %error, batch = batch.len(), "could not commit signatures");
                let failure = Failure::Query(Arc::new(error));
                for deliver in delivered.drain(..) {
                    deliver(Some(failure.clone()));
                }
                batch
                    .drain(..)
                    .map(|job| (job.reply, Err(failure.clone())))
                    .collect()
            }
        };
        let committed = Committed {
            log,
            answers,
            shared: delivered,
        };
        if config.group_commit {
            if to_sync.send(committed).is_err() {
                tracing::error!("the signature syncer has stopped");
            }
        } else {
            // Without group commit each signature waits for its own flush before the next
            // one is written.
            flush_and_answer(vec![committed]);
            mail_wake.notify_one();
        }
    }
}

/// Flushes the log once for every batch committed since the last flush, then answers.
/// Several syncers take turns, so a batch committed while a flush is under way starts its
/// own flush at once instead of waiting for that one to end.
fn sync_and_answer(committed: &Mutex<std_mpsc::Receiver<Committed>>, mail_wake: &Notify) {
    loop {
        let pending = {
            let Ok(committed) = committed.lock() else {
                return;
            };
            let Ok(first) = committed.recv() else {
                return;
            };
            let mut pending = vec![first];
            pending.extend(committed.try_iter());
            pending
        };
        flush_and_answer(pending);
        mail_wake.notify_one();
    }
}

fn flush_and_answer(pending: Vec<Committed>) {
    let started = Instant::now();
    let flushed = pending
        .iter()
        .find_map(|batch| batch.log.as_ref())
        .map(|log| log.0.sync_data().map_err(Arc::new))
        .transpose();
    tracing::debug!(
        batches = pending.len(),
        elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
        "flushed the write-ahead log"
    );
    if let Err(error) = &flushed {
        tracing::error!(error = %error, "could not flush the write-ahead log");
    }
    for batch in pending {
        let failure = match &flushed {
            Err(error) if batch.log.is_some() => Some(Failure::Sync(Arc::clone(error))),
            _ => None,
        };
        for (reply, result) in batch.answers {
            let _ = reply.send(match &failure {
                Some(failure) => Err(failure.clone()),
                None => result,
            });
        }
        for deliver in batch.shared {
            deliver(failure.clone());
        }
    }
}

/// The writer's own connection, outside the pool because its settings differ. Its commits
/// only write the log, which is flushed before anyone is answered; if the log cannot be
/// opened, each commit flushes itself (`synchronous=FULL`, as on every other connection).
/// It leaves checkpoints to `Database::keep_checkpointed`: copying pages into the database
/// file inside a commit would hold up every signature in it.
fn writer_connection(db: &Database) -> Result<(Connection, Option<Arc<Log>>), StoreError> {
    let mut conn = db.dedicated_connection()?;
    let Some(write_ahead_log) = db.write_ahead_log() else {
        // PostgreSQL: a commit returns once it is durable (`synchronous_commit` is on).
        return Ok((conn, None));
    };
    conn.batch_execute("PRAGMA wal_autocheckpoint = 0")?;
    // Flushing the log makes a commit durable only in WAL mode. Asking for the mode also
    // makes SQLite open the log, so that the file exists.
    let mode: JournalMode = diesel::sql_query("PRAGMA journal_mode").get_result(&mut conn)?;
    if !mode.journal_mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode = %mode.journal_mode, "not in WAL mode; every commit flushes itself");
        return Ok((conn, None));
    }
    let log = match File::open(write_ahead_log) {
        Ok(file) => {
            conn.batch_execute("PRAGMA synchronous = NORMAL")?;
            Some(Arc::new(Log(file)))
        }
        Err(error) => {
            tracing::warn!(%error, "the write-ahead log cannot be opened; every commit flushes itself");
            None
        }
    };
    Ok((conn, log))
}

#[derive(diesel::QueryableByName)]
struct JournalMode {
    #[diesel(sql_type = diesel::sql_types::Text)]
    journal_mode: String,
}

/// Writes a batch in one transaction: its signatures, then each shared write in a savepoint
/// of its own, whose answers are put in `delivered`. Nearly always every signature can be
/// written, so they go straight through. If one cannot (say, its campaign was deleted a
/// moment ago), they are written again with a savepoint per signature, so that the failing
/// one does not take the others with it.
fn commit(
    conn: &mut Connection,
    batch: &[Job],
    shared: Vec<Box<dyn SharedWrite>>,
    delivered: &mut Vec<Deliver>,
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<diesel::QueryResult<Recorded>>> {
    let items: Vec<_> = batch
        .iter()
        .map(|job| (&job.signature, &job.token))
        .collect();
    write_transaction(conn, |conn| {
        let recorded = if items.is_empty() {
            Vec::new()
        } else {
            match conn.transaction(|conn| signatures::record_batch(conn, &items, now)) {
                Ok(recorded) => recorded.into_iter().map(Ok).collect(),
                Err(error) if batch.len() == 1 => vec![Err(error)],
                Err(_) => batch
                    .iter()
                    .map(|job| {
                        conn.transaction(|conn| {
                            signatures::record(conn, &job.signature, &job.token, now)
                        })
                    })
                    .collect(),
            }
        };
        for write in shared {
            delivered.push(write.run(conn));
        }
        Ok(recorded)
    })
}

/// Diesel errors cannot be cloned; every signature in a failed batch gets one that says
/// the same.
fn unshare(error: &diesel::result::Error) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(error.to_string().into())
}
