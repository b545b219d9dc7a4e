//! The stateless anti-forgery token carried by the signing form.
//!
//! It is an HMAC over the campaign and the time the form was issued, so it needs no cookie
//! and keeps working inside third-party iframes where browsers block cookies.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeDelta, Utc};
use hmac::Mac;

use super::keyed_hash::{KeyedHasher, mac};

/// How long a rendered form stays usable: long enough for someone who leaves a tab open
/// over lunch, short enough that a harvested token is soon worthless.
pub const FORM_TOKEN_LIFETIME: TimeDelta = TimeDelta::hours(8);

/// How many signatures one form may carry from one client address. A household signs a
/// few times from one form; a script reusing a harvested token is cut off here.
pub const MAX_SIGNATURES_PER_FORM: u8 = 10;

#[derive(Clone)]
pub struct FormTokenKey(Vec<u8>);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FormTokenError {
    #[error("the form token is missing")]
    Missing,
    #[error("the form token is malformed or was not issued by this server for this campaign")]
    Forged,
    #[error("the form token has expired")]
    Expired,
}

impl FormTokenKey {
    /// Derives the key for one kind of form (the signing form, the staff login form) from
    /// the server secret, so a token issued for one kind is refused by the other.
    pub fn derive(server_secret: &[u8], form: &str) -> Self {
        Self(
            KeyedHasher::derive(server_secret, &format!("form token: {form}"))
                .key()
                .to_vec(),
        )
    }

    pub fn issue(&self, campaign_id: i64, now: DateTime<Utc>) -> String {
        let issued = now.timestamp();
        let signature = self.sign(campaign_id, issued);
        format!("{issued}.{}", URL_SAFE_NO_PAD.encode(signature))
    }

    /// Checks a token for `campaign_id` and returns when its form was issued.
    pub fn verify(
        &self,
        token: &str,
        campaign_id: i64,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, FormTokenError> {
        let token = token.trim();
        if token.is_empty() {
            return Err(FormTokenError::Missing);
        }
        let (issued, signature) = token.split_once('.').ok_or(FormTokenError::Forged)?;
        let issued: i64 = issued.parse().map_err(|_| FormTokenError::Forged)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| FormTokenError::Forged)?;
        let mut mac = mac(&self.0);
        mac.update(&message(campaign_id, issued));
        mac.verify_slice(&signature)
            .map_err(|_| FormTokenError::Forged)?;
        let issued_at = DateTime::from_timestamp(issued, 0).ok_or(FormTokenError::Forged)?;
        // A little tolerance for clocks that differ between servers behind one balancer.
        if issued_at > now + TimeDelta::minutes(5) {
            return Err(FormTokenError::Forged);
        }
        if now - issued_at > FORM_TOKEN_LIFETIME {
            return Err(FormTokenError::Expired);
        }
        Ok(issued_at)
    }

    fn sign(&self, campaign_id: i64, issued: i64) -> Vec<u8> {
        let mut mac = mac(&self.0);
        mac.update(&message(campaign_id, issued));
        mac.finalize().into_bytes().to_vec()
    }
}

/// The signatures each form token has carried, per client address, on this instance only
/// (behind a balancer each server counts its own). Keyed by address as well as token,
/// because everyone who opens a campaign page in the same second gets the same token.
#[derive(Default)]
pub struct FormTokenUses {
    uses: Mutex<HashMap<FormAndClient, u8>>,
}

/// A form token (its campaign and issue time) and the address that sent it.
type FormAndClient = (i64, DateTime<Utc>, IpAddr);

impl FormTokenUses {
    /// Counts one more signature on the form issued at `issued` for `campaign_id`, or
    /// answers `false` when that form already carried its share from `client`.
    pub fn take(&self, campaign_id: i64, issued: DateTime<Utc>, client: IpAddr) -> bool {
        // A panic elsewhere while counting leaves the counts usable; they are only counts.
        let mut uses = self.uses.lock().unwrap_or_else(PoisonError::into_inner);
        let count = uses.entry((campaign_id, issued, client)).or_default();
        if *count >= MAX_SIGNATURES_PER_FORM {
            return false;
        }
        *count += 1;
        true
    }

    /// Forgets forms whose tokens have expired, so memory follows the forms still in use.
    pub fn forget_expired(&self, now: DateTime<Utc>) {
        let mut uses = self.uses.lock().unwrap_or_else(PoisonError::into_inner);
        uses.retain(|(_, issued, _), _| now - *issued <= FORM_TOKEN_LIFETIME);
    }
}

fn message(campaign_id: i64, issued: i64) -> [u8; 16] {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&campaign_id.to_be_bytes());
    bytes[8..].copy_from_slice(&issued.to_be_bytes());
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key() -> FormTokenKey {
        FormTokenKey::derive(b"a server secret of some length", "sign")
    }

    #[test]
    fn a_token_verifies_for_its_campaign_until_it_expires() {
        let now = Utc::now();
        let token = key().issue(7, now);
        assert!(key().verify(&token, 7, now + TimeDelta::hours(1)).is_ok());
        assert_eq!(key().verify(&token, 8, now), Err(FormTokenError::Forged));
        assert_eq!(
            key().verify(&token, 7, now + FORM_TOKEN_LIFETIME + TimeDelta::seconds(1)),
            Err(FormTokenError::Expired)
        );
    }

    #[test]
    fn a_token_for_one_kind_of_form_is_refused_by_another() {
        let now = Utc::now();
        let login = FormTokenKey::derive(b"a server secret of some length", "login");
        assert_eq!(
            key().verify(&login.issue(7, now), 7, now),
            Err(FormTokenError::Forged)
        );
    }

    #[test]
    fn tokens_from_another_secret_or_tampered_are_forged() {
        let now = Utc::now();
        let other = FormTokenKey::derive(b"another secret", "sign").issue(7, now);
        assert_eq!(key().verify(&other, 7, now), Err(FormTokenError::Forged));
        let token = key().issue(7, now);
        let (issued, sig) = token.split_once('.').expect("two parts");
        let later = format!("{}.{sig}", issued.parse::<i64>().expect("number") + 3600);
        assert_eq!(key().verify(&later, 7, now), Err(FormTokenError::Forged));
        assert_eq!(key().verify("", 7, now), Err(FormTokenError::Missing));
    }

    #[test]
    fn a_form_carries_ten_signatures_from_one_address_until_it_expires() {
        let uses = FormTokenUses::default();
        let issued = Utc::now();
        let (home, other) = ([192, 0, 2, 1].into(), [192, 0, 2, 2].into());
        for _ in 0..MAX_SIGNATURES_PER_FORM {
            assert!(uses.take(7, issued, home));
        }
        assert!(!uses.take(7, issued, home));
        assert!(uses.take(7, issued, other), "counted per address");
        assert!(uses.take(8, issued, home), "and per campaign");
        uses.forget_expired(issued + FORM_TOKEN_LIFETIME + TimeDelta::seconds(1));
        assert!(uses.take(7, issued, home), "an expired form is forgotten");
    }

    proptest! {
        #[test]
        fn arbitrary_input_is_refused_without_panicking(raw in "\\PC{0,100}") {
            prop_assert!(key().verify(&raw, 1, Utc::now()).is_err());
        }
    }
}
