//! The review page of a campaign.

use askama::Template;
use chrono::{NaiveDateTime, TimeDelta};

use super::AdminPage;
use crate::db::campaigns::Campaign;
use crate::db::review::{Invalidation, SampleRow as Matched};
use crate::domain::{ConditionInput, Conditions, Trend, needs_second_confirmation, pseudonymised};
use crate::i18n::Tr;
use crate::review::asking::Refused;
use crate::review::{Found, Overview};

/// The search form as typed and what was just done, as the page shows them.
#[derive(Default)]
pub struct Searched {
    pub search: ConditionInput,
    pub searched: bool,
    pub reason: String,
    pub error: Option<(&'static str, String)>,
    pub notice: Option<String>,
}

impl Searched {
    /// The field at fault in an invalidation that was refused, and what is said beside it.
    pub fn refusal(tr: Tr, refused: &Refused) -> (&'static str, String) {
        match refused {
            Refused::Reason => ("reason", tr.t("review-invalid-reason")),
            Refused::ConfirmCount(matched) => (
                "confirm_count",
                tr.t1("review-confirm-count", "count", &tr.number(*matched)),
            ),
        }
    }
}

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
    pub fn new(
        page: AdminPage,
        campaign: &Campaign,
        title: String,
        overview: Overview,
        shown: Searched,
    ) -> Self {
        let tr = page.tr;
        Self {
            slug: campaign.slug.clone(),
            title,
            trends: overview
                .trends
                .into_iter()
                .map(|t| TrendRow::new(t, tr))
                .collect(),
            reports: overview
                .reports
                .into_iter()
                .map(|(domain, n)| (domain, tr.number(n)))
                .collect(),
            flagged: tr.number(overview.flagged),
            refuse_throwaway: campaign.refuse_throwaway,
            search: shown.search,
            searched: shown.searched,
            preview: overview.found.map(|found| ReviewPreview::new(found, tr)),
            reason: shown.reason,
            error: shown.error,
            notice: shown.notice,
            invalidations: overview
                .invalidations
                .into_iter()
                .map(|i| InvalidationRow::new(i, tr))
                .collect(),
            page,
        }
    }

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

fn when(at: NaiveDateTime, tr: Tr) -> String {
    format!("{} UTC", tr.date_time(&at))
}

impl ReviewPreview {
    fn new(found: Found, tr: Tr) -> Self {
        let Found {
            conditions,
            count,
            sample,
            counted,
        } = found;
        Self {
            count,
            count_shown: tr.number(count),
            sample: sample
                .into_iter()
                .map(|row| SampleRow::new(row, tr))
                .collect(),
            confirm: needs_second_confirmation(&conditions, count, counted)
                .then(|| tr.number(count)),
        }
    }
}

impl TrendRow {
    /// An unusual row, with the search that selects its signatures in its hour.
    pub fn new(trend: Trend, tr: Tr) -> Self {
        let dimension = trend.count.dimension;
        let (from, until) = (trend.count.hour, trend.count.hour + TimeDelta::hours(1));
        let search = form_urlencoded::Serializer::new(String::new())
            .append_pair(dimension.name(), &trend.count.value)
            .append_pair("from", &from.format("%Y-%m-%dT%H:%M").to_string())
            .append_pair("until", &until.format("%Y-%m-%dT%H:%M").to_string())
            .finish();
        TrendRow {
            hour: when(trend.count.hour, tr),
            dimension: tr.t(&format!("review-dimension-{}", dimension.name())),
            value: trend.count.value.clone(),
            search,
            count: tr.number(trend.count.signed),
            expected: format!("{:.1}", trend.expected),
            confirmation_rate: format!("{:.0}\u{a0}%", trend.confirmation_rate() * 100.0),
        }
    }
}

impl SampleRow {
    /// A match as the preview shows it: the address pseudonymised.
    pub fn new(row: Matched, tr: Tr) -> Self {
        SampleRow {
            email: pseudonymised(&row.email),
            country: row.country,
            source: row.source.unwrap_or_default(),
            signed: when(row.created_at, tr),
        }
    }
}

impl InvalidationRow {
    pub fn new(invalidation: Invalidation, tr: Tr) -> Self {
        let conditions: Conditions =
            serde_json::from_str(&invalidation.conditions).unwrap_or_default();
        let state = match (
            invalidation.undone_at,
            invalidation.cancelled_at,
            invalidation.finished_at,
        ) {
            (Some(_), _, None) => "review-state-undoing",
            (Some(_), _, Some(_)) => "review-state-undone",
            (None, Some(_), _) => "review-state-cancelled",
            (None, None, None) => "review-state-running",
            (None, None, Some(_)) => "review-state-done",
        };
        InvalidationRow {
            id: invalidation.id,
            created: when(invalidation.created_at, tr),
            created_by: invalidation.created_by,
            reason: invalidation.reason,
            conditions: conditions.describe(),
            affected: tr.number(invalidation.affected),
            state: tr.t(state),
            running: invalidation.undone_at.is_none() && invalidation.finished_at.is_none(),
            undoable: invalidation.undone_at.is_none(),
        }
    }
}
