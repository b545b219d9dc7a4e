//! Web origins, and the partner sites a campaign lets frame its form and call its API.

use std::fmt;

/// A web origin as browsers send it in `Origin`: scheme, host and port, nothing else.
/// The host is lower-case and a default port is dropped, so equal origins compare equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: Scheme,
    host: String,
    port: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Http,
    Https,
}

impl Scheme {
    fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

impl Origin {
    /// Accepts `https://example.org`, `http://127.0.0.1:8080` or `https://[::1]:8443`, and a
    /// single trailing slash, since that is how people paste them. Anything with a path,
    /// a query, credentials, a wildcard or a non-ASCII host is refused.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let (scheme, rest) = raw.split_once("://")?;
        let scheme = if scheme.eq_ignore_ascii_case("https") {
            Scheme::Https
        } else if scheme.eq_ignore_ascii_case("http") {
            Scheme::Http
        } else {
            return None;
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        let (host, port) = split_port(authority)?;
        if !valid_host(host) {
            return None;
        }
        let port = port.filter(|&p| p != scheme.default_port());
        Some(Self {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
        })
    }
}

/// The origins the site itself is served from: its public base URL, and the address it
/// listens on, which staff may also use directly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnOrigins(Vec<Origin>);

impl OwnOrigins {
    /// From URLs such as `https://firmas.example.org/` or `http://127.0.0.1:8080`; a path
    /// after the host is ignored, an unusable URL is left out.
    pub fn of_urls(urls: &[&str]) -> Self {
        let origins = urls
            .iter()
            .filter_map(|url| {
                let (scheme, rest) = url.trim().split_once("://")?;
                let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
                Origin::parse(&format!("{scheme}://{authority}"))
            })
            .collect();
        Self(origins)
    }

    /// Whether an `Origin` header names this site.
    pub fn includes(&self, origin_header: &str) -> bool {
        Origin::parse(origin_header).is_some_and(|origin| self.0.contains(&origin))
    }
}

/// Splits `host[:port]`, where host may be a bracketed IPv6 address.
fn split_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let port_start = match authority.rfind(']') {
        Some(end) => authority[end..].find(':').map(|i| end + i),
        None => authority.rfind(':'),
    };
    match port_start {
        None => Some((authority, None)),
        Some(colon) => {
            let digits = &authority[colon + 1..];
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let port: u16 = digits.parse().ok().filter(|&p| p != 0)?;
            Some((&authority[..colon], Some(port)))
        }
    }
}

fn valid_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<std::net::Ipv6Addr>().is_ok();
    }
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme.as_str(), self.host)?;
        match self.port {
            Some(port) => write!(f, ":{port}"),
            None => Ok(()),
        }
    }
}

/// Which partner sites may frame a campaign's form and call its signing API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmbedOrigins {
    /// The campaign lists no origin: any site may.
    Any,
    /// Only these sites may; an empty list (every entry was invalid) lets none.
    Only(Vec<Origin>),
}

impl EmbedOrigins {
    /// Reads the list staff keep on a campaign: origins separated by spaces, commas or new
    /// lines. Invalid entries are ignored; a list of nothing but invalid entries allows no
    /// site rather than every site, so a typo never opens a campaign up.
    pub fn parse(raw: &str) -> Self {
        if raw.trim().is_empty() {
            return Self::Any;
        }
        let mut origins: Vec<Origin> = Vec::new();
        for origin in raw
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter_map(Origin::parse)
        {
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
        Self::Only(origins)
    }

    /// Whether a request whose `Origin` header says `origin` may use the campaign.
    pub fn allows(&self, origin: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Only(origins) => Origin::parse(origin).is_some_and(|o| origins.contains(&o)),
        }
    }

    /// The `frame-ancestors` sources of a Content-Security-Policy for the embedded form.
    pub fn frame_ancestors(&self) -> String {
        match self {
            Self::Any => "*".to_owned(),
            Self::Only(origins) if origins.is_empty() => "'none'".to_owned(),
            Self::Only(origins) => origins
                .iter()
                .map(Origin::to_string)
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn normalised(raw: &str) -> Option<String> {
        Origin::parse(raw).map(|o| o.to_string())
    }

    #[test]
    fn origins_are_scheme_host_and_port_in_lower_case() {
        assert_eq!(
            normalised("https://CentroProdh.org.mx"),
            Some("https://centroprodh.org.mx".into())
        );
        assert_eq!(
            normalised(" HTTP://127.0.0.1:8080/ "),
            Some("http://127.0.0.1:8080".into())
        );
        assert_eq!(
            normalised("https://[::1]:8443"),
            Some("https://[::1]:8443".into())
        );
        assert_eq!(
            normalised("http://localhost:3000"),
            Some("http://localhost:3000".into())
        );
    }

    #[test]
    fn default_ports_are_dropped_so_they_match_the_origin_header() {
        assert_eq!(
            normalised("https://example.org:443"),
            Some("https://example.org".into())
        );
        assert_eq!(
            normalised("http://example.org:80"),
            Some("http://example.org".into())
        );
        assert_eq!(
            normalised("http://example.org:443"),
            Some("http://example.org:443".into())
        );
    }

    #[test]
    fn anything_but_an_origin_is_refused() {
        for raw in [
            "",
            "example.org",
            "ftp://example.org",
            "https://",
            "https://example.org/petition",
            "https://example.org?x=1",
            "https://user@example.org",
            "https://*.example.org",
            "https://example.org:",
            "https://example.org:0",
            "https://example.org:99999",
            "https://exa mple.org",
            "https://-example.org",
            "https://example..org",
            "https://méxico.org",
            "https://[not-ipv6]",
            "null",
        ] {
            assert_eq!(Origin::parse(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn a_campaign_list_keeps_its_valid_origins_once() {
        let list = EmbedOrigins::parse(
            "https://centroprodh.org.mx, https://CENTROPRODH.org.mx/\n\
             not-an-origin   http://localhost:5000",
        );
        assert_eq!(
            list.frame_ancestors(),
            "https://centroprodh.org.mx http://localhost:5000"
        );
        assert!(list.allows("https://centroprodh.org.mx"));
        assert!(list.allows("http://localhost:5000"));
        assert!(!list.allows("http://localhost:5001"));
        assert!(!list.allows("https://evil.example"));
        assert!(!list.allows("null"));
    }

    #[test]
    fn an_empty_list_allows_any_site_but_a_list_of_typos_allows_none() {
        let any = EmbedOrigins::parse("  ");
        assert_eq!(any, EmbedOrigins::Any);
        assert_eq!(any.frame_ancestors(), "*");
        assert!(any.allows("https://anyone.example"));
        assert!(any.allows("null"));

        let typos = EmbedOrigins::parse("centroprodh.org.mx, https://x.org/page");
        assert_eq!(typos, EmbedOrigins::Only(Vec::new()));
        assert_eq!(typos.frame_ancestors(), "'none'");
        assert!(!typos.allows("https://x.org"));
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_round_trips(raw in "\\PC{0,80}") {
            if let Some(origin) = Origin::parse(&raw) {
                prop_assert_eq!(Origin::parse(&origin.to_string()), Some(origin));
            }
            let _ = EmbedOrigins::parse(&raw);
        }
    }

    #[test]
    fn the_site_knows_its_own_origins_and_no_others() {
        let own = OwnOrigins::of_urls(&[
            "https://Firmas.example.org/peticiones",
            "http://127.0.0.1:8080",
        ]);
        assert!(own.includes("https://firmas.example.org"));
        assert!(own.includes("https://firmas.example.org:443"));
        assert!(own.includes("http://127.0.0.1:8080"));
        for other in [
            "http://firmas.example.org",
            "https://evil.example",
            "https://firmas.example.org.evil.example",
            "http://127.0.0.1:8081",
            "null",
            "",
        ] {
            assert!(!own.includes(other), "{other}");
        }
    }
}
