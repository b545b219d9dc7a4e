//! The kiosk: a signing form for a tablet at an event, reached by a secret link. It works as
//! a plain form while online; its script (`static/kiosk.js`) and service worker
//! (`static/kiosk-sw.js`) keep it working offline, sending what it sealed once the server
//! answers again. Its signatures count without confirmation: a volunteer was there.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue, LOCATION, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::signing::SignForm;
use super::{PageError, negotiate_lang, render, secret_link, unknown_link};
use crate::db::StoreError;
use crate::db::kiosks::KioskAtEvent;
use crate::domain::{
    FieldErrors, IdempotencyKey, Lang, SealedSignature, SignatureInput, UploadOutcome,
};
use crate::i18n::Tr;
use crate::intake::kiosk::{PAUSED_RETRY, Shut, Signed, Uploaded};
use crate::pages::assets;
use crate::pages::{FormView, KioskMessagePage, KioskPage, Page, paused_note};
use crate::routes::AppState;

/// Largest upload: one sealed signature.
pub const UPLOAD_LIMIT: usize = 16 * 1024;

/// How long the thank-you screen stays before the form is back for the next person.
const THANKS_SECONDS: u32 = 8;

/// The kiosk of the link, for a page; an error page when the database cannot say.
async fn find(
    state: &AppState,
    secret: &str,
    req: &HttpRequest,
) -> Result<Option<KioskAtEvent>, PageError> {
    state
        .kiosk_desk()
        .find(secret)
        .await
        .map_err(|e| PageError::new(Tr(negotiate_lang(req, None)), req, e))
}

fn lang_of(req: &HttpRequest, found: &KioskAtEvent) -> Lang {
    negotiate_lang(req, Some(found.campaign.default_lang()))
}

fn kiosk_path(secret: &str) -> String {
    format!("/kiosk/{secret}")
}

/// Kiosk pages carry the secret in their address: no Referer, no shared caches.
fn respond(status: StatusCode, template: &impl askama::Template) -> HttpResponse {
    secret_link(render(status, template))
}

fn with_retry_after(mut response: HttpResponse, wait: Duration) -> HttpResponse {
    if let Ok(value) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
        response.headers_mut().insert(RETRY_AFTER, value);
    }
    response
}

/// One kiosk's pages in one language, with the campaign's title from the campaign cache.
/// They offer only the languages the campaign has texts in, and are in one of them.
struct Pages<'a> {
    state: &'a AppState,
    found: &'a KioskAtEvent,
    path: String,
    tr: Tr,
    languages: Vec<Lang>,
    title: String,
    summary: String,
}

impl<'a> Pages<'a> {
    async fn new(
        state: &'a AppState,
        found: &'a KioskAtEvent,
        secret: &str,
        tr: Tr,
    ) -> Result<Pages<'a>, StoreError> {
        let campaign = &found.campaign;
        let texts = state.campaigns.get(&state.db, &campaign.slug).await?;
        let tr = texts.as_ref().map_or(tr, |c| Tr(c.page_lang(tr.lang())));
        let (title, summary) = texts
            .as_ref()
            .and_then(|c| c.text(tr.lang()))
            .map(|t| (t.title.clone(), t.summary.clone()))
            .unwrap_or_else(|| (campaign.slug.clone(), String::new()));
        Ok(Pages {
            state,
            found,
            path: kiosk_path(secret),
            tr,
            languages: texts.as_ref().map(|c| c.languages()).unwrap_or_default(),
            title,
            summary,
        })
    }

    fn form(
        &self,
        status: StatusCode,
        values: SignatureInput,
        errors: &FieldErrors,
    ) -> HttpResponse {
        let (tr, path, campaign) = (self.tr, &self.path, &self.found.campaign);
        let form = FormView::new(
            tr,
            format!("{path}/sign"),
            String::new(),
            values,
            errors,
            campaign.postal_code_required,
        );
        // While staff pause signing the kiosk says so; its script keeps what it takes until then.
        let form = match paused_note(campaign, tr) {
            Some(note) => form.with_notice(note),
            None => form,
        };
        respond(
            status,
            &KioskPage {
                page: Page::new(tr, "", path, self.state.organisation.current())
                    .with_languages(self.languages.clone()),
                title: self.title.clone(),
                summary: self.summary.clone(),
                default_country: campaign.default_country.clone(),
                form,
                public_key: self.state.sealing_key.public_key().to_owned(),
                kiosk_id: self.found.kiosk.id,
                upload: format!("{path}/signatures"),
                status_url: format!("{path}/status"),
                script: assets::kiosk_script(),
                thanks_seconds: THANKS_SECONDS,
            },
        )
    }

    fn message(&self, status: StatusCode, closed: bool) -> HttpResponse {
        let (tr, path) = (self.tr, &self.path);
        let (heading, body) = if closed {
            ("kiosk-closed-title", "kiosk-closed-body")
        } else {
            ("kiosk-thanks-title", "kiosk-thanks-body")
        };
        respond(
            status,
            &KioskMessagePage {
                page: Page::new(
                    tr,
                    "",
                    &format!("{path}/thanks"),
                    self.state.organisation.current(),
                )
                .with_languages(self.languages.clone()),
                title: self.title.clone(),
                heading: tr.t(heading),
                body: tr.t(body),
                next: (!closed).then(|| format!("{path}?lang={}", tr.lang().code())),
                thanks_seconds: THANKS_SECONDS,
                script: assets::kiosk_script(),
            },
        )
    }
}

pub async fn show(
    state: web::Data<AppState>,
    secret: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let Some(found) = find(&state, &secret, &req).await? else {
        return Ok(secret_link(unknown_link(&req)));
    };
    let tr = Tr(lang_of(&req, &found));
    let pages = Pages::new(&state, &found, &secret, tr)
        .await
        .map_err(|e| PageError::new(tr, &req, e))?;
    if !found.takes_signatures(Utc::now().naive_utc()) {
        return Ok(pages.message(StatusCode::GONE, true));
    }
    let values = SignatureInput {
        country: found.campaign.default_country.clone(),
        ..SignatureInput::default()
    };
    Ok(pages.form(StatusCode::OK, values, &FieldErrors::default()))
}

pub async fn thanks(
    state: web::Data<AppState>,
    secret: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let Some(found) = find(&state, &secret, &req).await? else {
        return Ok(secret_link(unknown_link(&req)));
    };
    let tr = Tr(lang_of(&req, &found));
    let pages = Pages::new(&state, &found, &secret, tr)
        .await
        .map_err(|e| PageError::new(tr, &req, e))?;
    Ok(pages.message(StatusCode::OK, false))
}

pub async fn sign(
    state: web::Data<AppState>,
    secret: web::Path<String>,
    req: HttpRequest,
    // The campaign form's fields; those the kiosk's form lacks arrive empty.
    form: web::Form<SignForm>,
) -> Result<HttpResponse, PageError> {
    let Some(found) = find(&state, &secret, &req).await? else {
        return Ok(secret_link(unknown_link(&req)));
    };
    let lang = form.lang().unwrap_or_else(|| lang_of(&req, &found));
    let tr = Tr(lang);
    if form.has_undecodable_text() {
        let page = super::message_page(tr, &req, "bad-request-title", &["bad-request-body"], None);
        return Ok(respond(StatusCode::BAD_REQUEST, &page));
    }
    let input = form.input();
    let now = Utc::now().naive_utc();
    let signed = state
        .kiosk_desk()
        .sign(&found, &input, lang, now)
        .await
        .map_err(|e| PageError::new(tr, &req, e))?;
    let refused = match signed {
        Signed::Taken => {
            let thanks = format!("{}/thanks?lang={}", kiosk_path(&secret), lang.code());
            return Ok(secret_link(
                HttpResponse::SeeOther()
                    .insert_header((LOCATION, thanks))
                    .finish(),
            ));
        }
        Signed::Shut(shut) => Err(shut),
        Signed::Invalid(errors) => Ok(errors),
    };
    let pages = Pages::new(&state, &found, &secret, tr)
        .await
        .map_err(|e| PageError::new(tr, &req, e))?;
    let no_errors = FieldErrors::default();
    Ok(match refused {
        Err(Shut::Closed) => pages.message(StatusCode::GONE, true),
        Err(Shut::Paused) => with_retry_after(
            pages.form(StatusCode::SERVICE_UNAVAILABLE, input, &no_errors),
            PAUSED_RETRY,
        ),
        Err(Shut::Ceiling(wait)) => with_retry_after(
            pages.form(StatusCode::TOO_MANY_REQUESTS, input, &no_errors),
            wait,
        ),
        Ok(errors) => pages.form(StatusCode::UNPROCESSABLE_ENTITY, input, &errors),
    })
}

/// One signature the kiosk's script sealed, as it sends it.
#[derive(Debug, serde::Deserialize)]
struct Upload {
    key: String,
    ephemeral: String,
    iv: String,
    ciphertext: String,
}

impl Upload {
    /// Its key and sealed signature, or `None` when the body is not one.
    fn read(body: &[u8]) -> Option<(IdempotencyKey, SealedSignature)> {
        let upload = serde_json::from_slice::<Upload>(body).ok()?;
        Some((
            IdempotencyKey::parse(&upload.key)?,
            SealedSignature::parse(&upload.ephemeral, &upload.iv, &upload.ciphertext)?,
        ))
    }
}

fn json(status: StatusCode, body: serde_json::Value) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(body)
}

fn unreadable() -> HttpResponse {
    json(
        StatusCode::BAD_REQUEST,
        serde_json::json!({
            "status": "unreadable",
            "message": "This is not a sealed kiosk signature.",
        }),
    )
}

/// `POST /kiosk/{secret}/signatures`: one sealed signature. A replay gets the first answer;
/// a revoked or expired kiosk gets `410 Gone`, and the refusal is counted for staff.
pub async fn upload(
    state: web::Data<AppState>,
    secret: web::Path<String>,
    req: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let desk = state.kiosk_desk();
    let found = match desk.find(&secret).await {
        Ok(Some(found)) => found,
        Ok(None) => {
            return json(
                StatusCode::NOT_FOUND,
                serde_json::json!({"status": "unknown", "message": "This kiosk link is not known."}),
            );
        }
        Err(error) => return unavailable(&error),
    };
    let Some((key, sealed)) = Upload::read(&body) else {
        return unreadable();
    };
    let lang = lang_of(&req, &found);
    match desk
        .upload(&found, key, &sealed, lang, Utc::now().naive_utc())
        .await
    {
        Ok(Uploaded::Recorded(outcome)) => answer(outcome, Tr(lang)),
        Ok(Uploaded::Invalid { errors, lang }) => invalid(&errors, Tr(lang)),
        Ok(Uploaded::Unreadable) => unreadable(),
        Ok(Uploaded::Later(wait)) => retry_later(wait.as_secs().max(1)),
        Err(error) => unavailable(&error),
    }
}

/// A signature the server will not take, with a message per field in the signer's language,
/// so that a kiosk still online can put them beside the fields at once.
fn invalid(errors: &FieldErrors, tr: Tr) -> HttpResponse {
    let fields: serde_json::Map<String, serde_json::Value> = errors
        .iter()
        .map(|error| {
            let name = error.field.name();
            (
                name.to_owned(),
                tr.field_error(error.message_key, name).into(),
            )
        })
        .collect();
    json(
        StatusCode::UNPROCESSABLE_ENTITY,
        serde_json::json!({"status": "invalid", "message": tr.t("kiosk-invalid"), "errors": fields}),
    )
}

/// What the device is told, the same whenever it sends the same upload.
fn answer(outcome: UploadOutcome, tr: Tr) -> HttpResponse {
    match outcome {
        // Counted and already counted get the same answer, as on every other form.
        UploadOutcome::Counted | UploadOutcome::Duplicate => {
            json(StatusCode::OK, serde_json::json!({"status": "accepted"}))
        }
        UploadOutcome::Invalid => json(
            StatusCode::UNPROCESSABLE_ENTITY,
            serde_json::json!({"status": "invalid", "message": tr.t("kiosk-invalid")}),
        ),
        UploadOutcome::Refused => json(
            StatusCode::GONE,
            serde_json::json!({"status": "refused", "message": tr.t("kiosk-closed-body")}),
        ),
    }
}

fn retry_later(seconds: u64) -> HttpResponse {
    let mut response = json(
        StatusCode::TOO_MANY_REQUESTS,
        serde_json::json!({"status": "later", "retry_after_seconds": seconds}),
    );
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(RETRY_AFTER, value);
    }
    response
}

fn unavailable(error: &StoreError) -> HttpResponse {
    tracing::error!(error = ?error, "a kiosk upload could not be stored");
    let mut response = json(
        StatusCode::SERVICE_UNAVAILABLE,
        serde_json::json!({"status": "later", "retry_after_seconds": 5}),
    );
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from_static("5"));
    response
}

#[derive(Debug, serde::Deserialize)]
struct Report {
    waiting: u16,
}

/// `POST /kiosk/{secret}/status`: how many signatures the device holds, for staff to see.
pub async fn status(
    state: web::Data<AppState>,
    secret: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let Ok(report) = serde_json::from_slice::<Report>(&body) else {
        return unreadable();
    };
    let desk = state.kiosk_desk();
    let found = match desk.find(&secret).await {
        Ok(Some(found)) => found,
        Ok(None) => return HttpResponse::NotFound().finish(),
        Err(error) => return unavailable(&error),
    };
    match desk
        .report_waiting(&found, report.waiting, Utc::now().naive_utc())
        .await
    {
        Ok(()) => HttpResponse::NoContent().finish(),
        Err(error) => unavailable(&error),
    }
}

/// The service worker, served from `/kiosk/` so that it may look after every kiosk page.
pub async fn service_worker() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/javascript; charset=utf-8"))
        .insert_header((CACHE_CONTROL, "no-cache"))
        .body(include_str!("../../static/kiosk-sw.js"))
}
