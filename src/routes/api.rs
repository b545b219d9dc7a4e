//! The JSON API: a campaign's public numbers for anyone, and signing for partners' own forms.

use std::sync::Arc;

use actix_web::error::{InternalError, JsonPayloadError};
use actix_web::http::StatusCode;
use actix_web::http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_ENCODING, ETAG, HeaderValue, IF_NONE_MATCH,
    RETRY_AFTER,
};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::cors::Cors;
use super::signing::{BUSY_RETRY_AFTER, PAUSED_RETRY_AFTER, UNAVAILABLE_RETRY_AFTER};
use super::{negotiate_lang, requested_lang};
use crate::cache::counts::Tally;
use crate::db::StoreError;
use crate::db::campaigns::{Campaign, CampaignWithTexts};
use crate::domain::{Field, Lang, SignatureInput, hex};
use crate::i18n::Tr;
use crate::intake::online::{self, SignOutcome, Submission};
use crate::pages::paused_note;
use crate::routes::AppState;

/// Largest body accepted; a signature with a 1,000-character comment is a few KiB.
const JSON_LIMIT: usize = 16 * 1024;

/// A signature is four levels deep; nothing a partner means to send is much deeper, and a
/// limit well below serde_json's own keeps hostile nesting cheap.
const MAX_JSON_DEPTH: usize = 10;

/// Every way the JSON extractor can fail becomes a JSON error with the right status.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(JSON_LIMIT)
        .error_handler(|error, req| {
            let tr = Tr(negotiate_lang(req, None));
            let response = match &error {
                JsonPayloadError::OverflowKnownLength { .. }
                | JsonPayloadError::Overflow { .. } => error_json(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    tr,
                    "api-too-large",
                ),
                JsonPayloadError::ContentType => error_json(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    tr,
                    "api-not-json",
                ),
                _ => malformed(tr),
            };
            InternalError::from_response(error, response).into()
        })
}

/// `{"error": code, "message": translated}`: the code is for programs, the message for people.
pub(super) fn error_json(
    status: StatusCode,
    code: &str,
    tr: Tr,
    message_key: &str,
) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(json!({ "error": code, "message": tr.t(message_key) }))
}

fn malformed(tr: Tr) -> HttpResponse {
    error_json(StatusCode::BAD_REQUEST, "malformed", tr, "api-malformed")
}

pub(super) async fn load(
    state: &AppState,
    slug: &str,
) -> Result<Option<Arc<CampaignWithTexts>>, StoreError> {
    state.campaigns.get(&state.db, slug).await
}

/// The database did not answer: not the caller's fault, so a 503 they may retry.
pub(super) fn unavailable(tr: Tr, error: impl Into<anyhow::Error>) -> HttpResponse {
    tracing::error!(error = ?error.into(), "API request failed");
    retry_later(tr, "api-unavailable", UNAVAILABLE_RETRY_AFTER)
}

/// A 503 the caller may retry after `seconds`: a surge passes in moments, a storage
/// failure takes an operator minutes.
fn retry_later(tr: Tr, message_key: &str, seconds: &'static str) -> HttpResponse {
    let mut response = error_json(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        tr,
        message_key,
    );
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from_static(seconds));
    response
}

#[derive(Serialize)]
struct CampaignSummary {
    slug: String,
    title: String,
    /// The total: confirmed online and given in person.
    signature_count: i64,
    online_count: i64,
    /// Given in person: on paper sheets and at kiosks.
    paper_count: i64,
    goal: i64,
    open: bool,
    /// Staff paused signing for a while; `open` is false meanwhile.
    paused: bool,
}

impl CampaignSummary {
    fn new(campaign: &CampaignWithTexts, tally: Tally, lang: Lang) -> Self {
        let count = tally.total();
        let stored = &campaign.campaign;
        Self {
            slug: stored.slug.clone(),
            title: campaign
                .text(lang)
                .map_or_else(|| stored.slug.clone(), |t| t.title.clone()),
            signature_count: count,
            online_count: tally.online,
            paper_count: tally.in_person,
            goal: stored.current_goal(count),
            open: stored.accepts_signatures(Utc::now().naive_utc()) && stored.pause().is_none(),
            paused: stored.pause().is_some(),
        }
    }
}

/// Public numbers, read by partners' pages every few seconds in a surge: cached briefly by
/// anyone, revalidated cheaply with an ETag, and readable from any site.
pub async fn show(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> HttpResponse {
    // Only errors speak the reader's language; the numbers themselves vary with `?lang=`
    // alone, so that every cache may share them.
    let tr = || Tr(negotiate_lang(&req, None));
    let campaign = match load(&state, &slug).await {
        Ok(Some(campaign)) => campaign,
        Ok(None) => {
            return public(error_json(
                StatusCode::NOT_FOUND,
                "not_found",
                tr(),
                "api-not-found",
            ));
        }
        Err(error) => return public(unavailable(tr(), error)),
    };
    let lang = requested_lang(&req).unwrap_or_else(|| campaign.campaign.default_lang());
    let summary = CampaignSummary::new(&campaign, state.counts.tally(campaign.campaign.id), lang);
    let body = match serde_json::to_vec(&summary) {
        Ok(body) => body,
        Err(error) => return public(unavailable(tr(), error)),
    };
    let etag = format!("\"{}\"", &hex(&Sha256::digest(&body))[..32]);
    exact_bytes(
        &req,
        "application/json",
        body.into(),
        &etag,
        "public, max-age=5, stale-while-revalidate=30",
    )
}

/// Public bytes named by a strong ETag: `304` to a client that holds them, else sent as
/// they are (never re-encoded: the tag names these exact bytes), readable from any site.
pub(super) fn exact_bytes(
    req: &HttpRequest,
    content_type: &str,
    body: Bytes,
    etag: &str,
    cache_control: &'static str,
) -> HttpResponse {
    let mut response = if matches_etag(req, etag) {
        HttpResponse::NotModified().finish()
    } else {
        HttpResponse::Ok()
            .content_type(content_type)
            .insert_header((CONTENT_ENCODING, "identity"))
            .body(body)
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(ETAG, value);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache_control));
    public(response)
}

/// Whether the client already holds the representation `etag` names (`If-None-Match`).
pub(super) fn matches_etag(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get_all(IF_NONE_MATCH)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == etag)
}

pub(super) fn public(mut response: HttpResponse) -> HttpResponse {
    response
        .headers_mut()
        .insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

/// A signature as the OSDI record-signature helper shapes it, which partners' tools (Action
/// Network's among them) already produce. It is a wire format, so it lives with the HTTP
/// code; the domain only ever sees the `SignatureInput` it maps to, as the HTML form does.
/// Every field is optional here so that a missing one becomes a message about that field.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OsdiSignature {
    person: OsdiPerson,
    comments: Option<String>,
    referrer_data: OsdiReferrer,
    email_opt_in: Option<bool>,
    lang: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OsdiPerson {
    given_name: Option<String>,
    family_name: Option<String>,
    email_addresses: Vec<OsdiEmailAddress>,
    postal_addresses: Vec<OsdiPostalAddress>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OsdiEmailAddress {
    address: Option<String>,
    primary: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OsdiPostalAddress {
    postal_code: Option<String>,
    country: Option<String>,
    primary: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OsdiReferrer {
    source: Option<String>,
}

/// OSDI lists may hold several addresses; the one marked primary is the signer's, else the first.
fn primary<T>(items: &[T], is_primary: impl Fn(&T) -> bool) -> Option<&T> {
    items.iter().find(|item| is_primary(item)).or(items.first())
}

impl OsdiSignature {
    /// Without a country, the campaign's own is assumed, as the HTML form preselects it.
    fn input(self, default_country: &str) -> SignatureInput {
        let person = self.person;
        let email = primary(&person.email_addresses, |e| e.primary == Some(true))
            .and_then(|e| e.address.clone());
        let address = primary(&person.postal_addresses, |a| a.primary == Some(true));
        SignatureInput {
            first_name: person.given_name.unwrap_or_default(),
            last_name: person.family_name.unwrap_or_default(),
            email: email.unwrap_or_default(),
            country: address
                .and_then(|a| a.country.clone())
                .unwrap_or_else(|| default_country.to_owned()),
            postal_code: address
                .and_then(|a| a.postal_code.clone())
                .unwrap_or_default(),
            email_opt_in: self.email_opt_in.unwrap_or(false),
            // A partner's own form keeps the consent it asks for itself; what it sends here
            // cannot show that the signer saw Mariposa's wording for that partner.
            partner_opt_in: false,
            comment: self.comments.unwrap_or_default(),
            source: self.referrer_data.source.unwrap_or_default(),
        }
    }
}

/// How deeply arrays and objects nest in `value`.
fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(members) => 1 + members.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

#[derive(Serialize)]
struct FieldErrorJson {
    field: Field,
    code: &'static str,
    message: String,
}

/// `OPTIONS /api/v1/campaigns/{slug}/signatures`: the browser asks whether a partner's page
/// may post JSON here.
pub async fn preflight(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> HttpResponse {
    let tr = Tr(negotiate_lang(&req, None));
    match load(&state, &slug).await {
        Ok(Some(campaign)) => Cors::check(&req, &campaign.campaign.embed_origins()).preflight(),
        Ok(None) => error_json(StatusCode::NOT_FOUND, "not_found", tr, "api-not-found"),
        Err(error) => unavailable(tr, error),
    }
}

/// `POST /api/v1/campaigns/{slug}/signatures`. The body's extraction error, if any, is
/// answered only once the campaign is known, so that the answer carries its CORS headers
/// and the partner's page can read it.
pub async fn sign(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
    body: Result<web::Json<Value>, actix_web::Error>,
) -> HttpResponse {
    let tr = Tr(negotiate_lang(&req, None));
    let campaign = match load(&state, &slug).await {
        Ok(Some(campaign)) => campaign,
        Ok(None) => return error_json(StatusCode::NOT_FOUND, "not_found", tr, "api-not-found"),
        Err(error) => return unavailable(tr, error),
    };
    let cors = Cors::check(&req, &campaign.campaign.embed_origins());
    if matches!(cors, Cors::Refused) {
        return cors.apply(error_json(
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
            tr,
            "api-origin-refused",
        ));
    }
    let value = match body {
        Ok(json) => json.into_inner(),
        Err(error) => return cors.apply(error.error_response()),
    };
    if depth(&value) > MAX_JSON_DEPTH {
        return cors.apply(malformed(tr));
    }
    let Ok(osdi) = serde_json::from_value::<OsdiSignature>(value) else {
        return cors.apply(malformed(tr));
    };
    let lang = osdi
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_else(|| negotiate_lang(&req, Some(campaign.campaign.default_lang())));
    let tr = Tr(lang);
    let input = osdi.input(&campaign.campaign.default_country);
    let outcome = online::sign(
        &state.online_desk(),
        &campaign.campaign,
        &input,
        Submission::Api,
        lang,
    )
    .await;
    cors.apply(sign_answer(outcome, &campaign.campaign, tr))
}

/// What a partner's server is told of a signature, in the signer's language.
fn sign_answer(outcome: SignOutcome, campaign: &Campaign, tr: Tr) -> HttpResponse {
    match outcome {
        // New and repeated signatures get exactly the same answer.
        SignOutcome::Accepted => HttpResponse::Accepted()
            .insert_header((CACHE_CONTROL, "no-store"))
            .json(json!({
                "status": "pending_confirmation",
                "message": tr.t("check-email-body"),
            })),
        SignOutcome::Closed => error_json(
            StatusCode::CONFLICT,
            "campaign_closed",
            tr,
            "campaign-closed",
        ),
        SignOutcome::Paused => HttpResponse::ServiceUnavailable()
            .insert_header((CACHE_CONTROL, "no-store"))
            .insert_header((RETRY_AFTER, PAUSED_RETRY_AFTER))
            .json(json!({
                "error": "paused",
                "message": paused_note(campaign, tr)
                    .unwrap_or_else(|| tr.t("campaign-paused")),
            })),
        SignOutcome::Invalid(errors) => {
            let errors: Vec<FieldErrorJson> = errors
                .iter()
                .map(|error| FieldErrorJson {
                    field: error.field,
                    code: error.message_key,
                    message: tr.field_error(error.message_key, error.field.name()),
                })
                .collect();
            HttpResponse::UnprocessableEntity()
                .insert_header((CACHE_CONTROL, "no-store"))
                .json(json!({ "errors": errors }))
        }
        // The signing path has logged why, where that is worth a log line.
        SignOutcome::Busy => retry_later(tr, "api-busy", BUSY_RETRY_AFTER),
        SignOutcome::Unavailable => retry_later(tr, "api-unavailable", UNAVAILABLE_RETRY_AFTER),
        // Only HTML forms carry a token, so the API never meets these; were it to, the
        // request could not be used as sent.
        SignOutcome::StaleForm | SignOutcome::TooSoon | SignOutcome::FormSpent => malformed(tr),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_primary_addresses_are_the_signers_and_the_campaign_country_fills_a_gap() {
        let osdi: OsdiSignature = serde_json::from_value(json!({
            "person": {
                "given_name": "Ana",
                "email_addresses": [
                    { "address": "work@example.org" },
                    { "address": "ana@example.org", "primary": true }
                ],
                "postal_addresses": [{ "postal_code": "39090" }]
            },
            "referrer_data": { "source": "centro-prodh", "website": "ignored.example" },
            "add_tags": ["ignored"]
        }))
        .expect("an OSDI signature");

        let input = osdi.input("MX");

        assert_eq!(input.email, "ana@example.org");
        assert_eq!(input.country, "MX");
        assert_eq!(input.postal_code, "39090");
        assert_eq!(input.source, "centro-prodh");
        assert_eq!(input.last_name, "", "left for the domain to report");
    }

    #[test]
    fn depth_counts_nested_arrays_and_objects() {
        assert_eq!(depth(&json!("text")), 0);
        assert_eq!(depth(&json!({})), 1);
        assert_eq!(depth(&json!({ "a": [1, { "b": [[]] }] })), 5);
    }
}
