//! The paper batch pages: the list of a campaign's batches and one batch's entry form,
//! with what each sent row became.

use askama::Template;

use super::AdminPage;
use crate::db::paper::Batch;
use crate::i18n::Tr;
use crate::intake::paper::{Outcome, Summary};

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
    pub fn new(batch: &Batch, tr: Tr) -> Self {
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

pub fn blank_rows(country: &str, from: usize, count: usize) -> Vec<EntryRow> {
    (from..from + count)
        .map(|index| EntryRow {
            index,
            country: country.to_owned(),
            ..EntryRow::default()
        })
        .collect()
}

/// What each sent row became. `same_as` names an earlier row of the same batch: a row of the entry form, or a line of
/// an uploaded file.
pub fn results(summary: &Summary, same_as: &str, tr: Tr) -> Vec<ResultRow> {
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
