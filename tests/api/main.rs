//! Integration tests: the real application, a real SQLite file, a real SMTP server.

mod abuse;
mod admin;
mod backpressure;
mod confirmation;
mod connections;
mod crash;
mod csv_injection;
mod disk_full;
mod email_spellings;
mod embed;
mod fuzz;
mod helpers;
mod implausible_input;
mod json_api;
mod languages;
mod logging;
mod mail_delivery;
mod pages;
mod partners;
mod pause;
mod privacy;
mod relay;
mod sign_in_memory;
mod signing;
mod validation;
