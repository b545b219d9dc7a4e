//! Which clients count as one for limits and throttles.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};

/// Bits of an IPv6 address that name the subscriber's network. Providers hand each
/// subscriber a /64 (or more), so one client can pick from 2^64 addresses: counting them one
/// by one would let a single machine skip every limit.
const IPV6_NETWORK_BITS: u32 = 64;

/// A client as limits count it: an IPv4 address, or the /64 an IPv6 address belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientNetwork(IpAddr);

impl ClientNetwork {
    pub fn of(address: IpAddr) -> Self {
        match address {
            IpAddr::V4(_) => Self(address),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                // An IPv4 client seen through a dual-stack socket is that IPv4 client.
                Some(v4) => Self(IpAddr::V4(v4)),
                None => {
                    let mask = u128::MAX << (128 - IPV6_NETWORK_BITS);
                    Self(IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask)))
                }
            },
        }
    }
}

impl fmt::Display for ClientNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            IpAddr::V4(v4) => write!(f, "{v4}"),
            IpAddr::V6(v6) => write!(f, "{v6}/{IPV6_NETWORK_BITS}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn network(raw: &str) -> ClientNetwork {
        ClientNetwork::of(raw.parse().expect("an address"))
    }

    #[test]
    fn ipv6_addresses_in_one_64_are_one_client() {
        assert_eq!(
            network("2001:db8:1:2::1"),
            network("2001:db8:1:2:ffff:ffff:ffff:ffff")
        );
        assert_ne!(network("2001:db8:1:2::1"), network("2001:db8:1:3::1"));
        assert_eq!(
            network("2001:db8:1:2:abcd::9").to_string(),
            "2001:db8:1:2::/64"
        );
    }

    #[test]
    fn ipv4_addresses_are_counted_one_by_one_however_they_arrive() {
        assert_ne!(network("203.0.113.9"), network("203.0.113.10"));
        assert_eq!(network("::ffff:203.0.113.9"), network("203.0.113.9"));
        assert_eq!(network("203.0.113.9").to_string(), "203.0.113.9");
    }
}
