//! Sending an update: a test to the staff member's own address, the real sending, and the
//! switches that show it on the campaign page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::{TimeDelta, Utc};

use super::super::auth::CsrfForm;
use super::super::{StaffError, admin_page};
use super::pages::{Outcome, load_update};
use super::{SendForm, StaffUpdate, SwitchForm};
use crate::db::updates::{self, SendRequest};
use crate::mail::CampaignForMail;
use crate::pages::staff::ConfirmActionPage;
use crate::routes::render;

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
    let name = session.greeting_name();
    for text in &stored.texts {
        let sent = state
            .test_mail
            .send_update(
                &session.email,
                &name,
                text,
                &CampaignForMail::of(campaign, text.lang()),
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

/// The step before sending: to how many people it goes, and that it can be cancelled for
/// a few minutes, with the button that sends it.
async fn confirm_send(
    update: &StaffUpdate,
    override_daily_limit: bool,
) -> Result<HttpResponse, StaffError> {
    let (state, session, campaign, id) = update.parts();
    load_update(state, session, campaign, id).await?;
    let campaign_id = campaign.campaign.id;
    let recipients = state
        .db
        .run(move |conn| updates::recipient_count(conn, campaign_id))
        .await
        .map_err(|error| session.unavailable(error))?;
    let tr = session.tr();
    let minutes = i64::try_from(state.update_cancel_window.as_secs() / 60).unwrap_or(0);
    let slug = &campaign.campaign.slug;
    let back = format!("/admin/campaigns/{slug}/updates/{id}");
    let page = ConfirmActionPage {
        page: admin_page(&update.req, Some(session)),
        heading: tr.t("admin-update-confirm-heading"),
        consequence: tr.count("admin-update-confirm-recipients", recipients),
        details: vec![tr.count("admin-update-confirm-window", minutes)],
        action: format!("{back}/send"),
        hidden: if override_daily_limit {
            vec![("override", "yes".to_owned())]
        } else {
            vec![]
        },
        button: tr.count("admin-update-confirm-button", recipients),
        back,
        back_label: tr.t("admin-update-confirm-back"),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /admin/campaigns/{slug}/updates/{id}/send`: first the confirmation step, then,
/// confirmed, the update is sent a few minutes on, until when it can be cancelled.
pub async fn send(
    update: StaffUpdate,
    form: web::Form<SendForm>,
) -> Result<HttpResponse, StaffError> {
    update.check_csrf(&form.csrf_token)?;
    let (state, session, campaign, id) = update.parts();
    let override_confirmed = form.override_daily_limit.as_deref() == Some("yes");
    if form.confirm != "yes" {
        return confirm_send(&update, override_confirmed).await;
    }
    let (campaign_id, actor, now) = (campaign.campaign.id, session.actor(), Utc::now());
    let starts_at = now.naive_utc()
        + TimeDelta::from_std(state.update_cancel_window).unwrap_or(TimeDelta::zero());
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
                starts_at,
            )
        })
        .await
        .map_err(|error| session.unavailable(error))?;
    let outcome = match requested {
        SendRequest::Started => {
            state.update_wake.notify_one();
            let override_word = if override_confirmed { "yes" } else { "no" };
            update
                .audit(
                    "update_sent",
                    &format!(" override={override_word} starts_at={starts_at}"),
                )
                .await;
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

/// `POST /admin/campaigns/{slug}/updates/{id}/cancel`: takes a sent update back while no
/// email of it is queued yet.
pub async fn cancel(
    update: StaffUpdate,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, StaffError> {
    update.check_csrf(&form.csrf_token)?;
    let (state, session, campaign, id) = update.parts();
    load_update(state, session, campaign, id).await?;
    let campaign_id = campaign.campaign.id;
    let cancelled = state
        .db
        .run(move |conn| updates::cancel_send(conn, campaign_id, id))
        .await
        .map_err(|error| session.unavailable(error))?;
    let outcome = if cancelled {
        update.audit("update_cancelled", "").await;
        Outcome {
            notice: Some(session.tr().t("admin-update-cancelled")),
            ..Outcome::default()
        }
    } else {
        Outcome::refused(session.tr().t("admin-update-too-late-to-cancel"))
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
