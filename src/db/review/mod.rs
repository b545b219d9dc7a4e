//! The review of a campaign's signatures: network salts, the counts the review page reads,
//! searches, invalidations in batches and their undoing, flags, and "this wasn't me".

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};

use super::schema::{invalidations, network_salts, not_me_reports, review_alerts, signatures};
use super::{Connection, deletion, write_transaction};
use crate::domain::{Conditions, HourCount, ReviewDimension};

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

/// A campaign's signatures since `since` that no invalidation took out, counted by hour and
/// by each signal's value, signed and confirmed. Signatures without a value (no source, no
/// network kept) are left out.
pub fn hourly_counts(
    conn: &mut Connection,
    campaign_id: i64,
    since: NaiveDateTime,
) -> QueryResult<Vec<HourCount>> {
    let (hour, [id, from]) = match conn {
        // Numbered, so that every part of the union reads the same two values.
        Connection::Sqlite(_) => ("strftime('%Y-%m-%d %H:00:00', created_at)", ["?1", "?2"]),
        Connection::Postgres(_) => ("date_trunc('hour', created_at)", ["$1", "$2"]),
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
                 FROM signatures WHERE campaign_id = {id} AND created_at >= {from} \
                 AND invalidation_id IS NULL AND {column} IS NOT NULL AND {column} <> '' \
                 GROUP BY {hour}, {column}"
            )
        })
        .collect();
    let rows: Vec<GroupRow> = diesel::sql_query(parts.join(" UNION ALL "))
        .bind::<BigInt, _>(campaign_id)
        .bind::<Timestamp, _>(since)
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
) -> QueryResult<HashMap<(ReviewDimension, String), f64>> {
    let hours = ((until - from).num_hours()).max(1) as f64;
    let mut usual = HashMap::new();
    for count in hourly_counts(conn, campaign_id, from)? {
        if count.hour >= until {
            continue;
        }
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

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invalidations)]
pub struct Invalidation {
    pub id: i64,
    pub campaign_id: i64,
    pub conditions: String,
    pub reason: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub through_id: i64,
    /// Signatures this invalidation took out so far.
    pub affected: i64,
    /// When its batches ended: all done, cancelled, or (after an undo) all put back.
    pub finished_at: Option<NaiveDateTime>,
    pub cancelled_at: Option<NaiveDateTime>,
    pub undone_at: Option<NaiveDateTime>,
    pub undone_by: Option<String>,
}

impl Invalidation {
    pub fn running(&self) -> bool {
        self.finished_at.is_none()
    }
}

pub fn create_invalidation(
    conn: &mut Connection,
    campaign_id: i64,
    conditions: &str,
    reason: &str,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    on_each_backend!(conn, |conn| diesel::insert_into(invalidations::table)
        .values((
            invalidations::campaign_id.eq(campaign_id),
            invalidations::conditions.eq(conditions),
            invalidations::reason.eq(reason),
            invalidations::created_by.eq(by),
            invalidations::created_at.eq(now),
        ))
        .returning(invalidations::id)
        .get_result(conn))
}

pub fn invalidations_of(conn: &mut Connection, campaign_id: i64) -> QueryResult<Vec<Invalidation>> {
    invalidations::table
        .filter(invalidations::campaign_id.eq(campaign_id))
        .order(invalidations::id.desc())
        .select(Invalidation::as_select())
        .load(conn)
}

pub fn invalidation(
    conn: &mut Connection,
    campaign_id: i64,
    id: i64,
) -> QueryResult<Option<Invalidation>> {
    invalidations::table
        .filter(invalidations::campaign_id.eq(campaign_id))
        .find(id)
        .select(Invalidation::as_select())
        .first(conn)
        .optional()
}

/// Invalidations whose batches are not done, on any campaign.
pub fn unfinished(conn: &mut Connection) -> QueryResult<Vec<Invalidation>> {
    invalidations::table
        .filter(invalidations::finished_at.is_null())
        .order(invalidations::id)
        .select(Invalidation::as_select())
        .load(conn)
}

/// Runs one batch of an unfinished invalidation (or of its undoing) and says whether more
/// remain. Only signatures no other invalidation took are taken, so two servers running
/// overlapping invalidations count each signature once.
pub fn run_batch(
    conn: &mut Connection,
    invalidation: &Invalidation,
    conditions: &Conditions,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let id = invalidation.id;
    if invalidation.undone_at.is_some() {
        return write_transaction(conn, |conn| {
            let ids: Vec<i64> = signatures::table
                .filter(signatures::invalidation_id.eq(id))
                .select(signatures::id)
                .limit(BATCH)
                .load(conn)?;
            diesel::update(
                signatures::table
                    .filter(signatures::id.eq_any(&ids))
                    .filter(signatures::invalidation_id.eq(id)),
            )
            .set(signatures::invalidation_id.eq(None::<i64>))
            .execute(conn)?;
            let more = ids.len() as i64 == BATCH;
            if !more {
                finish(conn, id, true, now)?;
            }
            Ok(more)
        });
    }
    write_transaction(conn, |conn| {
        let ids: Vec<i64> = matching!(invalidation.campaign_id, conditions)
            .filter(signatures::id.gt(invalidation.through_id))
            .order(signatures::id)
            .limit(BATCH)
            .select(signatures::id)
            .load(conn)?;
        let taken = diesel::update(
            signatures::table
                .filter(signatures::id.eq_any(&ids))
                .filter(signatures::invalidation_id.is_null()),
        )
        .set(signatures::invalidation_id.eq(id))
        .execute(conn)?;
        let through = ids.last().copied().unwrap_or(invalidation.through_id);
        // Another server may be running this same batch: progress only moves forward, and
        // only the rows this one took are added.
        diesel::update(
            invalidations::table
                .find(id)
                .filter(invalidations::finished_at.is_null()),
        )
        .set((
            invalidations::through_id.eq(through),
            invalidations::affected.eq(invalidations::affected + taken as i64),
        ))
        .execute(conn)?;
        let more = ids.len() as i64 == BATCH;
        if !more {
            finish(conn, id, false, now)?;
        }
        Ok(more)
    })
}

/// Marks the batches done, unless staff undid (or took back) the invalidation meanwhile:
/// an undo asked for while the last batch ran must still put everything back.
fn finish(conn: &mut Connection, id: i64, undoing: bool, now: NaiveDateTime) -> QueryResult<()> {
    let unfinished = invalidations::table
        .find(id)
        .filter(invalidations::finished_at.is_null());
    if undoing {
        diesel::update(unfinished.filter(invalidations::undone_at.is_not_null()))
            .set(invalidations::finished_at.eq(now))
            .execute(conn)?;
    } else {
        diesel::update(unfinished.filter(invalidations::undone_at.is_null()))
            .set(invalidations::finished_at.eq(now))
            .execute(conn)?;
    }
    Ok(())
}

/// Stops a running invalidation after the batch under way; what it took stays out until it
/// is undone. `false` when it was not running.
pub fn cancel(
    conn: &mut Connection,
    campaign_id: i64,
    id: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        invalidations::table
            .filter(invalidations::campaign_id.eq(campaign_id))
            .find(id)
            .filter(invalidations::finished_at.is_null())
            .filter(invalidations::undone_at.is_null()),
    )
    .set((
        invalidations::cancelled_at.eq(now),
        invalidations::finished_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}

/// Starts putting an invalidation's signatures back, in batches. `false` when it was
/// already undone.
pub fn undo(
    conn: &mut Connection,
    campaign_id: i64,
    id: i64,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        invalidations::table
            .filter(invalidations::campaign_id.eq(campaign_id))
            .find(id)
            .filter(invalidations::undone_at.is_null()),
    )
    .set((
        invalidations::undone_at.eq(now),
        invalidations::undone_by.eq(by),
        invalidations::finished_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}

/// The invalidations that took signatures out of a campaign and stand: when, why, how many,
/// for the delivery manifest.
pub fn standing(
    conn: &mut Connection,
    campaign_id: i64,
) -> QueryResult<Vec<(NaiveDateTime, String, i64)>> {
    let standing: Vec<i64> = invalidations::table
        .filter(invalidations::campaign_id.eq(campaign_id))
        .filter(invalidations::undone_at.is_null())
        .order(invalidations::id)
        .select(invalidations::id)
        .load(conn)?;
    let mut rows = Vec::new();
    for id in standing {
        let (created_at, reason): (NaiveDateTime, String) = invalidations::table
            .find(id)
            .select((invalidations::created_at, invalidations::reason))
            .first(conn)?;
        // Counted afresh: the rows as they stand in the pack's own snapshot.
        let taken: i64 = signatures::table
            .filter(signatures::invalidation_id.eq(id))
            .filter(signatures::confirmed_at.is_not_null())
            .filter(signatures::erased_at.is_null())
            .count()
            .get_result(conn)?;
        if taken > 0 {
            rows.push((created_at, reason, taken));
        }
    }
    Ok(rows)
}

/// What a "this wasn't me" link needs to check its code and show its page: the
/// signature's address and language, and its campaign.
#[derive(Debug, Clone, Queryable)]
pub struct NotMeTarget {
    pub email: String,
    pub lang: String,
    pub campaign_id: i64,
    pub campaign_slug: String,
}

pub fn not_me_target(conn: &mut Connection, signature_id: i64) -> QueryResult<Option<NotMeTarget>> {
    use super::schema::campaigns;
    signatures::table
        .inner_join(campaigns::table)
        .filter(signatures::id.eq(signature_id))
        .filter(signatures::erased_at.is_null())
        .select((
            signatures::email,
            signatures::lang,
            signatures::campaign_id,
            campaigns::slug,
        ))
        .first(conn)
        .optional()
}

/// Removes a signature its address's owner did not make, keeping only its signals as a
/// report. `false` when it was already gone, so a replayed link changes nothing.
pub fn remove_not_me(
    conn: &mut Connection,
    signature_id: i64,
    email: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    write_transaction(conn, |conn| {
        let found: Option<(i64, Option<String>, Option<String>)> = signatures::table
            .find(signature_id)
            .filter(signatures::email.eq(email))
            .filter(signatures::erased_at.is_null())
            .select((
                signatures::campaign_id,
                signatures::email_domain,
                signatures::network_hash,
            ))
            .first(conn)
            .optional()?;
        let Some((campaign_id, domain, network)) = found else {
            return Ok(false);
        };
        diesel::insert_into(not_me_reports::table)
            .values((
                not_me_reports::campaign_id.eq(campaign_id),
                not_me_reports::created_at.eq(now),
                not_me_reports::email_domain.eq(domain),
                not_me_reports::network_hash.eq(network),
            ))
            .execute(conn)?;
        deletion::delete_signature(conn, signature_id)?;
        Ok(true)
    })
}

/// Records an alert about a value unless one was sent about it since `since`: `true` when
/// this server is the one to send it.
pub fn claim_alert(
    conn: &mut Connection,
    campaign_id: i64,
    dimension: &str,
    value: &str,
    since: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    write_transaction(conn, |conn| {
        // Servers checking at once take turns on the campaign's row, so only one sends.
        // SQLite's write transaction already runs alone.
        if let Connection::Postgres(_) = conn {
            diesel::sql_query("SELECT id FROM campaigns WHERE id = $1 FOR UPDATE")
                .bind::<BigInt, _>(campaign_id)
                .execute(conn)?;
        }
        let recent: i64 = review_alerts::table
            .filter(review_alerts::campaign_id.eq(campaign_id))
            .filter(review_alerts::dimension.eq(dimension))
            .filter(review_alerts::value.eq(value))
            .filter(review_alerts::sent_at.ge(since))
            .count()
            .get_result(conn)?;
        if recent > 0 {
            return Ok(false);
        }
        diesel::insert_into(review_alerts::table)
            .values((
                review_alerts::campaign_id.eq(campaign_id),
                review_alerts::dimension.eq(dimension),
                review_alerts::value.eq(value),
                review_alerts::sent_at.eq(now),
            ))
            .execute(conn)?;
        Ok(true)
    })
}

/// Every staff account's address and chosen language, for alerts.
pub fn staff_addresses(conn: &mut Connection) -> QueryResult<Vec<(String, Option<String>)>> {
    use super::schema::staff;
    staff::table
        .order(staff::id)
        .select((staff::email, staff::lang))
        .load(conn)
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
