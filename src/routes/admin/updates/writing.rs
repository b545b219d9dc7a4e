//! Writing an update: the list with the form for a new one, creating it, showing it and
//! editing it until it is sent.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::super::StaffError;
use super::super::auth::StaffCampaign;
use super::pages::{Outcome, list_page, parse};
use super::{StaffUpdate, UpdateForm, audit, csrf_of};
use crate::db::updates;
use crate::domain::UpdateDraft;
use crate::routes::AppState;

/// `GET /admin/campaigns/{slug}/updates`
pub async fn list(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
) -> Result<HttpResponse, StaffError> {
    let StaffCampaign { session, campaign } = staff;
    list_page(&state, &req, &session, &campaign, None, &Vec::new()).await
}

/// `POST /admin/campaigns/{slug}/updates`
pub async fn create(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
    form: web::Form<UpdateForm>,
) -> Result<HttpResponse, StaffError> {
    let form = form.into_inner();
    let StaffCampaign { session, campaign } = staff;
    session.check_csrf(&state, csrf_of(&form))?;
    let draft = match parse(&form, &campaign) {
        Ok(draft) => draft,
        Err(errors) => {
            return list_page(&state, &req, &session, &campaign, Some(&form), &errors).await;
        }
    };
    let (campaign_id, actor, now) = (campaign.campaign.id, session.actor(), Utc::now());
    let saved = draft.clone();
    let id = state
        .db
        .run(move |conn| updates::create(conn, campaign_id, &saved, &actor, now.naive_utc()))
        .await
        .map_err(|error| session.unavailable(error))?;
    let languages = format!(" languages={}", languages_of(&draft));
    audit(
        &state,
        &session,
        &campaign,
        "update_created",
        id,
        &languages,
    )
    .await;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            LOCATION,
            format!("/admin/campaigns/{}/updates/{id}", campaign.campaign.slug),
        ))
        .finish())
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
pub async fn show(update: StaffUpdate) -> Result<HttpResponse, StaffError> {
    update.page(Outcome::default()).await
}

/// `POST /admin/campaigns/{slug}/updates/{id}/edit`
pub async fn edit(
    update: StaffUpdate,
    form: web::Form<UpdateForm>,
) -> Result<HttpResponse, StaffError> {
    let form = form.into_inner();
    update.check_csrf(csrf_of(&form))?;
    let (state, session, campaign, id) = update.parts();
    let draft = match parse(&form, campaign) {
        Ok(draft) => draft,
        Err(errors) => {
            let outcome = Outcome {
                status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                error: Some(session.tr().t("admin-update-fix-errors")),
                typed: Some((form, errors)),
                ..Outcome::default()
            };
            return update.page(outcome).await;
        }
    };
    let campaign_id = campaign.campaign.id;
    let saved = draft.clone();
    let edited = state
        .db
        .run(move |conn| updates::edit(conn, campaign_id, id, &saved))
        .await
        .map_err(|error| session.unavailable(error))?;
    let outcome = if edited {
        let languages = format!(" languages={}", languages_of(&draft));
        update.audit("update_edited", &languages).await;
        Outcome {
            notice: Some(session.tr().t("admin-update-saved")),
            ..Outcome::default()
        }
    } else {
        Outcome::refused(session.tr().t("admin-update-already-sent"))
    };
    update.page(outcome).await
}
