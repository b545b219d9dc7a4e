//! The bytes of a campaign's history as open data, JSON or CSV, made once per kept history
//! and handed to every reader until the history is read afresh.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::domain::{ConfirmationHistory, HistoryPoint, Interval, hex};

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
pub enum Format {
    Json,
    Csv,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// An answer made from one kept history: its bytes and their ETag.
pub struct Answer {
    from: Arc<ConfirmationHistory>,
    slug: String,
    pub body: Bytes,
    pub etag: String,
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
    pub fn answer(
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
