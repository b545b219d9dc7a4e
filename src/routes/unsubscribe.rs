//! One-click unsubscribe (RFC 8058). Mail providers POST to the link from the email's
//! `List-Unsubscribe` header; people opening it get a page with a button, because link
//! scanners open links too.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::{PageError, message_page, negotiate_lang, page, render, secret_link, unknown_link};
use crate::db::privacy;
use crate::i18n::Tr;
use crate::pages::UnsubscribePage;
use crate::routes::AppState;

fn valid(state: &AppState, id: &str, mac: &str) -> Option<i64> {
    let id: i64 = id.parse().ok()?;
    state.unsubscribe_key.verify(id, mac).then_some(id)
}

pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> HttpResponse {
    let (id, mac) = path.into_inner();
    let tr = Tr(negotiate_lang(&req, None));
    let response = match valid(&state, &id, &mac) {
        Some(_) => render(
            StatusCode::OK,
            &UnsubscribePage {
                page: page(tr, &req),
                action: format!("/unsubscribe/{id}/{mac}"),
            },
        ),
        None => unknown_link(&req),
    };
    secret_link(response)
}

pub async fn unsubscribe(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let (id, mac) = path.into_inner();
    let tr = Tr(negotiate_lang(&req, None));
    let Some(signature_id) = valid(&state, &id, &mac) else {
        return Ok(secret_link(unknown_link(&req)));
    };
    let now = Utc::now().naive_utc();
    let found = state
        .db
        .run(move |conn| privacy::opt_out(conn, signature_id, now))
        .await
        .map_err(|e| PageError::new(tr, &req, e))?;
    // An erased signature no longer exists to unsubscribe; either way the person will get
    // no more news, which is what they asked for.
    if found {
        tracing::info!(signature = signature_id, "signer unsubscribed");
    }
    Ok(secret_link(render(
        StatusCode::OK,
        &message_page(
            tr,
            &req,
            "unsubscribe-done-title",
            &["unsubscribe-done-body"],
            None,
        ),
    )))
}
