//! The review of a campaign's signatures: network salts, the counts the review page reads,
//! searches and flags. Invalidations, "this wasn't me" and alerts have modules of their own.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};

use super::schema::{network_salts, not_me_reports, signatures};
use super::{Connection, write_transaction};
use crate::domain::{Conditions, HourCount, ReviewDimension, Usual};

diesel::define_sql_function!(fn lower(x: Text) -> Text);

/// Signatures changed per transaction by an invalidation, its undoing or a flag: each
/// transaction holds the writer's lock for milliseconds, so signing goes on beside it.
pub const BATCH: i64 = 2_000;

/// The salt of `day`, made from `candidate` by the first server to ask for it that day.
pub fn salt_of_day(conn: &mut Connection, day: NaiveDate, candidate: &str) -> QueryResult<String> {
    on_each_backend!(conn, |conn| diesel::insert_into(network_salts::table)
        .values((
            network_salts::day.eq(day),
            network_salts::salt.eq(candidate)
        ))
        .on_conflict(network_salts::day)
        .do_nothing()
        .execute(conn))?;
    network_salts::table
        .filter(network_salts::day.eq(day))
        .select(network_salts::salt)
        .first(conn)
}

/// Every salt still kept, by day.
pub fn salts(conn: &mut Connection) -> QueryResult<Vec<(NaiveDate, String)>> {
    network_salts::table
        .order(network_salts::day)
        .select((network_salts::day, network_salts::salt))
        .load(conn)
}

/// Drops the network hashes of signatures and reports made before `cutoff`, and the salts
/// of the days before it, a batch at a time. Returns how many hashes were dropped.
pub fn forget_networks(conn: &mut Connection, cutoff: NaiveDateTime) -> QueryResult<usize> {
    let mut dropped = 0;
    loop {
        let done = write_transaction(conn, |conn| {
            let ids: Vec<i64> = signatures::table
                .filter(signatures::network_hash.is_not_null())
                .filter(signatures::created_at.lt(cutoff))
                .select(signatures::id)
                .limit(BATCH)
                .load(conn)?;
            diesel::update(signatures::table.filter(signatures::id.eq_any(&ids)))
                .set(signatures::network_hash.eq(None::<String>))
                .execute(conn)
        })?;
        dropped += done;
        if done < BATCH as usize {
            break;
        }
    }
    diesel::update(
        not_me_reports::table
            .filter(not_me_reports::network_hash.is_not_null())
            .filter(not_me_reports::created_at.lt(cutoff)),
    )
    .set(not_me_reports::network_hash.eq(None::<String>))
    .execute(conn)?;
    diesel::delete(network_salts::table.filter(network_salts::day.lt(cutoff.date())))
        .execute(conn)?;
    Ok(dropped)
}

#[derive(QueryableByName)]
struct GroupRow {
    #[diesel(sql_type = Timestamp)]
    hour: NaiveDateTime,
    #[diesel(sql_type = Text)]
    dimension: String,
    #[diesel(sql_type = Nullable<Text>)]
    value: Option<String>,
    #[diesel(sql_type = BigInt)]
    signed: i64,
    #[diesel(sql_type = BigInt)]
    confirmed: i64,
}

/// The SQL column of each signal. Only these fixed names ever reach the query text.
fn column(dimension: ReviewDimension) -> &'static str {
    match dimension {
        ReviewDimension::Domain => "email_domain",
        ReviewDimension::Network => "network_hash",
        ReviewDimension::Source => "source",
        ReviewDimension::PostalCode => "postal_code",
        ReviewDimension::Channel => "channel",
    }
}

/// A campaign's signatures from `since` until before `until` that no invalidation took out, counted by hour and
/// by each signal's value, signed and confirmed. Signatures without a value (no source, no
/// network kept) are left out.
pub fn hourly_counts(
    conn: &mut Connection,
    campaign_id: i64,
    since: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Vec<HourCount>> {
    let (hour, [id, from, to]) = match conn {
        // Numbered, so that every part of the union reads the same three values.
        Connection::Sqlite(_) => (
            "strftime('%Y-%m-%d %H:00:00', created_at)",
            ["?1", "?2", "?3"],
        ),
        Connection::Postgres(_) => ("date_trunc('hour', created_at)", ["$1", "$2", "$3"]),
    };
    let parts: Vec<String> = ReviewDimension::ALL
        .iter()
        .map(|dimension| {
            let (name, column) = (dimension.name(), column(*dimension));
            format!(
                "SELECT {hour} AS hour, '{name}' AS dimension, {column} AS value, \
                 COUNT(*) AS signed, \
                 CAST(SUM(CASE WHEN confirmed_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) \
                 AS confirmed \
                 FROM signatures WHERE campaign_id = {id} \
                 AND created_at >= {from} AND created_at < {to} AND invalidation_id IS NULL \
                 AND {column} IS NOT NULL AND {column} <> '' \
                 GROUP BY {hour}, {column}"
            )
        })
        .collect();
    let rows: Vec<GroupRow> = diesel::sql_query(parts.join(" UNION ALL "))
        .bind::<BigInt, _>(campaign_id)
        .bind::<Timestamp, _>(since)
        .bind::<Timestamp, _>(until)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(HourCount {
                hour: row.hour,
                dimension: ReviewDimension::parse(&row.dimension)?,
                value: row.value?,
                signed: row.signed,
                confirmed: row.confirmed,
            })
        })
        .collect())
}

/// Each signal value's signatures per hour between `from` and `until`: what the campaign
/// usually sees, to tell a wave from its ordinary days.
pub fn baseline(
    conn: &mut Connection,
    campaign_id: i64,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Usual> {
    let hours = ((until - from).num_hours()).max(1) as f64;
    let mut usual = HashMap::new();
    for count in hourly_counts(conn, campaign_id, from, until)? {
        *usual.entry((count.dimension, count.value)).or_insert(0.0) += count.signed as f64;
    }
    for value in usual.values_mut() {
        *value /= hours;
    }
    Ok(usual)
}

/// "This wasn't me" reports on a campaign since `since`, by email domain.
pub fn reports_by_domain(
    conn: &mut Connection,
    campaign_id: i64,
    since: NaiveDateTime,
) -> QueryResult<Vec<(String, i64)>> {
    let rows: Vec<(Option<String>, i64)> = not_me_reports::table
        .filter(not_me_reports::campaign_id.eq(campaign_id))
        .filter(not_me_reports::created_at.ge(since))
        .group_by(not_me_reports::email_domain)
        .select((not_me_reports::email_domain, diesel::dsl::count_star()))
        .load(conn)?;
    let mut rows: Vec<(String, i64)> = rows
        .into_iter()
        .map(|(domain, n)| (domain.unwrap_or_default(), n))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(rows)
}

/// The signatures of a campaign that `conditions` select, among those still counted.
macro_rules! matching {
    ($campaign_id:expr, $conditions:expr) => {{
        let conditions: &Conditions = $conditions;
        let mut query = signatures::table
            .filter(signatures::campaign_id.eq($campaign_id))
            .filter(signatures::invalidation_id.is_null())
            .into_boxed();
        if let Some(domain) = &conditions.domain {
            query = query.filter(signatures::email_domain.eq(domain.clone()));
        }
        if conditions.network_typed.is_some() {
            query = query.filter(signatures::network_hash.eq_any(conditions.networks.clone()));
        }
        if let Some(postal_code) = &conditions.postal_code {
            query = query.filter(signatures::postal_code.eq(postal_code.clone()));
        }
        if let Some(pattern) = conditions.like_pattern() {
            query = query.filter(
                lower(
                    signatures::first_name
                        .concat(" ")
                        .concat(signatures::last_name),
                )
                .like(pattern)
                .escape('\\'),
            );
        }
        if let Some(source) = &conditions.source {
            query = query.filter(signatures::source.eq(source.clone()));
        }
        if let Some(channel) = &conditions.channel {
            query = query.filter(signatures::channel.eq(channel.clone()));
        }
        if let Some(from) = conditions.from {
            query = query.filter(signatures::created_at.ge(from));
        }
        if let Some(until) = conditions.until {
            query = query.filter(signatures::created_at.lt(until));
        }
        query
    }};
}

// After `matching!`, which `invalidations` uses too.
mod alerts;
mod invalidations;
mod not_me;
pub use alerts::{claim_alert, staff_addresses};
pub use invalidations::{
    Invalidation, cancel, create_invalidation, invalidation, invalidations_of, run_batch, standing,
    undo, unfinished,
};
pub use not_me::{NotMeTarget, not_me_target, remove_not_me};

/// How many still-counted signatures `conditions` select.
pub fn matching_count(
    conn: &mut Connection,
    campaign_id: i64,
    conditions: &Conditions,
) -> QueryResult<i64> {
    matching!(campaign_id, conditions).count().get_result(conn)
}

/// Signatures of a campaign that no invalidation took out, confirmed or not.
pub fn still_counted(conn: &mut Connection, campaign_id: i64) -> QueryResult<i64> {
    signatures::table
        .filter(signatures::campaign_id.eq(campaign_id))
        .filter(signatures::invalidation_id.is_null())
        .count()
        .get_result(conn)
}

/// A matched signature as the preview shows it, before it is pseudonymised.
#[derive(Debug, Clone, Queryable)]
pub struct SampleRow {
    pub email: String,
    pub country: String,
    pub source: Option<String>,
    pub created_at: NaiveDateTime,
}

/// The newest `limit` matches.
pub fn sample(
    conn: &mut Connection,
    campaign_id: i64,
    conditions: &Conditions,
    limit: i64,
) -> QueryResult<Vec<SampleRow>> {
    matching!(campaign_id, conditions)
        .order(signatures::id.desc())
        .limit(limit)
        .select((
            signatures::email,
            signatures::country,
            signatures::source,
            signatures::created_at,
        ))
        .load(conn)
}

/// Flags the matches for later, a batch at a time; returns how many were newly flagged.
pub fn flag(
    conn: &mut Connection,
    campaign_id: i64,
    conditions: &Conditions,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let mut flagged = 0;
    let mut after = 0;
    loop {
        let ids: Vec<i64> = matching!(campaign_id, conditions)
            .filter(signatures::id.gt(after))
            .order(signatures::id)
            .limit(BATCH)
            .select(signatures::id)
            .load(conn)?;
        let Some(&last) = ids.last() else { break };
        after = last;
        flagged += write_transaction(conn, |conn| {
            diesel::update(
                signatures::table
                    .filter(signatures::id.eq_any(&ids))
                    .filter(signatures::flagged_at.is_null()),
            )
            .set(signatures::flagged_at.eq(now))
            .execute(conn)
        })?;
    }
    Ok(flagged)
}

/// Flagged signatures of a campaign still counted.
pub fn flagged(conn: &mut Connection, campaign_id: i64) -> QueryResult<i64> {
    signatures::table
        .filter(signatures::campaign_id.eq(campaign_id))
        .filter(signatures::invalidation_id.is_null())
        .filter(signatures::flagged_at.is_not_null())
        .count()
        .get_result(conn)
}

pub fn set_refuse_throwaway(
    conn: &mut Connection,
    campaign_id: i64,
    refuse: bool,
) -> QueryResult<()> {
    use super::schema::campaigns;
    diesel::update(campaigns::table.find(campaign_id))
        .set(campaigns::refuse_throwaway.eq(refuse))
        .execute(conn)?;
    Ok(())
}
