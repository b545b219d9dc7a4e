//! Static files under their hashed names (see `pages::assets`), cached by browsers for a year.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};

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
