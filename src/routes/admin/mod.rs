//! Staff pages under `/admin`: sign-in, campaigns, dashboards, exports, tokens, audit log.
//! They are in English for now, with every word in `locales/en/admin.ftl`.

mod audit;
pub mod auth;
mod campaigns;
mod erase;
mod exports;
mod partners;
mod tokens;
pub mod views;

use actix_web::http::header::LOCATION;
use actix_web::middleware::from_fn;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use crate::db::audit as audit_log;
use crate::domain::Lang;
use crate::i18n::Tr;
use crate::routes::{AppState, limits};
use auth::StaffSession;
use views::AdminPage;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", web::get().to(home))
        .route("/admin/login", web::get().to(auth::login_form))
        .route(
            "/admin/login",
            web::post()
                .to(auth::login)
                .wrap(from_fn(limits::signing_in)),
        )
        .route("/admin/logout", web::post().to(auth::logout))
        .route("/admin/campaigns", web::get().to(campaigns::list))
        .route("/admin/campaigns", web::post().to(campaigns::create))
        .route("/admin/campaigns/new", web::get().to(campaigns::new))
        .route(
            "/admin/campaigns/{slug}",
            web::get().to(campaigns::dashboard),
        )
        .route(
            "/admin/campaigns/{slug}/edit",
            web::get().to(campaigns::edit),
        )
        .route(
            "/admin/campaigns/{slug}/edit",
            web::post().to(campaigns::update),
        )
        .route(
            "/admin/campaigns/{slug}/open",
            web::post().to(campaigns::open),
        )
        .route(
            "/admin/campaigns/{slug}/close",
            web::post().to(campaigns::close),
        )
        .route(
            "/admin/campaigns/{slug}/pause",
            web::post().to(campaigns::pause),
        )
        .route(
            "/admin/campaigns/{slug}/resume",
            web::post().to(campaigns::resume),
        )
        .route(
            "/admin/campaigns/{slug}/signatures.csv",
            web::get().to(exports::signatures),
        )
        .route("/admin/counts.csv", web::get().to(exports::counts))
        .route("/admin/tokens", web::get().to(tokens::list))
        .route("/admin/tokens", web::post().to(tokens::create))
        .route("/admin/tokens/{id}/revoke", web::post().to(tokens::revoke))
        .route("/admin/audit", web::get().to(audit::list))
        .route("/admin/partners", web::get().to(partners::list))
        .route("/admin/partners", web::post().to(partners::create))
        .route("/admin/erase", web::get().to(erase::form))
        .route("/admin/erase", web::post().to(erase::erase));
}

async fn home(_session: StaffSession) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, "/admin/campaigns"))
        .finish()
}

/// The frame of a staff page.
pub fn admin_page(req: &HttpRequest, session: Option<&StaffSession>) -> AdminPage {
    AdminPage::new(Tr(Lang::En), req.path(), session)
}

/// The answer when a staff page cannot reach the database; the caller logs the cause.
pub fn unavailable_page() -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .content_type("text/plain; charset=utf-8")
        .body(Tr(Lang::En).t("admin-unavailable"))
}

/// Writes an audit entry. A failure to write one is logged, not shown: the action it
/// describes has already happened.
pub async fn record_audit(state: &AppState, actor: &str, action: &str, detail: &str) {
    let (actor, action, detail) = (actor.to_owned(), action.to_owned(), detail.to_owned());
    let now = Utc::now().naive_utc();
    if let Err(error) = state
        .db
        .run(move |conn| audit_log::record(conn, &actor, &action, &detail, now))
        .await
    {
        tracing::error!(error = ?error, "could not write to the audit log");
    }
}
