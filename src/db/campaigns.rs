//! Campaigns and their texts in each language.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::Connection as _;
use diesel::prelude::*;

use super::Connection;
use super::schema::{campaign_texts, campaigns};
use crate::domain::{FormRules, Lang};

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
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = campaign_texts)]
pub struct CampaignText {
    pub campaign_id: i64,
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub body: String,
}

/// A campaign with all of its translations.
#[derive(Debug, Clone)]
pub struct CampaignWithTexts {
    pub campaign: Campaign,
    pub texts: Vec<CampaignText>,
}

impl Campaign {
    /// Whether signatures are taken right now: open, and not past its closing time.
    pub fn accepts_signatures(&self, now: NaiveDateTime) -> bool {
        self.is_open && self.closes_at.is_none_or(|closes| now < closes)
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
}

impl CampaignWithTexts {
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
    Ok(Some(CampaignWithTexts { campaign, texts }))
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

/// Every campaign, newest first, with its texts: what the in-memory campaign cache holds.
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
    Ok(all
        .into_iter()
        .map(|campaign| CampaignWithTexts {
            texts: texts.remove(&campaign.id).unwrap_or_default(),
            campaign,
        })
        .collect())
}

pub fn count(conn: &mut Connection) -> QueryResult<i64> {
    campaigns::table.count().get_result(conn)
}

/// Everything needed to create a campaign.
#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub slug: String,
    pub default_lang: Lang,
    pub goal: i64,
    pub default_country: String,
    pub postal_code_required: bool,
    pub texts: Vec<NewCampaignText>,
}

#[derive(Debug, Clone)]
pub struct NewCampaignText {
    pub lang: Lang,
    pub title: String,
    pub summary: String,
    pub body: String,
}

pub fn insert(conn: &mut Connection, new: &NewCampaign, now: NaiveDateTime) -> QueryResult<i64> {
    conn.transaction(|conn| {
        let id: i64 = diesel::insert_into(campaigns::table)
            .values((
                campaigns::slug.eq(&new.slug),
                campaigns::default_lang.eq(new.default_lang.code()),
                campaigns::goal.eq(new.goal),
                campaigns::default_country.eq(&new.default_country),
                campaigns::postal_code_required.eq(new.postal_code_required),
                campaigns::is_open.eq(true),
                campaigns::created_at.eq(now),
                campaigns::updated_at.eq(now),
            ))
            .returning(campaigns::id)
            .get_result(conn)?;
        for text in &new.texts {
            diesel::insert_into(campaign_texts::table)
                .values((
                    campaign_texts::campaign_id.eq(id),
                    campaign_texts::lang.eq(text.lang.code()),
                    campaign_texts::title.eq(&text.title),
                    campaign_texts::summary.eq(&text.summary),
                    campaign_texts::body.eq(&text.body),
                ))
                .execute(conn)?;
        }
        Ok(id)
    })
}
