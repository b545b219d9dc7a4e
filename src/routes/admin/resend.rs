//! Staff send a signer a new confirmation link, for someone who lost or never got the first
//! email. Only staff can ask, and only staff learn whether the address signed.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::auth::StaffSession;
use super::views::StaffMessagePage;
use super::{admin_page, record_audit};
use crate::db::signatures::{self, Resent};
use crate::domain::{KeyedHasher, SignerEmail};
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
    session: StaffSession,
    req: HttpRequest,
    slug: web::Path<String>,
    form: web::Form<ResendForm>,
) -> HttpResponse {
    let form = form.into_inner();
    if let Err(refused) = session.check_csrf(&state, &form.csrf_token) {
        return refused.response();
    }
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
    let campaign = match state.campaigns.get(&state.db, &slug).await {
        Ok(Some(campaign)) => campaign,
        Ok(None) => return answer(StatusCode::NOT_FOUND, "admin-campaign-not-found"),
        Err(error) => {
            tracing::error!(error = ?error, "could not load the campaign");
            return super::unavailable_page(session.tr());
        }
    };
    // Any domain, as erasure does: the signature may predate the current rules.
    let Ok(email) = SignerEmail::parse_any_domain(&form.email) else {
        return answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            "admin-erase-invalid-email",
        );
    };
    if !campaign.campaign.accepts_signatures(Utc::now().naive_utc()) {
        return answer(StatusCode::CONFLICT, "admin-resend-closed");
    }
    let Ok(token) = state.confirmation_key.issue() else {
        tracing::error!("the system random generator failed");
        return super::unavailable_page(session.tr());
    };
    let (campaign_id, canonical, now) = (campaign.campaign.id, email.canonical(), Utc::now());
    let resent = state
        .db
        .run(move |conn| {
            signatures::resend_confirmation(conn, campaign_id, &canonical, &token, now.naive_utc())
        })
        .await;
    let resent = match resent {
        Ok(resent) => resent,
        Err(error) => {
            tracing::error!(error = ?error, "could not queue a confirmation email");
            return super::unavailable_page(session.tr());
        }
    };
    // As with erasure, the log keeps a keyed hash of the address, never the address.
    let fingerprint = KeyedHasher::derive(state.staff_keys.audit_key(), "resent confirmation")
        .hash(email.canonical().as_bytes());
    let (outcome, status, body_key) = match resent {
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
    };
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
    answer(status, body_key)
}
