//! A CSV file of paper signatures: previewed first, storing nothing, then imported.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use futures_util::StreamExt;

use super::{BatchView, batch_page, import_rows, load_batch, see_other};
use crate::domain::{MAX_SHEET_BYTES, SheetError, decode_sheet, read_sheet};
use crate::intake::paper;
use crate::pages::staff::{Preview, results};
use crate::routes::AppState;
use crate::routes::admin::auth::StaffCampaign;
use crate::routes::admin::error::StaffError;

/// The import form carries the previewed file back: up to 5 MB, percent-encoded.
pub const IMPORT_FORM_LIMIT: usize = 3 * MAX_SHEET_BYTES + 64 * 1024;

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
    staff: StaffCampaign,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
    multipart: Multipart,
) -> Result<HttpResponse, StaffError> {
    let upload = read_upload(multipart).await;
    let (_, event_id) = path.into_inner();
    let batch = load_batch(&state, &staff, event_id).await?;
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    let (csrf, file) = match upload {
        Ok(upload) => upload,
        Err(error) => {
            // The token was not read; nothing is done but saying why.
            let view = BatchView::refused_file(&staff.campaign, error);
            return Ok(batch_page(&req, &staff, refused, &batch, view));
        }
    };
    staff.session.check_csrf(&state, &csrf)?;
    // The preview carries the file back as text for the import, decoded once here.
    let decoded = decode_sheet(&file);
    let text = decoded.clone().unwrap_or_default();
    let rows = match decoded.and_then(|text| read_sheet(text.as_bytes())) {
        Ok(rows) => rows,
        Err(error) => {
            let view = BatchView::refused_file(&staff.campaign, error);
            return Ok(batch_page(&req, &staff, refused, &batch, view));
        }
    };
    let campaign = staff.campaign.campaign.clone();
    let event = batch.event.clone();
    let staff_lang = staff.session.tr().lang();
    let summary = state
        .db
        .run(move |conn| {
            let now = Utc::now().naive_utc();
            let target = paper::Batch::new(&campaign, Some(&event), None, staff_lang, now);
            paper::check(conn, &target, &rows, now).map(|(summary, _)| summary)
        })
        .await
        .map_err(|error| staff.session.unavailable(error))?;
    let tr = staff.session.tr();
    let view = BatchView {
        headline: Some(summary.headline()),
        results: results(&summary, "admin-paper-outcome-same-as-line", tr),
        preview: Some(Preview {
            csv: text,
            new: summary.new,
            new_text: summary.new.to_string(),
        }),
        ..BatchView::fresh(&staff.campaign)
    };
    Ok(batch_page(&req, &staff, StatusCode::OK, &batch, view))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ImportForm {
    csv: String,
    csrf_token: String,
}

/// Imports the previewed file, a few hundred rows per transaction. Importing it again adds
/// nothing, since every row is then a duplicate.
pub async fn import(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
    form: web::Form<ImportForm>,
) -> Result<HttpResponse, StaffError> {
    let form = form.into_inner();
    staff.session.check_csrf(&state, &form.csrf_token)?;
    let (slug, event_id) = path.into_inner();
    let batch = load_batch(&state, &staff, event_id).await?;
    if batch.undone_at.is_some() {
        return Ok(see_other(&format!(
            "/admin/campaigns/{slug}/paper/{event_id}"
        )));
    }
    let rows = match read_sheet(form.csv.as_bytes()) {
        Ok(rows) => rows,
        Err(error) => {
            let view = BatchView::refused_file(&staff.campaign, error);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(batch_page(&req, &staff, status, &batch, view));
        }
    };
    let summary = import_rows(&state, &staff, "paper_imported", &batch, rows).await?;
    let view = BatchView {
        headline: Some(summary.headline()),
        results: results(
            &summary,
            "admin-paper-outcome-same-as-line",
            staff.session.tr(),
        ),
        ..BatchView::fresh(&staff.campaign)
    };
    Ok(batch_page(&req, &staff, StatusCode::OK, &batch, view))
}
