//! The two pages of updates: the campaign's list with the form for a new one, and one
//! update with its previews in each language, its progress and its switches.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};

use super::super::auth::StaffSession;
use super::super::{StaffError, admin_page, campaign_title};
use super::UpdateForm;
use crate::db::campaigns::CampaignWithTexts;
use crate::db::updates::{self, Progress, Update};
use crate::domain::{Lang, UpdateDraft, UpdateErrors, text_for};
use crate::pages::staff::{
    UpdatePage, UpdatePreview, UpdateSummary, UpdatesPage, fields, languages, progress_view,
};
use crate::routes::{AppState, render};

pub(super) fn parse(
    form: &UpdateForm,
    campaign: &CampaignWithTexts,
) -> Result<UpdateDraft, UpdateErrors> {
    let field = |name: &str, lang: Lang| {
        form.get(&format!("{name}_{}", lang.code()))
            .map(String::as_str)
            .unwrap_or_default()
    };
    let fields: Vec<(Lang, &str, &str)> = languages(campaign)
        .into_iter()
        .map(|lang| (lang, field("subject", lang), field("body", lang)))
        .collect();
    UpdateDraft::parse(&fields, campaign.campaign.default_lang())
}

/// The update `update_id` of the campaign, with how far its sending has got.
pub(super) async fn load_update(
    state: &AppState,
    session: &StaffSession,
    campaign: &CampaignWithTexts,
    update_id: i64,
) -> Result<(Update, Progress), StaffError> {
    let campaign_id = campaign.campaign.id;
    state
        .db
        .run(move |conn| updates::find(conn, campaign_id, update_id))
        .await
        .map_err(|error| session.unavailable(error))?
        .ok_or_else(|| session.not_found("admin-update-not-found"))
}

pub(super) async fn list_page(
    state: &AppState,
    req: &HttpRequest,
    session: &StaffSession,
    campaign: &CampaignWithTexts,
    typed: Option<&UpdateForm>,
    errors: &UpdateErrors,
) -> Result<HttpResponse, StaffError> {
    let tr = session.tr();
    let campaign_id = campaign.campaign.id;
    let all = state
        .db
        .run(move |conn| updates::list(conn, campaign_id))
        .await
        .map_err(|error| session.unavailable(error))?;
    let default = campaign.campaign.default_lang();
    let summaries = all
        .into_iter()
        .map(|(update, progress)| UpdateSummary {
            id: update.row.id,
            subject: text_for(&update.texts, default, default)
                .map(|t| t.subject().to_owned())
                .unwrap_or_default(),
            created: tr.date_time(&update.row.created_at),
            sent: update
                .row
                .sent_at
                .map(|at| tr.date_time(&at))
                .unwrap_or_default(),
            progress: progress_view(progress, session.tr()),
            published: update.row.published_at.is_some(),
            is_target_response: update.row.is_target_response,
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &UpdatesPage {
            page: admin_page(req, Some(session)),
            slug: campaign.campaign.slug.clone(),
            title: campaign_title(campaign),
            updates: summaries,
            fields: fields(campaign, typed, &[], errors, session.tr()),
            has_errors: !errors.is_empty(),
        },
    ))
}

/// What the update page says after an action.
#[derive(Default)]
pub(super) struct Outcome {
    pub status: Option<StatusCode>,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub too_soon: bool,
    /// What staff typed into the edit form, with what was wrong with it.
    pub typed: Option<(UpdateForm, UpdateErrors)>,
}

impl Outcome {
    /// Refused because the update's state does not allow it: 409, saying why.
    pub fn refused(error: String) -> Self {
        Self {
            status: Some(StatusCode::CONFLICT),
            error: Some(error),
            ..Self::default()
        }
    }
}

pub(super) async fn update_page(
    state: &AppState,
    req: &HttpRequest,
    session: &StaffSession,
    campaign: &CampaignWithTexts,
    update_id: i64,
    outcome: Outcome,
) -> Result<HttpResponse, StaffError> {
    let tr = session.tr();
    let (update, progress) = load_update(state, session, campaign, update_id).await?;
    let previews = UpdatePreview::each(
        &state.test_mail.composer,
        campaign,
        &update.texts,
        &session.tr().t("admin-update-preview-name"),
        &format!("{}/unsubscribe/…", state.base_url),
    );
    let (typed, errors) = match &outcome.typed {
        Some((typed, errors)) => (Some(typed), errors.clone()),
        None => (None, Vec::new()),
    };
    let row = &update.row;
    Ok(render(
        outcome.status.unwrap_or(StatusCode::OK),
        &UpdatePage {
            page: admin_page(req, Some(session)),
            slug: campaign.campaign.slug.clone(),
            campaign_title: campaign_title(campaign),
            id: row.id,
            created: tr.date_time(&row.created_at),
            sent: row
                .sent_at
                .map(|at| (tr.date_time(&at), row.sent_by.clone().unwrap_or_default())),
            queueing: row.sent_at.is_some() && row.queued_at.is_none(),
            cancellable_until: row
                .sent_at
                .filter(|_| row.cancellable())
                .map(|at| tr.date_time(&at)),
            progress: progress_view(progress, session.tr()),
            published: row.published_at.map(|at| tr.date_time(&at)),
            is_target_response: row.is_target_response,
            previews,
            fields: fields(campaign, typed, &update.texts, &errors, session.tr()),
            notice: outcome.notice,
            error: outcome.error,
            too_soon: outcome.too_soon,
        },
    ))
}
