//! Staff send a signer a new confirmation link, for someone who lost or never got the first
//! email. Only staff can ask, and only staff learn whether the address signed.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::StaffError;
use super::auth::StaffCampaign;
use super::{admin_page, record_audit};
use crate::db::signatures::{self, Resent};
use crate::domain::{KeyedHasher, SignerEmail};
use crate::pages::staff::StaffMessagePage;
use crate::routes::{AppState, render};

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ResendForm {
    email: String,
    csrf_token: String,
}

/// `POST /admin/campaigns/{slug}/resend-confirmation`
pub async fn resend(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
    form: web::Form<ResendForm>,
) -> Result<HttpResponse, StaffError> {
    let StaffCampaign { session, campaign } = staff;
    let form = form.into_inner();
    session.check_csrf(&state, &form.csrf_token)?;
    let tr = session.tr();
    let answer = |status, body_key: &str| {
        render(
            status,
            &StaffMessagePage {
                page: admin_page(&req, Some(&session)),
                title: tr.t("admin-resend-title"),
                body: tr.t(body_key),
            },
        )
    };
    // Any domain, as erasure does: the signature may predate the current rules.
    let Ok(email) = SignerEmail::parse_any_domain(&form.email) else {
        return Ok(answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            "admin-erase-invalid-email",
        ));
    };
    if !campaign.campaign.accepts_signatures(Utc::now().naive_utc()) {
        return Ok(answer(StatusCode::CONFLICT, "admin-resend-closed"));
    }
    let token = state
        .confirmation_key
        .issue()
        .map_err(|error| session.unavailable(error))?;
    let (campaign_id, canonical, now) = (campaign.campaign.id, email.canonical(), Utc::now());
    let resent = state
        .db
        .run(move |conn| {
            signatures::resend_confirmation(conn, campaign_id, &canonical, &token, now.naive_utc())
        })
        .await
        .map_err(|error| session.unavailable(error))?;
    // As with erasure, the log keeps a keyed hash of the address, never the address.
    let fingerprint = KeyedHasher::derive(state.staff_keys.audit_key(), "resent confirmation")
        .hash(email.canonical().as_bytes());
    let (outcome, status, body_key) = described(resent);
    record_audit(
        &state,
        &session.actor(),
        "confirmation_resent",
        &format!(
            "campaign={} outcome={outcome} email_fingerprint={}",
            campaign.campaign.slug,
            &fingerprint[..16]
        ),
    )
    .await;
    Ok(answer(status, body_key))
}

/// What the audit log, the status and the page say of a resend.
fn described(resent: Resent) -> (String, StatusCode, &'static str) {
    match resent {
        Resent::Queued { signature_id } => (
            format!("queued signature={signature_id}"),
            StatusCode::OK,
            "admin-resend-queued",
        ),
        Resent::AlreadyConfirmed { signature_id } => (
            format!("already_confirmed signature={signature_id}"),
            StatusCode::OK,
            "admin-resend-confirmed",
        ),
        Resent::NotFound => (
            "not_found".to_owned(),
            StatusCode::NOT_FOUND,
            "admin-resend-not-found",
        ),
    }
}
