//! The kiosks of a campaign.

use askama::Template;

use super::AdminPage;

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
    /// A link just made, shown this once, with its QR code (inline SVG).
    pub new_link: Option<String>,
    pub new_link_qr: Option<String>,
    pub copy_script: &'static str,
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
