use actix_web::{HttpResponse, web};
use chrono::Utc;

use crate::db::outbox;
use crate::metrics::OutboxState;
use crate::routes::AppState;

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

/// Prometheus metrics: counters since start, and the outbox as it is now.
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let outbox = match state.db.run(outbox::stats).await {
        Ok(stats) => OutboxState {
            depth: stats.waiting,
            oldest_age_seconds: stats.oldest_waiting.map_or(0, |created| {
                (Utc::now().naive_utc() - created).num_seconds().max(0)
            }),
            failed: stats.failed,
        },
        Err(error) => {
            tracing::warn!(error = ?error, "metrics could not read the outbox");
            return HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("database unavailable\n");
        }
    };
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(outbox))
}
