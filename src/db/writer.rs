//! Group commit: one thread writes signatures, committing whatever has queued up since its
//! last commit in a single durable transaction.
//!
//! With `synchronous=FULL`, each commit waits for the disk. Sharing that wait between every
//! signature that arrived meanwhile keeps each one durable before its answer while the
//! number of disk flushes stays bounded by the disk, not by the crowd.

use std::sync::Arc;
use std::thread::JoinHandle;

use chrono::Utc;
use diesel::Connection as _;
use tokio::sync::{Notify, mpsc, oneshot};

use super::signatures::{self, Recorded};
use super::{Connection, Database, StoreError, write_transaction};
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
        let outcome = db
            .connection()
            .map_err(|e| match e {
                StoreError::Query(q) => q,
                other => diesel::result::Error::QueryBuilderError(other.into()),
            })
            .and_then(|mut conn| commit(&mut conn, &batch));
        match outcome {
            Ok(results) => {
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

/// Writes a batch in one transaction. Each signature gets its own savepoint, so one that
/// fails (say, its campaign was deleted a moment ago) does not take the others with it.
fn commit(
    conn: &mut Connection,
    batch: &[Job],
) -> diesel::QueryResult<Vec<diesel::QueryResult<Recorded>>> {
    let now = Utc::now().naive_utc();
    write_transaction(conn, |conn| {
        Ok(batch
            .iter()
            .map(|job| {
                conn.transaction(|conn| signatures::record(conn, &job.signature, &job.token, now))
            })
            .collect())
    })
}

/// Diesel errors cannot be cloned; every signature in a failed batch gets one that says
/// the same.
fn unshare(error: &diesel::result::Error) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(error.to_string().into())
}
