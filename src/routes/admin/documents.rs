//! The dashboard's documents: printable signature sheets, and the delivery pack with the
//! manifest whose checksum its cover prints. Each download is audited.

use std::sync::Arc;

use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, RETRY_AFTER};
use actix_web::{HttpResponse, web};
use tokio::sync::oneshot;

use super::auth::StaffCampaign;
use super::error::StaffError;
use super::record_audit;
use super::streamed::blocking_body;
use crate::db::PooledConn;
use crate::db::campaigns::CampaignWithTexts;
use crate::db::delivery::Split;
use crate::documents::delivery::DeliveryRequest;
use crate::documents::handover;
use crate::documents::pack::{self, PackFormat};
use crate::documents::{DocumentError, Paper, sheets};
use crate::domain::{Lang, Source};
use crate::routes::AppState;

fn bad_request(message: &str) -> HttpResponse {
    HttpResponse::BadRequest()
        .content_type("text/plain; charset=utf-8")
        .body(message.to_owned())
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

/// What a sheet download asks for, or the reason it cannot be made.
struct SheetOptions {
    lang: Lang,
    rows: u32,
    pages: u32,
    paper: Paper,
    source: Option<String>,
}

impl SheetOptions {
    fn parse(query: &SheetsQuery, campaign: &CampaignWithTexts) -> Result<Self, &'static str> {
        let number = |raw: &str, default: u32| match raw.trim() {
            "" => Some(default),
            raw => raw.parse::<u32>().ok(),
        };
        let lang = lang_of(&query.lang, campaign).ok_or("lang must be es, en, fr or pt")?;
        let rows = number(&query.rows, 20)
            .filter(|n| sheets::ROWS.contains(n))
            .ok_or("rows must be from 5 to 30")?;
        let pages = number(&query.pages, 1)
            .filter(|n| sheets::PAGES.contains(n))
            .ok_or("pages must be from 1 to 50")?;
        let paper = Paper::parse(&query.paper).ok_or("paper must be a4 or letter")?;
        let source = match query.source.trim() {
            "" => None,
            raw => Some(
                Source::parse_lenient(raw)
                    .ok_or("source is not a valid source code")?
                    .as_str()
                    .to_owned(),
            ),
        };
        Ok(Self {
            lang,
            rows,
            pages,
            paper,
            source,
        })
    }
}

pub async fn sheets(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    query: web::Query<SheetsQuery>,
) -> Result<HttpResponse, StaffError> {
    let options = match SheetOptions::parse(&query, &staff.campaign) {
        Ok(options) => options,
        Err(message) => return Ok(bad_request(message)),
    };
    let SheetOptions {
        lang,
        rows,
        pages,
        paper,
        source,
    } = options;
    let slug = staff.slug().to_owned();
    let form_url = sheets::form_url(&state.base_url, &slug, lang, source.as_deref());
    let campaign = staff.campaign.clone();
    let spec_source = source.clone();
    let organisation = state.organisation.current();
    let pdf = web::block(move || {
        let text = campaign.text(lang);
        sheets::render(&sheets::SheetSpec {
            lang,
            paper,
            title: text.map_or(campaign.campaign.slug.as_str(), |t| &t.title),
            target: text.map_or("", |t| &t.target),
            demand: text.map_or("", |t| &t.summary),
            form_url: &form_url,
            source: spec_source.as_deref(),
            rows,
            pages,
            organisation: &organisation.settings,
        })
    })
    .await
    .map_err(|error| staff.session.unavailable(anyhow::anyhow!("{error}")))?
    .map_err(|error| staff.session.unavailable(error))?;
    let detail = format!(
        "campaign={slug} lang={} rows={rows} pages={pages} source={}",
        lang.code(),
        source.unwrap_or_default()
    );
    record_audit(&state, &staff.session.actor(), "sheets_printed", &detail).await;
    Ok(download(
        "application/pdf",
        &format!("{slug}-sheets-{}.pdf", lang.code()),
    )
    .body(pdf))
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

impl DeliveryOptions {
    fn request<'a>(
        &self,
        campaign: &'a CampaignWithTexts,
        manifest_name: &'a str,
    ) -> DeliveryRequest<'a> {
        DeliveryRequest {
            campaign,
            lang: self.lang,
            split: self.split,
            comments: self.comments,
            paper: self.paper,
            manifest_name,
            volume_signers: pack::VOLUME_SIGNERS,
        }
    }
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

/// What both delivery downloads start from: the options asked for, and a connection of
/// their own to read the list with, taken on the blocking pool. A bad option is answered
/// in `Ok(Err(..))` as a plain-text 400.
async fn delivery_inputs(
    state: &AppState,
    staff: &StaffCampaign,
    query: &DeliveryQuery,
) -> Result<Result<(DeliveryOptions, PooledConn), HttpResponse>, StaffError> {
    let options = match delivery_options(query, &staff.campaign) {
        Ok(options) => options,
        Err(message) => return Ok(Err(bad_request(message))),
    };
    let conn = state
        .db
        .connection_for_blocking_task()
        .await
        .map_err(|error| staff.session.unavailable(error))?;
    Ok(Ok((options, conn)))
}

fn manifest_name(slug: &str) -> String {
    format!("{slug}-delivery-manifest.csv")
}

/// Seconds staff are asked to wait when the most delivery packs are already being built.
const PACKS_BUSY_RETRY_AFTER: &str = "30";

/// The pack, streamed as it is drawn: one PDF, or a ZIP of volumes for a long list. The
/// build holds its permit until the last byte is written, so that at most
/// `DELIVERY_PACKS_AT_ONCE` are built at once.
pub async fn delivery_pack(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    query: web::Query<DeliveryQuery>,
) -> Result<HttpResponse, StaffError> {
    let Ok(permit) = Arc::clone(&state.delivery_packs).try_acquire_owned() else {
        return Ok(HttpResponse::ServiceUnavailable()
            .insert_header((RETRY_AFTER, PACKS_BUSY_RETRY_AFTER))
            .content_type("text/plain; charset=utf-8")
            .body(staff.session.tr().t("admin-delivery-busy")));
    };
    let (options, mut conn) = match delivery_inputs(&state, &staff, &query).await? {
        Ok(inputs) => inputs,
        Err(response) => return Ok(response),
    };
    let (started, format) = oneshot::channel::<PackFormat>();
    let actor = staff.session.actor();
    let slug = staff.slug().to_owned();
    let campaign = staff.campaign.clone();
    let lang = options.lang;
    let body = blocking_body("a delivery pack", move |out| {
        let name = manifest_name(&campaign.campaign.slug);
        let request = options.request(&campaign, &name);
        // The manifest is its own download; here only its checksum is needed.
        handover::deliver_pack(
            &mut conn,
            &request,
            &actor,
            &mut std::io::sink(),
            |format| {
                // The answer's headers wait for this; if it was given up, so is the pack.
                started
                    .send(format)
                    .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))?;
                Ok(out)
            },
        )?;
        // Free before the body ends, so that whoever got the whole pack can ask for the next.
        drop(permit);
        Ok::<(), DocumentError>(())
    });
    // Dropped unsent when the pack failed before its first byte: then it is a 503.
    let format = format.await.map_err(|_| {
        staff
            .session
            .unavailable(anyhow::anyhow!("the delivery pack could not be started"))
    })?;
    Ok(download(
        format.content_type(),
        &format!("{slug}-delivery-{}.{}", lang.code(), format.extension()),
    )
    .streaming(body))
}

/// The delivery pack's list as CSV, streamed as it is read.
pub async fn delivery_manifest(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    query: web::Query<DeliveryQuery>,
) -> Result<HttpResponse, StaffError> {
    let (options, mut conn) = match delivery_inputs(&state, &staff, &query).await? {
        Ok(inputs) => inputs,
        Err(response) => return Ok(response),
    };
    let actor = staff.session.actor();
    let name = manifest_name(staff.slug());
    let filename = name.clone();
    let campaign = staff.campaign;
    let body = blocking_body("a delivery manifest", move |out| {
        let request = options.request(&campaign, &name);
        handover::deliver_manifest(&mut conn, &request, &actor, out).map(drop)
    });
    Ok(download("text/csv; charset=utf-8", &filename).streaming(body))
}
