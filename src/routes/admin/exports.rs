//! CSV downloads for staff and for API tokens. Signatures are streamed from the database
//! a page at a time, so a million rows take no more memory than a thousand.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::web::Bytes;
use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, Utc};

use super::auth::Exporter;
use super::streamed::blocking_body;
use crate::db::reports::{CountScope, SignatureFilter, Status};
use crate::db::{PooledConn, audit, campaigns};
use crate::domain::Source;
use crate::export;
use crate::i18n::Tr;
use crate::routes::AppState;

fn bad_request(message: String) -> HttpResponse {
    HttpResponse::BadRequest()
        .content_type("text/plain; charset=utf-8")
        .body(message)
}

fn unavailable(tr: Tr, error: impl std::fmt::Debug) -> HttpResponse {
    tracing::error!(error = ?error, "an export could not start");
    super::unavailable_page(tr)
}

pub(crate) fn csv_response(filename: &str) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((CACHE_CONTROL, "no-store"));
    response
}

/// A day from the export form; `label` names its field in the message when it is not one.
fn parse_day(raw: &str, label: &str, tr: Tr) -> Result<Option<NaiveDate>, String> {
    match raw.trim() {
        "" => Ok(None),
        day => NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| tr.t1("admin-export-date-invalid", "field", label)),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SignatureQuery {
    status: String,
    from: String,
    to: String,
    source: String,
}

/// The rows a signature export asks for, or the message saying why not. The campaign is
/// looked up only once the query reads, so its id is left for the caller to set.
fn signature_filter(query: &SignatureQuery, tr: Tr) -> Result<SignatureFilter, String> {
    let status = Status::parse(query.status.trim()).ok_or(tr.t("admin-export-status-invalid"))?;
    let from = parse_day(&query.from, &tr.t("admin-from"), tr)?;
    let to = parse_day(&query.to, &tr.t("admin-to"), tr)?;
    let source = match query.source.trim() {
        "" => None,
        raw => Some(
            Source::parse_lenient(raw)
                .ok_or(tr.t("admin-export-source-invalid"))?
                .as_str()
                .to_owned(),
        ),
    };
    Ok(SignatureFilter {
        campaign_id: 0,
        status,
        from,
        to,
        source,
        consented_to: None,
    })
}

pub async fn signatures(
    state: web::Data<AppState>,
    exporter: Exporter,
    slug: web::Path<String>,
    query: web::Query<SignatureQuery>,
) -> HttpResponse {
    let tr = exporter.tr();
    let mut filter = match signature_filter(&query, tr) {
        Ok(filter) => filter,
        Err(message) => return bad_request(message),
    };
    // A partner's token gets its own signers who agreed to hear from it, and no one else.
    if let Some(scope) = exporter.source_scope() {
        filter.source = Some(scope.to_owned());
        filter.consented_to = Some(scope.to_owned());
    }
    let slug = slug.into_inner();
    let lookup = slug.clone();
    let campaign = match state
        .db
        .run(move |conn| campaigns::find_by_slug(conn, &lookup))
        .await
    {
        Ok(Some(campaign)) => campaign,
        Ok(None) => {
            return HttpResponse::NotFound()
                .content_type("text/plain; charset=utf-8")
                .body(tr.t("admin-campaign-not-found"));
        }
        Err(error) => return unavailable(tr, error),
    };
    filter.campaign_id = campaign.campaign.id;
    let conn = match state.db.connection_for_blocking_task().await {
        Ok(conn) => conn,
        Err(error) => return unavailable(tr, error),
    };
    let filename = format!("{slug}-signatures-{}.csv", Utc::now().format("%Y-%m-%d"));
    csv_response(&filename).streaming(stream_signatures(conn, filter, exporter.actor(), slug))
}

/// The export's rows, written on a blocking task of their own with `conn` and sent a chunk
/// at a time; audited once the last row is written, and failing the download visibly if
/// the rows stop part-way.
pub(crate) fn stream_signatures(
    mut conn: PooledConn,
    filter: SignatureFilter,
    actor: String,
    slug: String,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    blocking_body("a signature export", move |out| {
        let rows = export::write_signatures(&mut conn, &filter, out)?;
        let detail = format!(
            "campaign={} status={} from={} to={} source={} rows={rows}",
            slug,
            filter.status.as_str(),
            filter.from.map(|d| d.to_string()).unwrap_or_default(),
            filter.to.map(|d| d.to_string()).unwrap_or_default(),
            filter.source.as_deref().unwrap_or_default(),
        );
        let now = Utc::now().naive_utc();
        if let Err(error) = audit::record(&mut conn, &actor, "export_signatures", &detail, now) {
            tracing::error!(error = ?error, "could not write to the audit log");
        }
        Ok::<(), anyhow::Error>(())
    })
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CountQuery {
    by: String,
}

pub async fn counts(
    state: web::Data<AppState>,
    exporter: Exporter,
    query: web::Query<CountQuery>,
) -> HttpResponse {
    let dimensions = match export::parse_dimensions(&query.by) {
        Ok(dimensions) => dimensions,
        Err(message) => return bad_request(message),
    };
    let actor = exporter.actor();
    let exporter_tr = exporter.tr();
    let scope = CountScope {
        campaign_id: None,
        source: exporter.source_scope().map(str::to_owned),
    };
    let by = dimensions
        .iter()
        .map(|d| d.name())
        .collect::<Vec<_>>()
        .join(",");
    let detail_by = by.clone();
    let written = state
        .db
        .run(move |conn| {
            let mut body = Vec::new();
            let rows = export::write_counts(conn, &dimensions, &scope, &mut body)
                .map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
            let now = Utc::now().naive_utc();
            audit::record(
                conn,
                &actor,
                "export_counts",
                &format!("by={detail_by} rows={rows}"),
                now,
            )?;
            Ok(body)
        })
        .await;
    match written {
        Ok(body) => csv_response(&format!(
            "counts-by-{}-{}.csv",
            by.replace(',', "-"),
            Utc::now().format("%Y-%m-%d")
        ))
        .body(body),
        Err(error) => unavailable(exporter_tr, error),
    }
}
