//! Staff passwords are checked by a fixed set of threads, each reusing its own argon2
//! memory. However many sign-ins arrive at once, hashing holds at most that many times
//! 19 MiB, gives it back to nobody else, and never runs on the async executor.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

use crate::domain::PasswordMemory;

/// One checker per core: hashing is all CPU, so more would only share the same cores while
/// each kept 19 MiB. Four check some eighty passwords a second, far more than staff need,
/// and hold 76 MiB at most on any machine.
const MIN_CHECKERS: usize = 2;
const MAX_CHECKERS: usize = 4;

/// The checking threads, and who may hand them work.
pub struct PasswordCheckers {
    jobs: SyncSender<Job>,
    /// One permit per checker: a sign-in waits here, not in a queue of its own.
    admission: Arc<Semaphore>,
    /// How long a sign-in waits for a free checker before it is told to come back.
    wait: Duration,
}

struct Job {
    password: String,
    phc: String,
    answer: oneshot::Sender<bool>,
    /// Returned when the check is done, even if nobody waits for the answer any more.
    _permit: OwnedSemaphorePermit,
}

/// Every checker stayed busy while the sign-in waited.
#[derive(Debug, thiserror::Error)]
#[error("every password checker is busy")]
pub struct CheckersBusy;

impl PasswordCheckers {
    /// One checker per core of this machine, within bounds.
    pub fn start(wait: Duration) -> std::io::Result<Self> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self::start_with(cores.clamp(MIN_CHECKERS, MAX_CHECKERS), wait)
    }

    fn start_with(checkers: usize, wait: Duration) -> std::io::Result<Self> {
        let (jobs, queue) = sync_channel(checkers);
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..checkers {
            let queue = Arc::clone(&queue);
            std::thread::Builder::new()
                .name(format!("password-check-{n}"))
                .spawn(move || check_until_closed(&queue))?;
        }
        Ok(Self {
            jobs,
            admission: Arc::new(Semaphore::new(checkers)),
            wait,
        })
    }

    /// Whether `password` matches the stored PHC string `phc`.
    pub async fn matches(&self, password: String, phc: String) -> Result<bool, CheckersBusy> {
        let permit = tokio::time::timeout(self.wait, Arc::clone(&self.admission).acquire_owned())
            .await
            .map_err(|_| CheckersBusy)?
            .map_err(|_| CheckersBusy)?;
        let (answer, answered) = oneshot::channel();
        self.jobs
            .try_send(Job {
                password,
                phc,
                answer,
                _permit: permit,
            })
            .map_err(|_| CheckersBusy)?;
        answered.await.map_err(|_| CheckersBusy)
    }
}

/// One checker: takes jobs until the sender is dropped with the application.
fn check_until_closed(queue: &Mutex<Receiver<Job>>) {
    // Allocated on the first job, so an idle server does not hold it.
    let mut memory: Option<PasswordMemory> = None;
    loop {
        let job = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else {
            return;
        };
        let Job {
            password,
            phc,
            answer,
            _permit: permit,
        } = job;
        let matches = memory
            .get_or_insert_with(PasswordMemory::for_staff_hashes)
            .matches(&password, &phc);
        // The checker is free before anyone hears the answer, so a sign-in that has its
        // answer never finds its own checker still taken.
        drop(permit);
        // The sign-in may have given up waiting; the answer is then not needed.
        let _ = answer.send(matches);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{StaffPassword, decoy_hash};

    #[tokio::test]
    async fn checkers_answer_and_refuse_work_beyond_their_number() {
        let hash = StaffPassword::parse("correct horse battery")
            .expect("valid")
            .hash()
            .expect("hashed");
        let checkers = PasswordCheckers::start_with(1, Duration::ZERO).expect("started");
        assert_eq!(
            checkers
                .matches("correct horse battery".into(), hash.clone())
                .await
                .ok(),
            Some(true)
        );
        assert_eq!(
            checkers.matches("wrong".into(), hash).await.ok(),
            Some(false)
        );

        let (first, second) = tokio::join!(
            checkers.matches("a".into(), decoy_hash().into()),
            checkers.matches("b".into(), decoy_hash().into()),
        );
        assert!(
            first.is_ok() != second.is_ok(),
            "one check runs, the other finds the only checker busy"
        );
    }
}
