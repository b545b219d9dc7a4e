//! Group commit: one thread writes signatures, committing whatever has queued up since its
//! last commit in a single durable transaction.
//!
//! With `synchronous=FULL`, each commit waits for the disk. Sharing that wait between every
//! signature that arrived meanwhile keeps each one durable before its answer while the
//! number of disk flushes stays bounded by the disk, not by the crowd.

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

use chrono::Utc;
use diesel::Connection as _;
use diesel::connection::SimpleConnection as _;
use tokio::sync::{Notify, mpsc, oneshot};

use super::signatures::{self, Recorded};
use super::{Connection, Database, PooledConn, StoreError, write_transaction};
use crate::domain::{NewSignature, PlainToken};

#[derive(Debug, Clone, Copy)]
pub struct WriterConfig {
    /// Signatures that may wait for the writer; beyond this, signing answers "busy".
    pub queue_capacity: usize,
    /// Signatures committed together at most.
    pub max_batch: usize,
    /// Off only to measure what group commit is worth: one transaction per signature.
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
}

struct Job {
    signature: NewSignature,
    token: PlainToken,
    reply: oneshot::Sender<Result<Recorded, Arc<diesel::result::Error>>>,
}

/// The handle requests use to have a signature written.
#[derive(Clone)]
pub struct SignatureWriter {
    queue: mpsc::Sender<Job>,
}

impl SignatureWriter {
    /// Starts the writer thread. It stops once every handle is dropped and the queue is
    /// drained, so no accepted signature is abandoned at shutdown.
    pub fn start(
        db: Database,
        config: WriterConfig,
        committed: Arc<Notify>,
    ) -> std::io::Result<(Self, JoinHandle<()>)> {
        let (queue, jobs) = mpsc::channel(config.queue_capacity.max(1));
        let thread = std::thread::Builder::new()
            .name("signature-writer".into())
            .spawn(move || run(db, config, jobs, &committed))?;
        Ok((Self { queue }, thread))
    }

    /// Writes a signature and returns once it is durable on disk.
    pub async fn record(
        &self,
        signature: NewSignature,
        token: PlainToken,
    ) -> Result<Recorded, WriteError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .try_send(Job {
                signature,
                token,
                reply,
            })
            .map_err(|e| match e {
                mpsc::error::TrySendError::Full(_) => WriteError::QueueFull,
                mpsc::error::TrySendError::Closed(_) => WriteError::Stopped,
            })?;
        match answer.await {
            Ok(Ok(recorded)) => Ok(recorded),
            Ok(Err(error)) => Err(WriteError::Store(StoreError::Query(unshare(&error)))),
            Err(_) => Err(WriteError::Stopped),
        }
    }
}

fn run(db: Database, config: WriterConfig, mut jobs: mpsc::Receiver<Job>, committed: &Notify) {
    // One connection for the thread's life keeps its prepared statements warm; it is given
    // back and replaced only after a failure, in case the failure was the connection's.
    let mut held: Option<PooledConn> = None;
    let mut batch = Vec::with_capacity(config.max_batch);
    while let Some(first) = jobs.blocking_recv() {
        batch.push(first);
        if config.group_commit {
            while batch.len() < config.max_batch {
                match jobs.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
        }
        let started = Instant::now();
        let outcome = match held.take().map_or_else(|| writer_connection(&db), Ok) {
            Ok(mut conn) => {
                let outcome = commit(&mut conn, &batch);
                if outcome.is_ok() {
                    held = Some(conn);
                }
                outcome
            }
            Err(StoreError::Query(error)) => Err(error),
            Err(other) => Err(diesel::result::Error::QueryBuilderError(other.into())),
        };
        match outcome {
            Ok(results) => {
                tracing::debug!(
                    batch = batch.len(),
                    elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
                    "committed signatures"
                );
                for (job, result) in batch.drain(..).zip(results) {
                    let _ = job.reply.send(result.map_err(Arc::new));
                }
                committed.notify_one();
            }
            Err(error) => {
                tracing::error!(error = %error, batch = batch.len(), "could not commit signatures");
                let error = Arc::new(error);
                for job in batch.drain(..) {
                    let _ = job.reply.send(Err(Arc::clone(&error)));
                }
            }
        }
    }
}

/// The writer's connection leaves checkpoints to `Database::keep_checkpointed`: copying
/// pages into the database file inside a commit would hold up every signature in it.
fn writer_connection(db: &Database) -> Result<PooledConn, StoreError> {
    let mut conn = db.connection()?;
    conn.batch_execute("PRAGMA wal_autocheckpoint = 0")?;
    Ok(conn)
}

/// Writes a batch in one transaction. Nearly always every signature in it can be written,
/// so the batch goes straight through. If one cannot (say, its campaign was deleted a
/// moment ago), the batch is written again with a savepoint per signature, so that the
/// failing one does not take the others with it.
fn commit(
    conn: &mut Connection,
    batch: &[Job],
) -> diesel::QueryResult<Vec<diesel::QueryResult<Recorded>>> {
    let now = Utc::now().naive_utc();
    let straight = write_transaction(conn, |conn| {
        batch
            .iter()
            .map(|job| signatures::record(conn, &job.signature, &job.token, now))
            .collect::<diesel::QueryResult<Vec<_>>>()
    });
    match straight {
        Ok(recorded) => Ok(recorded.into_iter().map(Ok).collect()),
        Err(error) if batch.len() == 1 => Ok(vec![Err(error)]),
        Err(_) => write_transaction(conn, |conn| {
            Ok(batch
                .iter()
                .map(|job| {
                    conn.transaction(|conn| {
                        signatures::record(conn, &job.signature, &job.token, now)
                    })
                })
                .collect())
        }),
    }
}

/// Diesel errors cannot be cloned; every signature in a failed batch gets one that says
/// the same.
fn unshare(error: &diesel::result::Error) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(error.to_string().into())
}
