//! Staff erase a signer on request: personal data leaves the database files, counts stay.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::auth::StaffSession;
use super::{StaffError, campaign_title};
use super::{admin_page, record_audit};
use crate::db::{StoreError, campaigns, privacy};
use crate::domain::{KeyedHasher, SignerEmail};
use crate::pages::staff::ErasePage;
use crate::routes::AppState;
use crate::routes::render;

async fn page(
    state: &AppState,
    session: &StaffSession,
    req: &HttpRequest,
    status: StatusCode,
    email: String,
    outcome: Option<String>,
) -> Result<HttpResponse, StaffError> {
    let all = state
        .db
        .run(campaigns::list_all)
        .await
        .map_err(|error| session.unavailable(error))?;
    Ok(render(
        status,
        &ErasePage {
            page: admin_page(req, Some(session)),
            campaigns: all
                .iter()
                .map(|c| (c.campaign.slug.clone(), campaign_title(c)))
                .collect(),
            email,
            outcome,
        },
    ))
}

pub async fn form(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
) -> Result<HttpResponse, StaffError> {
    page(&state, &session, &req, StatusCode::OK, String::new(), None).await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct EraseForm {
    email: String,
    campaign: String,
    csrf_token: String,
}

pub async fn erase(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    form: web::Form<EraseForm>,
) -> Result<HttpResponse, StaffError> {
    let form = form.into_inner();
    session.check_csrf(&state, &form.csrf_token)?;
    let tr = session.tr();
    let refuse = |status, key| {
        let message = tr.t(key);
        page(
            &state,
            &session,
            &req,
            status,
            form.email.clone(),
            Some(message),
        )
    };
    // Any domain: a signature made before undeliverable domains were refused is erased too.
    let Ok(email) = SignerEmail::parse_any_domain(&form.email) else {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "admin-erase-invalid-email",
        )
        .await;
    };
    let slug = form.campaign.trim().to_owned();
    let erased = erase_signatures(&state, email.canonical(), slug.clone())
        .await
        .map_err(|error| session.unavailable(error))?;
    let Some(erased) = erased else {
        return refuse(StatusCode::NOT_FOUND, "admin-campaign-not-found").await;
    };
    // The log must not keep the address it erased; a keyed hash lets a later request for
    // the same person be matched to this entry without revealing who it was.
    let fingerprint = KeyedHasher::derive(state.staff_keys.audit_key(), "erased email")
        .hash(email.canonical().as_bytes());
    record_audit(
        &state,
        &session.actor(),
        "erase",
        &format!(
            "signatures={erased} campaign={} email_fingerprint={}",
            if slug.is_empty() { "all" } else { &slug },
            &fingerprint[..16]
        ),
    )
    .await;
    let done = Some(tr.plural("admin-erase-done", erased as i64));
    page(&state, &session, &req, StatusCode::OK, String::new(), done).await
}

/// Erases the signatures of `canonical`, on the campaign `slug` or (when empty) on all;
/// how many, or `None` when there is no such campaign.
async fn erase_signatures(
    state: &AppState,
    canonical: String,
    slug: String,
) -> Result<Option<usize>, StoreError> {
    let now = Utc::now().naive_utc();
    state
        .db
        .run(move |conn| {
            let campaign_id = if slug.is_empty() {
                None
            } else {
                match campaigns::find_by_slug(conn, &slug)? {
                    Some(campaign) => Some(campaign.campaign.id),
                    None => return Ok(None),
                }
            };
            privacy::erase_email(conn, &canonical, campaign_id, now).map(Some)
        })
        .await
}
