//! A partner's own page, opened with the link staff gave it: its counts by day, the snippet
//! that puts the form on its site, and the export of the signers who agreed to hear from it.

use std::collections::BTreeMap;

use askama::Template;

use super::Page;
use super::staff::Snippets;
use crate::db::reports::CountRow;

/// One day of one campaign: confirmed signatures the partner brought, online and in person.
pub struct PartnerDay {
    pub day: String,
    pub online: i64,
    pub in_person: i64,
}

pub struct PartnerCampaign {
    pub slug: String,
    pub title: String,
    /// Newest first.
    pub days: Vec<PartnerDay>,
    pub online: i64,
    pub in_person: i64,
    /// Only for campaigns open now: a closed one takes no more signatures.
    pub snippets: Option<Snippets>,
    pub export_href: String,
}

impl PartnerCampaign {
    /// A campaign's days from counts grouped by campaign, day and channel, already
    /// limited to the partner's source.
    pub fn new(
        slug: String,
        title: String,
        rows: &[CountRow],
        snippets: Option<Snippets>,
        token: &str,
    ) -> Self {
        let mut days: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        for row in rows.iter().filter(|row| row.keys[0] == slug) {
            let day = days.entry(row.keys[1].as_str()).or_default();
            match row.keys[2].as_str() {
                "online" => day.0 += row.confirmed,
                _ => day.1 += row.confirmed,
            }
        }
        let days: Vec<PartnerDay> = days
            .into_iter()
            .rev()
            .filter(|(_, (online, in_person))| online + in_person > 0)
            .map(|(day, (online, in_person))| PartnerDay {
                day: day.to_owned(),
                online,
                in_person,
            })
            .collect();
        Self {
            export_href: format!("/partner/{token}/campaigns/{slug}/signatures.csv"),
            online: days.iter().map(|d| d.online).sum(),
            in_person: days.iter().map(|d| d.in_person).sum(),
            slug,
            title,
            days,
            snippets,
        }
    }
}

#[derive(Template)]
#[template(path = "partner.html")]
pub struct PartnerPage {
    pub page: Page,
    pub partner_name: String,
    pub campaigns: Vec<PartnerCampaign>,
}
