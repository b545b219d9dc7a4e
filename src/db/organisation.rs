//! The organisation's settings: one row, and its words in each language.

use chrono::NaiveDateTime;
use diesel::Connection as _;
use diesel::prelude::*;

use super::Connection;
use super::schema::{organisation, organisation_texts};
use crate::domain::{Lang, Organisation, OrganisationText};

/// The one row's key.
const ROW: i64 = 1;

#[derive(Queryable, Selectable)]
#[diesel(table_name = organisation)]
struct Row {
    sender_name: String,
    reply_to: String,
    postal_address: String,
    data_controller: String,
    privacy_url: String,
    brand_colour: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = organisation_texts)]
struct TextRow {
    lang: String,
    name: String,
    short_name: String,
    privacy_notice: String,
}

/// The settings; all empty until someone sets them.
pub fn load(conn: &mut Connection) -> QueryResult<Organisation> {
    let row = organisation::table
        .find(ROW)
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    let texts = organisation_texts::table
        .select(TextRow::as_select())
        .load(conn)?
        .into_iter()
        .filter_map(|t| {
            Some(OrganisationText {
                lang: Lang::parse(&t.lang)?,
                name: t.name,
                short_name: t.short_name,
                privacy_notice: t.privacy_notice,
            })
        })
        .collect();
    let Some(row) = row else {
        return Ok(Organisation {
            texts,
            ..Organisation::default()
        });
    };
    Ok(Organisation {
        texts,
        sender_name: row.sender_name,
        reply_to: row.reply_to,
        postal_address: row.postal_address,
        data_controller: row.data_controller,
        privacy_url: row.privacy_url,
        brand_colour: row.brand_colour,
    })
}

/// Replaces the settings with `settings`.
pub fn save(conn: &mut Connection, settings: &Organisation, now: NaiveDateTime) -> QueryResult<()> {
    conn.transaction(|conn| {
        let values = (
            organisation::sender_name.eq(&settings.sender_name),
            organisation::reply_to.eq(&settings.reply_to),
            organisation::postal_address.eq(&settings.postal_address),
            organisation::data_controller.eq(&settings.data_controller),
            organisation::privacy_url.eq(&settings.privacy_url),
            organisation::brand_colour.eq(&settings.brand_colour),
            organisation::updated_at.eq(now),
        );
        let updated = diesel::update(organisation::table.find(ROW))
            .set(values)
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(organisation::table)
                .values((organisation::id.eq(ROW), values))
                .execute(conn)?;
        }
        diesel::delete(organisation_texts::table).execute(conn)?;
        for text in &settings.texts {
            diesel::insert_into(organisation_texts::table)
                .values((
                    organisation_texts::lang.eq(text.lang.code()),
                    organisation_texts::name.eq(&text.name),
                    organisation_texts::short_name.eq(&text.short_name),
                    organisation_texts::privacy_notice.eq(&text.privacy_notice),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}
