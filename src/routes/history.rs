//! A campaign's count history as open data: confirmations per hour or per day, and the
//! running total, as JSON or CSV, readable from any site.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_ENCODING, ETAG, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use bytes::Bytes;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::api::{error_json, load, matches_etag, public, unavailable};
use super::{negotiate_lang, query_param};
use crate::domain::{ConfirmationHistory, HistoryPoint, Interval, hex};
use crate::i18n::Tr;
use crate::routes::AppState;

/// Histories are rebuilt once a minute, so caches may keep them as long.
const CACHE_CONTROL_VALUE: &str = "public, max-age=60";

#[derive(Serialize)]
struct HistoryJson<'a> {
    slug: &'a str,
    interval: &'static str,
    /// Confirmed signatures in all.
    total: i64,
    points: Vec<PointJson>,
}

#[derive(Serialize)]
struct PointJson {
    /// The interval's start, in UTC (RFC 3339).
    start: String,
    confirmed: i64,
    cumulative: i64,
}

fn rfc3339(point: &HistoryPoint) -> String {
    point.start.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Format {
    Json,
    Csv,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// An answer made from one kept history: its bytes and their ETag.
struct Answer {
    from: Arc<ConfirmationHistory>,
    slug: String,
    body: Bytes,
    etag: String,
}

/// The answers made from the histories now kept, one per campaign, interval and format.
/// Making one writes up to a thousand points and hashes them; a crowd reading the same
/// history gets the bytes made for the first, until the history is read afresh, so a
/// request costs the same however many points the campaign's history has.
#[derive(Default)]
pub struct HistoryAnswers {
    made: RwLock<HashMap<(i64, Interval, Format), Arc<Answer>>>,
}

impl HistoryAnswers {
    fn answer(
        &self,
        slug: &str,
        campaign_id: i64,
        history: &Arc<ConfirmationHistory>,
        interval: Interval,
        format: Format,
    ) -> Result<Arc<Answer>, serde_json::Error> {
        let key = (campaign_id, interval, format);
        let kept = self
            .made
            .read()
            .ok()
            .and_then(|made| made.get(&key).cloned());
        if let Some(answer) = kept.filter(|a| Arc::ptr_eq(&a.from, history) && a.slug == slug) {
            return Ok(answer);
        }
        let body = Bytes::from(render(slug, history, interval, format)?);
        let answer = Arc::new(Answer {
            from: Arc::clone(history),
            slug: slug.to_owned(),
            etag: format!("\"{}\"", &hex(&Sha256::digest(&body))[..32]),
            body,
        });
        if let Ok(mut made) = self.made.write() {
            made.insert(key, Arc::clone(&answer));
        }
        Ok(answer)
    }
}

fn render(
    slug: &str,
    history: &ConfirmationHistory,
    interval: Interval,
    format: Format,
) -> Result<Vec<u8>, serde_json::Error> {
    let points = history.series(interval);
    match format {
        Format::Json => serde_json::to_vec(&HistoryJson {
            slug,
            interval: interval.as_str(),
            total: history.total(),
            points: points
                .iter()
                .map(|point| PointJson {
                    start: rfc3339(point),
                    confirmed: point.confirmed,
                    cumulative: point.cumulative,
                })
                .collect(),
        }),
        Format::Csv => Ok(csv_body(&points)),
    }
}

/// `GET /api/v1/campaigns/{slug}/history?interval=hour|day`
pub async fn json(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> HttpResponse {
    history(&state, &slug, &req, Format::Json).await
}

/// `GET /api/v1/campaigns/{slug}/history.csv?interval=hour|day`
pub async fn csv(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> HttpResponse {
    history(&state, &slug, &req, Format::Csv).await
}

async fn history(state: &AppState, slug: &str, req: &HttpRequest, format: Format) -> HttpResponse {
    let tr = || Tr(negotiate_lang(req, None));
    let interval = match query_param(req, "interval") {
        None => Interval::Day,
        Some(raw) => match Interval::parse(&raw) {
            Some(interval) => interval,
            None => {
                return public(error_json(
                    StatusCode::BAD_REQUEST,
                    "bad_interval",
                    tr(),
                    "api-bad-interval",
                ));
            }
        },
    };
    let campaign = match load(state, slug).await {
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
    let history = match state.history.get(&state.db, campaign.campaign.id).await {
        Ok(history) => history,
        Err(error) => return public(unavailable(tr(), error)),
    };
    let answer = match state.history_answers.answer(
        &campaign.campaign.slug,
        campaign.campaign.id,
        &history,
        interval,
        format,
    ) {
        Ok(answer) => answer,
        Err(error) => return public(unavailable(tr(), anyhow::Error::from(error))),
    };
    let mut response = if matches_etag(req, &answer.etag) {
        HttpResponse::NotModified().finish()
    } else {
        HttpResponse::Ok()
            .content_type(format.content_type())
            // A strong ETag names these exact bytes, so they are sent as they are.
            .insert_header((CONTENT_ENCODING, "identity"))
            .body(answer.body.clone())
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&answer.etag) {
        headers.insert(ETAG, value);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL_VALUE));
    public(response)
}

/// One row per interval, every cell quoted as the exports do. No cell holds a quote.
fn csv_body(points: &[HistoryPoint]) -> Vec<u8> {
    let mut out = String::from("\"start\",\"confirmed\",\"cumulative\"\r\n");
    for point in points {
        out.push_str(&format!(
            "\"{}\",\"{}\",\"{}\"\r\n",
            rfc3339(point),
            point.confirmed,
            point.cumulative
        ));
    }
    out.into_bytes()
}
