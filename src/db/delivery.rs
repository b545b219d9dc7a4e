//! What the delivery pack reads: the confirmed signers of a campaign, a page at a time and
//! grouped as asked, with the totals its cover shows, all from one consistent snapshot.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Connection;
use super::schema::signatures;
use crate::domain::Channel;

/// How the list of signers is split into sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Split {
    #[default]
    None,
    Country,
    /// By source code: the partner, event or channel that brought them.
    Source,
}

impl Split {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "" => Some(Self::None),
            "country" => Some(Self::Country),
            "source" => Some(Self::Source),
            _ => None,
        }
    }

    /// The word `parse` takes, as the audit log records it.
    pub fn code(self) -> &'static str {
        match self {
            Self::None => "",
            Self::Country => "country",
            Self::Source => "source",
        }
    }
}

/// One section of the list: its key (a country code, a source code, `""` for signatures
/// without a source; `None` when the list is not split) and how many signers it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub key: Option<String>,
    pub signers: i64,
}

/// A signer as the pack shows them: never an email address.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = signatures)]
pub struct Signer {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub postal_code: Option<String>,
    pub country: String,
    pub created_at: NaiveDateTime,
    pub channel: String,
    pub source: Option<String>,
    pub comment: Option<String>,
}

/// The cover's numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub online: i64,
    pub in_person: i64,
    /// Country codes with their signers, most first.
    pub by_country: Vec<(String, i64)>,
    pub first_signed: Option<NaiveDateTime>,
    pub last_signed: Option<NaiveDateTime>,
}

/// Runs `work` in one read-only snapshot, so that the list read twice (once for its
/// checksum, once to print) and the totals all agree while people keep signing.
pub fn snapshot<T, E>(
    conn: &mut Connection,
    work: impl FnOnce(&mut Connection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    diesel::Connection::transaction(conn, |conn| {
        // SQLite's deferred transaction reads one snapshot of its WAL already.
        if let Connection::Postgres(_) = conn {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(conn)?;
        }
        work(conn)
    })
}

/// The signatures a delivery pack lists: confirmed, not erased, not invalidated.
macro_rules! delivered {
    ($campaign_id:expr) => {
        signatures::table
            .filter(signatures::campaign_id.eq($campaign_id))
            .filter(signatures::confirmed_at.is_not_null())
            .filter(signatures::erased_at.is_null())
            .filter(signatures::invalidation_id.is_null())
    };
}

pub fn sections(
    conn: &mut Connection,
    campaign_id: i64,
    split: Split,
) -> QueryResult<Vec<Section>> {
    let grouped: Vec<(Option<String>, i64)> = match split {
        Split::None => {
            let signers = delivered!(campaign_id).count().get_result(conn)?;
            return Ok(vec![Section { key: None, signers }]);
        }
        Split::Country => delivered!(campaign_id)
            .group_by(signatures::country)
            .select((signatures::country.nullable(), diesel::dsl::count_star()))
            .order(signatures::country)
            .load(conn)?,
        Split::Source => delivered!(campaign_id)
            .group_by(signatures::source)
            .select((signatures::source, diesel::dsl::count_star()))
            .order(signatures::source)
            .load(conn)?,
    };
    let mut sections: Vec<Section> = Vec::new();
    for (key, signers) in grouped {
        let key = key.unwrap_or_default();
        // A NULL and an empty source are one section: signatures without a source.
        match sections.iter_mut().find(|s| s.key.as_deref() == Some(&key)) {
            Some(section) => section.signers += signers,
            None => sections.push(Section {
                key: Some(key),
                signers,
            }),
        }
    }
    sections.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(sections)
}

/// Up to `limit` signers of a section after `after_id`, in id order.
pub fn signers(
    conn: &mut Connection,
    campaign_id: i64,
    split: Split,
    section: &Section,
    after_id: i64,
    limit: i64,
) -> QueryResult<Vec<Signer>> {
    let mut query = delivered!(campaign_id)
        .filter(signatures::id.gt(after_id))
        .order(signatures::id)
        .limit(limit)
        .select(Signer::as_select())
        .into_boxed();
    let key = section.key.clone().unwrap_or_default();
    query = match split {
        Split::None => query,
        Split::Country => query.filter(signatures::country.eq(key)),
        Split::Source if key.is_empty() => {
            query.filter(signatures::source.is_null().or(signatures::source.eq("")))
        }
        Split::Source => query.filter(signatures::source.eq(key)),
    };
    query.load(conn)
}

pub fn totals(conn: &mut Connection, campaign_id: i64) -> QueryResult<Totals> {
    let by_channel: Vec<(String, i64)> = delivered!(campaign_id)
        .group_by(signatures::channel)
        .select((signatures::channel, diesel::dsl::count_star()))
        .load(conn)?;
    let mut by_country: Vec<(String, i64)> = delivered!(campaign_id)
        .group_by(signatures::country)
        .select((signatures::country, diesel::dsl::count_star()))
        .load(conn)?;
    by_country.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let (first_signed, last_signed) = delivered!(campaign_id)
        .select((
            diesel::dsl::min(signatures::created_at),
            diesel::dsl::max(signatures::created_at),
        ))
        .first(conn)?;
    let online = by_channel
        .iter()
        .filter(|(channel, _)| channel == Channel::Online.as_str())
        .map(|(_, n)| n)
        .sum();
    let all: i64 = by_channel.iter().map(|(_, n)| n).sum();
    Ok(Totals {
        online,
        in_person: all - online,
        by_country,
        first_signed,
        last_signed,
    })
}
