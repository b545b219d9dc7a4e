//! The updates of a campaign: the list with its form, and one update.

use askama::Template;

use super::AdminPage;

/// One language's fields of the update form.
pub struct UpdateFields {
    pub code: &'static str,
    pub name: &'static str,
    pub subject: String,
    pub body: String,
    pub subject_error: Option<String>,
    pub body_error: Option<String>,
}

/// A campaign's updates, and the form to write a new one.
#[derive(Template)]
#[template(path = "admin/updates.html")]
pub struct UpdatesPage {
    pub page: AdminPage,
    pub slug: String,
    pub title: String,
    pub updates: Vec<UpdateSummary>,
    pub fields: Vec<UpdateFields>,
    pub has_errors: bool,
}

pub struct UpdateSummary {
    pub id: i64,
    pub subject: String,
    pub created: String,
    /// Empty while not sent.
    pub sent: String,
    pub progress: UpdateProgress,
    pub published: bool,
    pub is_target_response: bool,
}

pub struct UpdateProgress {
    pub queued: String,
    pub sent: String,
    pub failed: String,
    pub waiting: String,
}

/// One language of an update as signers will get it.
pub struct UpdatePreview {
    pub code: &'static str,
    pub name: &'static str,
    pub subject: String,
    /// Already escaped: every character of staff's text, with links made.
    pub body_html: String,
    pub text: String,
}

/// One update: its preview, how far it has gone, and what staff can do with it.
#[derive(Template)]
#[template(path = "admin/update.html")]
pub struct UpdatePage {
    pub page: AdminPage,
    pub slug: String,
    pub campaign_title: String,
    pub id: i64,
    pub created: String,
    /// When and by whom it was sent; `None` while it can still be edited.
    pub sent: Option<(String, String)>,
    pub queueing: bool,
    /// When its emails start going out, while it can still be cancelled.
    pub cancellable_until: Option<String>,
    pub progress: UpdateProgress,
    pub published: Option<String>,
    pub is_target_response: bool,
    pub previews: Vec<UpdatePreview>,
    /// The edit form, while not sent.
    pub fields: Vec<UpdateFields>,
    /// What the last action did, or why it was refused.
    pub notice: Option<String>,
    pub error: Option<String>,
    /// When sending was refused by the daily rule: the override is offered, checked off.
    pub too_soon: bool,
}
