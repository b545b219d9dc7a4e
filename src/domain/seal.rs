//! Sealed signatures: what a kiosk keeps while the network is down, so that a lost device
//! gives away no one's name.
//!
//! Sealing, as the kiosk's script does it with WebCrypto: an ephemeral ECDH P-256 key pair
//! meets the server's public key; the shared secret's x-coordinate goes through HKDF-SHA256
//! (no salt, info `SEAL_INFO`) to an AES-256-GCM key; the additional data is the kiosk's id
//! and the device's idempotency key (`sealed_for`), so a sealed signature cannot be replayed
//! under another key, nor through another kiosk (of this or another campaign).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hkdf::Hkdf;
use p256::{PublicKey, SecretKey};
use sha2::Sha256;

use super::{IdempotencyKey, KeyedHasher};

/// What HKDF binds the sealing key to; the script uses the same bytes.
pub const SEAL_INFO: &[u8] = b"mariposa kiosk seal v1";

/// The server's sealing key pair, derived from the server secret: every instance sharing
/// the secret unseals what any of them handed out, and the private half is never stored.
#[derive(Clone)]
pub struct SealingKey {
    secret: SecretKey,
    public: String,
}

impl SealingKey {
    pub fn derive(server_secret: &[u8]) -> Self {
        // A 256-bit string is a valid P-256 scalar unless it is zero or above the group
        // order (odds about 2^-32); the next derivation is tried then.
        let secret = (0u32..)
            .find_map(|attempt| {
                let bytes = KeyedHasher::derive(server_secret, &format!("kiosk sealing {attempt}"));
                SecretKey::from_slice(bytes.key()).ok()
            })
            .unwrap_or_else(|| unreachable!("some derivation is a valid scalar"));
        let public = URL_SAFE_NO_PAD.encode(secret.public_key().to_sec1_bytes());
        Self { secret, public }
    }

    /// The public key as the page receives it: an uncompressed SEC1 point, base64url.
    pub fn public_key(&self) -> &str {
        &self.public
    }

    /// Opens a sealed signature made on kiosk `kiosk_id` for `key`.
    pub fn unseal(
        &self,
        sealed: &SealedSignature,
        kiosk_id: i64,
        key: &IdempotencyKey,
    ) -> Option<Vec<u8>> {
        let shared = p256::ecdh::diffie_hellman(
            self.secret.to_nonzero_scalar(),
            sealed.ephemeral.as_affine(),
        );
        let mut aes_key = [0u8; 32];
        Hkdf::<Sha256>::new(None, shared.raw_secret_bytes())
            .expand(SEAL_INFO, &mut aes_key)
            .ok()?;
        let cipher = Aes256Gcm::new_from_slice(&aes_key).ok()?;
        cipher
            .decrypt(
                &Nonce::from(sealed.iv),
                Payload {
                    msg: &sealed.ciphertext,
                    aad: sealed_for(kiosk_id, key).as_bytes(),
                },
            )
            .ok()
    }
}

/// The additional data a signature is sealed with: `kiosk {id} {key}`, as the script builds
/// it from the page's `data-kiosk` and the key it made.
pub fn sealed_for(kiosk_id: i64, key: &IdempotencyKey) -> String {
    format!("kiosk {kiosk_id} {}", key.as_str())
}

/// A signature as a device sealed it, parsed from its base64url parts.
#[derive(Debug, Clone)]
pub struct SealedSignature {
    ephemeral: PublicKey,
    iv: [u8; 12],
    ciphertext: Vec<u8>,
}

/// The most a sealed signature may weigh: the form's fields are far smaller.
const MAX_CIPHERTEXT: usize = 8 * 1024;

impl SealedSignature {
    pub fn parse(ephemeral: &str, iv: &str, ciphertext: &str) -> Option<Self> {
        let ephemeral =
            PublicKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(ephemeral).ok()?).ok()?;
        let iv = URL_SAFE_NO_PAD.decode(iv).ok()?.try_into().ok()?;
        let ciphertext = URL_SAFE_NO_PAD.decode(ciphertext).ok()?;
        (ciphertext.len() <= MAX_CIPHERTEXT).then_some(Self {
            ephemeral,
            iv,
            ciphertext,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::KioskEntry;

    /// What the kiosk's script does, for the tests.
    fn seal(
        server: &str,
        kiosk_id: i64,
        key: &IdempotencyKey,
        plaintext: &[u8],
    ) -> SealedSignature {
        let ephemeral = SecretKey::from_slice(&[7u8; 32]).expect("scalar");
        let server = PublicKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(server).expect("b64"))
            .expect("point");
        let shared = p256::ecdh::diffie_hellman(ephemeral.to_nonzero_scalar(), server.as_affine());
        let mut aes_key = [0u8; 32];
        Hkdf::<Sha256>::new(None, shared.raw_secret_bytes())
            .expand(SEAL_INFO, &mut aes_key)
            .expect("hkdf");
        let iv = [3u8; 12];
        let ciphertext = Aes256Gcm::new_from_slice(&aes_key)
            .expect("key")
            .encrypt(
                &Nonce::from(iv),
                Payload {
                    msg: plaintext,
                    aad: sealed_for(kiosk_id, key).as_bytes(),
                },
            )
            .expect("seal");
        SealedSignature {
            ephemeral: ephemeral.public_key(),
            iv,
            ciphertext,
        }
    }

    #[test]
    fn a_sealed_signature_opens_only_with_the_servers_key_its_kiosk_and_its_own_key() {
        let server = SealingKey::derive(b"secret");
        let key = IdempotencyKey::parse("device-made-key-0001").expect("key");
        let sealed = seal(server.public_key(), 7, &key, br#"{"first_name":"Ana"}"#);
        let opened = server.unseal(&sealed, 7, &key).expect("opens");
        assert_eq!(KioskEntry::parse(&opened).expect("entry").first_name, "Ana");
        let other_key = IdempotencyKey::parse("device-made-key-0002").expect("key");
        assert!(server.unseal(&sealed, 7, &other_key).is_none());
        assert!(server.unseal(&sealed, 8, &key).is_none(), "another kiosk");
        assert!(
            SealingKey::derive(b"other")
                .unseal(&sealed, 7, &key)
                .is_none()
        );
    }

    #[test]
    fn instances_sharing_a_secret_share_the_public_key() {
        assert_eq!(
            SealingKey::derive(b"secret").public_key(),
            SealingKey::derive(b"secret").public_key()
        );
        assert_ne!(
            SealingKey::derive(b"secret").public_key(),
            SealingKey::derive(b"other").public_key()
        );
    }

    #[test]
    fn garbage_is_not_a_sealed_signature() {
        assert!(SealedSignature::parse("", "", "").is_none());
        assert!(SealedSignature::parse("bm90IGEgcG9pbnQ", "AAAAAAAAAAAAAAAA", "").is_none());
        let point = SealingKey::derive(b"x").public_key().to_owned();
        assert!(SealedSignature::parse(&point, "AAAA", "AAAA").is_none());
        assert!(SealedSignature::parse(&point, "AAAAAAAAAAAAAAAA", "AAAA").is_some());
    }
}
