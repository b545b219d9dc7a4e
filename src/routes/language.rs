//! Which language a supporter reads: the one asked for in the address, else the one they
//! chose before, else their browser's, else the campaign's.

use actix_web::body::MessageBody;
use actix_web::cookie::time::Duration;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{ACCEPT_LANGUAGE, CONTENT_TYPE, HeaderValue, VARY};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest};

use super::query_param;
use crate::domain::Lang;

/// The first-party cookie that remembers the language a supporter picked.
pub const LANG_COOKIE: &str = "mariposa_lang";

/// Remembers `lang` for a year in this browser.
pub fn lang_cookie(lang: Lang, https: bool) -> Cookie<'static> {
    Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .max_age(Duration::days(365))
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(https)
        .finish()
}

/// Set on a request whose language was not fixed by its address, so that its answer may
/// depend on the cookie or on `Accept-Language`.
#[derive(Debug, Clone, Copy)]
struct ChosenFromHeaders;

/// The language of a page: `?lang=` first, then the supporter's earlier choice (the
/// `mariposa_lang` cookie), then the browser's `Accept-Language`, then the campaign's own
/// language, then Spanish, the language of the campaigns Mariposa was made for.
pub fn negotiate_lang(req: &HttpRequest, campaign_default: Option<Lang>) -> Lang {
    if let Some(lang) = requested_lang(req) {
        return lang;
    }
    req.extensions_mut().insert(ChosenFromHeaders);
    remembered_lang(req)
        .or_else(|| {
            req.headers()
                .get(ACCEPT_LANGUAGE)
                .and_then(|h| h.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .or(campaign_default)
        .unwrap_or(Lang::Es)
}

/// The language named by `?lang=`, when it is one we speak.
pub fn requested_lang(req: &HttpRequest) -> Option<Lang> {
    query_param(req, "lang").and_then(|lang| Lang::parse(&lang))
}

fn remembered_lang(req: &HttpRequest) -> Option<Lang> {
    req.cookie(LANG_COOKIE)
        .and_then(|cookie| Lang::parse(cookie.value()))
}

/// Signed-in staff keep their choice on their account (`POST /admin/language`), so of the
/// staff pages only the sign-in page remembers one; the embedded form lives inside
/// partners' pages, where a cookie of ours would be a third-party one; the API, images and
/// scripts serve programs.
fn remembers_choice(path: &str) -> bool {
    path == "/admin/login"
        || !["/admin", "/embed", "/api/", "/static/"]
            .iter()
            .any(|prefix| path.starts_with(prefix))
}

fn is_page(response: &ServiceResponse<impl MessageBody>) -> bool {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"))
}

/// Remembers for a year the language a supporter picks with `?lang=` on one of our pages,
/// and tells caches which answers depend on the cookie or on `Accept-Language`, so that a
/// shared cache never hands one supporter's language to another.
pub async fn remember_language(
    https: bool,
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    // The path as the router matches it, with percent-encoded letters decoded, so that
    // `/%65mbed/…` is the embed here too.
    let chosen = (req.method() == Method::GET && remembers_choice(req.match_info().as_str()))
        .then(|| requested_lang(req.request()))
        .flatten();
    let mut response = next.call(req).await?;
    let from_headers = response
        .request()
        .extensions()
        .contains::<ChosenFromHeaders>();
    if from_headers {
        response
            .headers_mut()
            .append(VARY, HeaderValue::from_static("Cookie, Accept-Language"));
    }
    if let Some(lang) = chosen
        && is_page(&response)
        && let Err(error) = response
            .response_mut()
            .add_cookie(&lang_cookie(lang, https))
    {
        tracing::warn!(error = %error, "the language cookie could not be set");
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn the_address_wins_over_the_cookie_and_the_cookie_over_the_browser() {
        let req = TestRequest::get()
            .uri("/?lang=pt")
            .cookie(Cookie::new(LANG_COOKIE, "fr"))
            .insert_header((ACCEPT_LANGUAGE, "en"))
            .to_http_request();
        assert_eq!(negotiate_lang(&req, Some(Lang::Es)), Lang::Pt);

        let req = TestRequest::get()
            .uri("/")
            .cookie(Cookie::new(LANG_COOKIE, "fr"))
            .insert_header((ACCEPT_LANGUAGE, "en"))
            .to_http_request();
        assert_eq!(negotiate_lang(&req, Some(Lang::Es)), Lang::Fr);
    }

    #[test]
    fn a_cookie_we_did_not_write_is_ignored() {
        let req = TestRequest::get()
            .uri("/?lang=xx")
            .cookie(Cookie::new(LANG_COOKIE, "klingon"))
            .to_http_request();
        assert_eq!(negotiate_lang(&req, Some(Lang::Pt)), Lang::Pt);
        assert_eq!(negotiate_lang(&req, None), Lang::Es);
    }

    #[test]
    fn only_supporters_pages_and_the_staff_sign_in_remember_the_choice() {
        for path in [
            "/",
            "/campaigns/x",
            "/campaigns/x/thanks",
            "/confirm/t",
            "/admin/login",
        ] {
            assert!(remembers_choice(path), "{path}");
        }
        for path in [
            "/admin",
            "/admin/campaigns",
            "/embed/x",
            "/embed.js",
            "/api/v1/x",
        ] {
            assert!(!remembers_choice(path), "{path}");
        }
    }
}
