//! The kiosk: a signing form for a tablet at an event, reached by a secret link. It works as
//! a plain form while online; its script (`static/kiosk.js`) and service worker
//! (`static/kiosk-sw.js`) keep it working offline, sending what it sealed once the server
//! answers again. Its signatures count without confirmation: a volunteer was there.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue, LOCATION, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDateTime, Utc};

use super::views::{FormView, KioskMessagePage, KioskPage, Page, paused_note};
use super::{PageError, negotiate_lang, render, secret_link, unknown_link};
use crate::db::StoreError;
use crate::db::campaigns::{CampaignWithTexts, find_by_id};
use crate::db::in_person;
use crate::db::kiosks::{self, Kiosk};
use crate::domain::{
    FieldErrors, IdempotencyKey, InPersonPlace, InPersonSignature, KioskEntry, KioskState, Lang,
    PlainToken, SealedSignature, SignatureInput, SignedAt, Source, UploadOutcome,
};
use crate::i18n::Tr;
use crate::routes::{AppState, assets};

/// Largest upload: one sealed signature.
pub const UPLOAD_LIMIT: usize = 16 * 1024;

/// Seconds a kiosk waits while staff pause signing (as `campaigns::PAUSED_RETRY_AFTER`).
const PAUSED_RETRY_AFTER: &str = "300";
const PAUSED_RETRY_SECONDS: u64 = 300;

/// How long the thank-you screen stays before the form is back for the next person.
const THANKS_SECONDS: u32 = 8;

/// A kiosk and its campaign, found by the secret in the link.
struct Found {
    kiosk: Kiosk,
    campaign: CampaignWithTexts,
    event_source: Option<String>,
}

async fn find(state: &AppState, secret: &str) -> Result<Option<Found>, StoreError> {
    let Some(secret) = PlainToken::parse(secret) else {
        return Ok(None);
    };
    let hash = secret.hash();
    state
        .db
        .run(move |conn| {
            let Some(kiosk) = kiosks::by_secret(conn, &hash)? else {
                return Ok(None);
            };
            let Some(campaign) = find_by_id(conn, kiosk.campaign_id)? else {
                return Ok(None);
            };
            let event_source = in_person::event(conn, kiosk.event_id)?.and_then(|e| e.source);
            Ok(Some(Found {
                kiosk,
                campaign,
                event_source,
            }))
        })
        .await
}

impl Found {
    /// Whether signatures are taken now: the kiosk live and its campaign open.
    fn takes_signatures(&self, now: NaiveDateTime) -> bool {
        self.kiosk.state(now) == KioskState::Open && self.campaign.campaign.accepts_signatures(now)
    }

    fn place(&self) -> InPersonPlace {
        InPersonPlace {
            event_id: self.kiosk.event_id,
            channel: crate::domain::Channel::Kiosk,
            source: self.event_source.as_deref().and_then(Source::parse_lenient),
        }
    }

    fn title(&self, lang: Lang) -> (String, String) {
        let campaign = &self.campaign;
        campaign
            .text(lang)
            .or_else(|| campaign.text(campaign.campaign.default_lang()))
            .map(|t| (t.title.clone(), t.summary.clone()))
            .unwrap_or_else(|| (campaign.campaign.slug.clone(), String::new()))
    }
}

fn lang_of(req: &HttpRequest, found: &Found) -> Lang {
    negotiate_lang(req, Some(found.campaign.campaign.default_lang()))
}

fn kiosk_path(secret: &str) -> String {
    format!("/kiosk/{secret}")
}

/// Kiosk pages carry the secret in their address: no Referer, no shared caches.
fn respond(status: StatusCode, template: &impl askama::Template) -> HttpResponse {
    secret_link(render(status, template))
}

fn form_page(
    state: &AppState,
    found: &Found,
    secret: &str,
    tr: Tr,
    status: StatusCode,
    values: SignatureInput,
    errors: &FieldErrors,
) -> HttpResponse {
    let (title, summary) = found.title(tr.lang());
    let path = kiosk_path(secret);
    let form = FormView::new(
        tr,
        format!("{path}/sign"),
        String::new(),
        values,
        errors,
        found.campaign.campaign.postal_code_required,
    );
    // While staff pause signing the kiosk says so; its script keeps what it takes until then.
    let form = match paused_note(&found.campaign.campaign, tr) {
        Some(note) => form.with_notice(note),
        None => form,
    };
    respond(
        status,
        &KioskPage {
            page: Page::new(tr, "", &path),
            title,
            summary,
            default_country: found.campaign.campaign.default_country.clone(),
            form,
            public_key: state.sealing_key.public_key().to_owned(),
            kiosk_id: found.kiosk.id,
            upload: format!("{path}/signatures"),
            status_url: format!("{path}/status"),
            script: assets::kiosk_script(),
            thanks_seconds: THANKS_SECONDS,
        },
    )
}

fn message_page(
    found: &Found,
    secret: &str,
    tr: Tr,
    status: StatusCode,
    closed: bool,
) -> HttpResponse {
    let (title, _) = found.title(tr.lang());
    let path = kiosk_path(secret);
    let (heading, body) = if closed {
        ("kiosk-closed-title", "kiosk-closed-body")
    } else {
        ("kiosk-thanks-title", "kiosk-thanks-body")
    };
    respond(
        status,
        &KioskMessagePage {
            page: Page::new(tr, "", &format!("{path}/thanks")),
            title,
            heading: tr.t(heading),
            body: tr.t(body),
            next: (!closed).then(|| format!("{path}?lang={}", tr.lang().code())),
            thanks_seconds: THANKS_SECONDS,
            script: assets::kiosk_script(),
        },
    )
}

pub async fn show(
    state: web::Data<AppState>,
    secret: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let Some(found) = find(&state, &secret)
        .await
        .map_err(|e| PageError::new(Tr(negotiate_lang(&req, None)), &req, e))?
    else {
        return Ok(secret_link(unknown_link(&req)));
    };
    let tr = Tr(lang_of(&req, &found));
    if !found.takes_signatures(Utc::now().naive_utc()) {
        return Ok(message_page(&found, &secret, tr, StatusCode::GONE, true));
    }
    let values = SignatureInput {
        country: found.campaign.campaign.default_country.clone(),
        ..SignatureInput::default()
    };
    Ok(form_page(
        &state,
        &found,
        &secret,
        tr,
        StatusCode::OK,
        values,
        &FieldErrors::default(),
    ))
}

pub async fn thanks(
    state: web::Data<AppState>,
    secret: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let Some(found) = find(&state, &secret)
        .await
        .map_err(|e| PageError::new(Tr(negotiate_lang(&req, None)), &req, e))?
    else {
        return Ok(secret_link(unknown_link(&req)));
    };
    let tr = Tr(lang_of(&req, &found));
    Ok(message_page(&found, &secret, tr, StatusCode::OK, false))
}

/// The kiosk form as posted without its script: the same fields as the campaign form.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct KioskForm {
    first_name: String,
    last_name: String,
    email: String,
    country: String,
    postal_code: String,
    email_opt_in: Option<String>,
    lang: String,
}

impl KioskForm {
    /// Bytes that are not UTF-8 arrive as U+FFFD; no browser sends them, and a name full of
    /// replacement characters would lose what was meant (as on the campaign form).
    fn has_undecodable_text(&self) -> bool {
        [
            &self.first_name,
            &self.last_name,
            &self.email,
            &self.country,
            &self.postal_code,
        ]
        .iter()
        .any(|field| field.contains(char::REPLACEMENT_CHARACTER))
    }

    fn input(&self) -> SignatureInput {
        SignatureInput {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            country: self.country.clone(),
            postal_code: self.postal_code.clone(),
            email_opt_in: self.email_opt_in.as_deref().is_some_and(|v| !v.is_empty()),
            ..SignatureInput::default()
        }
    }
}

pub async fn sign(
    state: web::Data<AppState>,
    secret: web::Path<String>,
    req: HttpRequest,
    form: web::Form<KioskForm>,
) -> Result<HttpResponse, PageError> {
    let fail = |e: StoreError| PageError::new(Tr(negotiate_lang(&req, None)), &req, e);
    let Some(found) = find(&state, &secret).await.map_err(fail)? else {
        return Ok(secret_link(unknown_link(&req)));
    };
    let lang = Lang::parse(&form.lang).unwrap_or_else(|| lang_of(&req, &found));
    let tr = Tr(lang);
    let now = Utc::now().naive_utc();
    if !found.takes_signatures(now) {
        return Ok(message_page(&found, &secret, tr, StatusCode::GONE, true));
    }
    if form.has_undecodable_text() {
        let page = super::message_page(tr, &req, "bad-request-title", &["bad-request-body"], None);
        return Ok(respond(StatusCode::BAD_REQUEST, &page));
    }
    let input = form.input();
    if found.campaign.campaign.pause().is_some() {
        let mut response = form_page(
            &state,
            &found,
            &secret,
            tr,
            StatusCode::SERVICE_UNAVAILABLE,
            input,
            &FieldErrors::default(),
        );
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static(PAUSED_RETRY_AFTER));
        return Ok(response);
    }
    if let Err(wait) = state.kiosk_ceiling.check(found.kiosk.id) {
        let mut response = form_page(
            &state,
            &found,
            &secret,
            tr,
            StatusCode::TOO_MANY_REQUESTS,
            input,
            &FieldErrors::default(),
        );
        if let Ok(value) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
            response.headers_mut().insert(RETRY_AFTER, value);
        }
        return Ok(response);
    }
    let signature = match InPersonSignature::parse(
        &input,
        found.campaign.campaign.form_rules(),
        found.place(),
        lang,
        SignedAt::received(now),
    ) {
        Ok(signature) => signature,
        Err(errors) => {
            return Ok(form_page(
                &state,
                &found,
                &secret,
                tr,
                StatusCode::UNPROCESSABLE_ENTITY,
                input,
                &errors,
            ));
        }
    };
    // A form sent without the script has no key of its own; one is made here so that it
    // is tallied with the kiosk's other signatures.
    let key = IdempotencyKey::generate().map_err(|e| PageError::new(tr, &req, e))?;
    record(&state, &found.kiosk, &key, Some(&signature), now)
        .await
        .map_err(fail)?;
    Ok(secret_link(
        HttpResponse::SeeOther()
            .insert_header((
                LOCATION,
                format!("{}/thanks?lang={}", kiosk_path(&secret), lang.code()),
            ))
            .finish(),
    ))
}

/// Records one upload in one transaction: its earlier answer if it was sent before, else
/// the signature (when there is one to count) and what became of it.
async fn record(
    state: &AppState,
    kiosk: &Kiosk,
    key: &IdempotencyKey,
    signature: Option<&InPersonSignature>,
    now: NaiveDateTime,
) -> Result<UploadOutcome, StoreError> {
    let (kiosk_id, key, signature) = (kiosk.id, key.clone(), signature.cloned());
    let outcome = state
        .db
        .run(move |conn| kiosks::record_upload(conn, kiosk_id, &key, signature.as_ref(), now))
        .await?;
    if outcome == UploadOutcome::Counted {
        state.counts.changed();
    }
    Ok(outcome)
}

/// One signature the kiosk's script sealed, as it sends it.
#[derive(Debug, serde::Deserialize)]
struct Upload {
    key: String,
    ephemeral: String,
    iv: String,
    ciphertext: String,
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
    let found = match find(&state, &secret).await {
        Ok(Some(found)) => found,
        Ok(None) => {
            return json(
                StatusCode::NOT_FOUND,
                serde_json::json!({"status": "unknown", "message": "This kiosk link is not known."}),
            );
        }
        Err(error) => return unavailable(&error),
    };
    // The ceiling comes before anything is written, refusals included: a lost tablet
    // retrying in a loop is slowed here, not stored.
    if let Err(wait) = state.kiosk_ceiling.check(found.kiosk.id) {
        return retry_later(wait.as_secs().max(1));
    }
    let Ok(upload) = serde_json::from_slice::<Upload>(&body) else {
        return unreadable();
    };
    let (Some(key), Some(sealed)) = (
        IdempotencyKey::parse(&upload.key),
        SealedSignature::parse(&upload.ephemeral, &upload.iv, &upload.ciphertext),
    ) else {
        return unreadable();
    };
    let now = Utc::now().naive_utc();
    let tr = Tr(lang_of(&req, &found));
    if !found.takes_signatures(now) {
        // Nothing is opened: a refused signature's names are not the server's to keep.
        return match record_refusal(&state, &found.kiosk, &key).await {
            Ok(outcome) => answer(outcome, tr),
            Err(error) => unavailable(&error),
        };
    }
    if found.campaign.campaign.pause().is_some() {
        return retry_later(PAUSED_RETRY_SECONDS);
    }
    let Some(entry) = state
        .sealing_key
        .unseal(&sealed, found.kiosk.id, &key)
        .and_then(|plain| KioskEntry::parse(&plain))
    else {
        return unreadable();
    };
    let lang = Lang::parse(&entry.lang).unwrap_or_else(|| lang_of(&req, &found));
    // The device's clock is already kept within the kiosk's life; the campaign's bounds
    // hold whatever a kiosk row says.
    let signed_at = SignedAt::within(
        entry.signed_at(found.kiosk.created_at, now),
        found.campaign.campaign.created_at,
        now,
    )
    .unwrap_or(SignedAt::received(now));
    let signature = InPersonSignature::parse(
        &entry.input(),
        found.campaign.campaign.form_rules(),
        found.place(),
        lang,
        signed_at,
    );
    let errors = signature.as_ref().err().cloned().unwrap_or_default();
    match record(&state, &found.kiosk, &key, signature.ok().as_ref(), now).await {
        Ok(UploadOutcome::Invalid) => invalid(&errors, Tr(lang)),
        Ok(outcome) => answer(outcome, tr),
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

async fn record_refusal(
    state: &AppState,
    kiosk: &Kiosk,
    key: &IdempotencyKey,
) -> Result<UploadOutcome, StoreError> {
    let (kiosk_id, key) = (kiosk.id, key.clone());
    state
        .db
        .run(move |conn| kiosks::record_refusal(conn, kiosk_id, &key))
        .await
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
    let found = match find(&state, &secret).await {
        Ok(Some(found)) => found,
        Ok(None) => return HttpResponse::NotFound().finish(),
        Err(error) => return unavailable(&error),
    };
    let (id, now) = (found.kiosk.id, Utc::now().naive_utc());
    match state
        .db
        .run(move |conn| kiosks::report_waiting(conn, id, i32::from(report.waiting), now))
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
