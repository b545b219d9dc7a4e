//! What the review keeps of a signature when it is written: its network as a keyed hash
//! that changes every day, and whether its mail domain hands out throwaway mailboxes.

use std::collections::HashSet;
use std::net::IpAddr;

use chrono::NaiveDate;
use ipnet::IpNet;

use crate::domain::KeyedHasher;

/// Bits of an IPv4 address that name its network for the review: a /24 is one provider's
/// block of 256 addresses, where a bot farm's machines usually sit together.
const IPV4_PREFIX_BITS: u8 = 24;
/// The same for IPv6: a /48 is what one site is given.
const IPV6_PREFIX_BITS: u8 = 48;

/// Hex characters of a network hash kept: 128 bits, far beyond any collision among the
/// networks one campaign sees.
const NETWORK_HASH_CHARS: usize = 32;

/// The network an address belongs to, as the review groups signatures by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetworkPrefix(IpNet);

impl NetworkPrefix {
    pub fn of(address: IpAddr) -> Self {
        let (address, bits) = match address {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                // An IPv4 client seen through a dual-stack socket is that IPv4 client.
                Some(v4) => (IpAddr::V4(v4), IPV4_PREFIX_BITS),
                None => (IpAddr::V6(v6), IPV6_PREFIX_BITS),
            },
            IpAddr::V4(_) => (address, IPV4_PREFIX_BITS),
        };
        let net = IpNet::new(address, bits)
            .map(|net| net.trunc())
            .unwrap_or_else(|_| IpNet::from(address));
        Self(net)
    }

    /// What staff type: an address (`203.0.113.7`) or a range (`203.0.113.0/24`); a range
    /// is taken as the network of its first address.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        if let Ok(address) = raw.parse::<IpAddr>() {
            return Some(Self::of(address));
        }
        raw.parse::<IpNet>().ok().map(|net| Self::of(net.network()))
    }

    fn bytes(&self) -> Vec<u8> {
        self.0.to_string().into_bytes()
    }
}

/// A network prefix under one day's key: all that is kept of where a signature came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NetworkHash(String);

impl NetworkHash {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A hash as the review page shows it, pasted back into the search.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim().to_ascii_lowercase();
        (raw.len() == NETWORK_HASH_CHARS && raw.bytes().all(|b| b.is_ascii_hexdigit()))
            .then_some(Self(raw))
    }
}

/// Derives each day's network key from the server secret and that day's salt, kept in the
/// database so that every server agrees. Once the salt is deleted, nobody (not even with
/// the secret) can tell which network an old hash stood for.
#[derive(Clone)]
pub struct NetworkKeys(KeyedHasher);

impl NetworkKeys {
    pub fn derive(server_secret: &[u8]) -> Self {
        Self(KeyedHasher::derive(server_secret, "network prefix"))
    }

    pub fn hash(&self, day: NaiveDate, salt: &str, prefix: NetworkPrefix) -> NetworkHash {
        let day_key = KeyedHasher::derive(self.0.key(), &format!("{day} {salt}"));
        let mut hash = day_key.hash(&prefix.bytes());
        hash.truncate(NETWORK_HASH_CHARS);
        NetworkHash(hash)
    }
}

/// What the review knows of a signature when it is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signals {
    pub network: Option<NetworkHash>,
    /// From a throwaway-mail domain: flagged for staff to look at.
    pub throwaway: bool,
}

/// Domains that hand out mailboxes for a few minutes, one per line (`#` starts a comment).
/// A list kept in the repository (`assets/throwaway-domains.txt`), which an operator may
/// replace with a file of their own (`MARIPOSA_THROWAWAY_DOMAINS`) without a new release.
#[derive(Debug, Clone, Default)]
pub struct ThrowawayDomains(HashSet<String>);

/// The list shipped with Mariposa; `MARIPOSA_THROWAWAY_DOMAINS` names a file to use instead.
pub const SHIPPED_THROWAWAY_DOMAINS: &str = include_str!("../../../assets/throwaway-domains.txt");

impl ThrowawayDomains {
    pub fn parse(text: &str) -> Self {
        Self(
            text.lines()
                .map(|line| line.split('#').next().unwrap_or_default().trim())
                .filter(|line| !line.is_empty())
                .map(str::to_ascii_lowercase)
                .collect(),
        )
    }

    /// Whether `domain` or a domain it is under is on the list.
    pub fn contains(&self, domain: &str) -> bool {
        let domain = domain.trim_end_matches('.').to_ascii_lowercase();
        let mut rest = domain.as_str();
        loop {
            if self.0.contains(rest) {
                return true;
            }
            match rest.split_once('.') {
                Some((_, parent)) if parent.contains('.') => rest = parent,
                _ => return false,
            }
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The email domain a canonical address is on; `None` for signatures without an email.
pub fn email_domain(canonical: &str) -> Option<&str> {
    canonical
        .rsplit_once('@')
        .map(|(_, domain)| domain)
        .filter(|d| !d.is_empty())
}

/// What a signature shows of its address on the review page: the first character of the
/// mailbox and the whole domain, `a•••@example.org`.
pub fn pseudonymised(email: &str) -> String {
    match email.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    /// An address as the review search would be given it, for tests and examples.
    fn example_address(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(a, b, c, d))
    }

    /// The same for IPv6, from its first three groups.
    fn example_v6(a: u16, b: u16, c: u16, host: u16) -> IpAddr {
        IpAddr::V6(Ipv6Addr::new(a, b, c, 0, 0, 0, 0, host))
    }

    #[test]
    fn addresses_in_one_network_share_a_prefix_and_a_hash() {
        let keys = NetworkKeys::derive(b"secret");
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).expect("a day");
        let hash = |address| keys.hash(day, "salt", NetworkPrefix::of(address));
        assert_eq!(
            hash(example_address(203, 0, 113, 7)),
            hash(example_address(203, 0, 113, 200))
        );
        assert_ne!(
            hash(example_address(203, 0, 113, 7)),
            hash(example_address(203, 0, 114, 7))
        );
        assert_eq!(
            hash(example_v6(0x2001, 0xdb8, 1, 1)),
            hash(example_v6(0x2001, 0xdb8, 1, 0xffff))
        );
        assert_ne!(
            hash(example_v6(0x2001, 0xdb8, 1, 1)),
            hash(example_v6(0x2001, 0xdb8, 2, 1))
        );
        let mapped: IpAddr = "::ffff:203.0.113.9".parse().expect("an address");
        assert_eq!(hash(mapped), hash(example_address(203, 0, 113, 1)));
        assert_eq!(
            NetworkPrefix::parse("203.0.113.0/24"),
            Some(NetworkPrefix::of(example_address(203, 0, 113, 99)))
        );
        assert_eq!(NetworkPrefix::parse("nonsense"), None);
    }

    #[test]
    fn a_hash_changes_with_the_day_and_shows_nothing_of_the_address() {
        let keys = NetworkKeys::derive(b"secret");
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).expect("a day");
        let next = day.succ_opt().expect("a day");
        let prefix = NetworkPrefix::of(example_address(203, 0, 113, 7));
        let today = keys.hash(day, "salt", prefix);
        assert_ne!(today, keys.hash(next, "other salt", prefix));
        assert!(!today.as_str().contains("203"));
        assert_eq!(NetworkHash::parse(today.as_str()), Some(today));
    }

    #[test]
    fn throwaway_domains_match_with_their_subdomains() {
        let list = ThrowawayDomains::parse("# comment\nmailinator.com\n\nYopmail.com # note\n");
        assert_eq!(list.len(), 2);
        assert!(list.contains("mailinator.com"));
        assert!(list.contains("bots.mailinator.com"));
        assert!(list.contains("YOPMAIL.COM"));
        assert!(!list.contains("example.org"));
        assert!(!list.contains("com"));
    }

    #[test]
    fn an_address_is_shown_by_its_first_letter_and_its_domain() {
        assert_eq!(pseudonymised("ana@example.org"), "a•••@example.org");
        assert_eq!(pseudonymised("ñu@example.org"), "ñ•••@example.org");
        assert_eq!(pseudonymised("person:x"), "•••");
    }
}
