//! Integration tests: the real application, a real SQLite file, a real SMTP server.

mod backpressure;
mod confirmation;
mod helpers;
mod mail_delivery;
mod pages;
mod signing;
mod validation;
