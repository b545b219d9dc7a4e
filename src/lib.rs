//! Mariposa: a petition and action-campaign signature collector.
//!
//! `startup` wires everything; `routes` speaks HTTP; `intake` holds the use cases that take
//! signatures in; `domain` holds the rules; `db` stores; `mail` writes and sends email;
//! `counts`, `campaign_cache`, `history_cache` and `organisation` keep what every page shows in memory, and
//! `rate_limits` the token buckets.

pub mod campaign_cache;
pub mod cli;
pub mod clock;
pub mod config;
pub mod counts;
pub mod db;
pub mod documents;
pub mod domain;
pub mod export;
pub mod history_cache;
pub mod i18n;
pub mod intake;
pub mod mail;
pub mod metrics;
pub mod organisation;
pub mod password_checks;
pub mod rate_limits;
pub mod routes;
pub mod seed;
pub mod source_cache;
pub mod startup;
pub mod telemetry;
