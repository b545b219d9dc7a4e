//! Confirmation links. Opening one shows a button and only pressing it confirms: mail
//! scanners open links before people do, and some run the page's scripts in a headless
//! browser, so nothing but a person's click or key press may send the form.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::{
    PageError, message_page, negotiate_lang, page, render, requested_lang, secret_link,
    unknown_link,
};
use crate::db::signatures::{self, TokenState};
use crate::domain::{Lang, PlainToken};
use crate::i18n::Tr;
use crate::pages::{Action, ConfirmPage, MessagePage};
use crate::routes::AppState;

pub async fn show(
    state: web::Data<AppState>,
    token: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let raw = token.into_inner();
    let state_of_token = lookup(&state, &raw, &req, false).await?;
    let response = match state_of_token {
        TokenState::Valid {
            campaign_slug,
            lang,
            ..
        } => {
            let tr = Tr(page_lang(&req, lang));
            let campaign = state
                .campaigns
                .get(&state.db, &campaign_slug)
                .await
                .map_err(|e| PageError::new(tr, &req, e))?;
            let campaign_title = campaign
                .as_ref()
                .and_then(|c| c.text(tr.lang()))
                .map(|t| t.title.clone())
                .unwrap_or_default();
            render(
                StatusCode::OK,
                &ConfirmPage {
                    page: page(tr, &req),
                    campaign_title,
                    action: format!("/confirm/{raw}?lang={}", tr.lang().code()),
                },
            )
        }
        other => dead_end(&req, other),
    };
    Ok(secret_link(response))
}

pub async fn confirm(
    state: web::Data<AppState>,
    token: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let raw = token.into_inner();
    let response = match lookup(&state, &raw, &req, true).await? {
        TokenState::Valid {
            campaign_slug,
            lang,
            already_confirmed,
        } => {
            if !already_confirmed {
                state.counts.changed();
                state.metrics.signature_confirmed();
            }
            let lang = page_lang(&req, lang);
            HttpResponse::SeeOther()
                .insert_header((
                    LOCATION,
                    format!("/campaigns/{campaign_slug}/thanks?lang={}", lang.code()),
                ))
                .finish()
        }
        other => dead_end(&req, other),
    };
    Ok(secret_link(response))
}

/// Looks the token up, confirming its signature if `confirm` is set.
async fn lookup(
    state: &AppState,
    raw: &str,
    req: &HttpRequest,
    confirm: bool,
) -> Result<TokenState, PageError> {
    let Some(token) = PlainToken::parse(raw) else {
        return Ok(TokenState::Unknown);
    };
    let hash = token.hash();
    let now = Utc::now().naive_utc();
    state
        .db
        .run(move |conn| {
            if confirm {
                signatures::confirm(conn, &hash, now)
            } else {
                signatures::token_state(conn, &hash, now)
            }
        })
        .await
        .map_err(|e| PageError::new(Tr(negotiate_lang(req, None)), req, e))
}

/// The signer's own language unless they picked another on the page.
fn page_lang(req: &HttpRequest, signer_lang: Lang) -> Lang {
    requested_lang(req).unwrap_or(signer_lang)
}

/// Expired and unknown links, and links to a campaign that has closed: say what happened
/// and offer the way back.
fn dead_end(req: &HttpRequest, state: TokenState) -> HttpResponse {
    match state {
        TokenState::CampaignClosed {
            campaign_slug,
            lang,
            closed_on,
        } => {
            let tr = Tr(page_lang(req, lang));
            let mut paragraphs = vec![tr.t("confirm-closed-body")];
            if let Some(day) = closed_on {
                paragraphs.push(tr.t1("confirm-closed-on", "date", &day.to_string()));
            }
            let back = Action {
                href: format!("/campaigns/{campaign_slug}?lang={}", tr.lang().code()),
                label: tr.t("back-to-campaign"),
            };
            render(
                StatusCode::CONFLICT,
                &MessagePage {
                    page: page(tr, req),
                    title: tr.t("confirm-closed-title"),
                    paragraphs,
                    action: Some(back),
                    share: None,
                },
            )
        }
        TokenState::Expired {
            campaign_slug,
            lang,
        } => {
            let tr = Tr(page_lang(req, lang));
            let again = Action {
                href: format!("/campaigns/{campaign_slug}?lang={}", tr.lang().code()),
                label: tr.t("confirm-expired-action"),
            };
            render(
                StatusCode::GONE,
                &message_page(
                    tr,
                    req,
                    "confirm-expired-title",
                    &["confirm-expired-body"],
                    Some(again),
                ),
            )
        }
        _ => unknown_link(req),
    }
}
