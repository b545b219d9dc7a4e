//! "This wasn't me" links: a signature id and a keyed hash of it with the address it was
//! made with, so a link works without storing anything, cannot be made for another
//! signature, and stops working once that signature is gone.

use super::KeyedHasher;

#[derive(Clone)]
pub struct NotMeKey(KeyedHasher);

impl NotMeKey {
    pub fn derive(server_secret: &[u8]) -> Self {
        Self(KeyedHasher::derive(server_secret, "not me link"))
    }

    fn data(signature_id: i64, email: &str) -> Vec<u8> {
        let mut data = signature_id.to_be_bytes().to_vec();
        data.extend_from_slice(email.as_bytes());
        data
    }

    /// The path of the link for one signature made with `email`.
    pub fn path(&self, signature_id: i64, email: &str) -> String {
        format!(
            "/not-me/{signature_id}/{}",
            self.0.hash(&Self::data(signature_id, email))
        )
    }

    pub fn verify(&self, signature_id: i64, email: &str, mac: &str) -> bool {
        self.0.verify(&Self::data(signature_id, email), mac)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_verifies_for_its_signature_and_address_only() {
        let key = NotMeKey::derive(b"secret");
        let path = key.path(42, "ana@example.org");
        let mac = path.rsplit('/').next().expect("mac");
        assert!(key.verify(42, "ana@example.org", mac));
        assert!(!key.verify(43, "ana@example.org", mac));
        assert!(!key.verify(42, "eva@example.org", mac));
        assert!(!NotMeKey::derive(b"other").verify(42, "ana@example.org", mac));
    }
}
