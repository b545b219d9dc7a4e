//! "This wasn't me": the link in a signer's emails that removes a signature someone else
//! made with their address. Opening it shows a button; only pressing it acts, because mail
//! scanners open links. A forged link, or one whose signature is gone, changes nothing.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::{PageError, message_page, negotiate_lang, page, render, requested_lang, secret_link};
use crate::db::review::{self, NotMeTarget};
use crate::domain::Lang;
use crate::i18n::Tr;
use crate::pages::NotMePage;
use crate::routes::AppState;

/// The signature a link names, when its code is right for that signature's address.
async fn target(
    state: &AppState,
    req: &HttpRequest,
    id: &str,
    mac: &str,
) -> Result<Option<(i64, NotMeTarget)>, PageError> {
    let Ok(signature_id) = id.parse::<i64>() else {
        return Ok(None);
    };
    let found = state
        .db
        .run(move |conn| review::not_me_target(conn, signature_id))
        .await
        .map_err(|e| PageError::new(Tr(negotiate_lang(req, None)), req, e))?;
    Ok(found
        .filter(|target| state.not_me_key.verify(signature_id, &target.email, mac))
        .map(|target| (signature_id, target)))
}

fn lang_of(req: &HttpRequest, target: &NotMeTarget) -> Lang {
    requested_lang(req).unwrap_or_else(|| Lang::parse(&target.lang).unwrap_or(Lang::Es))
}

/// Forged, replayed and stale links all get the same page: nothing to remove.
fn nothing_to_remove(req: &HttpRequest) -> HttpResponse {
    let tr = Tr(negotiate_lang(req, None));
    render(
        StatusCode::NOT_FOUND,
        &message_page(tr, req, "not-me-gone-title", &["not-me-gone-body"], None),
    )
}

pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let (id, mac) = path.into_inner();
    let Some((_, target)) = target(&state, &req, &id, &mac).await? else {
        return Ok(secret_link(nothing_to_remove(&req)));
    };
    let tr = Tr(lang_of(&req, &target));
    let campaign = state
        .campaigns
        .get(&state.db, &target.campaign_slug)
        .await
        .map_err(|e| PageError::new(tr, &req, e))?;
    let campaign_title = campaign
        .as_ref()
        .and_then(|c| {
            c.text(tr.lang())
                .or_else(|| c.text(c.campaign.default_lang()))
        })
        .map_or_else(|| target.campaign_slug.clone(), |t| t.title.clone());
    Ok(secret_link(render(
        StatusCode::OK,
        &NotMePage {
            page: page(tr, &req),
            campaign_title,
            action: format!("/not-me/{id}/{mac}?lang={}", tr.lang().code()),
        },
    )))
}

pub async fn remove(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let (id, mac) = path.into_inner();
    let Some((signature_id, target)) = target(&state, &req, &id, &mac).await? else {
        return Ok(secret_link(nothing_to_remove(&req)));
    };
    let tr = Tr(lang_of(&req, &target));
    let (email, now) = (target.email.clone(), state.clock.now_naive());
    let removed = state
        .db
        .run(move |conn| review::remove_not_me(conn, signature_id, &email, now))
        .await
        .map_err(|e| PageError::new(tr, &req, e))?;
    if !removed {
        return Ok(secret_link(nothing_to_remove(&req)));
    }
    tracing::info!(
        campaign = target.campaign_id,
        "signature removed: this wasn't me"
    );
    state.counts.changed();
    state.history.forget(target.campaign_id);
    Ok(secret_link(render(
        StatusCode::OK,
        &message_page(tr, &req, "not-me-done-title", &["not-me-done-body"], None),
    )))
}
