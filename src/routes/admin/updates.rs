//! Staff write updates to a campaign's signers: compose in the campaign's languages,
//! preview, send a test to themselves, send it (at most one a day unless they insist),
//! watch its progress, and show it on the campaign page, perhaps as the target's response.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::auth::{CsrfForm, StaffSession};
use super::views::{
    UpdateFields, UpdatePage, UpdatePreview, UpdateProgress, UpdateSummary, UpdatesPage,
};
use super::{admin_page, record_audit};
use crate::db::StoreError;
use crate::db::campaigns::CampaignWithTexts;
use crate::db::updates::{self, Progress, SendRequest, Update};
use crate::domain::{
    Lang, UpdateDraft, UpdateErrors, UpdateField, UpdateText, UpdateTextError, text_for,
};
use crate::i18n::Tr;
use crate::mail::CampaignForMail;
use crate::routes::{AppState, render};

/// The update form: `subject_{lang}` and `body_{lang}` for each of the campaign's
/// languages, and the CSRF token.
type UpdateForm = HashMap<String, String>;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SendForm {
    csrf_token: String,
    /// Checked when staff confirm sending within a day of the last update.
    #[serde(rename = "override")]
    override_daily_limit: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SwitchForm {
    csrf_token: String,
    /// "yes" or "no".
    value: String,
}

fn unavailable(tr: Tr, error: StoreError) -> HttpResponse {
    tracing::error!(error = ?error, "a staff page could not reach the database");
    super::unavailable_page(tr)
}

fn not_found(tr: Tr, key: &str) -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body(tr.t(key))
}

/// The campaign's languages, its default first.
fn languages(campaign: &CampaignWithTexts) -> Vec<Lang> {
    let default = campaign.campaign.default_lang();
    let mut langs = vec![default];
    langs.extend(
        Lang::ALL.into_iter().filter(|lang| {
            *lang != default && campaign.texts.iter().any(|t| t.lang == lang.code())
        }),
    );
    langs
}

fn parse(form: &UpdateForm, campaign: &CampaignWithTexts) -> Result<UpdateDraft, UpdateErrors> {
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

/// The form's fields, filled from what was typed or else from the stored texts.
fn fields(
    campaign: &CampaignWithTexts,
    typed: Option<&UpdateForm>,
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

fn progress_view(progress: Progress, tr: Tr) -> UpdateProgress {
    UpdateProgress {
        queued: tr.number(progress.queued),
        sent: tr.number(progress.sent),
        failed: tr.number(progress.failed),
        waiting: tr.number(progress.waiting()),
    }
}

fn campaign_title(campaign: &CampaignWithTexts) -> String {
    campaign
        .text(campaign.campaign.default_lang())
        .map(|t| t.title.clone())
        .unwrap_or_else(|| campaign.campaign.slug.clone())
}

/// The campaign as an email in `lang` names it.
fn for_mail(campaign: &CampaignWithTexts, lang: Lang) -> CampaignForMail {
    CampaignForMail {
        slug: campaign.campaign.slug.clone(),
        title: campaign
            .text(lang)
            .map(|t| t.title.clone())
            .unwrap_or_default(),
        default_lang: campaign.campaign.default_lang(),
    }
}

async fn load_campaign(
    state: &AppState,
    slug: &str,
    tr: Tr,
) -> Result<Arc<CampaignWithTexts>, HttpResponse> {
    match state.campaigns.get(&state.db, slug).await {
        Ok(Some(campaign)) => Ok(campaign),
        Ok(None) => Err(not_found(tr, "admin-campaign-not-found")),
        Err(error) => Err(unavailable(tr, error)),
    }
}

/// The campaign a staff form acts on, once the form's token shows it came from our page.
async fn campaign_for_form(
    state: &AppState,
    session: &StaffSession,
    slug: &str,
    csrf: &str,
) -> Result<Arc<CampaignWithTexts>, HttpResponse> {
    session
        .check_csrf(state, csrf)
        .map_err(|refused| refused.response())?;
    load_campaign(state, slug, session.tr()).await
}

async fn load_update(
    state: &AppState,
    campaign: &CampaignWithTexts,
    update_id: i64,
    tr: Tr,
) -> Result<(Update, Progress), HttpResponse> {
    let campaign_id = campaign.campaign.id;
    match state
        .db
        .run(move |conn| updates::find(conn, campaign_id, update_id))
        .await
    {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(not_found(tr, "admin-update-not-found")),
        Err(error) => Err(unavailable(tr, error)),
    }
}

/// `GET /admin/campaigns/{slug}/updates`
pub async fn list(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    slug: web::Path<String>,
) -> HttpResponse {
    let campaign = match load_campaign(&state, &slug, session.tr()).await {
        Ok(campaign) => campaign,
        Err(response) => return response,
    };
    list_page(&state, &req, &session, &campaign, None, &Vec::new()).await
}

async fn list_page(
    state: &AppState,
    req: &HttpRequest,
    session: &StaffSession,
    campaign: &CampaignWithTexts,
    typed: Option<&UpdateForm>,
    errors: &UpdateErrors,
) -> HttpResponse {
    let tr = session.tr();
    let campaign_id = campaign.campaign.id;
    let all = match state
        .db
        .run(move |conn| updates::list(conn, campaign_id))
        .await
    {
        Ok(all) => all,
        Err(error) => return unavailable(session.tr(), error),
    };
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
    render(
        status,
        &UpdatesPage {
            page: admin_page(req, Some(session)),
            slug: campaign.campaign.slug.clone(),
            title: campaign_title(campaign),
            updates: summaries,
            fields: fields(campaign, typed, &[], errors, session.tr()),
            has_errors: !errors.is_empty(),
        },
    )
}

/// What the update page says after an action.
#[derive(Default)]
struct Outcome {
    status: Option<StatusCode>,
    notice: Option<String>,
    error: Option<String>,
    too_soon: bool,
    /// What staff typed into the edit form, with what was wrong with it.
    typed: Option<(UpdateForm, UpdateErrors)>,
}

async fn update_page(
    state: &AppState,
    req: &HttpRequest,
    session: &StaffSession,
    campaign: &CampaignWithTexts,
    update_id: i64,
    outcome: Outcome,
) -> HttpResponse {
    let tr = session.tr();
    let (update, progress) = match load_update(state, campaign, update_id, tr).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let composer = &state.test_mail.composer;
    let name = session.tr().t("admin-update-preview-name");
    let unsubscribe = format!("{}/unsubscribe/…", state.base_url);
    let previews = update
        .texts
        .iter()
        .map(|text| {
            let content = composer.update_content(
                text,
                &name,
                &for_mail(campaign, text.lang()),
                Some(&unsubscribe),
            );
            UpdatePreview {
                code: text.lang().code(),
                name: text.lang().endonym(),
                subject: text.subject().to_owned(),
                body_html: text.body_html(),
                text: content.map(|c| c.text).unwrap_or_default(),
            }
        })
        .collect();
    let (typed, errors) = match &outcome.typed {
        Some((typed, errors)) => (Some(typed), errors.clone()),
        None => (None, Vec::new()),
    };
    let row = &update.row;
    render(
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
            progress: progress_view(progress, session.tr()),
            published: row.published_at.map(|at| tr.date_time(&at)),
            is_target_response: row.is_target_response,
            previews,
            fields: fields(campaign, typed, &update.texts, &errors, session.tr()),
            notice: outcome.notice,
            error: outcome.error,
            too_soon: outcome.too_soon,
        },
    )
}

/// `POST /admin/campaigns/{slug}/updates`
pub async fn create(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    slug: web::Path<String>,
    form: web::Form<UpdateForm>,
) -> HttpResponse {
    let form = form.into_inner();
    let csrf = form
        .get("csrf_token")
        .map(String::as_str)
        .unwrap_or_default();
    let campaign = match campaign_for_form(&state, &session, &slug, csrf).await {
        Ok(campaign) => campaign,
        Err(response) => return response,
    };
    let draft = match parse(&form, &campaign) {
        Ok(draft) => draft,
        Err(errors) => {
            return list_page(&state, &req, &session, &campaign, Some(&form), &errors).await;
        }
    };
    let (campaign_id, actor, now) = (campaign.campaign.id, session.actor(), Utc::now());
    let saved = draft.clone();
    let id = match state
        .db
        .run(move |conn| updates::create(conn, campaign_id, &saved, &actor, now.naive_utc()))
        .await
    {
        Ok(id) => id,
        Err(error) => return unavailable(session.tr(), error),
    };
    record_audit(
        &state,
        &session.actor(),
        "update_created",
        &format!(
            "campaign={} update={id} languages={}",
            campaign.campaign.slug,
            languages_of(&draft)
        ),
    )
    .await;
    HttpResponse::SeeOther()
        .insert_header((
            LOCATION,
            format!("/admin/campaigns/{}/updates/{id}", campaign.campaign.slug),
        ))
        .finish()
}

fn languages_of(draft: &UpdateDraft) -> String {
    draft
        .texts()
        .iter()
        .map(|t| t.lang().code())
        .collect::<Vec<_>>()
        .join(",")
}

/// `GET /admin/campaigns/{slug}/updates/{id}`
pub async fn show(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
) -> HttpResponse {
    let (slug, id) = path.into_inner();
    let campaign = match load_campaign(&state, &slug, session.tr()).await {
        Ok(campaign) => campaign,
        Err(response) => return response,
    };
    update_page(&state, &req, &session, &campaign, id, Outcome::default()).await
}

/// `POST /admin/campaigns/{slug}/updates/{id}/edit`
pub async fn edit(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
    form: web::Form<UpdateForm>,
) -> HttpResponse {
    let (slug, id) = path.into_inner();
    let form = form.into_inner();
    let csrf = form
        .get("csrf_token")
        .map(String::as_str)
        .unwrap_or_default();
    let campaign = match campaign_for_form(&state, &session, &slug, csrf).await {
        Ok(campaign) => campaign,
        Err(response) => return response,
    };
    let draft = match parse(&form, &campaign) {
        Ok(draft) => draft,
        Err(errors) => {
            let outcome = Outcome {
                status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                error: Some(session.tr().t("admin-update-fix-errors")),
                typed: Some((form, errors)),
                ..Outcome::default()
            };
            return update_page(&state, &req, &session, &campaign, id, outcome).await;
        }
    };
    let campaign_id = campaign.campaign.id;
    let saved = draft.clone();
    let edited = match state
        .db
        .run(move |conn| updates::edit(conn, campaign_id, id, &saved))
        .await
    {
        Ok(edited) => edited,
        Err(error) => return unavailable(session.tr(), error),
    };
    let outcome = if edited {
        record_audit(
            &state,
            &session.actor(),
            "update_edited",
            &format!(
                "campaign={} update={id} languages={}",
                campaign.campaign.slug,
                languages_of(&draft)
            ),
        )
        .await;
        Outcome {
            notice: Some(session.tr().t("admin-update-saved")),
            ..Outcome::default()
        }
    } else {
        Outcome {
            status: Some(StatusCode::CONFLICT),
            error: Some(session.tr().t("admin-update-already-sent")),
            ..Outcome::default()
        }
    };
    update_page(&state, &req, &session, &campaign, id, outcome).await
}

/// `POST /admin/campaigns/{slug}/updates/{id}/test`: each language to the staff member's
/// own address.
pub async fn test(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    let (slug, id) = path.into_inner();
    let campaign = match campaign_for_form(&state, &session, &slug, &form.csrf_token).await {
        Ok(campaign) => campaign,
        Err(response) => return response,
    };
    let (update, _) = match load_update(&state, &campaign, id, session.tr()).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let mut failed = false;
    for text in &update.texts {
        let sent = state
            .test_mail
            .send_update(
                &session.email,
                text,
                &for_mail(&campaign, text.lang()),
                &session.tr().t("admin-update-test-marker"),
            )
            .await;
        if let Err(error) = sent {
            tracing::warn!(error = %error, update = id, "a test of an update could not be sent");
            failed = true;
            break;
        }
    }
    let outcome = if failed {
        Outcome {
            status: Some(StatusCode::BAD_GATEWAY),
            error: Some(session.tr().t("admin-update-test-failed")),
            ..Outcome::default()
        }
    } else {
        record_audit(
            &state,
            &session.actor(),
            "update_test_sent",
            &format!("campaign={} update={id}", campaign.campaign.slug),
        )
        .await;
        Outcome {
            notice: Some(
                session
                    .tr()
                    .t1("admin-update-test-sent", "email", &session.email),
            ),
            ..Outcome::default()
        }
    };
    update_page(&state, &req, &session, &campaign, id, outcome).await
}

/// `POST /admin/campaigns/{slug}/updates/{id}/send`
pub async fn send(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
    form: web::Form<SendForm>,
) -> HttpResponse {
    let (slug, id) = path.into_inner();
    let form = form.into_inner();
    let campaign = match campaign_for_form(&state, &session, &slug, &form.csrf_token).await {
        Ok(campaign) => campaign,
        Err(response) => return response,
    };
    let override_confirmed = form.override_daily_limit.as_deref() == Some("yes");
    let (campaign_id, actor, now) = (campaign.campaign.id, session.actor(), Utc::now());
    let requested = match state
        .db
        .run(move |conn| {
            updates::request_send(
                conn,
                campaign_id,
                id,
                &actor,
                override_confirmed,
                now.naive_utc(),
            )
        })
        .await
    {
        Ok(requested) => requested,
        Err(error) => return unavailable(session.tr(), error),
    };
    let outcome = match requested {
        SendRequest::Started => {
            state.update_wake.notify_one();
            record_audit(
                &state,
                &session.actor(),
                "update_sent",
                &format!(
                    "campaign={} update={id} override={}",
                    campaign.campaign.slug,
                    if override_confirmed { "yes" } else { "no" }
                ),
            )
            .await;
            Outcome {
                notice: Some(session.tr().t("admin-update-sending")),
                ..Outcome::default()
            }
        }
        SendRequest::AlreadySent => Outcome {
            status: Some(StatusCode::CONFLICT),
            error: Some(session.tr().t("admin-update-already-sent")),
            ..Outcome::default()
        },
        SendRequest::TooSoon(too_soon) => Outcome {
            status: Some(StatusCode::CONFLICT),
            error: Some(session.tr().t2(
                "admin-update-too-soon",
                ("last", &session.tr().date_time(&too_soon.last_sent)),
                ("next", &session.tr().date_time(&too_soon.next_allowed)),
            )),
            too_soon: true,
            ..Outcome::default()
        },
        SendRequest::NotFound => return not_found(session.tr(), "admin-update-not-found"),
    };
    update_page(&state, &req, &session, &campaign, id, outcome).await
}

/// `POST /admin/campaigns/{slug}/updates/{id}/publish`
pub async fn publish(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
    form: web::Form<SwitchForm>,
) -> HttpResponse {
    switch(state, session, req, path, form, Switch::Published).await
}

/// `POST /admin/campaigns/{slug}/updates/{id}/target-response`
pub async fn target_response(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
    form: web::Form<SwitchForm>,
) -> HttpResponse {
    switch(state, session, req, path, form, Switch::TargetResponse).await
}

#[derive(Clone, Copy)]
enum Switch {
    Published,
    TargetResponse,
}

async fn switch(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
    form: web::Form<SwitchForm>,
    which: Switch,
) -> HttpResponse {
    let (slug, id) = path.into_inner();
    let campaign = match campaign_for_form(&state, &session, &slug, &form.csrf_token).await {
        Ok(campaign) => campaign,
        Err(response) => return response,
    };
    let on = form.value == "yes";
    let (campaign_id, now) = (campaign.campaign.id, Utc::now().naive_utc());
    let changed = state
        .db
        .run(move |conn| match which {
            Switch::Published => updates::set_published(conn, campaign_id, id, on, now),
            Switch::TargetResponse => updates::set_target_response(conn, campaign_id, id, on, now),
        })
        .await;
    match changed {
        Ok(true) => {}
        Ok(false) => return not_found(session.tr(), "admin-update-not-found"),
        Err(error) => return unavailable(session.tr(), error),
    }
    let action = match (which, on) {
        (Switch::Published, true) => "update_published",
        (Switch::Published, false) => "update_unpublished",
        (Switch::TargetResponse, true) => "update_marked_target_response",
        (Switch::TargetResponse, false) => "update_unmarked_target_response",
    };
    record_audit(
        &state,
        &session.actor(),
        action,
        &format!("campaign={} update={id}", campaign.campaign.slug),
    )
    .await;
    // The campaign page reads from memory: reloaded now, the change shows at once.
    if let Err(error) = state.campaigns.reload(&state.db).await {
        tracing::warn!(error = ?error, "could not reload campaigns; the change shows within seconds");
    }
    let outcome = Outcome {
        notice: Some(session.tr().t("admin-update-page-changed")),
        ..Outcome::default()
    };
    update_page(&state, &req, &session, &campaign, id, outcome).await
}
