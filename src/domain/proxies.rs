//! Which address a request comes from, when a proxy stands in between.

use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;

/// Proxies whose `X-Forwarded-For` we believe.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl FromStr for TrustedProxies {
    type Err = String;

    /// Addresses and ranges separated by commas or spaces: `127.0.0.1, 10.0.0.0/8`.
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        raw.split([',', ' '])
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                part.parse::<IpNet>()
                    .or_else(|_| part.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{part:?} is not an IP address or CIDR range"))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }
}

impl TrustedProxies {
    pub fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client behind `peer`: walking `X-Forwarded-For` from the right, the first address
    /// that is not one of our proxies. Addresses further left could be made up by anyone.
    pub fn client(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let Some(header) = forwarded_for else {
            return peer;
        };
        let mut client = peer;
        for hop in header.rsplit(',') {
            match hop.trim().parse::<IpAddr>() {
                Ok(address) => {
                    client = address;
                    if !self.trusts(address) {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(raw: &str) -> IpAddr {
        raw.parse().expect("an address")
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxies: TrustedProxies = "127.0.0.1, 10.0.0.0/8".parse().expect("valid");
        let header = Some("203.0.113.9, 10.1.2.3");
        assert_eq!(proxies.client(ip("127.0.0.1"), header), ip("203.0.113.9"));
        assert_eq!(
            proxies.client(ip("198.51.100.7"), header),
            ip("198.51.100.7")
        );
        assert_eq!(proxies.client(ip("127.0.0.1"), None), ip("127.0.0.1"));
        let spoofed = Some("1.2.3.4, 203.0.113.9");
        assert_eq!(
            proxies.client(ip("127.0.0.1"), spoofed),
            ip("203.0.113.9"),
            "only the hop our proxy saw counts"
        );
        assert_eq!(
            proxies.client(ip("127.0.0.1"), Some("garbage")),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn proxy_lists_parse_or_name_the_bad_entry() {
        assert_eq!("".parse::<TrustedProxies>(), Ok(TrustedProxies::default()));
        assert!("::1 fd00::/8".parse::<TrustedProxies>().is_ok());
        let error = "10.0.0.0/8, nonsense"
            .parse::<TrustedProxies>()
            .expect_err("invalid");
        assert!(error.contains("nonsense"));
    }
}
