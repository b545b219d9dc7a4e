//! Secret tokens: 256 random bits shown once, only a SHA-256 hash stored. A confirmation
//! token is derived instead, from a random nonce and the server secret, so that it is
//! never written anywhere: see `ConfirmationKey`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::Mac;
use rand::TryRng;
use rand::rngs::SysRng;
use sha2::{Digest, Sha256};

use super::KeyedHasher;
use super::keyed_hash::mac;

const TOKEN_BYTES: usize = 32;

/// A secret for a link or a header: a confirmation, a staff session, an API token. It
/// exists in memory and in what is sent; the database keeps only its hash.
#[derive(Clone, PartialEq, Eq)]
pub struct PlainToken(String);

/// What the database stores and looks tokens up by.
#[derive(Clone, PartialEq, Eq)]
pub struct HashedToken(String);

#[derive(Debug, thiserror::Error)]
#[error("the operating system's random generator failed")]
pub struct RandomnessUnavailable;

impl PlainToken {
    pub fn generate() -> Result<Self, RandomnessUnavailable> {
        let mut bytes = [0u8; TOKEN_BYTES];
        SysRng
            .try_fill_bytes(&mut bytes)
            .map_err(|_| RandomnessUnavailable)?;
        Ok(Self(URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// Accepts a token from a URL. Anything that is not the shape we issue is refused early,
    /// so lookups only ever see well-formed input.
    pub fn parse(raw: &str) -> Option<Self> {
        let decoded = URL_SAFE_NO_PAD.decode(raw).ok()?;
        (decoded.len() == TOKEN_BYTES).then(|| Self(raw.to_owned()))
    }

    pub fn hash(&self) -> HashedToken {
        HashedToken::of(&self.0)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Derives confirmation tokens: `token = HMAC-SHA256(key, nonce)`, the key derived from
/// the server secret for this one purpose. The outbox keeps the nonce, the token table the
/// hash of the token, and the token itself exists only in memory while its email is
/// written, so neither the database files nor a copy of them hold a working link.
#[derive(Clone)]
pub struct ConfirmationKey(KeyedHasher);

/// The random value a confirmation token is derived from, as the outbox stores it. Without
/// the server secret it is worthless.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenNonce(String);

/// A confirmation token just issued: what the database stores of it.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub nonce: TokenNonce,
    pub hash: HashedToken,
}

impl ConfirmationKey {
    pub fn derive(server_secret: &[u8]) -> Self {
        Self(KeyedHasher::derive(server_secret, "confirmation token"))
    }

    /// A new token, of which only the nonce and the hash are kept.
    pub fn issue(&self) -> Result<IssuedToken, RandomnessUnavailable> {
        let nonce = TokenNonce(PlainToken::generate()?.0);
        let hash = self.token(&nonce).hash();
        Ok(IssuedToken { nonce, hash })
    }

    /// The token for `nonce`, to put in the link of the email.
    pub fn token(&self, nonce: &TokenNonce) -> PlainToken {
        let mut mac = mac(self.0.key());
        mac.update(nonce.0.as_bytes());
        PlainToken(URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
    }
}

impl TokenNonce {
    /// A nonce read back from the outbox.
    pub fn stored(raw: String) -> Self {
        Self(raw)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for TokenNonce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenNonce(<redacted>)")
    }
}

impl HashedToken {
    pub fn of(secret: &str) -> Self {
        Self(hex(&Sha256::digest(secret.as_bytes())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PlainToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PlainToken(<redacted>)")
    }
}

impl std::fmt::Debug for HashedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HashedToken(<redacted>)")
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn generated_tokens_are_unique_url_safe_and_parse_back() {
        let a = PlainToken::generate().expect("randomness");
        let b = PlainToken::generate().expect("randomness");
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 43);
        assert!(
            a.expose()
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        assert_eq!(PlainToken::parse(a.expose()), Some(a.clone()));
        assert_eq!(a.hash().as_str().len(), 64);
        assert_ne!(a.hash().as_str(), a.expose());
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let token = PlainToken::generate().expect("randomness");
        assert!(!format!("{token:?}").contains(token.expose()));
        assert!(!format!("{:?}", token.hash()).contains(token.hash().as_str()));
    }

    #[test]
    fn a_confirmation_token_is_derived_again_from_its_nonce_and_the_secret_only() {
        let key = ConfirmationKey::derive(b"a server secret");
        let issued = key.issue().expect("randomness");
        let token = key.token(&issued.nonce);

        assert_eq!(token.hash(), issued.hash);
        assert_eq!(PlainToken::parse(token.expose()), Some(token.clone()));
        assert_ne!(token.expose(), issued.nonce.as_str());
        let other_secret = ConfirmationKey::derive(b"another server secret");
        assert_ne!(other_secret.token(&issued.nonce), token);
        let other_nonce = key.issue().expect("randomness");
        assert_ne!(other_nonce.hash, issued.hash);
    }

    proptest! {
        #[test]
        fn parsing_arbitrary_input_never_panics(raw in "\\PC{0,80}") {
            if let Some(token) = PlainToken::parse(&raw) {
                prop_assert_eq!(token.expose(), raw.as_str());
            }
        }
    }
}
