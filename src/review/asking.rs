//! Staff asking for an invalidation: the reason and the count they typed back are checked,
//! the invalidation is stored for the background runs, and the request is audited.

use chrono::NaiveDateTime;

use super::conditions_json;
use crate::db::{Connection, audit, review};
use crate::domain::{Conditions, needs_second_confirmation};

/// Longest reason kept with an invalidation.
pub const MAX_REASON_CHARS: usize = 500;

/// An invalidation as staff ask for it on the review page.
pub struct Asked<'a> {
    pub campaign_id: i64,
    pub slug: &'a str,
    pub conditions: &'a Conditions,
    pub reason: &'a str,
    /// The number of matches typed back, needed when a set takes most of the campaign; the
    /// separators a person types ("1,234", "1 234") are passed over.
    pub typed_count: &'a str,
    pub actor: &'a str,
    pub now: NaiveDateTime,
}

/// Why an invalidation was not started.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// No reason, or one longer than `MAX_REASON_CHARS`.
    Reason,
    /// The set takes most of the campaign and this many matches were not typed back.
    ConfirmCount(i64),
}

/// Stores the invalidation, to be run in batches in the background, and audits it; answers
/// its id, or why it was refused.
pub fn ask(conn: &mut Connection, asked: &Asked<'_>) -> diesel::QueryResult<Result<i64, Refused>> {
    let reason = asked.reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Ok(Err(Refused::Reason));
    }
    let matched = review::matching_count(conn, asked.campaign_id, asked.conditions)?;
    let counted = review::still_counted(conn, asked.campaign_id)?;
    if needs_second_confirmation(asked.conditions, matched, counted)
        && digits(asked.typed_count) != Some(matched)
    {
        return Ok(Err(Refused::ConfirmCount(matched)));
    }
    let json = conditions_json(asked.conditions);
    let id = review::create_invalidation(
        conn,
        asked.campaign_id,
        &json,
        reason,
        asked.actor,
        asked.now,
    )?;
    let detail = format!(
        "id={id} campaign={} matched={matched} conditions=[{}] reason={reason:?}",
        asked.slug,
        asked.conditions.describe()
    );
    audit::record(
        conn,
        asked.actor,
        "signatures_invalidated",
        &detail,
        asked.now,
    )?;
    Ok(Ok(id))
}

/// The number typed in `raw`, read past its separators.
fn digits(raw: &str) -> Option<i64> {
    raw.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
}
