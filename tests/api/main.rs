//! Integration tests: the real application, a real SQLite file, a real SMTP server.

mod abuse;
mod admin;
mod confirmation;
mod embed;
mod helpers;
mod json_api;
mod languages;
mod mail_delivery;
mod pages;
mod signing;
mod validation;
