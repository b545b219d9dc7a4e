//! Reviewing a campaign's signatures: the signals kept at signing, the conditions staff
//! search and invalidate by, and what counts as unusual. No I/O here.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use ipnet::IpNet;

use super::KeyedHasher;

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
pub const SHIPPED_THROWAWAY_DOMAINS: &str = include_str!("../../assets/throwaway-domains.txt");

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

/// Which signatures a search, an invalidation or a flag covers; every part is optional and
/// they all must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Conditions {
    pub domain: Option<String>,
    /// Hashes of the network under every key in force over the window.
    pub networks: Vec<String>,
    /// What staff typed for the network, kept to show the conditions back.
    pub network_typed: Option<String>,
    pub postal_code: Option<String>,
    /// `*` stands for any run of characters; matched without regard to case.
    pub name_pattern: Option<String>,
    pub source: Option<String>,
    pub channel: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
}

/// Why a search form was refused, by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionError {
    Network,
    Channel,
    From,
    Until,
    Window,
}

impl ConditionError {
    pub fn field(self) -> &'static str {
        match self {
            Self::Network => "network",
            Self::Channel => "channel",
            Self::From => "from",
            Self::Until => "until",
            Self::Window => "until",
        }
    }
}

/// The search form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ConditionInput {
    pub domain: String,
    pub network: String,
    pub postal_code: String,
    pub name: String,
    pub source: String,
    pub channel: String,
    /// `YYYY-MM-DDTHH:MM`, as a `datetime-local` field sends it, in UTC.
    pub from: String,
    pub until: String,
}

/// A network as staff named it: a range to hash under each key, or a hash from the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkQuery {
    Prefix(NetworkPrefix),
    Hash(NetworkHash),
}

impl ConditionInput {
    /// The conditions this input names, with the network still to be hashed by the caller
    /// (which knows the keys in force over the window).
    pub fn parse(&self) -> Result<(Conditions, Option<NetworkQuery>), ConditionError> {
        let text = |raw: &str| Some(raw.trim().to_owned()).filter(|t| !t.is_empty());
        let network = match text(&self.network) {
            None => None,
            Some(raw) => Some(
                NetworkHash::parse(&raw)
                    .map(NetworkQuery::Hash)
                    .or_else(|| NetworkPrefix::parse(&raw).map(NetworkQuery::Prefix))
                    .ok_or(ConditionError::Network)?,
            ),
        };
        let channel = match text(&self.channel) {
            None => None,
            Some(raw) => Some(
                super::Channel::parse(&raw)
                    .ok_or(ConditionError::Channel)?
                    .as_str()
                    .to_owned(),
            ),
        };
        let from = time(&self.from).map_err(|()| ConditionError::From)?;
        let until = time(&self.until).map_err(|()| ConditionError::Until)?;
        if let (Some(from), Some(until)) = (from, until)
            && until <= from
        {
            return Err(ConditionError::Window);
        }
        let conditions = Conditions {
            domain: text(&self.domain).map(|d| d.trim_start_matches('@').to_ascii_lowercase()),
            networks: Vec::new(),
            network_typed: text(&self.network),
            postal_code: text(&self.postal_code),
            name_pattern: text(&self.name),
            source: text(&self.source).map(|s| s.to_ascii_lowercase()),
            channel,
            from,
            until,
        };
        Ok((conditions, network))
    }
}

fn time(raw: &str) -> Result<Option<NaiveDateTime>, ()> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    for format in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(raw, format) {
            return Ok(Some(at));
        }
    }
    Err(())
}

impl Conditions {
    /// Whether nothing narrows the search: it matches the whole campaign.
    pub fn is_everything(&self) -> bool {
        self.domain.is_none()
            && self.network_typed.is_none()
            && self.postal_code.is_none()
            && self.name_pattern.is_none()
            && self.source.is_none()
            && self.channel.is_none()
            && self.from.is_none()
            && self.until.is_none()
    }

    /// The conditions in one line, for the audit log and the review page: a network is
    /// shown as "…", so that no address typed into a search is written anywhere.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let mut part = |name: &str, value: Option<String>| {
            if let Some(value) = value {
                parts.push(format!("{name}={value}"));
            }
        };
        part("domain", self.domain.clone());
        part(
            "network",
            self.network_typed.as_ref().map(|_| "…".to_owned()),
        );
        part("postal_code", self.postal_code.clone());
        part("name", self.name_pattern.clone());
        part("source", self.source.clone());
        part("channel", self.channel.clone());
        part("from", self.from.map(|at| at.to_string()));
        part("until", self.until.map(|at| at.to_string()));
        if parts.is_empty() {
            "everything".to_owned()
        } else {
            parts.join(" ")
        }
    }

    /// The name pattern as SQL `LIKE` text, lower-cased, with `\` escaping `%` and `_`.
    pub fn like_pattern(&self) -> Option<String> {
        self.name_pattern.as_ref().map(|pattern| {
            let mut like = String::with_capacity(pattern.len() + 2);
            for c in pattern.to_lowercase().chars() {
                match c {
                    '*' => like.push('%'),
                    '%' | '_' | '\\' => {
                        like.push('\\');
                        like.push(c);
                    }
                    c => like.push(c),
                }
            }
            like
        })
    }

    /// The days whose keys a network must be hashed under to cover the window; without a
    /// window, every day still kept.
    pub fn covers_day(&self, day: NaiveDate) -> bool {
        let start = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        let end = start + TimeDelta::days(1);
        self.from.is_none_or(|from| from < end) && self.until.is_none_or(|until| until > start)
    }
}

/// A set of matches needs a second confirmation with its number when it takes this share of
/// the campaign's counted signatures or more.
pub const MOST_OF_THE_CAMPAIGN: f64 = 0.5;

pub fn needs_second_confirmation(conditions: &Conditions, matched: i64, campaign: i64) -> bool {
    conditions.is_everything()
        || (campaign > 0 && matched as f64 >= MOST_OF_THE_CAMPAIGN * campaign as f64)
}

/// A signal the review groups signatures by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    Domain,
    Network,
    Source,
    PostalCode,
    Channel,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Domain,
        Dimension::Network,
        Dimension::Source,
        Dimension::PostalCode,
        Dimension::Channel,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Domain => "domain",
            Self::Network => "network",
            Self::Source => "source",
            Self::PostalCode => "postal_code",
            Self::Channel => "channel",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.name() == raw)
    }
}

/// Signatures of one value of a signal in one hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HourCount {
    pub hour: NaiveDateTime,
    pub dimension: Dimension,
    pub value: String,
    pub signed: i64,
    pub confirmed: i64,
}

/// A row the review page shows as unusual, with the numbers that made it so.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub count: HourCount,
    /// What this value signs in an hour as the campaign usually goes.
    pub expected: f64,
}

impl Trend {
    pub fn confirmation_rate(&self) -> f64 {
        if self.count.signed == 0 {
            0.0
        } else {
            self.count.confirmed as f64 / self.count.signed as f64
        }
    }
}

/// An hour's count for one value is unusual from this many signatures...
pub const MIN_UNUSUAL: i64 = 20;
/// ...when it is this many times what the campaign leads one to expect.
pub const UNUSUAL_FACTOR: f64 = 3.0;

/// The unusual rows among `recent` counts, against `baseline`: each value's signatures per
/// hour over the days before. A value is also measured against the other values of its
/// signal in the same hour, on average, so that a wave stands out on a campaign without a
/// past; a signal with one value in an hour (one channel, one postal code) has nothing to
/// be measured against there. Most unusual first.
pub fn unusual(recent: &[HourCount], baseline: &HashMap<(Dimension, String), f64>) -> Vec<Trend> {
    let mut totals: HashMap<(NaiveDateTime, Dimension), (i64, i64)> = HashMap::new();
    for count in recent {
        let entry = totals.entry((count.hour, count.dimension)).or_default();
        entry.0 += count.signed;
        entry.1 += 1;
    }
    let mut trends: Vec<Trend> = recent
        .iter()
        .filter(|count| count.signed >= MIN_UNUSUAL)
        .filter_map(|count| {
            let (total, values) = totals
                .get(&(count.hour, count.dimension))
                .copied()
                .unwrap_or((count.signed, 1));
            let others = if values > 1 {
                (total - count.signed) as f64 / (values - 1) as f64
            } else {
                count.signed as f64
            };
            let usual = baseline
                .get(&(count.dimension, count.value.clone()))
                .copied()
                .unwrap_or(0.0);
            let expected = others.max(usual);
            (count.signed as f64 >= UNUSUAL_FACTOR * expected).then(|| Trend {
                count: count.clone(),
                expected,
            })
        })
        .collect();
    trends.sort_by(|a, b| {
        b.count
            .hour
            .cmp(&a.count.hour)
            .then(b.count.signed.cmp(&a.count.signed))
            .then(a.count.dimension.cmp(&b.count.dimension))
    });
    trends
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

    #[test]
    fn a_search_parses_or_names_its_bad_field() {
        let input = ConditionInput {
            domain: " @Example.ORG ".into(),
            network: "203.0.113.7".into(),
            name: "bot_*%".into(),
            channel: "online".into(),
            from: "2026-12-07T10:00".into(),
            until: "2026-12-07T11:00".into(),
            ..ConditionInput::default()
        };
        let (conditions, network) = input.parse().expect("valid");
        assert_eq!(conditions.domain.as_deref(), Some("example.org"));
        assert_eq!(conditions.like_pattern().as_deref(), Some("bot\\_%\\%"));
        assert!(matches!(network, Some(NetworkQuery::Prefix(_))));
        assert!(!conditions.is_everything());
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).expect("a day");
        assert!(conditions.covers_day(day));
        assert!(!conditions.covers_day(day.succ_opt().expect("a day")));

        let bad = |input: ConditionInput| input.parse().err();
        let network = ConditionInput {
            network: "not a network".into(),
            ..ConditionInput::default()
        };
        assert_eq!(bad(network), Some(ConditionError::Network));
        let backwards = ConditionInput {
            from: "2026-12-07T11:00".into(),
            until: "2026-12-07T10:00".into(),
            ..ConditionInput::default()
        };
        assert_eq!(bad(backwards), Some(ConditionError::Window));
        assert!(
            ConditionInput::default()
                .parse()
                .expect("valid")
                .0
                .is_everything()
        );
    }

    #[test]
    fn matching_everything_or_most_needs_a_second_confirmation() {
        let narrow = Conditions {
            domain: Some("example.org".into()),
            ..Conditions::default()
        };
        assert!(needs_second_confirmation(&Conditions::default(), 1, 100));
        assert!(needs_second_confirmation(&narrow, 60, 100));
        assert!(!needs_second_confirmation(&narrow, 10, 100));
    }

    #[test]
    fn a_wave_stands_out_from_its_hour_and_from_its_past() {
        let hour = NaiveDate::from_ymd_opt(2026, 12, 7)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .expect("an hour");
        let count = |dimension, value: &str, signed| HourCount {
            hour,
            dimension,
            value: value.to_owned(),
            signed,
            confirmed: signed / 2,
        };
        let mut recent = vec![
            count(Dimension::Domain, "wave.example", 300),
            count(Dimension::Domain, "gmail.com", 40),
            count(Dimension::Channel, "online", 370),
        ];
        recent.extend((0..30).map(|i| count(Dimension::Domain, &format!("d{i}.example"), 1)));
        // gmail.com signs this much every hour; the wave's domain never signed before.
        let usual = HashMap::from([((Dimension::Domain, "gmail.com".to_owned()), 35.0)]);
        let trends = unusual(&recent, &usual);
        let values: Vec<_> = trends.iter().map(|t| t.count.value.as_str()).collect();
        assert_eq!(values, ["wave.example"]);
        assert!((trends[0].confirmation_rate() - 0.5).abs() < 1e-9);

        let always = HashMap::from([
            ((Dimension::Domain, "gmail.com".to_owned()), 35.0),
            ((Dimension::Domain, "wave.example".to_owned()), 290.0),
        ]);
        assert!(
            unusual(&recent, &always).is_empty(),
            "values that always sign this much"
        );

        let quiet = [
            count(Dimension::Domain, "wave.example", 300),
            count(Dimension::Domain, "a.example", 1),
            count(Dimension::Domain, "b.example", 1),
        ];
        let trends = unusual(&quiet, &HashMap::new());
        assert_eq!(trends.len(), 1, "a wave on a quiet campaign stands out");
    }
}
