//! Logging: one line per event on standard error, filtered by `MARIPOSA_LOG`.

use std::fmt;
use std::io::IsTerminal;

use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::{Event, Level, Subscriber};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

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
    let client_mistakes = ClientMistakes {
        shown: filter
            .max_level_hint()
            .is_some_and(|most| most >= LevelFilter::DEBUG),
    };
    // Lossless: under a flood of log lines, requests wait rather than lines being dropped.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::stderr());
    // A second initialisation (as in tests that start several servers) keeps the first.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(client_mistakes)
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(std::io::stderr().is_terminal())
                .with_writer(writer),
        )
        .try_init();
    guard
}

/// actix-http logs a request it could not parse, a connection the client dropped or a
/// client too slow to send its headers as an `ERROR` (after answering `400` or `408`
/// itself). Nothing of ours failed, so such lines are kept only when `MARIPOSA_LOG` asks
/// for debugging; `ERROR` stays for our own failures.
struct ClientMistakes {
    shown: bool,
}

/// How actix-http words a client's mistakes after "stream error: ".
const CLIENT_MISTAKES: [&str; 4] = [
    "request parse error",
    "I/O error",
    "request did not complete within the specified timeout",
    "connection shutdown timeout",
];

impl<S: Subscriber> Layer<S> for ClientMistakes {
    fn event_enabled(&self, event: &Event<'_>, _: Context<'_, S>) -> bool {
        self.shown || !is_client_mistake(event)
    }
}

fn is_client_mistake(event: &Event<'_>) -> bool {
    let metadata = event.metadata();
    if *metadata.level() != Level::ERROR || !metadata.target().starts_with("actix_http::") {
        return false;
    }
    let mut message = Message::default();
    event.record(&mut message);
    message
        .0
        .strip_prefix("stream error: ")
        .is_some_and(|cause| CLIENT_MISTAKES.iter().any(|m| cause.starts_with(m)))
}

#[derive(Default)]
struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}
