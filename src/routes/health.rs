use actix_web::{HttpResponse, web};
use chrono::TimeDelta;

use crate::db::outbox_stats;
use crate::metrics::OutboxState;
use crate::routes::AppState;

/// 200 when the database answers a query and this server's clock agrees with the
/// database's, 503 otherwise, with the reason.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    match state.db.ping().await {
        Ok(()) if state.clock.is_off() => HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body(clock_off(state.clock.offset())),
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
    let outbox = match state.db.run(outbox_stats::stats).await {
        Ok(stats) => OutboxState {
            depth: stats.waiting,
            oldest_age_seconds: stats.oldest_waiting.map_or(0, |created| {
                (state.clock.now_naive() - created).num_seconds().max(0)
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

/// Why the health check fails when the clock does, in words an operator acts on.
fn clock_off(offset: TimeDelta) -> String {
    // The offset is the database's time minus this server's, to the nearest second.
    let seconds = (offset.num_milliseconds().abs() + 500) / 1000;
    let way = if offset < TimeDelta::zero() {
        "ahead of"
    } else {
        "behind"
    };
    format!(
        "clock off: this server's clock is {seconds} s {way} the database's; set it right (NTP)\n"
    )
}
