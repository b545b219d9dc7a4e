//! Sending an update: a test to the staff member's own address, the real sending, and the
//! switches that show it on the campaign page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::Utc;

use super::super::StaffError;
use super::super::auth::CsrfForm;
use super::pages::{Outcome, for_mail, load_update};
use super::{SendForm, StaffUpdate, SwitchForm};
use crate::db::updates::{self, SendRequest};

/// `POST /admin/campaigns/{slug}/updates/{id}/test`: each language to the staff member's
/// own address.
pub async fn test(
    update: StaffUpdate,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, StaffError> {
    update.check_csrf(&form.csrf_token)?;
    let (state, session, campaign, id) = update.parts();
    let (stored, _) = load_update(state, session, campaign, id).await?;
    let mut failed = false;
    for text in &stored.texts {
        let sent = state
            .test_mail
            .send_update(
                &session.email,
                text,
                &for_mail(campaign, text.lang()),
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
        update.audit("update_test_sent", "").await;
        Outcome {
            notice: Some(
                session
                    .tr()
                    .t1("admin-update-test-sent", "email", &session.email),
            ),
            ..Outcome::default()
        }
    };
    update.page(outcome).await
}

/// `POST /admin/campaigns/{slug}/updates/{id}/send`
pub async fn send(
    update: StaffUpdate,
    form: web::Form<SendForm>,
) -> Result<HttpResponse, StaffError> {
    update.check_csrf(&form.csrf_token)?;
    let (state, session, campaign, id) = update.parts();
    let override_confirmed = form.override_daily_limit.as_deref() == Some("yes");
    let (campaign_id, actor, now) = (campaign.campaign.id, session.actor(), Utc::now());
    let requested = state
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
        .map_err(|error| session.unavailable(error))?;
    let outcome = match requested {
        SendRequest::Started => {
            state.update_wake.notify_one();
            let more = if override_confirmed {
                " override=yes"
            } else {
                " override=no"
            };
            update.audit("update_sent", more).await;
            Outcome {
                notice: Some(session.tr().t("admin-update-sending")),
                ..Outcome::default()
            }
        }
        SendRequest::AlreadySent => Outcome::refused(session.tr().t("admin-update-already-sent")),
        SendRequest::TooSoon(too_soon) => Outcome {
            too_soon: true,
            ..Outcome::refused(session.tr().t2(
                "admin-update-too-soon",
                ("last", &session.tr().date_time(&too_soon.last_sent)),
                ("next", &session.tr().date_time(&too_soon.next_allowed)),
            ))
        },
        SendRequest::NotFound => return Err(session.not_found("admin-update-not-found")),
    };
    update.page(outcome).await
}

/// `POST /admin/campaigns/{slug}/updates/{id}/publish`
pub async fn publish(
    update: StaffUpdate,
    form: web::Form<SwitchForm>,
) -> Result<HttpResponse, StaffError> {
    switch(update, form, Switch::Published).await
}

/// `POST /admin/campaigns/{slug}/updates/{id}/target-response`
pub async fn target_response(
    update: StaffUpdate,
    form: web::Form<SwitchForm>,
) -> Result<HttpResponse, StaffError> {
    switch(update, form, Switch::TargetResponse).await
}

#[derive(Clone, Copy)]
enum Switch {
    Published,
    TargetResponse,
}

async fn switch(
    update: StaffUpdate,
    form: web::Form<SwitchForm>,
    which: Switch,
) -> Result<HttpResponse, StaffError> {
    update.check_csrf(&form.csrf_token)?;
    let (state, session, campaign, id) = update.parts();
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
        Ok(false) => return Err(session.not_found("admin-update-not-found")),
        Err(error) => return Err(session.unavailable(error)),
    }
    let action = match (which, on) {
        (Switch::Published, true) => "update_published",
        (Switch::Published, false) => "update_unpublished",
        (Switch::TargetResponse, true) => "update_marked_target_response",
        (Switch::TargetResponse, false) => "update_unmarked_target_response",
    };
    update.audit(action, "").await;
    // The campaign page reads from memory: reloaded now, the change shows at once.
    if let Err(error) = state.campaigns.reload(&state.db).await {
        tracing::warn!(error = ?error, "could not reload campaigns; the change shows within seconds");
    }
    let outcome = Outcome {
        notice: Some(session.tr().t("admin-update-page-changed")),
        ..Outcome::default()
    };
    update.page(outcome).await
}
