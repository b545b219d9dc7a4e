//! The paper batch pages: the list of a campaign's batches and one batch's entry form,
//! with what each sent row became.

use askama::Template;

use super::AdminPage;
use crate::db::in_person::EarlierSignature;
use crate::db::paper::Batch;
use crate::domain::Channel;
use crate::i18n::{CountryName, Tr};
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
    /// The names the country column completes from, in the staff member's language.
    pub countries: &'static [CountryName],
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

/// How far rows went: checked only (a file's preview), or stored by typing them in or by
/// importing a file. The page never says a row was added before it is stored.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Checked,
    Entered,
    Imported,
}

/// One line for staff: what the rows came to, the numbers written for `tr`'s reader.
pub fn headline(summary: &Summary, stage: Stage, tr: Tr) -> String {
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
pub fn results(summary: &Summary, stage: Stage, tr: Tr) -> Vec<ResultRow> {
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
