//! The use cases: what Mariposa does when a signature comes in, whoever brings it. A use
//! case takes parsed input and what it needs of the shared state, decides, stores, and
//! returns an outcome that says what happened; an HTTP handler or a CLI command turns that
//! outcome into a response or printed lines, and neither repeats a rule that lives here.
//!
//! This floor sits between `routes/`/`cli/` and `db/`/`domain/`: it may import `db`,
//! `domain`, `mail`, `metrics` and the in-memory caches, never `routes` or `cli`.

pub mod kiosk;
pub mod online;
pub mod paper;
