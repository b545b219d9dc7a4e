//! The review page of a campaign.

use askama::Template;

use super::AdminPage;
use crate::domain::ConditionInput;

/// A row of what is unusual now, each number as the staff member's language writes it.
pub struct TrendRow {
    pub hour: String,
    pub dimension: String,
    /// The value as stored (a domain, a network's hash, a source code...).
    pub value: String,
    /// The search that selects this row's signatures.
    pub search: String,
    pub count: String,
    pub expected: String,
    pub confirmation_rate: String,
}

/// A match shown before anything is done: never a whole address.
pub struct SampleRow {
    pub email: String,
    pub country: String,
    pub source: String,
    pub signed: String,
}

/// What a search found.
pub struct ReviewPreview {
    pub count: i64,
    pub count_shown: String,
    pub sample: Vec<SampleRow>,
    /// The number staff must type back before so many are invalidated, when they must.
    pub confirm: Option<String>,
}

pub struct InvalidationRow {
    pub id: i64,
    pub created: String,
    pub created_by: String,
    pub reason: String,
    pub conditions: String,
    pub affected: String,
    /// Running, cancelled, done, being undone or undone, in words.
    pub state: String,
    pub running: bool,
    pub undoable: bool,
}

#[derive(Template)]
#[template(path = "admin/review.html")]
pub struct ReviewPage {
    pub page: AdminPage,
    pub slug: String,
    pub title: String,
    pub trends: Vec<TrendRow>,
    /// "This wasn't me" reports in the last day, by email domain.
    pub reports: Vec<(String, String)>,
    pub flagged: String,
    pub refuse_throwaway: bool,
    pub search: ConditionInput,
    pub searched: bool,
    pub preview: Option<ReviewPreview>,
    pub reason: String,
    pub error: Option<(&'static str, String)>,
    /// What was just done, to say so at the top.
    pub notice: Option<String>,
    pub invalidations: Vec<InvalidationRow>,
}

impl ReviewPage {
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(name, _)| *name == field)
            .map(|(_, message)| message.as_str())
    }

    /// The channels offered in the search, the one chosen selected.
    pub fn channels(&self) -> Vec<(&'static str, String, bool)> {
        ["", "online", "paper", "kiosk"]
            .into_iter()
            .map(|code| {
                let label = if code.is_empty() {
                    self.page.tr.t("review-any")
                } else {
                    self.page.tr.t(&format!("review-channel-{code}"))
                };
                (code, label, code == self.search.channel)
            })
            .collect()
    }
}
