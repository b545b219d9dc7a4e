//! The updates of a campaign: the list with its form, and one update.

use std::collections::HashMap;

use askama::Template;

use super::AdminPage;
use crate::db::campaigns::CampaignWithTexts;
use crate::db::updates::Progress;
use crate::domain::{Lang, UpdateErrors, UpdateField, UpdateText, UpdateTextError};
use crate::i18n::Tr;
use crate::mail::{CampaignForMail, Composer};

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

impl UpdatePreview {
    /// Each language's email as signers will get it, addressed to `name` with the
    /// unsubscribe link `unsubscribe`.
    pub fn each(
        composer: &Composer,
        campaign: &CampaignWithTexts,
        texts: &[UpdateText],
        name: &str,
        unsubscribe: &str,
    ) -> Vec<Self> {
        texts
            .iter()
            .map(|text| {
                let content = composer.update_content(
                    text,
                    name,
                    &CampaignForMail::of(campaign, text.lang()),
                    Some(unsubscribe),
                );
                Self {
                    code: text.lang().code(),
                    name: text.lang().endonym(),
                    subject: text.subject().to_owned(),
                    body_html: text.body_html(),
                    text: content.map(|c| c.text).unwrap_or_default(),
                }
            })
            .collect()
    }
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

/// The campaign's languages, its default first.
pub fn languages(campaign: &CampaignWithTexts) -> Vec<Lang> {
    let default = campaign.campaign.default_lang();
    let mut langs = vec![default];
    langs.extend(
        Lang::ALL.into_iter().filter(|lang| {
            *lang != default && campaign.texts.iter().any(|t| t.lang == lang.code())
        }),
    );
    langs
}

/// The form's fields, filled from what was typed or else from the stored texts.
pub fn fields(
    campaign: &CampaignWithTexts,
    typed: Option<&HashMap<String, String>>,
    texts: &[UpdateText],
    errors: &UpdateErrors,
    tr: Tr,
) -> Vec<UpdateFields> {
    let error = |lang: Lang, wanted: UpdateField| {
        errors
            .iter()
            .find(|(l, field, _)| *l == lang && *field == wanted)
            .map(|(_, _, e): &(Lang, UpdateField, UpdateTextError)| tr.t(e.message_key()))
    };
    languages(campaign)
        .into_iter()
        .map(|lang| {
            let stored = texts.iter().find(|t| t.lang() == lang);
            let value = |name: &str, stored: Option<&str>| match typed {
                Some(form) => form
                    .get(&format!("{name}_{}", lang.code()))
                    .cloned()
                    .unwrap_or_default(),
                None => stored.unwrap_or_default().to_owned(),
            };
            UpdateFields {
                code: lang.code(),
                name: lang.endonym(),
                subject: value("subject", stored.map(UpdateText::subject)),
                body: value("body", stored.map(UpdateText::body)),
                subject_error: error(lang, UpdateField::Subject),
                body_error: error(lang, UpdateField::Body),
            }
        })
        .collect()
}

pub fn progress_view(progress: Progress, tr: Tr) -> UpdateProgress {
    UpdateProgress {
        queued: tr.number(progress.queued),
        sent: tr.number(progress.sent),
        failed: tr.number(progress.failed),
        waiting: tr.number(progress.waiting()),
    }
}
