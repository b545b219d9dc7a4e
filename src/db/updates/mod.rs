//! Updates to signers: their texts and their place on the campaign page. Their sending is
//! in `sending`.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{campaign_update_texts, campaign_updates, outbox};
use super::{Connection, write_transaction};
use crate::domain::{Lang, UpdateDraft, UpdateText};

mod sending;
pub use sending::{SendRequest, cancel_send, queue_recipients, recipient_count, request_send};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = campaign_updates)]
pub struct UpdateRow {
    pub id: i64,
    pub campaign_id: i64,
    pub created_at: NaiveDateTime,
    pub created_by: String,
    pub sent_at: Option<NaiveDateTime>,
    pub sent_by: Option<String>,
    /// The last signature queued so far; 0 until the queue has taken the update.
    pub queued_through: i64,
    pub queued_at: Option<NaiveDateTime>,
    pub published_at: Option<NaiveDateTime>,
    pub is_target_response: bool,
}

/// An update with its texts.
#[derive(Debug, Clone)]
pub struct Update {
    pub row: UpdateRow,
    pub texts: Vec<UpdateText>,
}

/// How far an update's emails have gone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Emails in the outbox for it, whatever became of them.
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
}

impl Progress {
    pub fn waiting(&self) -> i64 {
        self.queued - self.sent - self.failed
    }
}

/// What the campaign page shows of a published update.
#[derive(Debug, Clone)]
pub struct PublishedUpdate {
    pub id: i64,
    pub published_at: NaiveDateTime,
    pub is_target_response: bool,
    pub texts: Vec<UpdateText>,
}

fn texts_of(
    conn: &mut Connection,
    update_ids: &[i64],
) -> QueryResult<HashMap<i64, Vec<UpdateText>>> {
    let rows: Vec<(i64, String, String, String)> = campaign_update_texts::table
        .filter(campaign_update_texts::update_id.eq_any(update_ids))
        .order(campaign_update_texts::id)
        .select((
            campaign_update_texts::update_id,
            campaign_update_texts::lang,
            campaign_update_texts::subject,
            campaign_update_texts::body,
        ))
        .load(conn)?;
    let mut texts: HashMap<i64, Vec<UpdateText>> = HashMap::new();
    for (update_id, lang, subject, body) in rows {
        if let Some(lang) = Lang::parse(&lang) {
            texts
                .entry(update_id)
                .or_default()
                .push(UpdateText::stored(lang, subject, body));
        }
    }
    Ok(texts)
}

fn insert_texts(conn: &mut Connection, update_id: i64, draft: &UpdateDraft) -> QueryResult<()> {
    for text in draft.texts() {
        diesel::insert_into(campaign_update_texts::table)
            .values((
                campaign_update_texts::update_id.eq(update_id),
                campaign_update_texts::lang.eq(text.lang().code()),
                campaign_update_texts::subject.eq(text.subject()),
                campaign_update_texts::body.eq(text.body()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Saves a new update, not sent and not published. Returns its id.
pub fn create(
    conn: &mut Connection,
    campaign_id: i64,
    draft: &UpdateDraft,
    actor: &str,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    write_transaction(conn, |conn| {
        let id: i64 = on_each_backend!(conn, |conn| {
            diesel::insert_into(campaign_updates::table)
                .values((
                    campaign_updates::campaign_id.eq(campaign_id),
                    campaign_updates::created_at.eq(now),
                    campaign_updates::created_by.eq(actor),
                ))
                .returning(campaign_updates::id)
                .get_result(conn)
        })?;
        insert_texts(conn, id, draft)?;
        Ok(id)
    })
}

/// Replaces the texts of an update not sent yet. Returns false when it was sent (its
/// texts are then what signers received) or does not exist.
pub fn edit(
    conn: &mut Connection,
    campaign_id: i64,
    update_id: i64,
    draft: &UpdateDraft,
) -> QueryResult<bool> {
    write_transaction(conn, |conn| {
        let unsent = campaign_updates::table
            .filter(campaign_updates::id.eq(update_id))
            .filter(campaign_updates::campaign_id.eq(campaign_id))
            .filter(campaign_updates::sent_at.is_null())
            .count()
            .get_result::<i64>(conn)?;
        if unsent == 0 {
            return Ok(false);
        }
        diesel::delete(
            campaign_update_texts::table.filter(campaign_update_texts::update_id.eq(update_id)),
        )
        .execute(conn)?;
        insert_texts(conn, update_id, draft)?;
        Ok(true)
    })
}

fn progress_of(conn: &mut Connection, update_ids: &[i64]) -> QueryResult<HashMap<i64, Progress>> {
    use diesel::dsl::{count, count_star};
    // Counted in the database: an update to a large campaign has millions of emails.
    let rows: Vec<(Option<i64>, i64, i64, i64)> = outbox::table
        .filter(outbox::update_id.eq_any(update_ids))
        .group_by(outbox::update_id)
        .select((
            outbox::update_id,
            count_star(),
            count(outbox::sent_at),
            count(outbox::failed_at),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(update_id, queued, sent, failed)| {
            Some((
                update_id?,
                Progress {
                    queued,
                    sent,
                    failed,
                },
            ))
        })
        .collect())
}

/// A campaign's updates, newest first, with how far each has gone.
pub fn list(conn: &mut Connection, campaign_id: i64) -> QueryResult<Vec<(Update, Progress)>> {
    let rows: Vec<UpdateRow> = campaign_updates::table
        .filter(campaign_updates::campaign_id.eq(campaign_id))
        .order(campaign_updates::id.desc())
        .select(UpdateRow::as_select())
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut texts = texts_of(conn, &ids)?;
    let progress = progress_of(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let progress = progress.get(&row.id).copied().unwrap_or_default();
            let texts = texts.remove(&row.id).unwrap_or_default();
            (Update { row, texts }, progress)
        })
        .collect())
}

/// One update of a campaign, with how far it has gone.
pub fn find(
    conn: &mut Connection,
    campaign_id: i64,
    update_id: i64,
) -> QueryResult<Option<(Update, Progress)>> {
    let Some(row) = campaign_updates::table
        .filter(campaign_updates::id.eq(update_id))
        .filter(campaign_updates::campaign_id.eq(campaign_id))
        .select(UpdateRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let texts = texts_of(conn, &[update_id])?
        .remove(&update_id)
        .unwrap_or_default();
    let progress = progress_of(conn, &[update_id])?
        .get(&update_id)
        .copied()
        .unwrap_or_default();
    Ok(Some((Update { row, texts }, progress)))
}

/// The texts of each update, for the mail worker.
pub fn texts(
    conn: &mut Connection,
    update_ids: &[i64],
) -> QueryResult<HashMap<i64, Vec<UpdateText>>> {
    texts_of(conn, update_ids)
}

/// Shows or hides an update on the campaign page. Returns false when there is no such update.
pub fn set_published(
    conn: &mut Connection,
    campaign_id: i64,
    update_id: i64,
    published: bool,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    write_transaction(conn, |conn| {
        let row = campaign_updates::table
            .filter(campaign_updates::id.eq(update_id))
            .filter(campaign_updates::campaign_id.eq(campaign_id));
        if row.count().get_result::<i64>(conn)? == 0 {
            return Ok(false);
        }
        if published {
            // An update already shown keeps the date it was first shown with.
            diesel::update(row.filter(campaign_updates::published_at.is_null()))
                .set(campaign_updates::published_at.eq(now))
                .execute(conn)?;
        } else {
            diesel::update(row)
                .set((
                    campaign_updates::published_at.eq(None::<NaiveDateTime>),
                    campaign_updates::is_target_response.eq(false),
                ))
                .execute(conn)?;
        }
        Ok(true)
    })
}

/// Marks an update as the target's response, shown first on the campaign page (and
/// published), or takes the mark away. A campaign has one response at most.
pub fn set_target_response(
    conn: &mut Connection,
    campaign_id: i64,
    update_id: i64,
    is_response: bool,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    write_transaction(conn, |conn| {
        let row = campaign_updates::table
            .filter(campaign_updates::id.eq(update_id))
            .filter(campaign_updates::campaign_id.eq(campaign_id));
        if row.count().get_result::<i64>(conn)? == 0 {
            return Ok(false);
        }
        if is_response {
            diesel::update(
                campaign_updates::table.filter(campaign_updates::campaign_id.eq(campaign_id)),
            )
            .set(campaign_updates::is_target_response.eq(false))
            .execute(conn)?;
            diesel::update(row.filter(campaign_updates::published_at.is_null()))
                .set(campaign_updates::published_at.eq(now))
                .execute(conn)?;
        }
        diesel::update(row)
            .set(campaign_updates::is_target_response.eq(is_response))
            .execute(conn)?;
        Ok(true)
    })
}

/// The published updates of these campaigns, the target's response first, then newest first.
pub fn published(
    conn: &mut Connection,
    campaign_ids: &[i64],
) -> QueryResult<HashMap<i64, Vec<PublishedUpdate>>> {
    let rows: Vec<(i64, i64, Option<NaiveDateTime>, bool)> = campaign_updates::table
        .filter(campaign_updates::campaign_id.eq_any(campaign_ids))
        .filter(campaign_updates::published_at.is_not_null())
        .order((
            campaign_updates::is_target_response.desc(),
            campaign_updates::published_at.desc(),
            campaign_updates::id.desc(),
        ))
        .select((
            campaign_updates::id,
            campaign_updates::campaign_id,
            campaign_updates::published_at,
            campaign_updates::is_target_response,
        ))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut texts = texts_of(conn, &ids)?;
    let mut by_campaign: HashMap<i64, Vec<PublishedUpdate>> = HashMap::new();
    for (id, campaign_id, published_at, is_target_response) in rows {
        let Some(published_at) = published_at else {
            continue;
        };
        by_campaign
            .entry(campaign_id)
            .or_default()
            .push(PublishedUpdate {
                id,
                published_at,
                is_target_response,
                texts: texts.remove(&id).unwrap_or_default(),
            });
    }
    Ok(by_campaign)
}
