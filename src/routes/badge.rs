//! A campaign's count as a small image, for partners' pages and newsletters.

use actix_web::http::StatusCode;
use actix_web::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::load_campaign;
use super::{PageError, negotiate_lang, not_found_page, requested_lang};
use crate::i18n::Tr;
use crate::pages::{Badge, CampaignView};
use crate::routes::AppState;

/// `GET /campaigns/{slug}/badge.svg`, in `?lang=` or else the campaign's language: an image
/// is fetched with the reader's browser, but shown in a page the partner wrote.
pub async fn show(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let Some(campaign) = load_campaign(&state, &slug, &req).await? else {
        return Ok(not_found_page(Tr(negotiate_lang(&req, None)), &req));
    };
    let lang = requested_lang(&req).unwrap_or_else(|| campaign.campaign.default_lang());
    let view = CampaignView::new(
        &campaign,
        state.counts.tally(campaign.campaign.id),
        Tr(lang),
    );
    let svg = Badge::new(view)
        .render()
        .map_err(|error| PageError::new(Tr(lang), &req, error))?;
    Ok(HttpResponse::build(StatusCode::OK)
        .insert_header((CONTENT_TYPE, "image/svg+xml; charset=utf-8"))
        .insert_header((
            CACHE_CONTROL,
            "public, max-age=30, stale-while-revalidate=60",
        ))
        .insert_header((ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        // Pages that isolate themselves (COEP) may still show it.
        .insert_header(("Cross-Origin-Resource-Policy", "cross-origin"))
        .body(svg))
}
