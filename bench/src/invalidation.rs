//! `--fill`'s invalidation phase: staff invalidate a wave of the campaign (the fill gives
//! every seventh signature the source `amnistia`, 142,857 of 1,000,000) while people sign.
//! The invalidation is stored as the review page stores one, and the server's background
//! invalidator runs it in batches, as it runs one that another server started.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::processes::Database;

/// The wave's conditions, as the review page stores them.
const WAVE: &str = r#"{"source":"amnistia"}"#;
/// How long a server may take to pick up an invalidation it did not start: it looks every
/// 5 s, and may be in the middle of something.
const PICK_UP: Duration = Duration::from_secs(30);

/// How far an invalidation went while people signed.
pub struct Invalidated {
    /// Signatures it took out of the count in that time.
    pub rows: u64,
    /// From its first batch to its last, or to the end of signing if it had not finished.
    pub elapsed: Duration,
    pub finished: bool,
}

impl Invalidated {
    pub fn per_second(&self) -> f64 {
        self.rows as f64 / self.elapsed.as_secs_f64().max(1e-3)
    }
}

/// An invalidation under way, with a thread watching it.
pub struct Running {
    db: Database,
    id: u64,
    affected_at_start: u64,
    started: Instant,
    finished_at: Arc<std::sync::Mutex<Option<Instant>>>,
    stop: Arc<AtomicBool>,
    watcher: std::thread::JoinHandle<()>,
}

/// Stores the wave's invalidation in `campaign` and returns once the server has run its
/// first batch (or found nothing to take).
pub fn start(db: &Database, campaign: u64) -> anyhow::Result<Running> {
    let now = match db {
        Database::Postgres(_) => "(now() AT TIME ZONE 'UTC')",
        Database::Sqlite(_) => "datetime('now')",
    };
    db.execute(&format!(
        "INSERT INTO invalidations (campaign_id, conditions, reason, created_by, created_at)
         VALUES ({campaign}, '{WAVE}', 'bench: a wave', 'bench', {now});"
    ))?;
    let id = db.count("SELECT MAX(id) FROM invalidations")?;
    let deadline = Instant::now() + PICK_UP;
    let affected_at_start = loop {
        let (affected, finished) = progress(db, id)?;
        if affected > 0 || finished {
            break affected;
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the server did not start the invalidation within {} s",
            PICK_UP.as_secs()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let started = Instant::now();
    let finished_at = Arc::new(std::sync::Mutex::new(None));
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (db, finished_at, stop) = (db.clone(), Arc::clone(&finished_at), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if let Ok((_, true)) = progress(&db, id) {
                    if let Ok(mut at) = finished_at.lock() {
                        *at = Some(Instant::now());
                    }
                    return;
                }
                std::thread::sleep(Duration::from_millis(250));
            }
        })
    };
    Ok(Running {
        db: db.clone(),
        id,
        affected_at_start,
        started,
        finished_at,
        stop,
        watcher,
    })
}

impl Running {
    /// How far it went since its first batch; then cancels what is left, so that the
    /// phases after this one measure the same campaign on every run.
    pub fn stop(self) -> anyhow::Result<Invalidated> {
        let ended = Instant::now();
        self.stop.store(true, Ordering::Relaxed);
        self.watcher
            .join()
            .map_err(|_| anyhow::anyhow!("the invalidation's watcher panicked"))?;
        let (affected, finished) = progress(&self.db, self.id)?;
        let finished_at = self.finished_at.lock().ok().and_then(|at| *at);
        let now = match self.db {
            Database::Postgres(_) => "(now() AT TIME ZONE 'UTC')",
            Database::Sqlite(_) => "datetime('now')",
        };
        self.db.execute(&format!(
            "UPDATE invalidations SET cancelled_at = {now}, finished_at = {now}
             WHERE id = {} AND finished_at IS NULL;",
            self.id
        ))?;
        Ok(Invalidated {
            rows: affected - self.affected_at_start,
            elapsed: finished_at.unwrap_or(ended) - self.started,
            finished,
        })
    }
}

/// Signatures taken so far, and whether the invalidation has finished.
fn progress(db: &Database, id: u64) -> anyhow::Result<(u64, bool)> {
    let affected = db.count(&format!(
        "SELECT affected FROM invalidations WHERE id = {id}"
    ))?;
    let finished = db.count(&format!(
        "SELECT COUNT(*) FROM invalidations WHERE id = {id} AND finished_at IS NOT NULL"
    ))? > 0;
    Ok((affected, finished))
}
