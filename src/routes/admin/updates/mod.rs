//! Staff write updates to a campaign's signers: compose in the campaign's languages,
//! preview, send a test to themselves, send it (at most one a day unless they insist),
//! watch its progress, and show it on the campaign page, perhaps as the target's response.

mod pages;
mod sending;
mod writing;

use std::collections::HashMap;

pub use sending::{cancel, publish, send, target_response, test};
pub use writing::{create, edit, list, show};

/// The update form: `subject_{lang}` and `body_{lang}` for each of the campaign's
/// languages, and the CSRF token.
type UpdateForm = HashMap<String, String>;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SendForm {
    pub(super) csrf_token: String,
    /// Checked when staff confirm sending within a day of the last update.
    #[serde(rename = "override")]
    pub(super) override_daily_limit: Option<String>,
    /// "yes" from the confirmation step, which states to how many people it goes.
    pub(super) confirm: String,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SwitchForm {
    pub(super) csrf_token: String,
    /// "yes" or "no".
    pub(super) value: String,
}
