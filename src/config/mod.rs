//! Configuration: environment variables, each also a `serve` flag, every one optional.

mod policies;
mod secret_file;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use chrono::TimeDelta;
use lettre::message::Mailbox;

pub use policies::{Reminders, Retention, RetryPolicy, ReviewSettings, SessionPolicy};
use secret_file::load_or_create_secret;

use crate::db::{DatabaseUrl, WriterConfig};
use crate::domain::{ThrowawayDomains, TrustedProxies};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/mariposa.db";

/// Connections one client address may hold open at once while rate limits are on.
pub const MAX_CONNECTIONS_PER_CLIENT: usize = 64;

/// An update sent by mistake can be taken back for this long: long enough to notice a
/// wrong click, short enough that nobody waits on it.
pub const UPDATE_CANCEL_WINDOW: Duration = Duration::from_secs(3 * 60);

/// The flags and variables of `mariposa serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "MARIPOSA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Public address, used in email links [default: http:// + bind address]
    #[arg(long, env = "MARIPOSA_BASE_URL")]
    pub base_url: Option<String>,

    /// SMTP relay, e.g. smtp://127.0.0.1:2525 or smtps://user:pass@host; unset writes
    /// emails as .eml files under the data directory's mail/ folder.
    #[arg(long, env = "MARIPOSA_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Emails sent at once, each over its own SMTP connection, which the pool keeps open
    /// between emails; lower it if the relay limits connections per client.
    #[arg(
        long,
        env = "MARIPOSA_SMTP_CONNECTIONS",
        default_value_t = 16,
        value_parser = clap::value_parser!(u16).range(1..)
    )]
    pub smtp_connections: u16,

    /// Seconds the relay may take to open a connection, and then to take each email. A relay
    /// that hangs longer is dropped and the email retried later.
    #[arg(long, env = "MARIPOSA_SMTP_TIMEOUT_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub smtp_timeout_seconds: u32,

    /// Sender of every email.
    #[arg(
        long,
        env = "MARIPOSA_MAIL_FROM",
        default_value = "Mariposa <no-reply@localhost>"
    )]
    pub mail_from: Mailbox,

    /// Secret that signs form tokens and session cookies [default: generated once and kept
    /// in the data directory]
    #[arg(long, env = "MARIPOSA_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,

    /// Do not create the demo campaign in a new, empty database.
    #[arg(long)]
    pub no_demo: bool,

    /// Per-address rate limits on signing, confirming and signing in: on, or off (for
    /// benchmarks and load tests only)
    #[arg(long, env = "MARIPOSA_RATE_LIMITS", value_enum, default_value_t = Switch::On)]
    pub rate_limits: Switch,

    /// Days after which signatures never confirmed are deleted
    #[arg(long, env = "MARIPOSA_PENDING_RETENTION_DAYS", default_value_t = 30)]
    pub pending_retention_days: u32,

    /// Days after a campaign closes when its signers' personal data is erased, keeping
    /// the counts; 0 keeps it until staff erase it
    #[arg(long, env = "MARIPOSA_ANONYMISE_AFTER_DAYS", default_value_t = 0)]
    pub anonymise_after_days: u32,

    /// Hours after signing when a signer who has not confirmed gets one reminder, while
    /// the campaign is open; 0 sends no reminders
    #[arg(long, env = "MARIPOSA_REMINDER_AFTER_HOURS", default_value_t = 24)]
    pub reminder_after_hours: u32,

    /// Update emails to signers sent per minute by each server; confirmations always go
    /// first, so this is what a large update may take of the relay
    #[arg(
        long,
        env = "MARIPOSA_UPDATE_RATE_PER_MINUTE",
        default_value_t = 600,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub update_rate_per_minute: u32,

    /// Proxies whose X-Forwarded-For header gives the client's address, e.g.
    /// "127.0.0.1, 10.0.0.0/8"; without one, the connection's address is the client's
    #[arg(long, env = "MARIPOSA_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: TrustedProxies,

    /// Days a signature's network hash is kept for the review before it is dropped
    #[arg(long, env = "MARIPOSA_NETWORK_RETENTION_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=365))]
    pub network_retention_days: u32,

    /// A file of throwaway-mail domains, one a line, to use instead of the list shipped
    /// with Mariposa
    #[arg(long, env = "MARIPOSA_THROWAWAY_DOMAINS")]
    pub throwaway_domains: Option<PathBuf>,

    /// Seconds a server keeps the emails it claimed to itself. If it dies while sending,
    /// other servers send them once this has passed; keep it longer than a slow relay takes
    /// for a batch, and than the database outages several servers should ride through, or
    /// an email may go out twice.
    #[arg(long, env = "MARIPOSA_MAIL_LEASE_SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..))]
    pub mail_lease_seconds: u32,

    /// For benchmarks only: `off` commits every signature in a transaction of its own, to
    /// measure what group commit is worth.
    #[arg(
        long,
        env = "MARIPOSA_GROUP_COMMIT",
        value_enum,
        default_value_t = Switch::On,
        hide = true
    )]
    pub group_commit: Switch,
}

/// A setting that is either on or off, spelled the way operators write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Switch {
    On,
    Off,
}

/// Everything the application needs to start, resolved and checked.
#[derive(Clone)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub bind: SocketAddr,
    /// Unset means `http://` and the address actually bound (which may be port 0 in tests).
    pub base_url: Option<String>,
    pub smtp_url: Option<String>,
    pub smtp_connections: u16,
    /// How long the relay may take to open a connection (greeting, EHLO, STARTTLS,
    /// login), and then to take each email.
    pub smtp_timeout: Duration,
    pub mail_from: Mailbox,
    pub mail_dir: PathBuf,
    pub secret_key: Vec<u8>,
    pub seed_demo: bool,
    pub writer: WriterConfig,
    pub mail_retry: RetryPolicy,
    /// How long a claimed email stays with the server that claimed it.
    pub mail_lease: Duration,
    pub count_refresh: Duration,
    pub session_policy: SessionPolicy,
    pub rate_limits: bool,
    pub trusted_proxies: TrustedProxies,
    pub min_fill_time: Duration,
    pub retention: Retention,
    pub reminders: Reminders,
    /// Update emails sent per minute by this server.
    pub update_rate_per_minute: u32,
    /// How long after staff send an update its emails start going out; until then they
    /// can cancel it.
    pub update_cancel_window: Duration,
    /// Caps the database file, in pages; `None` lets it grow with the disk.
    pub max_database_pages: Option<u64>,
    /// How often campaigns are reloaded into memory, so that edits made on any server
    /// show within seconds.
    pub campaign_refresh: Duration,
    /// Connections one client address may hold open at once; `None` for no cap.
    pub max_connections_per_client: Option<usize>,
    /// How long a campaign's count history is reused before it is read again.
    pub history_ttl: Duration,
    pub review: ReviewSettings,
    /// For tests only: how far this server's clock is off, so that tests can run servers
    /// whose clocks are wrong. Zero in every real server; no flag or variable sets it.
    pub clock_skew: TimeDelta,
}

impl Settings {
    pub fn from_args(database_url: &str, args: &ServeArgs) -> anyhow::Result<Self> {
        let database_url = DatabaseUrl::parse(database_url)?;
        let data_dir = database_url.data_dir();
        let secret_key = match &args.secret_key {
            Some(secret) if secret.len() >= 32 => secret.as_bytes().to_vec(),
            Some(_) => anyhow::bail!("MARIPOSA_SECRET_KEY must be at least 32 characters long"),
            None if database_url.is_shared() => anyhow::bail!(
                "MARIPOSA_SECRET_KEY must be set on PostgreSQL: every server sharing the \
                 database must sign form tokens and sessions with the same key, and a key \
                 generated on one machine cannot be shared. Generate one once (for instance \
                 `head -c 32 /dev/urandom | base64`) and give it to every server"
            ),
            None => load_or_create_secret(&data_dir)?,
        };
        Ok(Self {
            database_url,
            bind: args.bind,
            base_url: args
                .base_url
                .as_deref()
                .map(|url| url.trim_end_matches('/').to_owned()),
            smtp_url: args.smtp_url.clone().filter(|url| !url.trim().is_empty()),
            smtp_connections: args.smtp_connections,
            smtp_timeout: Duration::from_secs(args.smtp_timeout_seconds.into()),
            mail_from: args.mail_from.clone(),
            mail_dir: data_dir.join("mail"),
            secret_key,
            seed_demo: !args.no_demo,
            writer: WriterConfig {
                group_commit: args.group_commit == Switch::On,
                ..WriterConfig::default()
            },
            mail_retry: RetryPolicy::default(),
            mail_lease: Duration::from_secs(u64::from(args.mail_lease_seconds)),
            count_refresh: Duration::from_secs(1),
            session_policy: SessionPolicy::default(),
            rate_limits: args.rate_limits == Switch::On,
            trusted_proxies: args.trusted_proxies.clone(),
            min_fill_time: Duration::from_secs(2),
            retention: Retention {
                pending: days(args.pending_retention_days),
                anonymise_closed_after: (args.anonymise_after_days > 0)
                    .then(|| days(args.anonymise_after_days)),
                check_every: Duration::from_secs(60 * 60),
            },
            reminders: Reminders {
                after: (args.reminder_after_hours > 0)
                    .then(|| Duration::from_secs(u64::from(args.reminder_after_hours) * 60 * 60)),
                check_every: Duration::from_secs(5 * 60),
            },
            update_rate_per_minute: args.update_rate_per_minute,
            update_cancel_window: UPDATE_CANCEL_WINDOW,
            max_database_pages: None,
            // With one second between reloads, an edit made on any server shows on every other
            // within two seconds, as the documentation promises.
            campaign_refresh: Duration::from_secs(1),
            // Browsers open six at most; this leaves room for an office or a campus behind
            // one address, and load tests (which switch rate limits off) are not capped.
            max_connections_per_client: (args.rate_limits == Switch::On)
                .then_some(MAX_CONNECTIONS_PER_CLIENT),
            history_ttl: Duration::from_secs(60),
            review: ReviewSettings {
                network_retention: days(args.network_retention_days),
                throwaway: match &args.throwaway_domains {
                    Some(path) => ThrowawayDomains::parse(
                        &std::fs::read_to_string(path)
                            .with_context(|| format!("could not read {}", path.display()))?,
                    ),
                    None => ThrowawayDomains::parse(crate::domain::SHIPPED_THROWAWAY_DOMAINS),
                },
                invalidations_every: Duration::from_secs(5),
                alerts_every: Duration::from_secs(5 * 60),
            },
            clock_skew: TimeDelta::zero(),
        })
    }

    /// Whether links and cookies are for an https site.
    pub fn is_https(&self) -> bool {
        self.base_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }
}

fn days(days: u32) -> Duration {
    Duration::from_secs(u64::from(days) * 24 * 60 * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_refuses_to_start_without_a_shared_secret_key() {
        #[derive(clap::Parser)]
        struct Serve {
            #[command(flatten)]
            args: ServeArgs,
        }
        let database = "postgres://mariposa@127.0.0.1:5432/mariposa";
        let without = <Serve as clap::Parser>::try_parse_from(["serve"]).expect("valid flags");
        let error = Settings::from_args(database, &without.args)
            .err()
            .expect("refused without a key");
        assert!(
            error
                .to_string()
                .contains("MARIPOSA_SECRET_KEY must be set on PostgreSQL")
        );
        let with = <Serve as clap::Parser>::try_parse_from([
            "serve",
            "--secret-key",
            "a secret that is long enough to use",
        ])
        .expect("valid flags");
        assert!(Settings::from_args(database, &with.args).is_ok());
    }

    #[test]
    fn the_relay_deadline_is_the_operators_and_zero_is_refused() {
        #[derive(clap::Parser)]
        struct Serve {
            #[command(flatten)]
            args: ServeArgs,
        }
        let database = "sqlite://data/mariposa.db";
        let default = <Serve as clap::Parser>::try_parse_from(["serve"]).expect("valid flags");
        let settings = Settings::from_args(database, &default.args).expect("settings");
        assert_eq!(settings.smtp_timeout, Duration::from_secs(30));

        let patient =
            <Serve as clap::Parser>::try_parse_from(["serve", "--smtp-timeout-seconds", "90"])
                .expect("valid flags");
        let settings = Settings::from_args(database, &patient.args).expect("settings");
        assert_eq!(settings.smtp_timeout, Duration::from_secs(90));

        assert!(
            <Serve as clap::Parser>::try_parse_from(["serve", "--smtp-timeout-seconds", "0"])
                .is_err(),
            "a relay given no time at all could never take an email"
        );
    }

    #[test]
    fn reminders_wait_the_hours_asked_for_and_zero_turns_them_off() {
        #[derive(clap::Parser)]
        struct Serve {
            #[command(flatten)]
            args: ServeArgs,
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let database = format!("sqlite://{}", dir.path().join("m.db").display());
        let settings = |flags: &[&str]| {
            let mut argv = vec![
                "serve",
                "--secret-key",
                "a secret that is long enough to use",
            ];
            argv.extend_from_slice(flags);
            let serve = <Serve as clap::Parser>::try_parse_from(argv).expect("valid flags");
            Settings::from_args(&database, &serve.args).expect("valid settings")
        };
        assert_eq!(
            settings(&[]).reminders.after,
            Some(Duration::from_secs(24 * 60 * 60))
        );
        assert_eq!(
            settings(&["--reminder-after-hours", "6"]).reminders.after,
            Some(Duration::from_secs(6 * 60 * 60))
        );
        assert_eq!(
            settings(&["--reminder-after-hours", "0"]).reminders.after,
            None
        );
    }
}
