//! What the review keeps of a signature when it is taken: its network's keyed hash under
//! the day's key, and whether its address is on a throwaway-mail domain.

use std::net::IpAddr;
use std::sync::RwLock;

use chrono::{NaiveDate, NaiveDateTime};

use crate::db::{Database, review};
use crate::domain::{NetworkKeys, NetworkPrefix, PlainToken, Signals, ThrowawayDomains};

pub struct Signaller {
    keys: NetworkKeys,
    throwaway: ThrowawayDomains,
    /// Today's salt, read once a day from the database.
    salt: RwLock<Option<(NaiveDate, String)>>,
}

impl Signaller {
    pub fn new(keys: NetworkKeys, throwaway: ThrowawayDomains) -> Self {
        Self {
            keys,
            throwaway,
            salt: RwLock::new(None),
        }
    }

    pub fn keys(&self) -> &NetworkKeys {
        &self.keys
    }

    pub fn is_throwaway(&self, email_domain: &str) -> bool {
        self.throwaway.contains(email_domain)
    }

    /// The signals of a signature from `client` (`None` through the API: the partner's
    /// server is not the signer). The address itself goes no further than this function.
    pub async fn signals(
        &self,
        db: &Database,
        email_domain: Option<&str>,
        client: Option<IpAddr>,
        now: NaiveDateTime,
    ) -> Signals {
        let network = match client {
            None => None,
            Some(address) => match self.salt_of(db, now.date()).await {
                Ok(salt) => Some(
                    self.keys
                        .hash(now.date(), &salt, NetworkPrefix::of(address)),
                ),
                Err(error) => {
                    tracing::warn!(error = ?error, "no network salt; signature kept without it");
                    None
                }
            },
        };
        Signals {
            network,
            throwaway: email_domain.is_some_and(|d| self.throwaway.contains(d)),
        }
    }

    async fn salt_of(&self, db: &Database, day: NaiveDate) -> anyhow::Result<String> {
        if let Ok(kept) = self.salt.read()
            && let Some((kept_day, salt)) = kept.as_ref()
            && *kept_day == day
        {
            return Ok(salt.clone());
        }
        let candidate = PlainToken::generate()?;
        let salt = db
            .run(move |conn| review::salt_of_day(conn, day, candidate.expose()))
            .await?;
        if let Ok(mut kept) = self.salt.write() {
            *kept = Some((day, salt.clone()));
        }
        Ok(salt)
    }
}
