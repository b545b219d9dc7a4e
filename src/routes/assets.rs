//! Static files under their hashed names (see `pages::assets`), cached by browsers for a year.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};

use super::AppState;
use crate::pages::assets;

pub async fn serve(file: web::Path<String>, req: HttpRequest) -> HttpResponse {
    let wanted = format!("/static/{}", file.into_inner());
    match assets::find(&wanted) {
        Some((content_type, body)) => {
            let mut builder = HttpResponse::Ok();
            builder
                .insert_header((CONTENT_TYPE, content_type))
                .insert_header((CACHE_CONTROL, "public, max-age=31536000, immutable"));
            body.respond(&req, builder)
        }
        None => HttpResponse::NotFound()
            .insert_header((CACHE_CONTROL, "no-store"))
            .finish(),
    }
}

/// The brand colour's stylesheet. Its address carries the settings' fingerprint, so it may
/// be cached as long as the static files; without a colour it is empty.
pub async fn organisation_stylesheet(state: web::Data<AppState>) -> HttpResponse {
    let current = state.organisation.current();
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/css; charset=utf-8"))
        .insert_header((CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(current.brand_stylesheet().unwrap_or_default())
}
