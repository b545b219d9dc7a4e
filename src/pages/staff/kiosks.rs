//! The kiosks of a campaign.

use askama::Template;
use chrono::NaiveDateTime;

use super::AdminPage;
use crate::db::kiosks::KioskSummary;
use crate::domain::KioskState;
use crate::i18n::Tr;

/// One kiosk in the staff list.
pub struct KioskRow {
    pub id: i64,
    pub event: String,
    pub created: String,
    pub expires: String,
    /// Open, revoked or expired, in words.
    pub state: String,
    pub open: bool,
    /// Each count as this staff member's language writes numbers.
    pub counted: String,
    pub duplicates: String,
    pub invalid: String,
    pub refused: String,
    /// What the device last said it held, and when; `None` before it first said.
    pub waiting: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "admin/kiosks.html")]
pub struct KiosksPage {
    pub page: AdminPage,
    pub slug: String,
    pub title: String,
    pub kiosks: Vec<KioskRow>,
    /// The campaign's events, offered in the event field.
    pub events: Vec<String>,
    /// A link just made, shown this once.
    pub new_link: Option<String>,
    /// What was typed, kept when the form comes back with an error.
    pub values: KioskFormValues,
    pub error: Option<(&'static str, String)>,
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct KioskFormValues {
    pub event: String,
    pub place: String,
    pub held_on: String,
    pub source: String,
    pub expires: String,
    pub csrf_token: String,
}

impl KiosksPage {
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(name, _)| *name == field)
            .map(|(_, message)| message.as_str())
    }

    /// The lifetimes offered, the one chosen (or three days) selected.
    pub fn lifetimes(&self) -> Vec<(&'static str, String, bool)> {
        let chosen = if self.values.expires.is_empty() {
            "3d"
        } else {
            self.values.expires.as_str()
        };
        ["12h", "1d", "3d", "7d", "14d"]
            .into_iter()
            .map(|code| {
                let label = self.page.tr.t(&format!("admin-kiosk-expires-{code}"));
                (code, label, code == chosen)
            })
            .collect()
    }
}

fn when(at: NaiveDateTime, tr: Tr) -> String {
    format!("{} UTC", tr.date_time(&at))
}

impl KioskRow {
    /// A kiosk as the list shows it, its numbers and times written for `tr`'s reader.
    pub fn new(summary: KioskSummary, now: NaiveDateTime, tr: Tr) -> Self {
        let kiosk = summary.kiosk;
        let state = kiosk.state(now);
        KioskRow {
            id: kiosk.id,
            event: summary.event_name,
            created: when(kiosk.created_at, tr),
            expires: when(kiosk.expires_at, tr),
            state: tr.t(match state {
                KioskState::Open => "admin-kiosk-open",
                KioskState::Revoked => "admin-kiosk-revoked",
                KioskState::Expired => "admin-kiosk-expired",
            }),
            open: state == KioskState::Open,
            counted: tr.number(summary.counted),
            duplicates: tr.number(summary.duplicates),
            invalid: tr.number(summary.invalid),
            refused: tr.number(summary.refused),
            waiting: kiosk
                .reported_at
                .map(|at| (tr.number(kiosk.waiting.into()), when(at, tr))),
        }
    }
}
