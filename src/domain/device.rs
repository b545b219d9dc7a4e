//! Device cookies, as OWASP describes them: a browser that signed in to a staff account
//! carries a cookie naming it, signed for that account. Failed sign-ins from such a browser
//! count against that browser alone, so strangers who lock an account for everyone else
//! cannot lock out the people who use it.

use super::{HashedToken, KeyedHasher, PlainToken};

/// Signs and checks device cookies.
#[derive(Clone)]
pub struct DeviceKey(KeyedHasher);

/// A browser that signed in to the account before, known by the hash of its random id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedDevice(HashedToken);

impl DeviceKey {
    pub fn derive(server_secret: &[u8]) -> Self {
        Self(KeyedHasher::derive(server_secret, "staff device cookie"))
    }

    /// The cookie value for the browser with the random id `device`, good for `account` only.
    pub fn issue(&self, account: &str, device: &PlainToken) -> String {
        let signature = self.0.hash(&signed_text(account, device.expose()));
        format!("{}.{signature}", device.expose())
    }

    /// The device a cookie names, when this key issued it for `account`.
    pub fn verify(&self, account: &str, cookie: &str) -> Option<TrustedDevice> {
        let (id, signature) = cookie.split_once('.')?;
        let device = PlainToken::parse(id)?;
        self.0
            .verify(&signed_text(account, device.expose()), signature)
            .then(|| TrustedDevice(device.hash()))
    }
}

impl TrustedDevice {
    /// What failed sign-ins from this device are recorded under.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

fn signed_text(account: &str, device: &str) -> Vec<u8> {
    format!("{account}\n{device}").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_cookie_is_good_for_its_own_account_only() {
        let key = DeviceKey::derive(b"server secret");
        let device = PlainToken::generate().expect("randomness");
        let cookie = key.issue("ana@example.org", &device);

        let trusted = key.verify("ana@example.org", &cookie).expect("trusted");
        assert_eq!(trusted.as_str(), device.hash().as_str());
        assert!(key.verify("luis@example.org", &cookie).is_none());
        assert!(
            DeviceKey::derive(b"another secret")
                .verify("ana@example.org", &cookie)
                .is_none()
        );
    }

    #[test]
    fn forged_or_malformed_cookies_are_not_trusted() {
        let key = DeviceKey::derive(b"server secret");
        let device = PlainToken::generate().expect("randomness");
        let cookie = key.issue("ana@example.org", &device);
        let (id, _) = cookie.split_once('.').expect("two parts");
        let other = PlainToken::generate().expect("randomness");
        let swapped = cookie.replace(id, other.expose());
        for forged in ["", ".", "abc", id, &format!("{id}."), &swapped] {
            assert!(key.verify("ana@example.org", forged).is_none(), "{forged}");
        }
    }
}
