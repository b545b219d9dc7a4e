//! Logging: one line per event on standard error, filtered by `MARIPOSA_LOG`.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

pub fn init(filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|error| {
        eprintln!("MARIPOSA_LOG={filter:?} is not a valid filter ({error}); using \"info\"");
        EnvFilter::new("info")
    });
    // A second initialisation (as in tests that start several servers) keeps the first.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .try_init();
}
