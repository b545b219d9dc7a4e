//! The review page of a campaign: what is unusual now, a search with its preview, and the
//! invalidations staff start, cancel and undo, each audited. The route table lets only the
//! roles that may review a campaign in.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue, LOCATION};
use actix_web::{HttpRequest, HttpResponse, web};

use super::auth::{CsrfForm, StaffCampaign, StaffSession};
use super::{StaffError, admin_page, campaign_title, record_audit};
use crate::db::campaigns::CampaignWithTexts;
use crate::db::review;
use crate::domain::{ConditionInput, Conditions};
use crate::i18n::Tr;
use crate::pages::staff::{ReviewPage, Searched};
use crate::review::asking::{self, Refused};
use crate::review::{network_hashes, overview as review_overview};
use crate::routes::{AppState, render};

/// The conditions typed, with the network hashed under every key of the window.
async fn conditions(
    state: &AppState,
    session: &StaffSession,
    input: &ConditionInput,
) -> Result<Result<Conditions, (&'static str, String)>, StaffError> {
    let (mut conditions, network) = match input.parse() {
        Ok(parsed) => parsed,
        Err(error) => {
            let message = session.tr().t(&format!("review-invalid-{}", error.field()));
            return Ok(Err((error.field(), message)));
        }
    };
    if let Some(network) = network {
        let salts = state
            .db
            .run(review::salts)
            .await
            .map_err(|error| session.unavailable(error))?;
        conditions.networks = network_hashes(state.signaller.keys(), &salts, &conditions, &network);
    }
    Ok(Ok(conditions))
}

async fn page(
    state: &AppState,
    session: &StaffSession,
    req: &HttpRequest,
    campaign: &CampaignWithTexts,
    status: StatusCode,
    shown: Searched,
) -> Result<HttpResponse, StaffError> {
    let id = campaign.campaign.id;
    let now = state.clock.now_naive();
    let search = if shown.searched && shown.error.is_none() {
        conditions(state, session, &shown.search).await?.ok()
    } else {
        None
    };
    let baselines = Arc::clone(&state.review_baselines);
    let overview = state
        .db
        .run(move |conn| review_overview(conn, &baselines, id, search, now))
        .await
        .map_err(|error| session.unavailable(error))?;
    let view = ReviewPage::new(
        admin_page(req, Some(session)),
        &campaign.campaign,
        campaign_title(campaign),
        overview,
        shown,
    );
    let mut response = render(status, &view);
    // Staff read this page to watch an invalidation's progress: never a stale copy.
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The page, with the search in the query string previewed.
pub async fn show(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
    query: web::Query<ConditionInput>,
) -> Result<HttpResponse, StaffError> {
    let StaffCampaign { session, campaign } = staff;
    let search = query.into_inner();
    let searched = !req.query_string().is_empty();
    let error = match search.parse() {
        Err(error) if searched => Some((
            error.field(),
            session.tr().t(&format!("review-invalid-{}", error.field())),
        )),
        _ => None,
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let shown = Searched {
        search,
        searched,
        error,
        ..Searched::default()
    };
    page(&state, &session, &req, &campaign, status, shown).await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ActionForm {
    #[serde(flatten)]
    pub search: ConditionInput,
    pub reason: String,
    /// The number of matches, typed back when a set takes most of the campaign.
    pub confirm_count: String,
    pub csrf_token: String,
}

fn back(slug: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, format!("/admin/campaigns/{slug}/review")))
        .finish()
}

pub async fn invalidate(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, StaffError> {
    let StaffCampaign { session, campaign } = staff;
    session.check_csrf(&state, &form.csrf_token)?;
    let form = form.into_inner();
    let tr = session.tr();
    let refused = match conditions(&state, &session, &form.search).await? {
        Err(error) => Some((error, StatusCode::UNPROCESSABLE_ENTITY)),
        Ok(conditions) => {
            let (id, slug) = (campaign.campaign.id, campaign.campaign.slug.clone());
            let (actor, now) = (session.actor(), state.clock.now_naive());
            let reason = form.reason.clone();
            let typed_count = form.confirm_count.clone();
            let asked = state
                .db
                .run(move |conn| {
                    asking::ask(
                        conn,
                        &asking::Asked {
                            campaign_id: id,
                            slug: &slug,
                            conditions: &conditions,
                            reason: &reason,
                            typed_count: &typed_count,
                            actor: &actor,
                            now,
                        },
                    )
                })
                .await
                .map_err(|error| session.unavailable(error))?;
            asked.err().map(|refused| refusal(tr, refused))
        }
    };
    let Some((error, status)) = refused else {
        state.invalidations_wake.notify_one();
        return Ok(back(&campaign.campaign.slug));
    };
    let shown = Searched {
        search: form.search,
        searched: true,
        reason: form.reason,
        error: Some(error),
        notice: None,
    };
    page(&state, &session, &req, &campaign, status, shown).await
}

/// What the form shows beside the field at fault, and the status it is answered with.
fn refusal(tr: Tr, refused: Refused) -> ((&'static str, String), StatusCode) {
    let status = match refused {
        Refused::Reason => StatusCode::UNPROCESSABLE_ENTITY,
        Refused::ConfirmCount(_) => StatusCode::CONFLICT,
    };
    (Searched::refusal(tr, &refused), status)
}

pub async fn flag(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, StaffError> {
    let StaffCampaign { session, campaign } = staff;
    session.check_csrf(&state, &form.csrf_token)?;
    let form = form.into_inner();
    let conditions = match conditions(&state, &session, &form.search).await? {
        Ok(conditions) => conditions,
        Err(error) => {
            let shown = Searched {
                search: form.search,
                searched: true,
                error: Some(error),
                ..Searched::default()
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return page(&state, &session, &req, &campaign, status, shown).await;
        }
    };
    let (id, now, flagging) = (
        campaign.campaign.id,
        state.clock.now_naive(),
        conditions.clone(),
    );
    let flagged = state
        .db
        .run(move |conn| review::flag(conn, id, &flagging, now))
        .await
        .map_err(|error| session.unavailable(error))?;
    let detail = format!(
        "campaign={} flagged={flagged} conditions=[{}]",
        campaign.campaign.slug,
        conditions.describe()
    );
    record_audit(&state, &session.actor(), "signatures_flagged", &detail).await;
    let tr = session.tr();
    let shown = Searched {
        search: form.search,
        searched: true,
        notice: Some(tr.t1("review-flagged-now", "count", &tr.number(flagged as i64))),
        ..Searched::default()
    };
    page(&state, &session, &req, &campaign, StatusCode::OK, shown).await
}

pub async fn cancel(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    path: web::Path<(String, i64)>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, StaffError> {
    let StaffCampaign { session, campaign } = staff;
    session.check_csrf(&state, &form.csrf_token)?;
    let (slug, invalidation) = path.into_inner();
    let (id, now) = (campaign.campaign.id, state.clock.now_naive());
    let cancelled = state
        .db
        .run(move |conn| review::cancel(conn, id, invalidation, now))
        .await
        .map_err(|error| session.unavailable(error))?;
    if cancelled {
        state.invalidations_wake.notify_one();
        state.counts.changed();
        let detail = format!("id={invalidation} campaign={slug}");
        record_audit(&state, &session.actor(), "invalidation_cancelled", &detail).await;
    }
    Ok(back(&slug))
}

pub async fn undo(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    path: web::Path<(String, i64)>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, StaffError> {
    let StaffCampaign { session, campaign } = staff;
    session.check_csrf(&state, &form.csrf_token)?;
    let (slug, invalidation) = path.into_inner();
    let (id, now, actor) = (
        campaign.campaign.id,
        state.clock.now_naive(),
        session.actor(),
    );
    let undone = state
        .db
        .run(move |conn| review::undo(conn, id, invalidation, &actor, now))
        .await
        .map_err(|error| session.unavailable(error))?;
    if undone {
        state.invalidations_wake.notify_one();
        let detail = format!("id={invalidation} campaign={slug}");
        record_audit(&state, &session.actor(), "invalidation_undone", &detail).await;
    }
    Ok(back(&slug))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ThrowawayForm {
    pub refuse: String,
    pub csrf_token: String,
}

/// Whether the campaign refuses throwaway-mail addresses or only flags them.
pub async fn throwaway(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    form: web::Form<ThrowawayForm>,
) -> Result<HttpResponse, StaffError> {
    let StaffCampaign { session, campaign } = staff;
    session.check_csrf(&state, &form.csrf_token)?;
    let refuse = form.refuse == "yes";
    let id = campaign.campaign.id;
    state
        .db
        .run(move |conn| review::set_refuse_throwaway(conn, id, refuse))
        .await
        .map_err(|error| session.unavailable(error))?;
    if let Err(error) = state.campaigns.reload(&state.db).await {
        tracing::warn!(error = ?error, "could not reload campaigns; the change shows within seconds");
    }
    let detail = format!("campaign={} refuse={refuse}", campaign.campaign.slug);
    record_audit(&state, &session.actor(), "throwaway_setting", &detail).await;
    Ok(back(&campaign.campaign.slug))
}
