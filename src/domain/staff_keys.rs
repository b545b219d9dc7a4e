//! The keys of staff security, each derived from the server secret for one purpose.

use std::net::IpAddr;

use super::{ClientNetwork, DeviceKey, FormTokenKey, KeyedHasher};

/// Keys for staff security, each derived from the server secret for one purpose.
#[derive(Clone)]
pub struct StaffKeys {
    pub login_form: FormTokenKey,
    pub csrf: KeyedHasher,
    client: KeyedHasher,
    account: KeyedHasher,
    pub device: DeviceKey,
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
    pub fn client_key(&self, client: IpAddr) -> String {
        let network = ClientNetwork::of(client);
        self.client.hash(network.to_string().as_bytes())
    }

    /// What failed sign-ins are counted under for the email typed: a keyed hash, the same
    /// size whatever was typed.
    pub fn account_key(&self, email: &str) -> String {
        self.account.hash(email.as_bytes())
    }
}
