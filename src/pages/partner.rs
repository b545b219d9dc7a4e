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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(slug: &str, day: &str, channel: &str, confirmed: i64) -> CountRow {
        CountRow {
            keys: vec![slug.to_owned(), day.to_owned(), channel.to_owned()],
            confirmed,
            pending: 7,
        }
    }

    #[test]
    fn days_add_paper_and_kiosk_as_in_person_newest_first_and_only_this_campaigns() {
        let rows = [
            row("ayotzinapa", "2026-12-01", "online", 3),
            row("ayotzinapa", "2026-12-01", "paper", 2),
            row("ayotzinapa", "2026-12-01", "kiosk", 1),
            row("ayotzinapa", "2026-12-02", "online", 0),
            row("ayotzinapa", "2026-12-03", "online", 5),
            row("otra", "2026-12-03", "online", 40),
        ];
        let campaign = PartnerCampaign::new("ayotzinapa".into(), "T".into(), &rows, None, "tok");
        let days: Vec<(&str, i64, i64)> = campaign
            .days
            .iter()
            .map(|d| (d.day.as_str(), d.online, d.in_person))
            .collect();
        assert_eq!(days, [("2026-12-03", 5, 0), ("2026-12-01", 3, 3)]);
        assert_eq!((campaign.online, campaign.in_person), (8, 3));
        assert_eq!(
            campaign.export_href,
            "/partner/tok/campaigns/ayotzinapa/signatures.csv"
        );
    }
}
