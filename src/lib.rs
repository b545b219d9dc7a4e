//! Mariposa: a petition and action-campaign signature collector.
//!
//! `startup` wires everything; `routes` speaks HTTP; `intake` holds the use cases that take
//! signatures in; `domain` holds the rules; `db` stores; `mail` writes and sends email;
//! `cache` keeps what every page shows in memory, and `rate_limits` the token buckets;
//! `organisation` is how the organisation's settings change, `roles` how a member of
//! staff's role does.

pub mod cache;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod documents;
pub mod domain;
pub mod export;
pub mod i18n;
pub mod intake;
pub mod mail;
pub mod metrics;
pub mod organisation;
pub mod pages;
pub mod password_checks;
pub mod rate_limits;
pub mod review;
pub mod roles;
pub mod routes;
pub mod seed;
pub mod startup;
pub mod telemetry;
