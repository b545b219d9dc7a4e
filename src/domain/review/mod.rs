//! Reviewing a campaign's signatures: the signals kept at signing (`signals`), the
//! conditions staff search and invalidate by (here), and what counts as unusual (`trends`).
//! No I/O here.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

mod signals;
mod trends;
pub use signals::{
    NetworkHash, NetworkKeys, NetworkPrefix, SHIPPED_THROWAWAY_DOMAINS, Signals, ThrowawayDomains,
    email_domain, pseudonymised,
};
pub use trends::{Dimension, HourCount, Trend, Usual, unusual};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
