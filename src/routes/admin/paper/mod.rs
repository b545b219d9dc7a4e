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
use super::views::AdminPage;
use super::{admin_page, campaign_title};
use crate::db::in_person::EarlierSignature;
use crate::db::paper::{self as batches_db, Batch};
use crate::domain::{Channel, SheetRow};
use crate::i18n::{CountryName, Tr, countries, country_name};
use crate::intake::paper::{self, Audited, Outcome, Summary};
use crate::routes::{AppState, assets, render};

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
    /// The names the country column completes from, in the staff member's language.
    pub countries: &'static [CountryName],
    /// What the last entry or import did.
    pub headline: Option<String>,
    pub results: Vec<ResultRow>,
    pub preview: Option<Preview>,
    pub import_error: Option<String>,
}

/// The campaign's country as new rows start with it: named in the staff member's language,
/// as the sheets write it.
fn default_country(staff: &StaffCampaign) -> String {
    country_name(
        staff.session.tr().lang(),
        &staff.campaign.campaign.default_country,
    )
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

/// How far rows went: checked only (a file's preview), or stored by typing them in or by
/// importing a file. The page never says a row was added before it is stored.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Checked,
    Entered,
    Imported,
}

/// One line for staff: what the rows came to, the numbers written for `tr`'s reader.
fn headline(summary: &Summary, stage: Stage, tr: Tr) -> String {
    let key = match stage {
        Stage::Checked => "admin-paper-headline-checked",
        Stage::Entered => "admin-paper-headline-entered",
        Stage::Imported => "admin-paper-headline-imported",
    };
    let count = |n: usize| tr.number(i64::try_from(n).unwrap_or(i64::MAX));
    tr.t3(
        key,
        ("new", &count(summary.new)),
        ("duplicates", &count(summary.duplicates)),
        ("invalid", &count(summary.invalid)),
    )
}

/// Each row's outcome in words. A duplicate names the earlier row of the same batch (a row
/// of the entry form, or a line of an uploaded file) or how the signature that counts came in.
fn results(summary: &Summary, stage: Stage, tr: Tr) -> Vec<ResultRow> {
    let same_as = match stage {
        Stage::Entered => "admin-paper-outcome-same-as-row",
        Stage::Checked | Stage::Imported => "admin-paper-outcome-same-as-line",
    };
    summary
        .rows
        .iter()
        .map(|row| {
            let (outcome, kind) = match &row.outcome {
                Outcome::New if stage == Stage::Checked => {
                    (tr.t("admin-paper-outcome-would-add"), "new")
                }
                Outcome::New => (tr.t("admin-paper-outcome-new"), "new"),
                Outcome::AlreadySigned { signature } => (
                    already_counted(summary.earlier.get(signature), tr),
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

/// "Already signed online on 2 November 2026", and the like for paper and kiosks.
fn already_counted(earlier: Option<&EarlierSignature>, tr: Tr) -> String {
    let Some(earlier) = earlier else {
        // A batch undone since the check took it away; it did count.
        return tr.t("admin-paper-outcome-already-counted");
    };
    let key = match earlier.channel {
        Channel::Online => "admin-paper-outcome-already-online",
        Channel::Paper => "admin-paper-outcome-already-paper",
        Channel::Kiosk => "admin-paper-outcome-already-kiosk",
    };
    tr.t2(
        key,
        ("day", &tr.date(earlier.on)),
        ("event", earlier.event.as_deref().unwrap_or_default()),
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
