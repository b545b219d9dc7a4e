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
use askama::Template;
use chrono::Utc;

pub use batches::{create, list, undo};
pub use file::{IMPORT_FORM_LIMIT, import, preview};
pub use typing::{enter, show};

use super::auth::StaffCampaign;
use super::error::StaffError;
use super::{admin_page, campaign_title};
use crate::db::campaigns::CampaignWithTexts;
use crate::db::paper::{self as batches_db, Batch};
use crate::domain::SheetRow;
use crate::i18n::Tr;
use crate::intake::paper::{self, Audited, Outcome, Summary};
use crate::pages::assets;
use crate::pages::staff::AdminPage;
use crate::routes::{AppState, render};

/// Rows of a fresh entry form; the script adds more as staff press Enter.
const ENTRY_ROWS: usize = 10;

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .finish()
}

/// One of the campaign's batches, or why not.
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
        .ok_or_else(|| staff.session.not_found("admin-paper-not-found"))
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

    /// The page's file form said why the file was refused; nothing else changed.
    fn refused_file(campaign: &CampaignWithTexts, error: impl ToString) -> Self {
        Self {
            import_error: Some(error.to_string()),
            ..Self::fresh(campaign)
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
