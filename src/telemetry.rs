//! Logging: one line per event on standard error, filtered by `MARIPOSA_LOG`.

use std::io::IsTerminal;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Starts logging. Lines are formatted where the event happens and written by a thread of
/// their own, so that a request never waits for a write to standard error: with one line
/// per request, those writes were a tenth of the CPU time of serving a campaign page.
/// Keep the guard until the program ends; dropping it writes out what is still queued.
#[must_use = "dropping the guard stops logging"]
pub fn init(filter: &str) -> WorkerGuard {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|error| {
        eprintln!("MARIPOSA_LOG={filter:?} is not a valid filter ({error}); using \"info\"");
        EnvFilter::new("info")
    });
    // Lossless: under a flood of log lines, requests wait rather than lines being dropped.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::stderr());
    // A second initialisation (as in tests that start several servers) keeps the first.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(writer)
        .try_init();
    guard
}
