//! Integration tests: the real application, a real SQLite file, a real SMTP server.

mod abuse;
mod admin;
mod backpressure;
mod confirmation;
mod connections;
mod crash;
mod disk_full;
mod embed;
mod fuzz;
mod helpers;
mod json_api;
mod languages;
mod logging;
mod mail_delivery;
mod pages;
mod partners;
mod pause;
mod privacy;
mod signing;
mod validation;
