//! The form embedded in partners' pages: the form's pages inside an iframe, and the script
//! partners paste to insert that iframe.

use std::sync::LazyLock;

use actix_web::HttpResponse;
use actix_web::http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_TYPE, HeaderValue,
};
use askama::Template;

use crate::domain::Lang;
use crate::i18n::Tr;

/// The iframe's height until the form reports its own; the form needs more, so the frame
/// only ever grows into place.
const INITIAL_FRAME_HEIGHT: u32 = 600;

#[derive(Template)]
#[template(path = "embed.js", escape = "none")]
struct EmbedScript {
    /// The iframe's accessible name in each language, as a JSON object.
    titles_json: String,
    /// The words of the plain link shown where the frame may not be, in each language.
    links_json: String,
    default_lang: &'static str,
    initial_height: u32,
}

static EMBED_SCRIPT: LazyLock<Option<String>> = LazyLock::new(|| {
    let titles: serde_json::Map<String, serde_json::Value> = Lang::ALL
        .iter()
        .map(|&lang| {
            (
                lang.code().to_owned(),
                Tr(lang).t("embed-frame-title").into(),
            )
        })
        .collect();
    let links: serde_json::Map<String, serde_json::Value> = Lang::ALL
        .iter()
        .map(|&lang| {
            (
                lang.code().to_owned(),
                Tr(lang).t("embed-blocked-link").into(),
            )
        })
        .collect();
    let script = EmbedScript {
        titles_json: serde_json::Value::Object(titles).to_string(),
        links_json: serde_json::Value::Object(links).to_string(),
        default_lang: Lang::Es.code(),
        initial_height: INITIAL_FRAME_HEIGHT,
    };
    script
        .render()
        .inspect_err(|error| tracing::error!(error = %error, "embed.js could not be rendered"))
        .ok()
});

/// `/embed.js` keeps one address forever, since partners paste it into their pages, so it is
/// cached briefly rather than fingerprinted.
pub async fn script() -> HttpResponse {
    match EMBED_SCRIPT.as_deref() {
        Some(body) => HttpResponse::Ok()
            .insert_header((CONTENT_TYPE, "text/javascript; charset=utf-8"))
            .insert_header((CACHE_CONTROL, "public, max-age=300"))
            .insert_header((ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
            .insert_header(("Cross-Origin-Resource-Policy", "cross-origin"))
            .body(body),
        None => HttpResponse::ServiceUnavailable()
            .insert_header((CACHE_CONTROL, HeaderValue::from_static("no-store")))
            .finish(),
    }
}
