//! API tokens for scheduled exports: created here, shown once, revoked here.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::auth::{CsrfForm, StaffSession};
use super::views::TokensPage;
use super::{admin_page, record_audit};
use crate::db::api_tokens;
use crate::domain::{Lang, PlainToken};
use crate::i18n::Tr;
use crate::routes::render;
use crate::startup::AppState;

const MAX_NAME_CHARS: usize = 100;

async fn page(
    state: &AppState,
    session: &StaffSession,
    req: &HttpRequest,
    status: StatusCode,
    new_token: Option<(String, String)>,
    error: Option<String>,
) -> HttpResponse {
    match state.db.run(api_tokens::list).await {
        Ok(tokens) => render(
            status,
            &TokensPage {
                page: admin_page(req, Some(session)),
                tokens,
                new_token,
                error,
            },
        ),
        Err(error) => {
            tracing::error!(error = ?error, "could not list API tokens");
            HttpResponse::ServiceUnavailable().body(Tr(Lang::En).t("admin-unavailable"))
        }
    }
}

pub async fn list(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
) -> HttpResponse {
    page(&state, &session, &req, StatusCode::OK, None, None).await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct NewTokenForm {
    name: String,
    csrf_token: String,
}

pub async fn create(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    form: web::Form<NewTokenForm>,
) -> HttpResponse {
    if let Err(refused) = session.check_csrf(&state, &form.csrf_token) {
        return refused.response();
    }
    let name = form.name.trim().to_owned();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        let error = Tr(Lang::En).t("admin-token-name-invalid");
        return page(
            &state,
            &session,
            &req,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(error),
        )
        .await;
    }
    match create_token(&state, &name, &session.actor()).await {
        Ok(token) => {
            page(
                &state,
                &session,
                &req,
                StatusCode::OK,
                Some((name, token.expose().to_owned())),
                None,
            )
            .await
        }
        Err(error) => {
            tracing::error!(error = ?error, "could not create an API token");
            HttpResponse::ServiceUnavailable().body(Tr(Lang::En).t("admin-unavailable"))
        }
    }
}

/// Creates a token and records who did; the secret is returned to be shown once.
pub async fn create_token(state: &AppState, name: &str, actor: &str) -> anyhow::Result<PlainToken> {
    let token = PlainToken::generate()?;
    let hash = token.hash();
    let now = Utc::now().naive_utc();
    let stored_name = name.to_owned();
    let id = state
        .db
        .run(move |conn| api_tokens::create(conn, &stored_name, &hash, now))
        .await?;
    record_audit(
        state,
        actor,
        "token_created",
        &format!("id={id} name={name}"),
    )
    .await;
    Ok(token)
}

pub async fn revoke(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    if let Err(refused) = session.check_csrf(&state, &form.csrf_token) {
        return refused.response();
    }
    let id = id.into_inner();
    let now = Utc::now().naive_utc();
    match state
        .db
        .run(move |conn| api_tokens::revoke(conn, id, now))
        .await
    {
        Ok(Some(name)) => {
            record_audit(
                &state,
                &session.actor(),
                "token_revoked",
                &format!("id={id} name={name}"),
            )
            .await;
        }
        Ok(None) => {}
        Err(error) => {
            tracing::error!(error = ?error, "could not revoke an API token");
            return HttpResponse::ServiceUnavailable().body(Tr(Lang::En).t("admin-unavailable"));
        }
    }
    HttpResponse::SeeOther()
        .insert_header((LOCATION, "/admin/tokens"))
        .finish()
}
