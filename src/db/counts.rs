//! Confirmed signatures counted: per campaign and channel, and the public count history.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamp};

use super::Connection;
use super::schema::{campaigns, signatures};
use crate::domain::{Channel, ConfirmationHistory, in_person_publications, publication_cut};

/// Confirmed signatures per campaign: online, and given in person (paper and kiosk)
/// recorded before `cut`, the last publication (see `domain::publication`).
pub fn confirmed_counts_by_channel(
    conn: &mut Connection,
    cut: NaiveDateTime,
) -> QueryResult<Vec<(i64, i64, i64)>> {
    let rows: Vec<(i64, String, i64)> = signatures::table
        .filter(signatures::confirmed_at.is_not_null())
        .filter(
            signatures::channel
                .eq(crate::domain::Channel::Online.as_str())
                .or(signatures::recorded_at.is_null())
                .or(signatures::recorded_at.lt(cut)),
        )
        .group_by((signatures::campaign_id, signatures::channel))
        .select((
            signatures::campaign_id,
            signatures::channel,
            diesel::dsl::count_star(),
        ))
        .order(signatures::campaign_id)
        .load(conn)?;
    let mut counts: Vec<(i64, i64, i64)> = Vec::new();
    for (campaign_id, channel, count) in rows {
        if counts.last().is_none_or(|(id, ..)| *id != campaign_id) {
            counts.push((campaign_id, 0, 0));
        }
        if let Some(last) = counts.last_mut() {
            if channel == crate::domain::Channel::Online.as_str() {
                last.1 += count;
            } else {
                last.2 += count;
            }
        }
    }
    Ok(counts)
}

/// A campaign's count history as the public may see it at `now`, over the bounded range of
/// `ConfirmationHistory::range`, with what came before it as one number: online
/// confirmations counted per hour, in-person signatures per day of recording and shown in
/// the steps in which they were published (see `domain::publication`). What is read
/// depends on the hours in range, not on the campaign's age. The one place the public
/// history is built from.
pub fn confirmation_history(
    conn: &mut Connection,
    campaign_id: i64,
    now: NaiveDateTime,
) -> QueryResult<ConfirmationHistory> {
    let created: NaiveDateTime = campaigns::table
        .find(campaign_id)
        .select(campaigns::created_at)
        .first(conn)?;
    let (from, until) = ConfirmationHistory::range(created, now);
    let online = Channel::Online.as_str();
    let confirmed = signatures::table
        .filter(signatures::campaign_id.eq(campaign_id))
        .filter(signatures::confirmed_at.is_not_null());
    let earlier_online: i64 = confirmed
        .filter(signatures::channel.eq(online))
        .filter(signatures::confirmed_at.lt(from))
        .count()
        .get_result(conn)?;
    // In person, the publication goes by when the server recorded a signature (a kiosk back
    // online dates its signatures back); only in-person rows have `recorded_at`, and an
    // index of their own (`signatures_in_person_recorded`).
    let (hour, day, [id, start, end]) = match conn {
        Connection::Sqlite(_) => (
            "strftime('%Y-%m-%d %H:00:00', confirmed_at)",
            "strftime('%Y-%m-%d 00:00:00', recorded_at)",
            ["?"; 3],
        ),
        Connection::Postgres(_) => (
            "date_trunc('hour', confirmed_at)",
            "date_trunc('day', recorded_at)",
            ["$1", "$2", "$3"],
        ),
    };
    let hours: Vec<PeriodCount> = diesel::sql_query(format!(
        "SELECT {hour} AS period, COUNT(*) AS confirmed FROM signatures
         WHERE campaign_id = {id} AND confirmed_at >= {start} AND confirmed_at < {end}
           AND channel = 'online'
         GROUP BY {hour}"
    ))
    .bind::<BigInt, _>(campaign_id)
    .bind::<Timestamp, _>(from)
    .bind::<Timestamp, _>(until)
    .load(conn)?;
    let cut = publication_cut(now);
    let in_person_days: Vec<PeriodCount> = diesel::sql_query(format!(
        "SELECT {day} AS period, COUNT(*) AS confirmed FROM signatures
         WHERE campaign_id = {id} AND recorded_at IS NOT NULL AND recorded_at >= {start}
           AND recorded_at < {end} AND confirmed_at IS NOT NULL AND channel <> 'online'
         GROUP BY {day}"
    ))
    .bind::<BigInt, _>(campaign_id)
    .bind::<Timestamp, _>(from)
    .bind::<Timestamp, _>(cut)
    .load(conn)?;
    let earlier_in_person: i64 = diesel::sql_query(format!(
        "SELECT COUNT(*) AS confirmed FROM signatures
         WHERE campaign_id = {id} AND recorded_at IS NOT NULL AND recorded_at < {start}
           AND confirmed_at IS NOT NULL AND channel <> 'online'"
    ))
    .bind::<BigInt, _>(campaign_id)
    .bind::<Timestamp, _>(from)
    .get_result::<Counted>(conn)?
    .confirmed;
    let (published_earlier, steps) = in_person_publications(
        earlier_in_person,
        in_person_days.into_iter().map(|d| (d.period, d.confirmed)),
    );
    Ok(ConfirmationHistory::from_hours(
        earlier_online + published_earlier,
        hours
            .into_iter()
            .map(|h| (h.period, h.confirmed))
            .chain(steps),
        now,
    ))
}

#[derive(QueryableByName)]
struct PeriodCount {
    #[diesel(sql_type = Timestamp)]
    period: NaiveDateTime,
    #[diesel(sql_type = BigInt)]
    confirmed: i64,
}

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = BigInt)]
    confirmed: i64,
}
