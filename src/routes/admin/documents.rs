//! The dashboard's documents: printable signature sheets, and the delivery pack with the
//! manifest whose checksum its cover prints. Each download is audited.

use std::io::Write;
use std::sync::Arc;

use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, RETRY_AFTER};
use actix_web::web::Bytes;
use actix_web::{HttpResponse, web};
use chrono::Utc;
use tokio::sync::mpsc;

use super::auth::StaffSession;
use super::exports::{CHUNK, ChannelWriter};
use super::record_audit;
use crate::db::campaigns::{self, CampaignWithTexts};
use crate::db::delivery::Split;
use crate::db::{PooledConn, audit};
use crate::documents::delivery::{self, DeliveryRequest};
use crate::documents::{DocumentError, Paper, sheets};
use crate::domain::{Lang, Source};
use crate::i18n::Tr;
use crate::routes::AppState;

fn bad_request(message: &str) -> HttpResponse {
    HttpResponse::BadRequest()
        .content_type("text/plain; charset=utf-8")
        .body(message.to_owned())
}

fn failed(tr: Tr, error: impl std::fmt::Debug) -> HttpResponse {
    tracing::error!(error = ?error, "a document could not be made");
    super::unavailable_page(tr)
}

fn download(content_type: &str, filename: &str) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
        .insert_header((CONTENT_TYPE, content_type.to_owned()))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((CACHE_CONTROL, "no-store"));
    response
}

async fn campaign(state: &AppState, slug: &str, tr: Tr) -> Result<CampaignWithTexts, HttpResponse> {
    let lookup = slug.to_owned();
    match state
        .db
        .run(move |conn| campaigns::find_by_slug(conn, &lookup))
        .await
    {
        Ok(Some(campaign)) => Ok(campaign),
        Ok(None) => Err(HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body(tr.t("admin-campaign-not-found"))),
        Err(error) => Err(failed(tr, error)),
    }
}

fn lang_of(raw: &str, campaign: &CampaignWithTexts) -> Option<Lang> {
    match raw.trim() {
        "" => Some(campaign.campaign.default_lang()),
        raw => Lang::parse(raw),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SheetsQuery {
    lang: String,
    rows: String,
    pages: String,
    source: String,
    paper: String,
}

pub async fn sheets(
    state: web::Data<AppState>,
    session: StaffSession,
    slug: web::Path<String>,
    query: web::Query<SheetsQuery>,
) -> HttpResponse {
    let campaign = match campaign(&state, &slug, session.tr()).await {
        Ok(campaign) => campaign,
        Err(response) => return response,
    };
    let number = |raw: &str, default: u32| match raw.trim() {
        "" => Some(default),
        raw => raw.parse::<u32>().ok(),
    };
    let Some(lang) = lang_of(&query.lang, &campaign) else {
        return bad_request("lang must be es, en, fr or pt");
    };
    let Some(rows) = number(&query.rows, 20).filter(|n| sheets::ROWS.contains(n)) else {
        return bad_request("rows must be from 5 to 30");
    };
    let Some(pages) = number(&query.pages, 1).filter(|n| sheets::PAGES.contains(n)) else {
        return bad_request("pages must be from 1 to 50");
    };
    let Some(paper) = Paper::parse(&query.paper) else {
        return bad_request("paper must be a4 or letter");
    };
    let source = match query.source.trim() {
        "" => None,
        raw => match Source::parse_lenient(raw) {
            Some(source) => Some(source.as_str().to_owned()),
            None => return bad_request("source is not a valid source code"),
        },
    };
    let form_url = sheets::form_url(&state.base_url, &slug, lang, source.as_deref());
    let rendered = {
        let source = source.clone();
        web::block(move || {
            let text = campaign.text(lang);
            sheets::render(&sheets::SheetSpec {
                lang,
                paper,
                title: text.map_or(campaign.campaign.slug.as_str(), |t| &t.title),
                target: text.map_or("", |t| &t.target),
                demand: text.map_or("", |t| &t.summary),
                form_url: &form_url,
                source: source.as_deref(),
                rows,
                pages,
            })
        })
        .await
    };
    let pdf = match rendered {
        Ok(Ok(pdf)) => pdf,
        Ok(Err(error)) => return failed(session.tr(), error),
        Err(error) => return failed(session.tr(), error),
    };
    let detail = format!(
        "campaign={slug} lang={} rows={rows} pages={pages} source={}",
        lang.code(),
        source.unwrap_or_default()
    );
    record_audit(&state, &session.actor(), "sheets_printed", &detail).await;
    download(
        "application/pdf",
        &format!("{slug}-sheets-{}.pdf", lang.code()),
    )
    .body(pdf)
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DeliveryQuery {
    lang: String,
    by: String,
    comments: String,
    paper: String,
}

struct DeliveryOptions {
    lang: Lang,
    split: Split,
    comments: bool,
    paper: Paper,
}

fn delivery_options(
    query: &DeliveryQuery,
    campaign: &CampaignWithTexts,
) -> Result<DeliveryOptions, &'static str> {
    Ok(DeliveryOptions {
        lang: lang_of(&query.lang, campaign).ok_or("lang must be es, en, fr or pt")?,
        split: Split::parse(&query.by).ok_or("by must be country or source")?,
        comments: !query.comments.trim().is_empty(),
        paper: Paper::parse(&query.paper).ok_or("paper must be a4 or letter")?,
    })
}

/// What both delivery downloads start from: the campaign, the options asked for, and a
/// connection of their own to read the list with.
async fn delivery_inputs(
    state: &AppState,
    session: &StaffSession,
    slug: &str,
    query: &DeliveryQuery,
) -> Result<(CampaignWithTexts, DeliveryOptions, PooledConn), HttpResponse> {
    let campaign = campaign(state, slug, session.tr()).await?;
    let options = delivery_options(query, &campaign).map_err(bad_request)?;
    let conn = state
        .db
        .connection_for_blocking_task()
        .await
        .map_err(|error| failed(session.tr(), error))?;
    Ok((campaign, options, conn))
}

fn manifest_name(slug: &str) -> String {
    format!("{slug}-delivery-manifest.csv")
}

/// Seconds staff are asked to wait when the most delivery packs are already being built.
const PACKS_BUSY_RETRY_AFTER: &str = "30";

pub async fn delivery_pack(
    state: web::Data<AppState>,
    session: StaffSession,
    slug: web::Path<String>,
    query: web::Query<DeliveryQuery>,
) -> HttpResponse {
    let Ok(permit) = Arc::clone(&state.delivery_packs).try_acquire_owned() else {
        return HttpResponse::ServiceUnavailable()
            .insert_header((RETRY_AFTER, PACKS_BUSY_RETRY_AFTER))
            .content_type("text/plain; charset=utf-8")
            .body(session.tr().t("admin-delivery-busy"));
    };
    let (campaign, options, mut conn) = match delivery_inputs(&state, &session, &slug, &query).await
    {
        Ok(inputs) => inputs,
        Err(response) => return response,
    };
    let name = manifest_name(&slug);
    let (lang, split, comments) = (options.lang, options.split, options.comments);
    let built = web::block(move || {
        let request = DeliveryRequest {
            campaign: &campaign,
            lang,
            split,
            comments,
            paper: options.paper,
            manifest_name: &name,
        };
        // The manifest is its own download; here only its checksum is needed.
        let pack = delivery::build(&mut conn, &request, &mut std::io::sink());
        drop(permit);
        pack
    })
    .await;
    let pack = match built {
        Ok(Ok(pack)) => pack,
        Ok(Err(error)) => return failed(session.tr(), error),
        Err(error) => return failed(session.tr(), error),
    };
    let detail = format!(
        "campaign={slug} lang={} by={} comments={comments} signers={} sha256={}",
        lang.code(),
        query.by.trim(),
        pack.signers,
        pack.checksum
    );
    record_audit(&state, &session.actor(), "delivery_pack", &detail).await;
    download(
        "application/pdf",
        &format!("{slug}-delivery-{}.pdf", lang.code()),
    )
    .body(pack.pdf)
}

/// The delivery pack's list as CSV, streamed as it is read.
pub async fn delivery_manifest(
    state: web::Data<AppState>,
    session: StaffSession,
    slug: web::Path<String>,
    query: web::Query<DeliveryQuery>,
) -> HttpResponse {
    let (campaign, options, mut conn) = match delivery_inputs(&state, &session, &slug, &query).await
    {
        Ok(inputs) => inputs,
        Err(response) => return response,
    };
    let (sender, mut receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let actor = session.actor();
    let detail_slug = slug.clone();
    let name = manifest_name(&slug);
    let by = query.by.trim().to_owned();
    tokio::task::spawn_blocking(move || {
        let mut out = ChannelWriter {
            sender: sender.clone(),
            buffer: Vec::with_capacity(CHUNK),
        };
        let request = DeliveryRequest {
            campaign: &campaign,
            lang: options.lang,
            split: options.split,
            comments: options.comments,
            paper: options.paper,
            manifest_name: &name,
        };
        let written: Result<(String, u64), DocumentError> =
            delivery::manifest(&mut conn, &request, &mut out)
                .and_then(|done| out.flush().map(|()| done).map_err(Into::into));
        match written {
            Ok((checksum, rows)) => {
                let detail = format!(
                    "campaign={detail_slug} by={by} comments={} rows={rows} sha256={checksum}",
                    options.comments
                );
                let now = Utc::now().naive_utc();
                if let Err(error) =
                    audit::record(&mut conn, &actor, "delivery_manifest", &detail, now)
                {
                    tracing::error!(error = ?error, "could not write to the audit log");
                }
            }
            Err(error) => {
                tracing::error!(error = ?error, "a delivery manifest stopped part-way");
                let _ = sender.blocking_send(Err(std::io::Error::other("manifest failed")));
            }
        }
    });
    let body = futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx));
    download("text/csv; charset=utf-8", &manifest_name(&slug)).streaming(body)
}
