//! A partner's own page, behind the link staff created for it: its counts, its snippet and
//! the export of the signers who agreed to hear from it; nothing of other partners. The
//! link is its only key, so an unknown or revoked one is simply not found.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::admin::exports::{csv_response, stream_signatures};
use super::{PageError, negotiate_lang, not_found_page, page, render};
use crate::db::partner_links;
use crate::db::partners::Partner;
use crate::db::reports::{self, CountRow, CountScope, Dimension, SignatureFilter, Status};
use crate::domain::HashedToken;
use crate::i18n::Tr;
use crate::pages::staff::Snippets;
use crate::pages::{PartnerCampaign, PartnerPage};
use crate::routes::AppState;

/// The partner a link opens, if the link is live.
async fn partner_of(
    state: &AppState,
    req: &HttpRequest,
    token: &str,
) -> Result<Option<Partner>, PageError> {
    let hash = HashedToken::of(token);
    state
        .db
        .run(move |conn| partner_links::partner_of(conn, &hash))
        .await
        .map_err(|error| PageError::new(Tr(negotiate_lang(req, None)), req, error))
}

pub async fn show(
    state: web::Data<AppState>,
    token: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let tr = Tr(negotiate_lang(&req, None));
    let Some(partner) = partner_of(&state, &req, &token).await? else {
        return Ok(not_found_page(tr, &req));
    };
    let scope = CountScope {
        campaign_id: None,
        source: Some(partner.code.clone()),
    };
    let dimensions = [Dimension::Campaign, Dimension::Day, Dimension::Channel];
    let rows = state
        .db
        .run(move |conn| reports::counts(conn, &dimensions, &scope))
        .await
        .map_err(|error| PageError::new(tr, &req, error))?;
    let campaigns = campaigns(&state, &partner, &rows, &token, tr);
    Ok(render(
        actix_web::http::StatusCode::OK,
        &PartnerPage {
            page: page(tr, &req),
            partner_name: partner.name,
            campaigns,
        },
    ))
}

/// The open campaigns, each with the partner's counts and snippet, then the closed ones
/// where the partner brought signatures.
fn campaigns(
    state: &AppState,
    partner: &Partner,
    rows: &[CountRow],
    token: &str,
    tr: Tr,
) -> Vec<PartnerCampaign> {
    let open = state.campaigns.open(Utc::now().naive_utc());
    let mut campaigns: Vec<PartnerCampaign> = open
        .iter()
        .map(|campaign| {
            let slug = campaign.campaign.slug.clone();
            let title = campaign
                .text(tr.lang())
                .map_or(slug.clone(), |t| t.title.clone());
            let lang = campaign.campaign.default_lang();
            let code = Some(partner.code.as_str());
            let snippets = Snippets::new(title.clone(), &state.base_url, &slug, code, lang);
            PartnerCampaign::new(slug, title, rows, Some(snippets), token)
        })
        .collect();
    let mut closed: Vec<&str> = rows.iter().map(|row| row.keys[0].as_str()).collect();
    closed.dedup();
    for slug in closed {
        if campaigns.iter().all(|c| c.slug != slug) {
            let slug = slug.to_owned();
            campaigns.push(PartnerCampaign::new(slug.clone(), slug, rows, None, token));
        }
    }
    campaigns
}

/// The confirmed signers of one campaign that the partner brought and who agreed to hear
/// from it; everyone else it brought is in the page's counts only.
pub async fn signatures(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let (token, slug) = path.into_inner();
    let tr = Tr(negotiate_lang(&req, None));
    let Some(partner) = partner_of(&state, &req, &token).await? else {
        return Ok(not_found_page(tr, &req));
    };
    let fail = |error| PageError::new(tr, &req, error);
    let Some(campaign) = state.campaigns.get(&state.db, &slug).await.map_err(fail)? else {
        return Ok(not_found_page(tr, &req));
    };
    let filter = SignatureFilter {
        campaign_id: campaign.campaign.id,
        status: Status::Confirmed,
        from: None,
        to: None,
        source: Some(partner.code.clone()),
        consented_to: Some(partner.code.clone()),
    };
    let conn = state
        .db
        .connection_for_blocking_task()
        .await
        .map_err(fail)?;
    let filename = format!(
        "{slug}-{}-{}.csv",
        partner.code,
        Utc::now().format("%Y-%m-%d")
    );
    let actor = format!("partner:{}", partner.code);
    Ok(csv_response(&filename).streaming(stream_signatures(conn, filter, actor, slug)))
}
