//! Email: templates, the transport (SMTP relay or files), and the outbox worker.

mod compose;
mod rate;
mod relay;
mod reminders;
mod updates;
mod worker;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};

use relay::Relay;

use crate::domain::UpdateText;

pub use compose::{CampaignForMail, Composer, EmailContent};
pub use rate::SteadyRate;
pub use reminders::ReminderTask;
pub use updates::UpdateQueue;
pub use worker::MailWorker;

/// Sends staff the test of an update they are about to send, at once and not through the
/// outbox: it is for the person at the screen, who waits for it, and goes to no signer.
#[derive(Clone)]
pub struct TestMail {
    pub transport: Transport,
    pub composer: Composer,
}

impl TestMail {
    /// Sends `text` of an update to `to`, as signers in its language would get it, greeting
    /// `name`. `marker` starts the subject, in the staff member's language ("Test", "Prueba").
    pub async fn send_update(
        &self,
        to: &str,
        name: &str,
        text: &UpdateText,
        campaign: &CampaignForMail,
        marker: &str,
    ) -> anyhow::Result<()> {
        let content = self.composer.update_content(text, name, campaign, None)?;
        let message = self.composer.update_test(to, &content, marker)?;
        self.transport.send(message).await?;
        Ok(())
    }
}

/// Where emails go: an SMTP relay, or `.eml` files for trying Mariposa without one.
#[derive(Clone)]
pub enum Transport {
    Smtp(Arc<Relay>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The relay refused this message for good (say, a mailbox that does not exist).
    #[error("the relay refused the message: {0}")]
    Permanent(String),
    /// The relay could not be reached, did not answer in time, or asked us to try later.
    #[error("the message could not be sent now: {0}")]
    Transient(String),
}

impl Transport {
    /// `connections` is how many SMTP connections are kept open for reuse; `timeout` is how
    /// long the relay may take to open a connection, and then to take each email.
    pub fn new(
        smtp_url: Option<&str>,
        connections: u16,
        timeout: Duration,
        mail_dir: PathBuf,
    ) -> anyhow::Result<Self> {
        match smtp_url {
            Some(url) => {
                let relay = Relay::from_url(url, timeout, usize::from(connections))
                    .context("MARIPOSA_SMTP_URL is not a valid SMTP URL")?;
                Ok(Self::Smtp(Arc::new(relay)))
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
            Self::Smtp(relay) => relay.send(&message).await,
            Self::Files(files) => files
                .send(message)
                .await
                .map(drop)
                .map_err(|e| SendError::Transient(e.to_string())),
        }
    }
}
