//! The organisation's settings, served from memory like the campaigns: every page and
//! email shows them, and they change a few times a year. Reloaded every few seconds, and at
//! once after a staff edit.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use sha2::{Digest, Sha256};
use tokio::sync::watch;

use crate::db::{Database, StoreError, organisation};
use crate::domain::Organisation;

/// The settings with a short fingerprint of them, which names the stylesheet of the
/// brand colour so that browsers fetch it again only when it changes.
#[derive(Debug, Default)]
pub struct CurrentOrganisation {
    pub settings: Organisation,
    pub version: String,
}

impl CurrentOrganisation {
    pub fn new(settings: Organisation) -> Self {
        let digest = Sha256::digest(format!("{settings:?}").as_bytes());
        let version = digest
            .iter()
            .take(6)
            .map(|byte| format!("{byte:02x}"))
            .collect();
        Self { settings, version }
    }

    /// The stylesheet that sets the brand colour, when there is one.
    pub fn brand_stylesheet(&self) -> Option<String> {
        let colour = self.settings.brand_colour()?;
        Some(format!(
            ":root {{ --accent: {colour}; --accent-dark: {}; }}\n",
            colour.darker()
        ))
    }
}

#[derive(Default)]
pub struct OrganisationCache {
    current: RwLock<Arc<CurrentOrganisation>>,
}

impl OrganisationCache {
    pub fn current(&self) -> Arc<CurrentOrganisation> {
        self.current
            .read()
            .map(|current| Arc::clone(&current))
            .unwrap_or_default()
    }

    pub async fn reload(&self, db: &Database) -> Result<(), StoreError> {
        let settings = db.run(organisation::load).await?;
        if let Ok(mut current) = self.current.write() {
            *current = Arc::new(CurrentOrganisation::new(settings));
        }
        Ok(())
    }

    /// Reloads every `interval`, for changes made by the command line or on other servers.
    pub async fn keep_fresh(
        self: Arc<Self>,
        db: Database,
        interval: Duration,
        mut shutdown: watch::Receiver<bool>,
    ) {
        loop {
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                _ = shutdown.changed() => {}
            }
            if *shutdown.borrow() {
                break;
            }
            if let Err(error) = self.reload(&db).await {
                tracing::warn!(error = ?error, "could not reload the organisation's settings");
            }
        }
    }
}
