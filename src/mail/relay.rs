//! Sending through an SMTP relay, with a deadline on every step.
//!
//! lettre 0.11's async transport applies its timeout to opening the TCP connection only, so
//! a relay that accepts a connection and never answers holds a send for ever. Its pool also
//! puts a connection interrupted mid-command back for reuse, and closes connections by
//! waiting for the relay to answer QUIT. So Mariposa keeps its own connections, made with
//! lettre's SMTP client: each step runs under a deadline, a connection that failed or ran
//! out of time is dropped (its socket closed, nothing awaited), and only a connection that
//! finished its last email cleanly is reused.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use lettre::Message;
use lettre::transport::smtp::Error as SmtpError;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use url::Url;

use super::SendError;

/// A connection unused for longer than this is closed rather than reused: relays close
/// idle connections themselves after a while.
const MAX_IDLE: Duration = Duration::from_secs(60);

/// An SMTP relay and the connections kept open to it.
pub struct Relay {
    host: String,
    port: u16,
    tls: Encryption,
    hello: ClientId,
    credentials: Option<Credentials>,
    deadline: Duration,
    max_idle_connections: usize,
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
}

enum Encryption {
    None,
    /// TLS from the first byte (`smtps://`).
    Wrapper(TlsParameters),
    /// Upgraded with STARTTLS: always when `required`, otherwise when the relay offers it.
    StartTls {
        parameters: TlsParameters,
        required: bool,
    },
}

impl Relay {
    /// Reads a relay URL the way lettre's `from_url` does: `smtp://` (STARTTLS with
    /// `?tls=required` or `?tls=opportunistic`) or `smtps://`, optional `user:password@`, and a
    /// path that names this host in EHLO.
    pub fn from_url(
        url: &str,
        deadline: Duration,
        max_idle_connections: usize,
    ) -> anyhow::Result<Self> {
        let url = Url::parse(url)?;
        let host = url.host_str().context("it names no host")?.to_owned();
        let tls_param = url
            .query_pairs()
            .find(|(key, _)| key == "tls")
            .map(|(_, value)| value.into_owned());
        let tls_parameters = || TlsParameters::new(host.clone()).context("TLS is unavailable");
        let (tls, default_port) = match (url.scheme(), tls_param.as_deref()) {
            ("smtp", None) => (Encryption::None, 25),
            ("smtp", Some(mode @ ("required" | "opportunistic"))) => (
                Encryption::StartTls {
                    parameters: tls_parameters()?,
                    required: mode == "required",
                },
                587,
            ),
            ("smtps", _) => (Encryption::Wrapper(tls_parameters()?), 465),
            (scheme, tls) => bail!("unknown scheme {scheme:?} or tls parameter {tls:?}"),
        };
        let hello = match url.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_owned()),
        };
        let decode = |part: &str| {
            percent_encoding::percent_decode_str(part)
                .decode_utf8()
                .map(|text| text.into_owned())
        };
        let credentials = match url.password() {
            Some(password) => Some(Credentials::new(decode(url.username())?, decode(password)?)),
            None => None,
        };
        Ok(Self {
            port: url.port().unwrap_or(default_port),
            host,
            tls,
            hello,
            credentials,
            deadline,
            max_idle_connections,
            idle: Mutex::new(Vec::new()),
        })
    }

    pub async fn send(&self, message: &Message) -> Result<(), SendError> {
        let mut conn = self.connection().await?;
        let sent = tokio::time::timeout(
            self.deadline,
            conn.send(message.envelope(), &message.formatted()),
        )
        .await;
        match sent {
            Ok(Ok(_)) => {
                self.park(conn);
                Ok(())
            }
            // lettre has already given the connection up; dropping it closes the socket.
            Ok(Err(error)) => Err(refusal(&error)),
            Err(_) => Err(self.no_answer()),
        }
    }

    /// An idle connection that still answers, or a new one, within one deadline in all.
    async fn connection(&self) -> Result<AsyncSmtpConnection, SendError> {
        let found = tokio::time::timeout(self.deadline, async {
            while let Some(mut conn) = self.take_idle() {
                if conn.test_connected().await {
                    return Ok(conn);
                }
            }
            self.connect().await
        })
        .await;
        match found {
            // A relay that refuses to open a connection refuses every email alike: the
            // cause is the relay or its settings, never this email, so it is retried.
            Ok(connected) => connected.map_err(|error| SendError::Transient(describe(&error))),
            Err(_) => Err(self.no_answer()),
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, SmtpError> {
        let wrapper = match &self.tls {
            Encryption::Wrapper(parameters) => Some(parameters.clone()),
            _ => None,
        };
        let mut conn = AsyncSmtpConnection::connect_tokio1(
            (self.host.as_str(), self.port),
            Some(self.deadline),
            &self.hello,
            wrapper,
            None,
        )
        .await?;
        if let Encryption::StartTls {
            parameters,
            required,
        } = &self.tls
            && (*required || conn.can_starttls())
        {
            conn.starttls(parameters.clone(), &self.hello).await?;
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await?;
        }
        Ok(conn)
    }

    fn take_idle(&self) -> Option<AsyncSmtpConnection> {
        let mut idle = self.idle.lock().ok()?;
        while let Some((conn, since)) = idle.pop() {
            if since.elapsed() < MAX_IDLE {
                return Some(conn);
            }
        }
        None
    }

    fn park(&self, conn: AsyncSmtpConnection) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < self.max_idle_connections
        {
            idle.push((conn, Instant::now()));
        }
    }

    fn no_answer(&self) -> SendError {
        SendError::Transient(format!(
            "the relay did not answer within {} seconds",
            self.deadline.as_secs_f64()
        ))
    }
}

/// What the relay's refusal means for this email. A client error (say, an address the
/// relay lacks the extension for) would be the same on every attempt.
fn refusal(error: &SmtpError) -> SendError {
    if error.is_permanent() || error.is_client() {
        SendError::Permanent(describe(error))
    } else {
        SendError::Transient(describe(error))
    }
}

/// The error, for logs and the outbox. A relay's answer often quotes the recipient's
/// address, so of an answer only its code is kept.
fn describe(error: &SmtpError) -> String {
    match error.status() {
        Some(code) => format!("the relay answered {code}"),
        None => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEADLINE: Duration = Duration::from_secs(30);

    #[test]
    fn relay_urls_are_read_as_lettre_reads_them() {
        let relay = Relay::from_url(
            "smtps://mari%40posa:p%2Fss@smtp.example.org/sender.example.org",
            DEADLINE,
            4,
        )
        .expect("a valid URL");
        assert_eq!((relay.host.as_str(), relay.port), ("smtp.example.org", 465));
        assert!(matches!(relay.tls, Encryption::Wrapper(_)));
        assert_eq!(
            relay.credentials,
            Some(Credentials::new("mari@posa".into(), "p/ss".into()))
        );
        assert_eq!(relay.hello, ClientId::Domain("sender.example.org".into()));

        let relay = Relay::from_url("smtp://relay.example.org?tls=required", DEADLINE, 4)
            .expect("a valid URL");
        assert_eq!(relay.port, 587);
        assert!(matches!(
            relay.tls,
            Encryption::StartTls { required: true, .. }
        ));

        let relay = Relay::from_url("smtp://127.0.0.1:2525", DEADLINE, 4).expect("a valid URL");
        assert_eq!(relay.port, 2525);
        assert!(matches!(relay.tls, Encryption::None));
        assert!(relay.credentials.is_none());
    }

    #[test]
    fn unknown_schemes_and_tls_modes_are_refused() {
        for url in [
            "http://relay.example.org",
            "smtp://relay.example.org?tls=maybe",
            "not a url",
        ] {
            assert!(Relay::from_url(url, DEADLINE, 4).is_err(), "{url}");
        }
    }
}
