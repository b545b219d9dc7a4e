//! Keyed hashes (HMAC-SHA256) derived from the server secret, one key per purpose.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::hex;

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone)]
pub struct KeyedHasher(Vec<u8>);

impl KeyedHasher {
    /// A key for one `purpose`, so that a value hashed for one use is worthless for another.
    pub fn derive(server_secret: &[u8], purpose: &str) -> Self {
        let mut mac = mac(server_secret);
        mac.update(b"mariposa key v1: ");
        mac.update(purpose.as_bytes());
        Self(mac.finalize().into_bytes().to_vec())
    }

    pub fn hash(&self, data: &[u8]) -> String {
        let mut mac = mac(&self.0);
        mac.update(data);
        hex(&mac.finalize().into_bytes())
    }

    /// Compares `candidate` with the hash of `data` in constant time.
    pub fn verify(&self, data: &[u8], candidate: &str) -> bool {
        let mut mac = mac(&self.0);
        mac.update(data);
        let Some(bytes) = unhex(candidate) else {
            return false;
        };
        mac.verify_slice(&bytes).is_ok()
    }

    pub fn key(&self) -> &[u8] {
        &self.0
    }
}

pub(crate) fn mac(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this cannot fail.
    <HmacSha256 as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!())
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_give_different_keys_and_hashes_verify() {
        let csrf = KeyedHasher::derive(b"secret", "csrf");
        let client = KeyedHasher::derive(b"secret", "client");
        assert_ne!(csrf.hash(b"x"), client.hash(b"x"));
        assert!(csrf.verify(b"x", &csrf.hash(b"x")));
        assert!(!csrf.verify(b"y", &csrf.hash(b"x")));
        assert!(!csrf.verify(b"x", "zz"));
        assert!(!csrf.verify(b"x", "é"));
        assert!(!csrf.verify(b"x", ""));
    }
}
