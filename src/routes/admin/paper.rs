//! Staff enter paper signatures: one batch per event, typed in row by row from the keyboard
//! or imported from a CSV file (previewed first), and undone as a whole when a sheet is bad.

use std::collections::BTreeMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{NaiveDate, Utc};
use futures_util::StreamExt;

use super::auth::{CsrfForm, StaffSession};
use super::views::AdminPage;
use super::{admin_page, record_audit};
use crate::db::campaigns::{self, CampaignWithTexts};
use crate::db::in_person::NewEvent;
use crate::db::paper::{self as batches, Batch};
use crate::db::{StoreError, write_transaction};
use crate::domain::{
    MAX_SHEET_BYTES, SheetError, SheetRow, SignatureInput, SignedAt, SignedAtError, Source,
    decode_sheet, read_sheet,
};
use crate::i18n::Tr;
use crate::intake::paper::{self, Audited, Outcome, Summary};
use crate::routes::{AppState, assets, render};

/// Rows of a fresh entry form; the script adds more as staff press Enter.
const ENTRY_ROWS: usize = 10;
/// The most rows one entry form may send.
const MAX_ENTRY_ROWS: usize = 200;
/// The import form carries the previewed file back: up to 5 MB, percent-encoded.
pub const IMPORT_FORM_LIMIT: usize = 3 * MAX_SHEET_BYTES + 64 * 1024;

fn unavailable(tr: Tr, error: StoreError) -> HttpResponse {
    tracing::error!(error = ?error, "a paper page could not reach the database");
    super::unavailable_page(tr)
}

fn not_found(tr: Tr) -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body(tr.t("admin-paper-not-found"))
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .finish()
}

fn title(campaign: &CampaignWithTexts) -> String {
    campaign
        .text(campaign.campaign.default_lang())
        .map(|t| t.title.clone())
        .unwrap_or_else(|| campaign.campaign.slug.clone())
}

async fn load_campaign(
    state: &AppState,
    slug: &str,
) -> Result<Option<CampaignWithTexts>, StoreError> {
    let slug = slug.to_owned();
    state
        .db
        .run(move |conn| campaigns::find_by_slug(conn, &slug))
        .await
}

/// The campaign and one of its batches, or the response that says why not.
async fn load_batch(
    state: &AppState,
    slug: &str,
    event_id: i64,
    tr: Tr,
) -> Result<(CampaignWithTexts, Batch), HttpResponse> {
    let campaign = match load_campaign(state, slug).await {
        Ok(Some(campaign)) => campaign,
        Ok(None) => return Err(not_found(tr)),
        Err(error) => return Err(unavailable(tr, error)),
    };
    let campaign_id = campaign.campaign.id;
    match state
        .db
        .run(move |conn| batches::batch(conn, campaign_id, event_id))
        .await
    {
        Ok(Some(batch)) => Ok((campaign, batch)),
        Ok(None) => Err(not_found(tr)),
        Err(error) => Err(unavailable(tr, error)),
    }
}

pub struct BatchRow {
    pub id: i64,
    pub name: String,
    pub place: String,
    pub held_on: String,
    pub source: String,
    pub created_by: String,
    pub signatures_text: String,
    pub undone: Option<String>,
}

impl BatchRow {
    pub fn undone_text(&self) -> &str {
        self.undone.as_deref().unwrap_or_default()
    }
}

impl BatchRow {
    /// A batch as the list shows it, its numbers and times written for `tr`'s reader.
    fn new(batch: &Batch, tr: Tr) -> Self {
        Self {
            id: batch.event.id,
            name: batch.event.name.clone(),
            place: batch.event.place.clone(),
            held_on: batch.event.held_on.map(|d| tr.date(d)).unwrap_or_default(),
            source: batch.event.source.clone().unwrap_or_default(),
            created_by: batch.created_by.clone(),
            signatures_text: tr.number(batch.paper_signatures),
            undone: batch
                .undone_at
                .map(|at| format!("{} UTC ({})", tr.date_time(&at), batch.undone_by)),
        }
    }
}

#[derive(Default)]
pub struct NewBatchValues {
    pub name: String,
    pub place: String,
    pub held_on: String,
    pub source: String,
}

#[derive(Template)]
#[template(path = "admin/paper.html")]
pub struct PaperPage {
    pub page: AdminPage,
    pub slug: String,
    pub title: String,
    pub batches: Vec<BatchRow>,
    pub values: NewBatchValues,
    pub errors: Vec<String>,
}

async fn list_page(
    state: &AppState,
    session: &StaffSession,
    req: &HttpRequest,
    slug: &str,
    status: StatusCode,
    values: NewBatchValues,
    errors: Vec<String>,
) -> HttpResponse {
    let campaign = match load_campaign(state, slug).await {
        Ok(Some(campaign)) => campaign,
        Ok(None) => return not_found(session.tr()),
        Err(error) => return unavailable(session.tr(), error),
    };
    let campaign_id = campaign.campaign.id;
    let listed = match state
        .db
        .run(move |conn| batches::batches(conn, campaign_id))
        .await
    {
        Ok(listed) => listed,
        Err(error) => return unavailable(session.tr(), error),
    };
    render(
        status,
        &PaperPage {
            page: admin_page(req, Some(session)),
            slug: campaign.campaign.slug.clone(),
            title: title(&campaign),
            batches: listed
                .iter()
                .map(|batch| BatchRow::new(batch, session.tr()))
                .collect(),
            values,
            errors,
        },
    )
}

pub async fn list(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    slug: web::Path<String>,
) -> HttpResponse {
    let values = NewBatchValues::default();
    list_page(
        &state,
        &session,
        &req,
        &slug,
        StatusCode::OK,
        values,
        vec![],
    )
    .await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct NewBatchForm {
    name: String,
    place: String,
    held_on: String,
    source: String,
    csrf_token: String,
}

pub async fn create(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    slug: web::Path<String>,
    form: web::Form<NewBatchForm>,
) -> HttpResponse {
    let form = form.into_inner();
    if let Err(refused) = session.check_csrf(&state, &form.csrf_token) {
        return refused.response();
    }
    let tr = session.tr();
    let name = form.name.trim().to_owned();
    let place = form.place.trim().to_owned();
    let mut errors = Vec::new();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        errors.push(tr.t("admin-paper-name-invalid"));
    }
    if place.chars().count() > 200 || place.chars().any(char::is_control) {
        errors.push(tr.t("admin-paper-place-invalid"));
    }
    let held_on = match form.held_on.trim() {
        "" => None,
        raw => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(day) => Some(day),
            Err(_) => {
                errors.push(tr.t("admin-paper-date-invalid"));
                None
            }
        },
    };
    let source = match form.source.trim() {
        "" => None,
        raw => match Source::parse_lenient(raw) {
            Some(source) => Some(source.as_str().to_owned()),
            None => {
                errors.push(tr.t("admin-paper-source-invalid"));
                None
            }
        },
    };
    let values = NewBatchValues {
        name: form.name,
        place: form.place,
        held_on: form.held_on,
        source: form.source,
    };
    if !errors.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return list_page(&state, &session, &req, &slug, status, values, errors).await;
    }
    let campaign = match load_campaign(&state, &slug).await {
        Ok(Some(campaign)) => campaign,
        Ok(None) => return not_found(session.tr()),
        Err(error) => return unavailable(session.tr(), error),
    };
    let now = Utc::now().naive_utc();
    // Rows without a date of their own are signed on the event's day.
    if let Some(day) = held_on
        && let Err(error) = SignedAt::on_day(day, campaign.campaign.created_at, now)
    {
        let created = campaign.campaign.created_at.date().to_string();
        let error = match error {
            SignedAtError::BeforeCampaign => {
                tr.t1("admin-paper-date-before-campaign", "created", &created)
            }
            SignedAtError::Future => tr.t("admin-paper-date-future"),
        };
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return list_page(&state, &session, &req, &slug, status, values, vec![error]).await;
    }
    let (campaign_id, actor) = (campaign.campaign.id, session.actor());
    let stored = (name.clone(), place, source.clone(), actor.clone());
    let created = state
        .db
        .run(move |conn| {
            let (name, place, source, actor) = stored;
            let event = NewEvent {
                campaign_id,
                name: &name,
                place: &place,
                held_on,
                source: source.as_deref(),
            };
            batches::create_batch(conn, &event, &actor, now)
        })
        .await;
    match created {
        Ok(event) => {
            let detail = format!(
                "campaign={} event={} name={name} source={}",
                slug,
                event.id,
                source.unwrap_or_default()
            );
            record_audit(&state, &actor, "paper_batch_created", &detail).await;
            see_other(&format!("/admin/campaigns/{slug}/paper/{}", event.id))
        }
        Err(error) => unavailable(session.tr(), error),
    }
}

/// One row of the entry form, as typed.
#[derive(Default, Clone)]
pub struct EntryRow {
    pub index: usize,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub postal_code: String,
    pub country: String,
    pub email_opt_in: bool,
    pub error: Option<String>,
}

/// What happened to a row that was sent.
pub struct ResultRow {
    pub line: u64,
    pub name: String,
    pub outcome: String,
    pub kind: &'static str,
}

pub struct Preview {
    pub csv: String,
    pub new: usize,
    pub new_text: String,
}

#[derive(Template)]
#[template(path = "admin/paper_batch.html")]
pub struct BatchPage {
    pub page: AdminPage,
    pub slug: String,
    pub title: String,
    pub batch: BatchRow,
    pub open: bool,
    pub entry_script: &'static str,
    pub rows: Vec<EntryRow>,
    /// What the last entry or import did.
    pub headline: Option<String>,
    pub results: Vec<ResultRow>,
    pub preview: Option<Preview>,
    pub import_error: Option<String>,
}

fn blank_rows(country: &str, from: usize, count: usize) -> Vec<EntryRow> {
    (from..from + count)
        .map(|index| EntryRow {
            index,
            country: country.to_owned(),
            ..EntryRow::default()
        })
        .collect()
}

/// `same_as` names an earlier row of the same batch: a row of the entry form, or a line of
/// an uploaded file.
fn results(summary: &Summary, same_as: &str, tr: Tr) -> Vec<ResultRow> {
    summary
        .rows
        .iter()
        .map(|row| {
            let (outcome, kind) = match &row.outcome {
                Outcome::New => (tr.t("admin-paper-outcome-new"), "new"),
                Outcome::AlreadySigned { signature } => (
                    tr.t1(
                        "admin-paper-outcome-already-signed",
                        "id",
                        &signature.to_string(),
                    ),
                    "duplicate",
                ),
                Outcome::SameAsLine { line } => {
                    (tr.t1(same_as, "line", &line.to_string()), "duplicate")
                }
                Outcome::Invalid { reasons } => (reasons.join("; "), "invalid"),
            };
            ResultRow {
                line: row.line,
                name: row.name.clone(),
                outcome,
                kind,
            }
        })
        .collect()
}

struct BatchView {
    rows: Vec<EntryRow>,
    headline: Option<String>,
    results: Vec<ResultRow>,
    preview: Option<Preview>,
    import_error: Option<String>,
}

impl BatchView {
    fn fresh(campaign: &CampaignWithTexts) -> Self {
        Self {
            rows: blank_rows(&campaign.campaign.default_country, 0, ENTRY_ROWS),
            headline: None,
            results: vec![],
            preview: None,
            import_error: None,
        }
    }
}

fn batch_page(
    req: &HttpRequest,
    session: &StaffSession,
    status: StatusCode,
    campaign: &CampaignWithTexts,
    batch: &Batch,
    view: BatchView,
) -> HttpResponse {
    render(
        status,
        &BatchPage {
            page: admin_page(req, Some(session)),
            slug: campaign.campaign.slug.clone(),
            title: title(campaign),
            batch: BatchRow::new(batch, session.tr()),
            open: batch.undone_at.is_none(),
            entry_script: assets::paper_entry_script(),
            rows: view.rows,
            headline: view.headline,
            results: view.results,
            preview: view.preview,
            import_error: view.import_error,
        },
    )
}

pub async fn show(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
) -> HttpResponse {
    let (slug, event_id) = path.into_inner();
    match load_batch(&state, &slug, event_id, session.tr()).await {
        Ok((campaign, batch)) => {
            let view = BatchView::fresh(&campaign);
            batch_page(&req, &session, StatusCode::OK, &campaign, &batch, view)
        }
        Err(response) => response,
    }
}

/// The entry form's rows: fields named `first_name-3`, `email_opt_in-3` and so on.
fn entry_rows(pairs: &[(String, String)]) -> BTreeMap<usize, EntryRow> {
    let mut rows: BTreeMap<usize, EntryRow> = BTreeMap::new();
    for (key, value) in pairs {
        let Some((field, index)) = key.rsplit_once('-') else {
            continue;
        };
        let Ok(index) = index.parse::<usize>() else {
            continue;
        };
        if index >= MAX_ENTRY_ROWS {
            continue;
        }
        let row = rows.entry(index).or_insert_with(|| EntryRow {
            index,
            ..EntryRow::default()
        });
        match field {
            "first_name" => row.first_name = value.clone(),
            "last_name" => row.last_name = value.clone(),
            "email" => row.email = value.clone(),
            "postal_code" => row.postal_code = value.clone(),
            "country" => row.country = value.clone(),
            "email_opt_in" => row.email_opt_in = !value.is_empty(),
            _ => {}
        }
    }
    rows
}

/// Adds the typed rows to the batch. Rows left blank are skipped; rows with a problem come
/// back in the form with what was typed, for staff to correct.
pub async fn enter(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let pairs = form.into_inner();
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf_token")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    if let Err(refused) = session.check_csrf(&state, csrf) {
        return refused.response();
    }
    let (slug, event_id) = path.into_inner();
    let (campaign, batch) = match load_batch(&state, &slug, event_id, session.tr()).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if batch.undone_at.is_some() {
        return see_other(&format!("/admin/campaigns/{slug}/paper/{event_id}"));
    }
    let typed: Vec<EntryRow> = entry_rows(&pairs)
        .into_values()
        .filter(|row| {
            [
                &row.first_name,
                &row.last_name,
                &row.email,
                &row.postal_code,
            ]
            .iter()
            .any(|v| !v.trim().is_empty())
        })
        .collect();
    // Row numbers as staff see them on the page, from 1.
    let sheet_rows: Vec<SheetRow> = typed
        .iter()
        .map(|row| SheetRow {
            line: row.index as u64 + 1,
            input: SignatureInput {
                first_name: row.first_name.clone(),
                last_name: row.last_name.clone(),
                email: row.email.clone(),
                postal_code: row.postal_code.clone(),
                country: row.country.trim().to_uppercase(),
                ..SignatureInput::default()
            },
            signed_on: Ok(None),
            opt_in: Ok(row.email_opt_in),
        })
        .collect();
    let summary = match import_rows(
        &state,
        &session,
        "paper_rows_entered",
        &campaign,
        &batch,
        sheet_rows,
    )
    .await
    {
        Ok(summary) => summary,
        Err(error) => return unavailable(session.tr(), error),
    };
    // Rows with problems stay in the form, with their reasons; blank rows follow.
    let mut rows: Vec<EntryRow> = summary
        .rows
        .iter()
        .filter_map(|report| match &report.outcome {
            Outcome::Invalid { reasons } => typed
                .iter()
                .find(|row| row.index as u64 + 1 == report.line)
                .map(|row| EntryRow {
                    error: Some(reasons.join("; ")),
                    ..row.clone()
                }),
            _ => None,
        })
        .enumerate()
        .map(|(index, row)| EntryRow { index, ..row })
        .collect();
    let kept = rows.len();
    rows.extend(blank_rows(
        &campaign.campaign.default_country,
        kept,
        ENTRY_ROWS.saturating_sub(kept).max(1),
    ));
    let status = if summary.invalid > 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let view = BatchView {
        rows,
        headline: Some(summary.headline()),
        results: results(&summary, "admin-paper-outcome-same-as-row", session.tr()),
        preview: None,
        import_error: None,
    };
    batch_page(&req, &session, status, &campaign, &batch, view)
}

/// Stores a batch's new rows and records `action` in the audit log, then moves the public
/// count, as typing rows in and importing a file both do.
async fn import_rows(
    state: &AppState,
    session: &StaffSession,
    action: &'static str,
    campaign: &CampaignWithTexts,
    batch: &Batch,
    rows: Vec<SheetRow>,
) -> Result<Summary, StoreError> {
    let campaign = campaign.campaign.clone();
    let event = batch.event.clone();
    let staff_lang = session.tr().lang();
    let actor = session.actor();
    let summary = state
        .db
        .run(move |conn| {
            let now = Utc::now().naive_utc();
            let target = paper::Batch::new(&campaign, Some(&event), None, staff_lang, now);
            let by = Audited {
                actor: &actor,
                action,
            };
            paper::import_audited(conn, &target, &rows, by, now)
        })
        .await?;
    if summary.new > 0 {
        state.counts.changed();
    }
    Ok(summary)
}

/// Reads the uploaded file and the CSRF token from a multipart form, refusing a file
/// larger than a sheet may be without reading the rest.
async fn read_upload(mut multipart: Multipart) -> Result<(String, Vec<u8>), SheetError> {
    let (mut csrf, mut file) = (String::new(), Vec::new());
    while let Some(field) = multipart.next().await {
        let Ok(mut field) = field else {
            return Err(SheetError::Unreadable(0));
        };
        let name = field.name().unwrap_or_default().to_owned();
        let mut value = Vec::new();
        while let Some(chunk) = field.next().await {
            let Ok(chunk) = chunk else {
                return Err(SheetError::Unreadable(0));
            };
            if value.len() + chunk.len() > MAX_SHEET_BYTES {
                return Err(SheetError::TooLarge);
            }
            value.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf_token" => csrf = String::from_utf8_lossy(&value).into_owned(),
            "file" => file = value,
            _ => {}
        }
    }
    Ok((csrf, file))
}

/// Shows what importing the file would do, storing nothing.
pub async fn preview(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
    multipart: Multipart,
) -> HttpResponse {
    let upload = read_upload(multipart).await;
    let (slug, event_id) = path.into_inner();
    let (campaign, batch) = match load_batch(&state, &slug, event_id, session.tr()).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (csrf, file) = match upload {
        Ok(upload) => upload,
        Err(error) => {
            // The token was not read; nothing is done but saying why.
            let view = BatchView {
                import_error: Some(error.to_string()),
                ..BatchView::fresh(&campaign)
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return batch_page(&req, &session, status, &campaign, &batch, view);
        }
    };
    if let Err(refused) = session.check_csrf(&state, &csrf) {
        return refused.response();
    }
    // The preview carries the file back as text for the import, decoded once here.
    let decoded = decode_sheet(&file);
    let text = decoded.clone().unwrap_or_default();
    let checked = match decoded.and_then(|text| read_sheet(text.as_bytes())) {
        Ok(rows) => {
            let campaign_row = campaign.campaign.clone();
            let event = batch.event.clone();
            let staff_lang = session.tr().lang();
            state
                .db
                .run(move |conn| {
                    let now = Utc::now().naive_utc();
                    let target =
                        paper::Batch::new(&campaign_row, Some(&event), None, staff_lang, now);
                    paper::check(conn, &target, &rows, now).map(|(summary, _)| summary)
                })
                .await
                .map(Ok)
        }
        Err(error) => Ok(Err(error)),
    };
    let view = match checked {
        Ok(Ok(summary)) => BatchView {
            headline: Some(summary.headline()),
            results: results(&summary, "admin-paper-outcome-same-as-line", session.tr()),
            preview: Some(Preview {
                csv: text,
                new: summary.new,
                new_text: summary.new.to_string(),
            }),
            ..BatchView::fresh(&campaign)
        },
        Ok(Err(error)) => BatchView {
            import_error: Some(error.to_string()),
            ..BatchView::fresh(&campaign)
        },
        Err(error) => return unavailable(session.tr(), error),
    };
    let status = if view.import_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    batch_page(&req, &session, status, &campaign, &batch, view)
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ImportForm {
    csv: String,
    csrf_token: String,
}

/// Imports the previewed file: the new rows in one transaction. Importing it again adds
/// nothing, since every row is then a duplicate.
pub async fn import(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
    form: web::Form<ImportForm>,
) -> HttpResponse {
    let form = form.into_inner();
    if let Err(refused) = session.check_csrf(&state, &form.csrf_token) {
        return refused.response();
    }
    let (slug, event_id) = path.into_inner();
    let (campaign, batch) = match load_batch(&state, &slug, event_id, session.tr()).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if batch.undone_at.is_some() {
        return see_other(&format!("/admin/campaigns/{slug}/paper/{event_id}"));
    }
    let rows = match read_sheet(form.csv.as_bytes()) {
        Ok(rows) => rows,
        Err(error) => {
            let view = BatchView {
                import_error: Some(error.to_string()),
                ..BatchView::fresh(&campaign)
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return batch_page(&req, &session, status, &campaign, &batch, view);
        }
    };
    let summary =
        match import_rows(&state, &session, "paper_imported", &campaign, &batch, rows).await {
            Ok(summary) => summary,
            Err(error) => return unavailable(session.tr(), error),
        };
    let view = BatchView {
        headline: Some(summary.headline()),
        results: results(&summary, "admin-paper-outcome-same-as-line", session.tr()),
        ..BatchView::fresh(&campaign)
    };
    batch_page(&req, &session, StatusCode::OK, &campaign, &batch, view)
}

/// Takes a batch's signatures back out of the count, audited.
pub async fn undo(
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<(String, i64)>,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    if let Err(refused) = session.check_csrf(&state, &form.csrf_token) {
        return refused.response();
    }
    let (slug, event_id) = path.into_inner();
    if let Err(response) = load_batch(&state, &slug, event_id, session.tr()).await {
        return response;
    }
    let actor = session.actor();
    let by = actor.clone();
    let now = Utc::now().naive_utc();
    let undone = state
        .db
        .run(move |conn| {
            write_transaction(conn, |conn| batches::undo_batch(conn, event_id, &by, now))
        })
        .await;
    match undone {
        Ok(Some(undone)) => {
            state.counts.changed();
            let detail = format!(
                "campaign={slug} event={event_id} removed={} reopened={}",
                undone.removed, undone.reopened
            );
            record_audit(&state, &actor, "paper_batch_undone", &detail).await;
            see_other(&format!("/admin/campaigns/{slug}/paper"))
        }
        Ok(None) => see_other(&format!("/admin/campaigns/{slug}/paper")),
        Err(error) => unavailable(session.tr(), error),
    }
}
