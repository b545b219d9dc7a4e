//! `GET /campaigns/{slug}/share.png`: the campaign's link-preview picture, with its title
//! and the organisation's name, in `?lang=` or else the campaign's language. Drawn once per
//! version of the campaign and of the organisation's settings, on the blocking pool, and
//! kept in `cache::share_pictures`.

use std::sync::Arc;

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};

use super::load_campaign;
use super::{PageError, negotiate_lang, not_found_page, requested_lang};
use crate::cache::organisation::CurrentOrganisation;
use crate::db::campaigns::CampaignWithTexts;
use crate::documents::share_picture::{self, SharePicture};
use crate::domain::Lang;
use crate::i18n::Tr;
use crate::routes::AppState;

/// What names one drawing of a campaign's picture; it changes when staff edit the campaign
/// or the organisation, so the picture's address can be cached for long.
pub fn version(campaign: &CampaignWithTexts, organisation: &CurrentOrganisation) -> String {
    format!(
        "{}-{}",
        campaign.campaign.updated_at.and_utc().timestamp(),
        organisation.version
    )
}

/// The picture's address, and its description for those who do not see it.
pub fn link(
    campaign: &CampaignWithTexts,
    organisation: &CurrentOrganisation,
    tr: Tr,
    title: &str,
) -> (String, String) {
    let url = format!(
        "/campaigns/{}/share.png?lang={}&v={}",
        campaign.campaign.slug,
        tr.lang().code(),
        version(campaign, organisation)
    );
    let alt = match organisation.settings.name(tr.lang()) {
        Some(name) => tr.t2(
            "share-picture-alt",
            ("title", title),
            ("organisation", name),
        ),
        None => title.to_owned(),
    };
    (url, alt)
}

pub async fn show(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let Some(campaign) = load_campaign(&state, &slug, &req).await? else {
        return Ok(not_found_page(Tr(negotiate_lang(&req, None)), &req));
    };
    let lang = campaign
        .page_lang(requested_lang(&req).unwrap_or_else(|| campaign.campaign.default_lang()));
    let organisation = state.organisation.current();
    let key = format!(
        "{}|{}|{}",
        campaign.campaign.id,
        version(&campaign, &organisation),
        lang.code()
    );
    let png = match state.share_pictures.get(&key) {
        Some(png) => png,
        None => {
            let png = web::block(move || draw(&campaign, &organisation, lang))
                .await
                .map_err(|error| PageError::new(Tr(lang), &req, anyhow::anyhow!("{error}")))?
                .map_err(|error| PageError::new(Tr(lang), &req, error))?;
            let png = Arc::new(png);
            state.share_pictures.keep(key, Arc::clone(&png));
            png
        }
    };
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "image/png"))
        // Its address changes with what it shows.
        .insert_header((CACHE_CONTROL, "public, max-age=86400"))
        .body(png.as_ref().clone()))
}

fn draw(
    campaign: &CampaignWithTexts,
    organisation: &CurrentOrganisation,
    lang: Lang,
) -> Result<Vec<u8>, share_picture::PictureError> {
    let title = campaign
        .text(lang)
        .map_or(campaign.campaign.slug.as_str(), |t| t.title.as_str());
    let settings = &organisation.settings;
    let colour = settings.brand_colour().map(|colour| colour.to_string());
    share_picture::render(&SharePicture {
        title,
        organisation: settings.name(lang).unwrap_or_default(),
        background: colour.as_deref(),
    })
}
