//! Writing an update: the list with the form for a new one, creating it, showing it and
//! editing it until it is sent.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::super::auth::StaffCampaign;
use super::super::{StaffError, record_audit};
use super::UpdateForm;
use super::pages::{Outcome, list_page, parse, update_page};
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
    let csrf = form
        .get("csrf_token")
        .map(String::as_str)
        .unwrap_or_default();
    let StaffCampaign { session, campaign } = staff;
    session.check_csrf(&state, csrf)?;
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
pub async fn show(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, StaffError> {
    let StaffCampaign { session, campaign } = staff;
    let (_, id) = path.into_inner();
    update_page(&state, &req, &session, &campaign, id, Outcome::default()).await
}

/// `POST /admin/campaigns/{slug}/updates/{id}/edit`
pub async fn edit(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
    form: web::Form<UpdateForm>,
) -> Result<HttpResponse, StaffError> {
    let (_, id) = path.into_inner();
    let form = form.into_inner();
    let csrf = form
        .get("csrf_token")
        .map(String::as_str)
        .unwrap_or_default();
    let StaffCampaign { session, campaign } = staff;
    session.check_csrf(&state, csrf)?;
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
    let edited = state
        .db
        .run(move |conn| updates::edit(conn, campaign_id, id, &saved))
        .await
        .map_err(|error| session.unavailable(error))?;
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
        Outcome::refused(session.tr().t("admin-update-already-sent"))
    };
    update_page(&state, &req, &session, &campaign, id, outcome).await
}
