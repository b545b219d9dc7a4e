//! A campaign's count history as open data: confirmations per hour or per day, and the
//! running total, as JSON or CSV, readable from any site.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_ENCODING, ETAG, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::api::{error_json, load, matches_etag, public, unavailable};
use super::{negotiate_lang, query_param};
use crate::domain::{HistoryPoint, Interval, hex};
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

enum Format {
    Json,
    Csv,
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
    let points = history.series(interval);
    let (body, content_type) = match format {
        Format::Json => {
            let json = HistoryJson {
                slug: &campaign.campaign.slug,
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
            };
            (
                serde_json::to_vec(&json).map_err(anyhow::Error::from),
                "application/json",
            )
        }
        Format::Csv => (Ok(csv_body(&points)), "text/csv; charset=utf-8"),
    };
    let body = match body {
        Ok(body) => body,
        Err(error) => return public(unavailable(tr(), error)),
    };
    let etag = format!("\"{}\"", &hex(&Sha256::digest(&body))[..32]);
    let mut response = if matches_etag(req, &etag) {
        HttpResponse::NotModified().finish()
    } else {
        HttpResponse::Ok()
            .content_type(content_type)
            // A strong ETag names these exact bytes, so they are sent as they are.
            .insert_header((CONTENT_ENCODING, "identity"))
            .body(body)
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
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
