//! What staff read back: signatures for export, and counts grouped the ways they ask for.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use super::Connection;
use super::schema::{events, partner_consents, partners, signatures};

/// Which signatures an export includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Confirmed,
    Pending,
    All,
}

impl Status {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "" | "confirmed" => Some(Self::Confirmed),
            "pending" => Some(Self::Pending),
            "all" => Some(Self::All),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Pending => "pending",
            Self::All => "all",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SignatureFilter {
    pub campaign_id: i64,
    pub status: Status,
    /// First and last day signed, inclusive, UTC.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub source: Option<String>,
    /// A partner's code: only the signers who consent to that partner now, for its export.
    pub consented_to: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = signatures)]
pub struct SignatureRow {
    pub id: i64,
    pub created_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub country: String,
    pub postal_code: Option<String>,
    pub email_opt_in: bool,
    pub source: Option<String>,
    pub comment: Option<String>,
    pub lang: String,
    pub consent_version: String,
    pub channel: String,
    /// The invalidation that took it out of the counts, if one did.
    pub invalidation_id: Option<i64>,
}

/// Up to `limit` signatures after `after_id`, in id order, each with the name of the event
/// it was given at, if any. Paging by id keeps each query cheap however far into a million
/// rows an export is.
pub fn signature_page(
    conn: &mut Connection,
    filter: &SignatureFilter,
    after_id: i64,
    limit: i64,
) -> QueryResult<Vec<(SignatureRow, Option<String>)>> {
    let mut query = signatures::table
        .left_join(events::table)
        .filter(signatures::campaign_id.eq(filter.campaign_id))
        .filter(signatures::id.gt(after_id))
        .filter(signatures::erased_at.is_null())
        .order(signatures::id)
        .limit(limit)
        .select((SignatureRow::as_select(), events::name.nullable()))
        .into_boxed();
    query = match filter.status {
        Status::Confirmed => query.filter(signatures::confirmed_at.is_not_null()),
        Status::Pending => query.filter(signatures::confirmed_at.is_null()),
        Status::All => query,
    };
    if let Some(from) = filter.from.and_then(|d| d.and_hms_opt(0, 0, 0)) {
        query = query.filter(signatures::created_at.ge(from));
    }
    if let Some(to) = filter
        .to
        .and_then(|d| d.succ_opt())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
    {
        query = query.filter(signatures::created_at.lt(to));
    }
    if let Some(source) = &filter.source {
        query = query.filter(signatures::source.eq(source.clone()));
    }
    if let Some(partner) = &filter.consented_to {
        let consenting = partner_consents::table
            .inner_join(partners::table)
            .filter(partners::code.eq(partner.clone()))
            .filter(partner_consents::withdrawn_at.is_null())
            .select(partner_consents::signature_id);
        query = query.filter(signatures::id.eq_any(consenting));
    }
    query.load(conn)
}

/// A way to group counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Campaign,
    Day,
    Country,
    Source,
    /// online, paper or kiosk.
    Channel,
}

impl Dimension {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "campaign" => Some(Self::Campaign),
            "day" => Some(Self::Day),
            "country" => Some(Self::Country),
            "source" => Some(Self::Source),
            "channel" => Some(Self::Channel),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Campaign => "campaign",
            Self::Day => "day",
            Self::Country => "country",
            Self::Source => "source",
            Self::Channel => "channel",
        }
    }

    /// The SQL for this grouping. Only these fixed expressions ever reach the query text.
    fn expression(self, conn: &Connection) -> &'static str {
        match self {
            Self::Campaign => "campaigns.slug",
            Self::Day => match conn {
                // Timestamps are stored as ISO 8601 text, so the day is its first ten characters.
                Connection::Sqlite(_) => "substr(signatures.created_at, 1, 10)",
                Connection::Postgres(_) => "to_char(signatures.created_at, 'YYYY-MM-DD')",
            },
            Self::Country => "signatures.country",
            Self::Source => "COALESCE(signatures.source, '')",
            Self::Channel => "signatures.channel",
        }
    }
}

/// Confirmed and pending signatures for one group; `keys` follow the requested dimensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountRow {
    pub keys: Vec<String>,
    pub confirmed: i64,
    pub pending: i64,
}

#[derive(QueryableByName)]
struct GroupedCount {
    #[diesel(sql_type = Nullable<Text>)]
    k0: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    k1: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    k2: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    k3: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    k4: Option<String>,
    #[diesel(sql_type = BigInt)]
    confirmed: i64,
    #[diesel(sql_type = BigInt)]
    pending: i64,
}

/// Which signatures a count covers: all, one campaign's, one partner's, or both.
#[derive(Debug, Clone, Default)]
pub struct CountScope {
    pub campaign_id: Option<i64>,
    pub source: Option<String>,
}

impl CountScope {
    pub fn campaign(campaign_id: i64) -> Self {
        Self {
            campaign_id: Some(campaign_id),
            source: None,
        }
    }
}

/// Counts grouped by up to five dimensions, within `scope`.
pub fn counts(
    conn: &mut Connection,
    dimensions: &[Dimension],
    scope: &CountScope,
) -> QueryResult<Vec<CountRow>> {
    let keys: Vec<String> = (0..5)
        .map(|i| match dimensions.get(i) {
            Some(d) => format!("{} AS k{i}", d.expression(conn)),
            None => format!("CAST(NULL AS TEXT) AS k{i}"),
        })
        .collect();
    let order: Vec<String> = (1..=dimensions.len().clamp(1, 5))
        .map(|i| i.to_string())
        .collect();
    let sql = format!(
        "SELECT {}, \
         CAST(COALESCE(SUM(CASE WHEN signatures.confirmed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS confirmed, \
         CAST(COALESCE(SUM(CASE WHEN signatures.confirmed_at IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS pending \
         FROM signatures JOIN campaigns ON campaigns.id = signatures.campaign_id \
         WHERE signatures.invalidation_id IS NULL \
         AND ({campaign} IS NULL OR signatures.campaign_id = {campaign}) \
         AND ({source} IS NULL OR signatures.source = {source}) \
         GROUP BY 1, 2, 3, 4, 5 ORDER BY {}",
        keys.join(", "),
        order.join(", "),
        // Each value is bound once on PostgreSQL, which numbers its parameters, and twice
        // on SQLite, whose `?` takes the next one.
        campaign = match conn {
            Connection::Sqlite(_) => "?",
            Connection::Postgres(_) => "CAST($1 AS BIGINT)",
        },
        source = match conn {
            Connection::Sqlite(_) => "?",
            Connection::Postgres(_) => "CAST($2 AS TEXT)",
        },
    );
    let query = diesel::sql_query(sql);
    let rows: Vec<GroupedCount> = match conn {
        Connection::Sqlite(_) => query
            .bind::<Nullable<BigInt>, _>(scope.campaign_id)
            .bind::<Nullable<BigInt>, _>(scope.campaign_id)
            .bind::<Nullable<Text>, _>(scope.source.as_deref())
            .bind::<Nullable<Text>, _>(scope.source.as_deref())
            .load(conn)?,
        Connection::Postgres(_) => query
            .bind::<Nullable<BigInt>, _>(scope.campaign_id)
            .bind::<Nullable<Text>, _>(scope.source.as_deref())
            .load(conn)?,
    };
    Ok(rows
        .into_iter()
        .map(|row| CountRow {
            keys: [row.k0, row.k1, row.k2, row.k3, row.k4]
                .into_iter()
                .take(dimensions.len())
                .map(Option::unwrap_or_default)
                .collect(),
            confirmed: row.confirmed,
            pending: row.pending,
        })
        .collect())
}

/// Confirmed signatures of a campaign and how many of them opted in to hear more.
pub fn opt_in(conn: &mut Connection, campaign_id: i64) -> QueryResult<(i64, i64)> {
    let confirmed = signatures::table
        .filter(signatures::campaign_id.eq(campaign_id))
        .filter(signatures::confirmed_at.is_not_null())
        .filter(signatures::invalidation_id.is_null());
    let total = confirmed.count().get_result(conn)?;
    let opted_in = confirmed
        .filter(signatures::email_opt_in.eq(true))
        .count()
        .get_result(conn)?;
    Ok((total, opted_in))
}
