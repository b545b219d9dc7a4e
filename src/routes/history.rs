//! A campaign's count history as open data: confirmations per hour or per day, and the
//! running total, as JSON or CSV, readable from any site.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::api::{error_json, exact_bytes, load, public, unavailable};
use super::{negotiate_lang, query_param};
use crate::cache::history_answers::Format;
use crate::domain::Interval;
use crate::i18n::Tr;
use crate::routes::AppState;

/// Histories are rebuilt once a minute, so caches may keep them as long.
const CACHE_CONTROL_VALUE: &str = "public, max-age=60";

/// `GET /api/v1/campaigns/{slug}/history?interval=hour|day`
pub async fn json(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> HttpResponse {
    history(&state, &slug, &req, Format::Json).await
}

/// `GET /api/v1/campaigns/{slug}/history.csv?interval=hour|day`
pub async fn csv(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> HttpResponse {
    history(&state, &slug, &req, Format::Csv).await
}

async fn history(state: &AppState, slug: &str, req: &HttpRequest, format: Format) -> HttpResponse {
    let tr = || Tr(negotiate_lang(req, None));
    let interval = match query_param(req, "interval") {
        None => Interval::Day,
        Some(raw) => match Interval::parse(&raw) {
            Some(interval) => interval,
            None => {
                return public(error_json(
                    StatusCode::BAD_REQUEST,
                    "bad_interval",
                    tr(),
                    "api-bad-interval",
                ));
            }
        },
    };
    let campaign = match load(state, slug).await {
        Ok(Some(campaign)) => campaign,
        Ok(None) => {
            return public(error_json(
                StatusCode::NOT_FOUND,
                "not_found",
                tr(),
                "api-not-found",
            ));
        }
        Err(error) => return public(unavailable(tr(), error)),
    };
    let history = match state.history.get(&state.db, campaign.campaign.id).await {
        Ok(history) => history,
        Err(error) => return public(unavailable(tr(), error)),
    };
    let answer = match state.history_answers.answer(
        &campaign.campaign.slug,
        campaign.campaign.id,
        &history,
        interval,
        format,
    ) {
        Ok(answer) => answer,
        Err(error) => return public(unavailable(tr(), anyhow::Error::from(error))),
    };
    exact_bytes(
        req,
        format.content_type(),
        answer.body.clone(),
        &answer.etag,
        CACHE_CONTROL_VALUE,
    )
}
