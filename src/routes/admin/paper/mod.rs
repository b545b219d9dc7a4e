//! Staff enter paper signatures: one batch per event, typed in row by row from the keyboard
//! (`typing`) or imported from a CSV file, previewed first (`file`), and listed, started and
//! undone as a whole when a sheet is bad (`batches`). The rows themselves go to the paper
//! use case, `intake::paper`.

mod batches;
mod file;
mod typing;

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse};
use chrono::Utc;

pub use batches::{create, list, undo};
pub use file::{IMPORT_FORM_LIMIT, import, preview};
pub use typing::{enter, show};

use super::auth::StaffCampaign;
use super::error::StaffError;
use super::{admin_page, campaign_title};
use crate::db::paper::{self as batches_db, Batch};
use crate::domain::SheetRow;
use crate::i18n::{countries, country_name};
use crate::intake::paper::{self, Audited, Summary};
use crate::pages::assets;
use crate::pages::staff::{BatchPage, BatchRow, EntryRow, Preview, ResultRow, blank_rows};
use crate::routes::{AppState, render};

/// Rows of a fresh entry form; the script adds more as staff press Enter.
const ENTRY_ROWS: usize = 10;

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .finish()
}

/// One of the campaign's batches that this member of staff may see, or why not.
async fn load_batch(
    state: &AppState,
    staff: &StaffCampaign,
    event_id: i64,
) -> Result<Batch, StaffError> {
    let campaign_id = staff.campaign.campaign.id;
    state
        .db
        .run(move |conn| batches_db::batch(conn, campaign_id, event_id))
        .await
        .map_err(|error| staff.session.unavailable(error))?
        .filter(|batch| staff.session.sees_batch(&batch.created_by))
        .ok_or_else(|| staff.session.not_found("admin-paper-not-found"))
}

/// The campaign's country as new rows start with it: named in the staff member's language,
/// as the sheets write it.
fn default_country(staff: &StaffCampaign) -> String {
    country_name(
        staff.session.tr().lang(),
        &staff.campaign.campaign.default_country,
    )
}

struct BatchView {
    rows: Vec<EntryRow>,
    headline: Option<String>,
    results: Vec<ResultRow>,
    preview: Option<Preview>,
    import_error: Option<String>,
}

impl BatchView {
    fn fresh(staff: &StaffCampaign) -> Self {
        Self {
            rows: blank_rows(&default_country(staff), 0, ENTRY_ROWS),
            headline: None,
            results: vec![],
            preview: None,
            import_error: None,
        }
    }

    /// The page's file form said why the file was refused; nothing else changed.
    fn refused_file(staff: &StaffCampaign, error: impl ToString) -> Self {
        Self {
            import_error: Some(error.to_string()),
            ..Self::fresh(staff)
        }
    }
}

fn batch_page(
    req: &HttpRequest,
    staff: &StaffCampaign,
    status: StatusCode,
    batch: &Batch,
    view: BatchView,
) -> HttpResponse {
    render(
        status,
        &BatchPage {
            page: admin_page(req, Some(&staff.session)),
            slug: staff.slug().to_owned(),
            title: campaign_title(&staff.campaign),
            batch: BatchRow::new(batch, staff.session.tr()),
            open: batch.undone_at.is_none(),
            entry_script: assets::paper_entry_script(),
            rows: view.rows,
            countries: countries(staff.session.tr().lang()),
            headline: view.headline,
            results: view.results,
            preview: view.preview,
            import_error: view.import_error,
        },
    )
}

/// Stores a batch's new rows through the paper use case, which records `action` in the
/// audit log, then moves the public count, as typing rows in and importing a file both do.
async fn import_rows(
    state: &AppState,
    staff: &StaffCampaign,
    action: &'static str,
    batch: &Batch,
    rows: Vec<SheetRow>,
) -> Result<Summary, StaffError> {
    let campaign = staff.campaign.campaign.clone();
    let event = batch.event.clone();
    let staff_lang = staff.session.tr().lang();
    let actor = staff.session.actor();
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
        .await
        .map_err(|error| staff.session.unavailable(error))?;
    if summary.new > 0 {
        state.counts.changed();
    }
    Ok(summary)
}
