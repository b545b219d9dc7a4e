//! Staff erase a signer on request: personal data leaves the database files, counts stay.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::auth::StaffSession;
use super::views::ErasePage;
use super::{StaffError, campaign_title};
use super::{admin_page, record_audit};
use crate::db::{campaigns, privacy};
use crate::domain::{KeyedHasher, SignerEmail};
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
    // Any domain: a signature made before undeliverable domains were refused is erased too.
    let Ok(email) = SignerEmail::parse_any_domain(&form.email) else {
        let message = tr.t("admin-erase-invalid-email");
        return page(
            &state,
            &session,
            &req,
            StatusCode::UNPROCESSABLE_ENTITY,
            form.email,
            Some(message),
        )
        .await;
    };
    let slug = form.campaign.trim().to_owned();
    let canonical = email.canonical();
    let now = Utc::now().naive_utc();
    let scope = slug.clone();
    let erased = state
        .db
        .run(move |conn| {
            let campaign_id = if scope.is_empty() {
                None
            } else {
                match campaigns::find_by_slug(conn, &scope)? {
                    Some(campaign) => Some(campaign.campaign.id),
                    None => return Ok(None),
                }
            };
            privacy::erase_email(conn, &canonical, campaign_id, now).map(Some)
        })
        .await
        .map_err(|error| session.unavailable(error))?;
    let erased = match erased {
        Some(erased) => erased,
        None => {
            let message = tr.t("admin-campaign-not-found");
            return page(
                &state,
                &session,
                &req,
                StatusCode::NOT_FOUND,
                form.email,
                Some(message),
            )
            .await;
        }
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
    let message = tr.plural("admin-erase-done", erased as i64);
    page(
        &state,
        &session,
        &req,
        StatusCode::OK,
        String::new(),
        Some(message),
    )
    .await
}
