//! Staff read the audit log, newest first.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::auth::StaffSession;
use super::{StaffError, admin_page};
use crate::db::audit;
use crate::pages::staff::AuditPage;
use crate::routes::AppState;
use crate::routes::{query_param, render};

const PAGE: i64 = 100;

pub async fn list(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
) -> Result<HttpResponse, StaffError> {
    let before = query_param(&req, "before").and_then(|b| b.parse::<i64>().ok());
    let entries = state
        .db
        .run(move |conn| audit::recent(conn, PAGE, before))
        .await
        .map_err(|error| session.unavailable(error))?;
    let older = (entries.len() as i64 == PAGE)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    Ok(render(
        StatusCode::OK,
        &AuditPage {
            page: admin_page(&req, Some(&session)),
            entries,
            older,
        },
    ))
}
