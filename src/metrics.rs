//! Counters for operators, served at `/metrics` in the Prometheus text format.

use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use chrono::TimeDelta;

/// Why a signature was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    Invalid,
    ForgedToken,
    Closed,
    Paused,
    Busy,
    Unavailable,
    TooSoon,
    FormSpent,
}

impl Rejection {
    const ALL: [Rejection; 8] = [
        Self::Invalid,
        Self::ForgedToken,
        Self::Closed,
        Self::Paused,
        Self::Busy,
        Self::Unavailable,
        Self::TooSoon,
        Self::FormSpent,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::Invalid => "invalid",
            Self::ForgedToken => "forged_token",
            Self::Closed => "closed",
            Self::Paused => "paused",
            Self::Busy => "busy",
            Self::Unavailable => "unavailable",
            Self::TooSoon => "too_soon",
            Self::FormSpent => "form_spent",
        }
    }
}

/// What the rate limiter protects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    Sign,
    Confirm,
    Login,
}

impl Limited {
    pub const ALL: [Limited; 3] = [Self::Sign, Self::Confirm, Self::Login];

    pub fn label(self) -> &'static str {
        match self {
            Self::Sign => "sign",
            Self::Confirm => "confirm",
            Self::Login => "login",
        }
    }
}

#[derive(Debug, Default)]
pub struct Metrics {
    accepted: AtomicU64,
    confirmed: AtomicU64,
    rejected: [AtomicU64; 8],
    bots: AtomicU64,
    rate_limited: [AtomicU64; 3],
    emails_sent: AtomicU64,
    email_failures: AtomicU64,
    emails_given_up: AtomicU64,
    campaign_reloads: AtomicU64,
    reminders_queued: AtomicU64,
    /// The database's clock minus this server's, in microseconds, as last measured.
    clock_offset_micros: AtomicI64,
}

/// The outbox as it stands when metrics are read.
#[derive(Debug, Clone, Copy)]
pub struct OutboxState {
    pub depth: i64,
    pub oldest_age_seconds: i64,
    /// Emails given up on, kept in the outbox for staff to see.
    pub failed: i64,
}

impl Metrics {
    pub fn clock_offset(&self, offset: TimeDelta) {
        self.clock_offset_micros.store(
            offset.num_microseconds().unwrap_or(i64::MAX),
            Ordering::Relaxed,
        );
    }

    pub fn signature_accepted(&self) {
        self.accepted.fetch_add(1, Ordering::Relaxed);
    }

    pub fn signature_confirmed(&self) {
        self.confirmed.fetch_add(1, Ordering::Relaxed);
    }

    pub fn campaigns_reloaded(&self) {
        self.campaign_reloads.fetch_add(1, Ordering::Relaxed);
    }

    pub fn signature_rejected(&self, reason: Rejection) {
        self.rejected[reason as usize].fetch_add(1, Ordering::Relaxed);
    }

    pub fn bot_caught(&self) {
        self.bots.fetch_add(1, Ordering::Relaxed);
    }

    pub fn rate_limited(&self, what: Limited) {
        self.rate_limited[what as usize].fetch_add(1, Ordering::Relaxed);
    }

    pub fn emails_sent(&self, count: u64) {
        self.emails_sent.fetch_add(count, Ordering::Relaxed);
    }

    pub fn email_failures(&self, count: u64) {
        self.email_failures.fetch_add(count, Ordering::Relaxed);
    }

    pub fn reminders_queued(&self, count: u64) {
        self.reminders_queued.fetch_add(count, Ordering::Relaxed);
    }

    pub fn emails_given_up(&self, count: u64) {
        self.emails_given_up.fetch_add(count, Ordering::Relaxed);
    }

    /// The exposition text. Counters are since this process started.
    pub fn render(&self, outbox: OutboxState) -> String {
        let mut out = String::with_capacity(2048);
        let mut counter = |name: &str, help: &str, values: &[(&str, u64)]| {
            let _ = writeln!(out, "# HELP mariposa_{name} {help}");
            let _ = writeln!(out, "# TYPE mariposa_{name} counter");
            for (labels, value) in values {
                let _ = writeln!(out, "mariposa_{name}{labels} {value}");
            }
        };
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        counter(
            "signatures_accepted_total",
            "Signatures written to the database (new or repeated).",
            &[("", load(&self.accepted))],
        );
        counter(
            "signatures_confirmed_total",
            "Signatures confirmed through their email link.",
            &[("", load(&self.confirmed))],
        );
        let rejected: Vec<(String, u64)> = Rejection::ALL
            .iter()
            .map(|r| {
                (
                    format!("{{reason=\"{}\"}}", r.label()),
                    load(&self.rejected[*r as usize]),
                )
            })
            .collect();
        counter(
            "signatures_rejected_total",
            "Signing attempts refused, by reason.",
            &rejected
                .iter()
                .map(|(l, v)| (l.as_str(), *v))
                .collect::<Vec<_>>(),
        );
        counter(
            "campaign_reloads_total",
            "Times the campaigns in memory were reloaded from the database; a value that stops rising means public pages show stale campaigns.",
            &[("", load(&self.campaign_reloads))],
        );
        counter(
            "bot_submissions_total",
            "Submissions caught by the honeypot or the minimum fill time, answered normally and not stored.",
            &[("", load(&self.bots))],
        );
        let limited: Vec<(String, u64)> = Limited::ALL
            .iter()
            .map(|l| {
                (
                    format!("{{route=\"{}\"}}", l.label()),
                    load(&self.rate_limited[*l as usize]),
                )
            })
            .collect();
        counter(
            "rate_limited_total",
            "Requests refused with 429, by kind.",
            &limited
                .iter()
                .map(|(l, v)| (l.as_str(), *v))
                .collect::<Vec<_>>(),
        );
        counter(
            "reminders_queued_total",
            "Reminders queued for signers who had not confirmed, at most one per signature.",
            &[("", load(&self.reminders_queued))],
        );
        counter(
            "emails_sent_total",
            "Emails handed to the relay (or written to files).",
            &[("", load(&self.emails_sent))],
        );
        counter(
            "email_send_failures_total",
            "Attempts to send an email that failed: refused, unreachable or silent relay, or an email that could not be written.",
            &[("", load(&self.email_failures))],
        );
        counter(
            "emails_failed_total",
            "Emails given up on: refused for good, impossible to write, or failing for too long.",
            &[("", load(&self.emails_given_up))],
        );
        let _ = writeln!(
            out,
            "# HELP mariposa_outbox_depth Emails waiting to be sent."
        );
        let _ = writeln!(out, "# TYPE mariposa_outbox_depth gauge");
        let _ = writeln!(out, "mariposa_outbox_depth {}", outbox.depth);
        let _ = writeln!(
            out,
            "# HELP mariposa_outbox_oldest_age_seconds Age of the oldest email waiting to be sent, updates to signers aside."
        );
        let _ = writeln!(out, "# TYPE mariposa_outbox_oldest_age_seconds gauge");
        let _ = writeln!(
            out,
            "mariposa_outbox_oldest_age_seconds {}",
            outbox.oldest_age_seconds
        );
        let _ = writeln!(
            out,
            "# HELP mariposa_outbox_failed Emails given up on, kept in the outbox (shown on campaign dashboards)."
        );
        let _ = writeln!(out, "# TYPE mariposa_outbox_failed gauge");
        let _ = writeln!(out, "mariposa_outbox_failed {}", outbox.failed);
        let _ = writeln!(
            out,
            "# HELP mariposa_clock_offset_seconds The database's clock minus this server's; beyond 5 seconds either way /healthz answers 503."
        );
        let _ = writeln!(out, "# TYPE mariposa_clock_offset_seconds gauge");
        // Milliseconds are as fine as measuring over a network can tell.
        let seconds = self.clock_offset_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "mariposa_clock_offset_seconds {seconds:.3}");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_appear_with_their_labels() {
        let metrics = Metrics::default();
        metrics.signature_rejected(Rejection::Busy);
        metrics.signature_rejected(Rejection::Busy);
        metrics.rate_limited(Limited::Login);
        let text = metrics.render(OutboxState {
            depth: 3,
            oldest_age_seconds: 42,
            failed: 1,
        });
        assert!(text.contains("mariposa_signatures_rejected_total{reason=\"busy\"} 2\n"));
        assert!(text.contains("mariposa_signatures_rejected_total{reason=\"invalid\"} 0\n"));
        assert!(text.contains("mariposa_rate_limited_total{route=\"login\"} 1\n"));
        assert!(text.contains("mariposa_outbox_depth 3\n"));
        assert!(text.contains("mariposa_outbox_oldest_age_seconds 42\n"));
        assert!(text.contains("mariposa_outbox_failed 1\n"));
    }
}
