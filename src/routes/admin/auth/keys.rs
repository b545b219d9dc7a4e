//! Keys for staff security, each derived from the server secret for one purpose.

use actix_web::HttpRequest;

use crate::domain::{ClientNetwork, DeviceKey, FormTokenKey, KeyedHasher};
use crate::routes::client_ip;

/// Keys for staff security, each derived from the server secret for one purpose.
#[derive(Clone)]
pub struct StaffKeys {
    pub login_form: FormTokenKey,
    pub(super) csrf: KeyedHasher,
    client: KeyedHasher,
    account: KeyedHasher,
    pub(super) device: DeviceKey,
}

impl StaffKeys {
    pub fn derive(secret: &[u8]) -> Self {
        Self {
            login_form: FormTokenKey::derive(secret, "staff login"),
            csrf: KeyedHasher::derive(secret, "staff csrf"),
            client: KeyedHasher::derive(secret, "client address"),
            account: KeyedHasher::derive(secret, "sign-in account"),
            device: DeviceKey::derive(secret),
        }
    }

    /// Key material for audit-log fingerprints of erased addresses.
    pub fn audit_key(&self) -> &[u8] {
        self.client.key()
    }

    /// Client addresses are only ever stored as keyed hashes, of the network that limits
    /// count (an IPv6 client's whole /64).
    pub fn client_key(&self, req: &HttpRequest) -> String {
        let network = ClientNetwork::of(client_ip(req));
        self.client.hash(network.to_string().as_bytes())
    }

    /// What failed sign-ins are counted under for the email typed: a keyed hash, the same
    /// size whatever was typed.
    pub(super) fn account_key(&self, email: &str) -> String {
        self.account.hash(email.as_bytes())
    }
}
