//! Staff register partner organisations and the codes that attribute their signatures.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::StaffError;
use super::auth::StaffSession;
use super::{admin_page, record_audit};
use crate::db::partners;
use crate::domain::Source;
use crate::pages::staff::PartnersPage;
use crate::routes::AppState;
use crate::routes::render;

const MAX_NAME_CHARS: usize = 200;

async fn page(
    state: &AppState,
    session: &StaffSession,
    req: &HttpRequest,
    status: StatusCode,
    error: Option<&str>,
) -> Result<HttpResponse, StaffError> {
    let partners = state
        .db
        .run(partners::list)
        .await
        .map_err(|error| session.unavailable(error))?;
    Ok(render(
        status,
        &PartnersPage {
            page: admin_page(req, Some(session)),
            partners,
            error: error.map(|key| session.tr().t(key)),
        },
    ))
}

pub async fn list(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
) -> Result<HttpResponse, StaffError> {
    page(&state, &session, &req, StatusCode::OK, None).await
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
            Some("admin-partner-invalid"),
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
                Some("admin-partner-code-taken"),
            )
            .await
        }
    }
}
