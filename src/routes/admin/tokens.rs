//! API tokens for scheduled exports: created here, shown once, revoked here. A token may be
//! scoped to one partner, whose exports then hold only the signatures that partner brought.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::StaffError;
use super::auth::{CsrfForm, StaffSession};
use super::{admin_page, record_audit};
use crate::db::{api_tokens, partners};
use crate::domain::{PlainToken, Role, Source};
use crate::pages::staff::TokensPage;
use crate::routes::AppState;
use crate::routes::render;

const MAX_NAME_CHARS: usize = 100;

async fn page(
    state: &AppState,
    session: &StaffSession,
    req: &HttpRequest,
    status: StatusCode,
    new_token: Option<(String, String)>,
    error: Option<String>,
) -> Result<HttpResponse, StaffError> {
    let (tokens, partners) = state
        .db
        .run(|conn| Ok((api_tokens::list(conn)?, partners::list(conn)?)))
        .await
        .map_err(|error| session.unavailable(error))?;
    Ok(render(
        status,
        &TokensPage {
            page: admin_page(req, Some(session)),
            tokens,
            partners,
            roles: Role::ALL
                .into_iter()
                .filter(|role| session.access.may_grant(*role))
                .collect(),
            new_token,
            error,
        },
    ))
}

pub async fn list(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
) -> Result<HttpResponse, StaffError> {
    page(&state, &session, &req, StatusCode::OK, None, None).await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct NewTokenForm {
    name: String,
    source: String,
    role: String,
    csrf_token: String,
}

pub async fn create(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    form: web::Form<NewTokenForm>,
) -> Result<HttpResponse, StaffError> {
    session.check_csrf(&state, &form.csrf_token)?;
    let name = form.name.trim().to_owned();
    let source = match form.source.trim() {
        "" => Ok(None),
        raw => Source::parse_lenient(raw).map(Some).ok_or(()),
    };
    let valid_name = !name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && !name.chars().any(char::is_control);
    let role = Role::parse(&form.role).unwrap_or(Role::Viewer);
    if !session.access.may_grant(role) {
        let error = session.tr().t("admin-token-role-too-high");
        let detail = format!("name={name} role={}", role.code());
        record_audit(&state, &session.actor(), "token_refused", &detail).await;
        let status = StatusCode::FORBIDDEN;
        return page(&state, &session, &req, status, None, Some(error)).await;
    }
    let (true, Ok(source)) = (valid_name, source) else {
        let error = session.tr().t("admin-token-name-invalid");
        return page(
            &state,
            &session,
            &req,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(error),
        )
        .await;
    };
    let token = PlainToken::generate().map_err(|error| session.unavailable(error))?;
    let hash = token.hash();
    let now = Utc::now().naive_utc();
    let (stored_name, scope) = (name.clone(), source.as_ref().map(|s| s.as_str().to_owned()));
    let id = state
        .db
        .run(move |conn| api_tokens::create(conn, &stored_name, scope.as_deref(), role, &hash, now))
        .await
        .map_err(|error| session.unavailable(error))?;
    let scope = source.as_ref().map_or("all", Source::as_str);
    record_audit(
        &state,
        &session.actor(),
        "token_created",
        &format!("id={id} name={name} source={scope} role={}", role.code()),
    )
    .await;
    let shown = Some((name, token.expose().to_owned()));
    page(&state, &session, &req, StatusCode::OK, shown, None).await
}

pub async fn revoke(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, StaffError> {
    session.check_csrf(&state, &form.csrf_token)?;
    let id = id.into_inner();
    let now = Utc::now().naive_utc();
    let revoked = state
        .db
        .run(move |conn| api_tokens::revoke(conn, id, now))
        .await
        .map_err(|error| session.unavailable(error))?;
    if let Some(name) = revoked {
        record_audit(
            &state,
            &session.actor(),
            "token_revoked",
            &format!("id={id} name={name}"),
        )
        .await;
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((LOCATION, "/admin/tokens"))
        .finish())
}
