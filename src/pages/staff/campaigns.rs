//! The campaign list and the campaign editor.

use askama::Template;

use super::AdminPage;
use crate::domain::{CampaignInput, Lang};
use crate::i18n::CountryName;

pub struct CampaignRow {
    pub slug: String,
    pub title: String,
    pub open: bool,
    pub confirmed: String,
    pub pending: String,
    pub goal: String,
}

#[derive(Template)]
#[template(path = "admin/campaigns.html")]
pub struct CampaignListPage {
    pub page: AdminPage,
    pub campaigns: Vec<CampaignRow>,
}

pub struct LanguageFields {
    pub code: &'static str,
    pub name: &'static str,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub target: String,
    pub demand: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/campaign_form.html")]
pub struct CampaignFormPage {
    pub page: AdminPage,
    /// `None` when creating a campaign.
    pub editing: Option<String>,
    pub action: String,
    pub values: CampaignInput,
    /// Field names and message ids, as `CampaignDraft::parse` gives them.
    pub errors: Vec<(&'static str, &'static str)>,
    pub countries: &'static [CountryName],
    pub languages: Vec<LanguageFields>,
}

impl CampaignFormPage {
    /// The problem with `field`, in the staff member's language.
    pub fn error(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, message)| self.page.tr.t(message))
    }

    /// What the goal may do once reached: stay, or grow by one of these factors.
    pub fn goal_multiplier_options(&self) -> Vec<(&'static str, String, bool)> {
        let chosen = match self.values.goal_multiplier.trim() {
            "" => "1",
            other => other,
        };
        ["1", "2", "5", "10"]
            .into_iter()
            .map(|value| {
                let label = match value {
                    "1" => self.page.tr.t("admin-goal-keep"),
                    factor => self.page.tr.t1("admin-goal-multiply", "factor", factor),
                };
                (value, label, value == chosen)
            })
            .collect()
    }

    pub fn language_options(&self) -> Vec<(&'static str, &'static str, bool)> {
        Lang::ALL
            .iter()
            .map(|lang| {
                (
                    lang.code(),
                    lang.endonym(),
                    lang.code() == self.values.default_lang,
                )
            })
            .collect()
    }
}
