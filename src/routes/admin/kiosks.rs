//! Kiosks on a campaign: made here (the link shown once), listed with what each sent and
//! what its device still holds, and revoked here. Every change is audited.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue, LOCATION};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::auth::{CsrfForm, StaffCampaign, StaffSession};
use super::{StaffError, campaign_title};
use super::{admin_page, record_audit};
use crate::db::campaigns::CampaignWithTexts;
use crate::db::in_person;
use crate::db::kiosks;
use crate::domain::{KioskRequest, PlainToken};
use crate::pages::staff::{KioskFormValues, KioskRow, KiosksPage};
use crate::routes::{AppState, render};

/// What the page shows beside the list: the form as typed, any error, a link just made.
#[derive(Default)]
struct Shown {
    values: KioskFormValues,
    error: Option<(&'static str, String)>,
    new_link: Option<String>,
}

/// The page: the list, the form (with what was typed and any error) and a new link.
async fn page(
    state: &AppState,
    session: &StaffSession,
    req: &HttpRequest,
    campaign: &CampaignWithTexts,
    status: StatusCode,
    shown: Shown,
) -> Result<HttpResponse, StaffError> {
    let id = campaign.campaign.id;
    let (summaries, events) = state
        .db
        .run(move |conn| {
            Ok((
                kiosks::of_campaign(conn, id)?,
                in_person::events_of_campaign(conn, id)?,
            ))
        })
        .await
        .map_err(|error| session.unavailable(error))?;
    let tr = session.tr();
    let now = Utc::now().naive_utc();
    let title = campaign_title(campaign);
    // The page may show a new kiosk's link, which works for anyone holding it: no cache,
    // shared or the browser's own, may keep a copy.
    let mut response = render(
        status,
        &KiosksPage {
            page: admin_page(req, Some(session)),
            slug: campaign.campaign.slug.clone(),
            title,
            kiosks: summaries
                .into_iter()
                .map(|s| KioskRow::new(s, now, tr))
                .collect(),
            events: events.into_iter().map(|e| e.name).collect(),
            new_link: shown.new_link,
            values: shown.values,
            error: shown.error,
        },
    );
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

pub async fn list(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
) -> Result<HttpResponse, StaffError> {
    let StaffCampaign { session, campaign } = staff;
    page(
        &state,
        &session,
        &req,
        &campaign,
        StatusCode::OK,
        Shown::default(),
    )
    .await
}

pub async fn create(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
    form: web::Form<KioskFormValues>,
) -> Result<HttpResponse, StaffError> {
    let StaffCampaign { session, campaign } = staff;
    session.check_csrf(&state, &form.csrf_token)?;
    let values = form.into_inner();
    let request = match KioskRequest::parse(
        &values.event,
        &values.place,
        &values.held_on,
        &values.source,
        &values.expires,
    ) {
        Ok(request) => request,
        Err(error) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            let message = session
                .tr()
                .t(&format!("admin-kiosk-invalid-{}", error.field()));
            let shown = Shown {
                values,
                error: Some((error.field(), message)),
                new_link: None,
            };
            return page(&state, &session, &req, &campaign, status, shown).await;
        }
    };
    let secret = PlainToken::generate().map_err(|error| session.unavailable(error))?;
    let (hash, campaign_id, now) = (secret.hash(), campaign.campaign.id, Utc::now().naive_utc());
    let (kiosk, event) = state
        .db
        .run(move |conn| kiosks::create_for_event(conn, campaign_id, &request, &hash, now))
        .await
        .map_err(|error| session.unavailable(error))?;
    let detail = format!(
        "id={} campaign={} event={} expires={}",
        kiosk.id,
        campaign.campaign.slug,
        event.name,
        kiosk.expires_at.format("%Y-%m-%d %H:%M")
    );
    record_audit(&state, &session.actor(), "kiosk_created", &detail).await;
    let link = format!("{}/kiosk/{}", state.base_url, secret.expose());
    let shown = Shown {
        new_link: Some(link),
        ..Shown::default()
    };
    page(&state, &session, &req, &campaign, StatusCode::OK, shown).await
}

pub async fn revoke(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    path: web::Path<(String, i64)>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, StaffError> {
    let StaffCampaign { session, campaign } = staff;
    session.check_csrf(&state, &form.csrf_token)?;
    let (slug, id) = path.into_inner();
    let (campaign_id, now) = (campaign.campaign.id, Utc::now().naive_utc());
    let revoked = state
        .db
        .run(move |conn| kiosks::revoke(conn, campaign_id, id, now))
        .await
        .map_err(|error| session.unavailable(error))?;
    if revoked.is_some() {
        let detail = format!("id={id} campaign={slug}");
        record_audit(&state, &session.actor(), "kiosk_revoked", &detail).await;
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((LOCATION, format!("/admin/campaigns/{slug}/kiosks")))
        .finish())
}
