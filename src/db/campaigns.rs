//! Campaigns and their texts in each language.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::Connection as _;
use diesel::prelude::*;

use super::Connection;
use super::schema::{campaign_texts, campaigns};
use super::updates::{self, PublishedUpdate};
use crate::domain::{CampaignDraft, EmbedOrigins, FormRules, Lang, rising_goal};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = campaigns)]
pub struct Campaign {
    pub id: i64,
    pub slug: String,
    pub default_lang: String,
    pub goal: i64,
    pub default_country: String,
    pub postal_code_required: bool,
    pub is_open: bool,
    pub closes_at: Option<NaiveDateTime>,
    pub embed_origins: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub paused_at: Option<NaiveDateTime>,
    pub paused_message: String,
    /// What the goal is multiplied by each time the count reaches it; 1 keeps it as set.
    pub goal_multiplier: i32,
    /// Refuse addresses on throwaway-mail domains instead of flagging them.
    pub refuse_throwaway: bool,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = campaign_texts)]
pub struct CampaignText {
    pub campaign_id: i64,
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub target: String,
    pub demand: String,
}

/// Signing stopped for a while by staff, with what supporters are told.
#[derive(Debug, Clone, Copy)]
pub struct Pause<'a> {
    pub message: Option<&'a str>,
}

/// A campaign with all of its translations.
#[derive(Debug, Clone)]
pub struct CampaignWithTexts {
    pub campaign: Campaign,
    pub texts: Vec<CampaignText>,
    /// Updates shown on the campaign page, the target's response first.
    pub updates: Vec<PublishedUpdate>,
}

impl Campaign {
    /// Whether signatures are taken right now: open, and not past its closing time.
    pub fn accepts_signatures(&self, now: NaiveDateTime) -> bool {
        self.is_open && self.closes_at.is_none_or(|closes| now < closes)
    }

    /// The goal supporters see with `count` signatures: the goal as set, or, on a campaign
    /// with a rising goal, the first multiple of it the count has not reached yet.
    pub fn current_goal(&self, count: i64) -> i64 {
        rising_goal(self.goal, self.goal_multiplier, count)
    }

    /// Why signing is paused, when staff have paused it: their words, or `None` for the
    /// standard note.
    pub fn pause(&self) -> Option<Pause<'_>> {
        self.paused_at.map(|_| Pause {
            message: Some(self.paused_message.trim()).filter(|m| !m.is_empty()),
        })
    }

    pub fn form_rules(&self) -> FormRules {
        FormRules {
            campaign_id: self.id,
            postal_code_required: self.postal_code_required,
        }
    }

    pub fn default_lang(&self) -> Lang {
        Lang::parse(&self.default_lang).unwrap_or(Lang::Es)
    }

    /// The partner sites that may frame the form and call the signing API.
    pub fn embed_origins(&self) -> EmbedOrigins {
        EmbedOrigins::parse(&self.embed_origins)
    }
}

impl CampaignWithTexts {
    /// What the campaign page shows of its updates, to tell a page rendered before staff
    /// published, took down or marked one from a page rendered after.
    pub fn updates_version(&self) -> String {
        self.updates
            .iter()
            .map(|u| {
                format!(
                    "{}@{}{}",
                    u.id,
                    u.published_at,
                    if u.is_target_response { "r" } else { "" }
                )
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The languages the campaign has texts in, in the switcher's order: only these are
    /// offered, so that no page puts French labels around a Spanish text.
    pub fn languages(&self) -> Vec<Lang> {
        Lang::ALL
            .into_iter()
            .filter(|lang| self.texts.iter().any(|t| t.lang == lang.code()))
            .collect()
    }

    /// `wanted` when the campaign has a text in it, else the campaign's own language.
    pub fn page_lang(&self, wanted: Lang) -> Lang {
        if self.texts.iter().any(|t| t.lang == wanted.code()) {
            wanted
        } else {
            self.campaign.default_lang()
        }
    }

    /// The text in `lang`, else in the campaign's default language, else any.
    pub fn text(&self, lang: Lang) -> Option<&CampaignText> {
        let default = self.campaign.default_lang();
        self.texts
            .iter()
            .find(|t| t.lang == lang.code())
            .or_else(|| self.texts.iter().find(|t| t.lang == default.code()))
            .or_else(|| self.texts.first())
    }
}

pub fn find_by_slug(conn: &mut Connection, slug: &str) -> QueryResult<Option<CampaignWithTexts>> {
    let Some(campaign) = campaigns::table
        .filter(campaigns::slug.eq(slug))
        .select(Campaign::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let texts = campaign_texts::table
        .filter(campaign_texts::campaign_id.eq(campaign.id))
        .select(CampaignText::as_select())
        .load(conn)?;
    let updates = updates::published(conn, &[campaign.id])?
        .remove(&campaign.id)
        .unwrap_or_default();
    Ok(Some(CampaignWithTexts {
        campaign,
        texts,
        updates,
    }))
}

pub fn find_by_id(conn: &mut Connection, id: i64) -> QueryResult<Option<CampaignWithTexts>> {
    let slug: Option<String> = campaigns::table
        .find(id)
        .select(campaigns::slug)
        .first(conn)
        .optional()?;
    match slug {
        Some(slug) => find_by_slug(conn, &slug),
        None => Ok(None),
    }
}

/// Every campaign, newest first, with its texts: what staff list and the in-memory campaign
/// cache holds.
pub fn list_all(conn: &mut Connection) -> QueryResult<Vec<CampaignWithTexts>> {
    let all: Vec<Campaign> = campaigns::table
        .order(campaigns::created_at.desc())
        .select(Campaign::as_select())
        .load(conn)?;
    let mut texts: HashMap<i64, Vec<CampaignText>> = HashMap::new();
    for text in campaign_texts::table
        .select(CampaignText::as_select())
        .load::<CampaignText>(conn)?
    {
        texts.entry(text.campaign_id).or_default().push(text);
    }
    let ids: Vec<i64> = all.iter().map(|c| c.id).collect();
    let mut published = updates::published(conn, &ids)?;
    Ok(all
        .into_iter()
        .map(|campaign| CampaignWithTexts {
            texts: texts.remove(&campaign.id).unwrap_or_default(),
            updates: published.remove(&campaign.id).unwrap_or_default(),
            campaign,
        })
        .collect())
}

pub fn count(conn: &mut Connection) -> QueryResult<i64> {
    campaigns::table.count().get_result(conn)
}

/// Creates a campaign with its texts; `Ok(None)` when the slug is taken.
pub fn insert(
    conn: &mut Connection,
    draft: &CampaignDraft,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    conn.transaction(|conn| {
        let id: Option<i64> = on_each_backend!(conn, |conn| {
            diesel::insert_into(campaigns::table)
                .values((
                    campaigns::slug.eq(draft.slug.as_str()),
                    campaigns::created_at.eq(now),
                    campaigns::updated_at.eq(now),
                    settings(draft),
                ))
                .on_conflict(campaigns::slug)
                .do_nothing()
                .returning(campaigns::id)
                .get_result(conn)
                .optional()
        })?;
        if let Some(id) = id {
            replace_texts(conn, id, draft)?;
        }
        Ok(id)
    })
}

/// Saves an edited campaign. The slug is its public address and does not change.
pub fn update(
    conn: &mut Connection,
    id: i64,
    draft: &CampaignDraft,
    now: NaiveDateTime,
) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::update(campaigns::table.find(id))
            .set((campaigns::updated_at.eq(now), settings(draft)))
            .execute(conn)?;
        replace_texts(conn, id, draft)
    })
}

/// Opens or closes a campaign for signing.
pub fn set_open(conn: &mut Connection, id: i64, open: bool, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(campaigns::table.find(id))
        .set((campaigns::is_open.eq(open), campaigns::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Pauses signing with `message` for supporters (empty for the standard note), or, with
/// `None`, resumes it.
pub fn set_paused(
    conn: &mut Connection,
    id: i64,
    message: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(campaigns::table.find(id))
        .set((
            campaigns::paused_at.eq(message.map(|_| now)),
            campaigns::paused_message.eq(message.unwrap_or_default()),
            campaigns::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

#[allow(clippy::type_complexity)]
fn settings(
    draft: &CampaignDraft,
) -> (
    diesel::dsl::Eq<campaigns::default_lang, &'static str>,
    diesel::dsl::Eq<campaigns::goal, i64>,
    diesel::dsl::Eq<campaigns::default_country, &'static str>,
    diesel::dsl::Eq<campaigns::postal_code_required, bool>,
    diesel::dsl::Eq<campaigns::is_open, bool>,
    diesel::dsl::Eq<campaigns::closes_at, Option<NaiveDateTime>>,
    diesel::dsl::Eq<campaigns::embed_origins, String>,
    diesel::dsl::Eq<campaigns::goal_multiplier, i32>,
) {
    (
        campaigns::default_lang.eq(draft.default_lang.code()),
        campaigns::goal.eq(draft.goal),
        campaigns::default_country.eq(draft.default_country.code()),
        campaigns::postal_code_required.eq(draft.postal_code_required),
        campaigns::is_open.eq(draft.is_open),
        campaigns::closes_at.eq(draft.closes_at),
        campaigns::embed_origins.eq(draft.embed_origins.clone()),
        campaigns::goal_multiplier.eq(draft.goal_multiplier),
    )
}

fn replace_texts(conn: &mut Connection, id: i64, draft: &CampaignDraft) -> QueryResult<()> {
    diesel::delete(campaign_texts::table.filter(campaign_texts::campaign_id.eq(id)))
        .execute(conn)?;
    for text in &draft.texts {
        diesel::insert_into(campaign_texts::table)
            .values((
                campaign_texts::campaign_id.eq(id),
                campaign_texts::lang.eq(text.lang.code()),
                campaign_texts::title.eq(&text.title),
                campaign_texts::summary.eq(&text.summary),
                campaign_texts::body.eq(&text.body),
                campaign_texts::target.eq(&text.target),
                campaign_texts::demand.eq(&text.demand),
            ))
            .execute(conn)?;
    }
    Ok(())
}
