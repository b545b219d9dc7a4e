//! One-click unsubscribe links (RFC 8058): a signature id and a keyed hash of it, so a link
//! works without storing anything and cannot be guessed for another signer.

use super::KeyedHasher;

#[derive(Clone)]
pub struct UnsubscribeKey(KeyedHasher);

impl UnsubscribeKey {
    pub fn derive(server_secret: &[u8]) -> Self {
        Self(KeyedHasher::derive(server_secret, "unsubscribe link"))
    }

    /// The path of the link for one signature.
    pub fn path(&self, signature_id: i64) -> String {
        format!(
            "/unsubscribe/{signature_id}/{}",
            self.0.hash(&signature_id.to_be_bytes())
        )
    }

    pub fn verify(&self, signature_id: i64, mac: &str) -> bool {
        self.0.verify(&signature_id.to_be_bytes(), mac)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_verifies_for_its_signature_only() {
        let key = UnsubscribeKey::derive(b"secret");
        let path = key.path(42);
        let mac = path.rsplit('/').next().expect("mac");
        assert!(key.verify(42, mac));
        assert!(!key.verify(43, mac));
        assert!(!UnsubscribeKey::derive(b"other").verify(42, mac));
    }
}
