//! A batch's page, and the rows staff type into it from paper sheets.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::{BatchView, ENTRY_ROWS, batch_page, import_rows, load_batch, see_other};
use crate::domain::{SheetRow, SignatureInput};
use crate::intake::paper::{Outcome, Summary};
use crate::pages::staff::{EntryRow, blank_rows, results};
use crate::routes::AppState;
use crate::routes::admin::auth::StaffCampaign;
use crate::routes::admin::error::StaffError;

/// The most rows one entry form may send.
const MAX_ENTRY_ROWS: usize = 200;

pub async fn show(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, StaffError> {
    let (_, event_id) = path.into_inner();
    let batch = load_batch(&state, &staff, event_id).await?;
    let view = BatchView::fresh(&staff.campaign);
    Ok(batch_page(&req, &staff, StatusCode::OK, &batch, view))
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

/// The rows staff typed something into, skipping those left blank.
fn typed_rows(pairs: &[(String, String)]) -> Vec<EntryRow> {
    entry_rows(pairs)
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
        .collect()
}

/// A typed row as the paper use case reads it, numbered as staff see it on the page, from 1.
fn sheet_row(row: &EntryRow) -> SheetRow {
    SheetRow {
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
    }
}

/// The form again: rows with problems stay in it, with their reasons; blank rows follow.
fn rows_to_correct(summary: &Summary, typed: &[EntryRow], country: &str) -> Vec<EntryRow> {
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
        country,
        kept,
        ENTRY_ROWS.saturating_sub(kept).max(1),
    ));
    rows
}

/// Adds the typed rows to the batch. Rows left blank are skipped; rows with a problem come
/// back in the form with what was typed, for staff to correct.
pub async fn enter(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, StaffError> {
    let pairs = form.into_inner();
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf_token")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    staff.session.check_csrf(&state, csrf)?;
    let (slug, event_id) = path.into_inner();
    let batch = load_batch(&state, &staff, event_id).await?;
    if batch.undone_at.is_some() {
        return Ok(see_other(&format!(
            "/admin/campaigns/{slug}/paper/{event_id}"
        )));
    }
    let typed = typed_rows(&pairs);
    let sheet_rows = typed.iter().map(sheet_row).collect();
    let summary = import_rows(&state, &staff, "paper_rows_entered", &batch, sheet_rows).await?;
    let status = if summary.invalid > 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let tr = staff.session.tr();
    let view = BatchView {
        rows: rows_to_correct(&summary, &typed, &staff.campaign.campaign.default_country),
        headline: Some(summary.headline()),
        results: results(&summary, "admin-paper-outcome-same-as-row", tr),
        preview: None,
        import_error: None,
    };
    Ok(batch_page(&req, &staff, status, &batch, view))
}
