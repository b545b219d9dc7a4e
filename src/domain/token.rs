//! Confirmation tokens: 256 random bits mailed to the signer, only a SHA-256 hash stored.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::TryRng;
use rand::rngs::SysRng;
use sha2::{Digest, Sha256};

const TOKEN_BYTES: usize = 32;

/// The secret that goes into the confirmation link. It exists in memory and in the mail
/// outbox until the email is sent; the database's token table keeps only its hash.
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

    proptest! {
        #[test]
        fn parsing_arbitrary_input_never_panics(raw in "\\PC{0,80}") {
            if let Some(token) = PlainToken::parse(&raw) {
                prop_assert_eq!(token.expose(), raw.as_str());
            }
        }
    }
}
