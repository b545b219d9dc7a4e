//! Opening, closing, pausing and resuming a campaign from its dashboard.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDateTime, Utc};
use diesel::QueryResult;

use super::super::auth::{CsrfForm, StaffCampaign};
use super::super::{StaffError, admin_page, record_audit};
use super::{see_other, show_publicly};
use crate::db::Connection;
use crate::db::campaigns;
use crate::pages::staff::ConfirmActionPage;
use crate::routes::{AppState, render};

pub async fn open(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, StaffError> {
    set_open(&state, &staff, &form.csrf_token, true).await
}

/// `GET /admin/campaigns/{slug}/close`: what closing does, with the count, before it is done.
pub async fn confirm_close(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
) -> Result<HttpResponse, StaffError> {
    let tr = staff.session.tr();
    let slug = staff.slug();
    let counted = state.counts.get(staff.campaign.campaign.id);
    let page = ConfirmActionPage {
        page: admin_page(&req, Some(&staff.session)),
        heading: tr.t("admin-close-confirm-heading"),
        consequence: tr.t("admin-close-confirm-consequence"),
        details: vec![tr.count("admin-close-confirm-counted", counted)],
        action: format!("/admin/campaigns/{slug}/close"),
        hidden: vec![],
        button: tr.t("admin-close-confirm-button"),
        back: format!("/admin/campaigns/{slug}"),
        back_label: tr.t("admin-close-confirm-back"),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CloseForm {
    csrf_token: String,
    /// "yes" from the confirmation step; anything else goes to that step.
    confirm: String,
}

/// Closes the campaign once staff confirmed, from the confirmation step; a form from
/// anywhere else (an old dashboard, say) is shown the step first.
pub async fn close(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    form: web::Form<CloseForm>,
) -> Result<HttpResponse, StaffError> {
    if form.confirm != "yes" {
        staff.session.check_csrf(&state, &form.csrf_token)?;
        return Ok(see_other(&format!(
            "/admin/campaigns/{}/close",
            staff.slug()
        )));
    }
    set_open(&state, &staff, &form.csrf_token, false).await
}

async fn set_open(
    state: &AppState,
    staff: &StaffCampaign,
    csrf_token: &str,
    open: bool,
) -> Result<HttpResponse, StaffError> {
    let action = if open {
        "campaign_opened"
    } else {
        "campaign_closed"
    };
    change_campaign(state, staff, csrf_token, action, move |conn, id, now| {
        campaigns::set_open(conn, id, open, now)
    })
    .await
}

/// Longest note staff may show supporters while signing is paused.
const MAX_PAUSE_MESSAGE: usize = 500;

#[derive(serde::Deserialize)]
pub struct PauseForm {
    csrf_token: String,
    #[serde(default)]
    message: String,
}

/// The kill switch: stops signing on a campaign at once, on every page and the API, with a
/// note for supporters, until staff resume it. Nothing already signed is touched.
pub async fn pause(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    form: web::Form<PauseForm>,
) -> Result<HttpResponse, StaffError> {
    let PauseForm {
        csrf_token,
        message,
    } = form.into_inner();
    let message = message.trim().to_owned();
    if message.chars().count() > MAX_PAUSE_MESSAGE {
        return Ok(HttpResponse::UnprocessableEntity()
            .content_type("text/plain; charset=utf-8")
            .body(staff.session.tr().t("admin-pause-too-long")));
    }
    change_campaign(
        &state,
        &staff,
        &csrf_token,
        "campaign_paused",
        move |conn, id, now| campaigns::set_paused(conn, id, Some(&message), now),
    )
    .await
}

pub async fn resume(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, StaffError> {
    change_campaign(
        &state,
        &staff,
        &form.csrf_token,
        "campaign_resumed",
        |conn, id, now| campaigns::set_paused(conn, id, None, now),
    )
    .await
}

/// A change to one campaign from its dashboard: checked against the session's CSRF token,
/// written to the audit log as `action`, and shown on the public pages at once.
async fn change_campaign(
    state: &AppState,
    staff: &StaffCampaign,
    csrf_token: &str,
    action: &str,
    change: impl FnOnce(&mut Connection, i64, NaiveDateTime) -> QueryResult<()> + Send + 'static,
) -> Result<HttpResponse, StaffError> {
    let session = &staff.session;
    session.check_csrf(state, csrf_token)?;
    let id = staff.campaign.campaign.id;
    let now = Utc::now().naive_utc();
    state
        .db
        .run(move |conn| change(conn, id, now))
        .await
        .map_err(|error| session.unavailable(error))?;
    record_audit(
        state,
        &session.actor(),
        action,
        &format!("slug={}", staff.slug()),
    )
    .await;
    show_publicly(state).await;
    Ok(see_other(&format!("/admin/campaigns/{}", staff.slug())))
}
