//! Staff manage campaigns: list, create, edit, open and close, pause, and watch them grow.

mod dashboard;
mod editor;
mod switches;

use actix_web::HttpResponse;
use actix_web::http::header::LOCATION;

use crate::routes::AppState;

pub use dashboard::dashboard;
pub use editor::{create, edit, list, new, update};
pub use switches::{close, confirm_close, open, pause, resume};

pub(super) fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .finish()
}

/// Public pages read campaigns from memory; this makes a change made here show there at
/// once rather than at the next periodic reload.
pub(super) async fn show_publicly(state: &AppState) {
    if let Err(error) = state.campaigns.reload(&state.db).await {
        tracing::warn!(error = ?error, "could not reload campaigns; the change shows within seconds");
    }
}
