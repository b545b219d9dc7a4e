use actix_web::{HttpResponse, web};

use crate::startup::AppState;

/// 200 when the database answers a query, 503 otherwise.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ok\n"),
        Err(error) => {
            tracing::warn!(error = ?error, "health check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("database unavailable\n")
        }
    }
}
