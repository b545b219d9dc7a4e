//! Email: templates, the transport (SMTP relay or files), and the outbox worker.

mod compose;
mod worker;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub use compose::{Composer, EmailContent};
pub use worker::MailWorker;

/// Where emails go: an SMTP relay, or `.eml` files for trying Mariposa without one.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The relay refused this message for good (say, a malformed recipient).
    #[error("the relay refused the message: {0}")]
    Permanent(String),
    /// The relay could not be reached or asked us to try later.
    #[error("the message could not be sent now: {0}")]
    Transient(String),
}

impl Transport {
    /// `connections` is how many SMTP connections the pool keeps for reuse.
    pub fn new(
        smtp_url: Option<&str>,
        connections: u16,
        mail_dir: PathBuf,
    ) -> anyhow::Result<Self> {
        match smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("MARIPOSA_SMTP_URL is not a valid SMTP URL")?
                    .timeout(Some(Duration::from_secs(20)))
                    .pool_config(PoolConfig::new().max_size(u32::from(connections)))
                    .build();
                Ok(Self::Smtp(transport))
            }
            None => {
                std::fs::create_dir_all(&mail_dir).with_context(|| {
                    format!("could not create the mail directory {}", mail_dir.display())
                })?;
                Ok(Self::Files(AsyncFileTransport::new(mail_dir)))
            }
        }
    }

    pub fn writes_files(&self) -> bool {
        matches!(self, Self::Files(_))
    }

    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        match self {
            Self::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(e.to_string())
                } else {
                    SendError::Transient(e.to_string())
                }
            }),
            Self::Files(files) => files
                .send(message)
                .await
                .map(drop)
                .map_err(|e| SendError::Transient(e.to_string())),
        }
    }
}
