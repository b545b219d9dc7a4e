//! The demo campaign that a new installation shows, so there is something to sign at once.

use chrono::NaiveDateTime;

use crate::db::Connection;
use crate::db::campaigns;
use crate::domain::{CampaignDraft, CampaignText, Country, Lang, Slug};

pub const DEMO_SLUG: &str = "butterflies-for-mexico";

const DEMO_TEXTS: [(Lang, &str); 4] = [
    (Lang::Es, include_str!("demo/es.txt")),
    (Lang::En, include_str!("demo/en.txt")),
    (Lang::Fr, include_str!("demo/fr.txt")),
    (Lang::Pt, include_str!("demo/pt.txt")),
];

/// Creates the demo campaign if the database has no campaign at all. Returns whether it did.
pub fn seed_demo_if_empty(conn: &mut Connection, now: NaiveDateTime) -> diesel::QueryResult<bool> {
    if campaigns::count(conn)? > 0 {
        return Ok(false);
    }
    Ok(campaigns::insert(conn, &demo_campaign(), now)?.is_some())
}

fn demo_campaign() -> CampaignDraft {
    CampaignDraft {
        slug: Slug::parse(DEMO_SLUG).unwrap_or_else(|_| unreachable!("the demo slug is valid")),
        default_lang: Lang::Es,
        goal: 43_000,
        goal_multiplier: 1,
        default_country: Country::parse("MX").unwrap_or_else(|_| unreachable!("MX exists")),
        postal_code_required: false,
        is_open: true,
        closes_at: None,
        embed_origins: String::new(),
        texts: DEMO_TEXTS
            .iter()
            .map(|(lang, text)| parse_text(*lang, text))
            .collect(),
    }
}

/// A demo text file: the title on the first line, the summary on the second, the body after.
fn parse_text(lang: Lang, text: &str) -> CampaignText {
    let mut lines = text.splitn(3, '\n');
    CampaignText {
        lang,
        title: lines.next().unwrap_or_default().trim().to_owned(),
        summary: lines.next().unwrap_or_default().trim().to_owned(),
        body: lines.next().unwrap_or_default().trim().to_owned(),
        // The demo is an open letter to the President of Mexico.
        target: match lang {
            Lang::Es => "Presidencia de la República",
            Lang::En => "The President of Mexico",
            Lang::Fr => "La présidence du Mexique",
            Lang::Pt => "A Presidência do México",
        }
        .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_translation_has_a_title_summary_and_body() {
        let campaign = demo_campaign();
        assert_eq!(campaign.texts.len(), Lang::ALL.len());
        for text in &campaign.texts {
            assert!(!text.title.is_empty(), "{:?} has no title", text.lang);
            assert!(
                text.summary.len() > 80,
                "{:?} summary is too short",
                text.lang
            );
            assert!(text.body.split("\n\n").count() >= 4, "{:?} body", text.lang);
            assert!(text.body.contains("43") || text.summary.contains("43"));
        }
    }
}
