//! Paper signatures entered by staff, typed in row by row or read from a CSV file: each row
//! checked like the online form (the email optional), de-duplicated against every counted
//! signature of the campaign and against the rows before it, and then stored in one
//! transaction. Shared by the staff page and `mariposa paper import`.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::QueryResult;

use crate::db::campaigns::Campaign;
use crate::db::in_person::{self, InPersonRecorded};
use crate::db::{Connection, write_transaction};
use crate::domain::{
    Channel, DayError, InPersonPlace, InPersonSignature, Lang, SheetRow, SignedAt, SignedAtError,
    Source,
};
use crate::i18n::Tr;

/// What became, or would become, of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    New,
    /// This person's signature already counts: `signature` is its id.
    AlreadySigned {
        signature: i64,
    },
    /// The same person as an earlier row of this batch.
    SameAsLine {
        line: u64,
    },
    Invalid {
        reasons: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowReport {
    pub line: u64,
    /// The name as typed, so staff recognise the row.
    pub name: String,
    pub outcome: Outcome,
}

/// How many rows are new, duplicates and invalid, and each row's outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub new: usize,
    pub duplicates: usize,
    pub invalid: usize,
    pub rows: Vec<RowReport>,
}

impl Summary {
    fn add(&mut self, line: u64, name: String, outcome: Outcome) {
        match outcome {
            Outcome::New => self.new += 1,
            Outcome::AlreadySigned { .. } | Outcome::SameAsLine { .. } => self.duplicates += 1,
            Outcome::Invalid { .. } => self.invalid += 1,
        }
        self.rows.push(RowReport {
            line,
            name,
            outcome,
        });
    }

    /// One line for people: "3 new, 1 duplicate, 2 invalid".
    pub fn headline(&self) -> String {
        format!(
            "{} new, {} duplicate{}, {} invalid",
            self.new,
            self.duplicates,
            if self.duplicates == 1 { "" } else { "s" },
            self.invalid
        )
    }

    /// The invalid rows, each with its line number and reasons, one per line.
    pub fn problems(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter_map(|row| match &row.outcome {
                Outcome::Invalid { reasons } => {
                    Some(format!("line {}: {}", row.line, reasons.join("; ")))
                }
                _ => None,
            })
            .collect()
    }
}

/// The batch rows go into. For a preview, before any event exists, `event_id` is 0.
#[derive(Debug, Clone)]
pub struct Batch<'a> {
    pub campaign: &'a Campaign,
    pub event_id: i64,
    pub source: Option<Source>,
    /// The day a row without its own date was signed: the event's, or today.
    pub default_day: NaiveDate,
    /// The language of whoever reads the reasons a row is refused.
    pub staff_lang: Lang,
}

/// Checks each row and de-duplicates it; stores nothing.
pub fn check(
    conn: &mut Connection,
    batch: &Batch<'_>,
    rows: &[SheetRow],
    now: NaiveDateTime,
) -> QueryResult<(Summary, Vec<InPersonSignature>)> {
    let tr = Tr(batch.staff_lang);
    let lang = batch.campaign.default_lang();
    let mut summary = Summary::default();
    let mut accepted = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for row in rows {
        let name = format!("{} {}", row.input.first_name, row.input.last_name)
            .trim()
            .to_owned();
        let mut reasons = Vec::new();
        let opt_in = row.opt_in.clone().unwrap_or_else(|raw| {
            reasons.push(tr.t1("admin-paper-row-opt-in-unclear", "value", &raw));
            false
        });
        let day = match &row.signed_on {
            Ok(day) => day.unwrap_or(batch.default_day),
            Err(DayError::NotADate(raw)) => {
                reasons.push(tr.t1("admin-paper-row-not-a-date", "value", raw));
                batch.default_day
            }
            Err(DayError::TwoDigitYear(raw)) => {
                reasons.push(tr.t1("admin-paper-row-two-digit-year", "value", raw));
                batch.default_day
            }
        };
        // A refused day leaves the row invalid; the time put in its place is never stored.
        let signed_at = match SignedAt::on_day(day, batch.campaign.created_at, now) {
            Ok(at) => at,
            Err(error) => {
                reasons.push(day_refused(tr, error, day, batch.campaign));
                SignedAt::received(now)
            }
        };
        let input = crate::domain::SignatureInput {
            email_opt_in: opt_in,
            ..row.input.clone()
        };
        let place = InPersonPlace {
            event_id: batch.event_id,
            channel: Channel::Paper,
            source: batch.source.clone(),
        };
        let signature =
            InPersonSignature::parse(&input, batch.campaign.form_rules(), place, lang, signed_at);
        let signature = match signature {
            Ok(signature) if reasons.is_empty() => signature,
            Ok(_) => {
                summary.add(row.line, name, Outcome::Invalid { reasons });
                continue;
            }
            Err(errors) => {
                reasons.extend(errors.iter().map(|error| {
                    let field = error.field.name();
                    format!("{field}: {}", tr.field_error(error.message_key, field))
                }));
                summary.add(row.line, name, Outcome::Invalid { reasons });
                continue;
            }
        };
        let key = match &signature.email {
            Some(email) => email.canonical(),
            None => signature.person_key().as_str().to_owned(),
        };
        if let Some(&line) = seen.get(&key) {
            summary.add(row.line, name, Outcome::SameAsLine { line });
            continue;
        }
        seen.insert(key, row.line);
        match in_person::duplicate_of(conn, &signature)? {
            Some(id) => summary.add(row.line, name, Outcome::AlreadySigned { signature: id }),
            None => {
                summary.add(row.line, name, Outcome::New);
                accepted.push(signature);
            }
        }
    }
    Ok((summary, accepted))
}

/// Why a row's day cannot be its signing day, in the staff member's language.
fn day_refused(tr: Tr, error: SignedAtError, day: NaiveDate, campaign: &Campaign) -> String {
    match error {
        SignedAtError::BeforeCampaign => tr.t2(
            "admin-paper-row-before-campaign",
            ("day", &day.to_string()),
            ("created", &campaign.created_at.date().to_string()),
        ),
        SignedAtError::Future => tr.t1("admin-paper-row-future", "day", &day.to_string()),
    }
}

/// Checks the rows and stores the new ones, all in one transaction: either every new row
/// counts or none does. The summary says what happened to each row.
pub fn import(
    conn: &mut Connection,
    batch: &Batch<'_>,
    rows: &[SheetRow],
    now: NaiveDateTime,
) -> QueryResult<Summary> {
    write_transaction(conn, |conn| {
        let (mut summary, accepted) = check(conn, batch, rows, now)?;
        let mut recorded = accepted.iter();
        for report in summary.rows.iter_mut() {
            if report.outcome != Outcome::New {
                continue;
            }
            let Some(signature) = recorded.next() else {
                break;
            };
            // Another writer may have stored the same person since the check.
            if let InPersonRecorded::AlreadyCounted { signature_id } =
                in_person::record(conn, signature, now)?
            {
                report.outcome = Outcome::AlreadySigned {
                    signature: signature_id,
                };
                summary.new -= 1;
                summary.duplicates += 1;
            }
        }
        Ok(summary)
    })
}
