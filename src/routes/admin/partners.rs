//! Staff register partner organisations and the codes that attribute their signatures, and
//! give each partner links to a page of its own (shown once, stored hashed, revocable).

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::StaffError;
use super::auth::{CsrfForm, StaffSession};
use super::{admin_page, record_audit};
use crate::db::{partner_links, partners};
use crate::domain::PlainToken;
use crate::domain::Source;
use crate::pages::staff::PartnersPage;
use crate::routes::AppState;
use crate::routes::render;

const MAX_NAME_CHARS: usize = 200;

/// What the partners page shows besides the list: an error, or a link just created.
#[derive(Default)]
struct Shown {
    error: Option<&'static str>,
    new_link: Option<(i64, String)>,
}

async fn page(
    state: &AppState,
    session: &StaffSession,
    req: &HttpRequest,
    status: StatusCode,
    shown: Shown,
) -> Result<HttpResponse, StaffError> {
    let (partners, links) = state
        .db
        .run(|conn| Ok((partners::list(conn)?, partner_links::list(conn)?)))
        .await
        .map_err(|error| session.unavailable(error))?;
    Ok(render(
        status,
        &PartnersPage {
            page: admin_page(req, Some(session)),
            partners,
            links,
            new_link: shown.new_link,
            error: shown.error.map(|key| session.tr().t(key)),
        },
    ))
}

fn error(key: &'static str) -> Shown {
    Shown {
        error: Some(key),
        new_link: None,
    }
}

pub async fn list(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
) -> Result<HttpResponse, StaffError> {
    page(&state, &session, &req, StatusCode::OK, Shown::default()).await
}

/// Creates a link to the partner's own page and shows it this once.
pub async fn create_link(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    id: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, StaffError> {
    session.check_csrf(&state, &form.csrf_token)?;
    let partner_id = id.into_inner();
    let token = PlainToken::generate().map_err(|error| session.unavailable(error))?;
    let hash = token.hash();
    let now = Utc::now().naive_utc();
    let created = state
        .db
        .run(move |conn| partner_links::create(conn, partner_id, &hash, now))
        .await
        .map_err(|error| session.unavailable(error))?;
    let Some(link_id) = created else {
        let status = StatusCode::NOT_FOUND;
        return page(
            &state,
            &session,
            &req,
            status,
            error("admin-partner-unknown"),
        )
        .await;
    };
    record_audit(
        &state,
        &session.actor(),
        "partner_link_created",
        &format!("id={link_id} partner={partner_id}"),
    )
    .await;
    let url = format!("{}/partner/{}", state.base_url, token.expose());
    let shown = Shown {
        error: None,
        new_link: Some((partner_id, url)),
    };
    page(&state, &session, &req, StatusCode::OK, shown).await
}

pub async fn revoke_link(
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
        .run(move |conn| partner_links::revoke(conn, id, now))
        .await
        .map_err(|error| session.unavailable(error))?;
    if let Some(code) = revoked {
        let detail = format!("id={id} partner={code}");
        record_audit(&state, &session.actor(), "partner_link_revoked", &detail).await;
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((LOCATION, "/admin/partners"))
        .finish())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PartnerForm {
    name: String,
    code: String,
    website: String,
    csrf_token: String,
}

pub async fn create(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    form: web::Form<PartnerForm>,
) -> Result<HttpResponse, StaffError> {
    let form = form.into_inner();
    session.check_csrf(&state, &form.csrf_token)?;
    let name = form.name.trim().to_owned();
    let website = form.website.trim().to_owned();
    let code = Source::parse_lenient(&form.code);
    let valid = !name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && !name.chars().any(char::is_control)
        && (website.is_empty()
            || ((website.starts_with("https://") || website.starts_with("http://"))
                && website.len() <= 300
                && !website.chars().any(|c| c.is_control() || c.is_whitespace())));
    let (true, Some(code)) = (valid, code) else {
        return page(
            &state,
            &session,
            &req,
            StatusCode::UNPROCESSABLE_ENTITY,
            error("admin-partner-invalid"),
        )
        .await;
    };
    let now = Utc::now().naive_utc();
    let (stored_name, stored_code, stored_site) = (name.clone(), code.as_str().to_owned(), website);
    let created = state
        .db
        .run(move |conn| partners::create(conn, &stored_name, &stored_code, &stored_site, now))
        .await
        .map_err(|error| session.unavailable(error))?;
    match created {
        Some(_) => {
            record_audit(
                &state,
                &session.actor(),
                "partner_created",
                &format!("code={} name={name}", code.as_str()),
            )
            .await;
            Ok(HttpResponse::SeeOther()
                .insert_header((LOCATION, "/admin/partners"))
                .finish())
        }
        None => {
            page(
                &state,
                &session,
                &req,
                StatusCode::UNPROCESSABLE_ENTITY,
                error("admin-partner-code-taken"),
            )
            .await
        }
    }
}
