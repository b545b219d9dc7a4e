//! Paper signatures entered by staff, typed in row by row or read from a CSV file: each row
//! checked like the online form (the email optional), de-duplicated against every counted
//! signature of the campaign and against the rows before it, and then stored a few hundred
//! rows per transaction, with one audit line for the import. Shared by the staff page and
//! `mariposa paper import`, which each only read their input and show the summary.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::QueryResult;

use crate::db::campaigns::Campaign;
use crate::db::in_person::{self, EarlierSignature, Event, InPersonRecorded};
use crate::db::{Connection, audit, write_transaction};
use crate::domain::{InPersonSignature, Lang, SheetRow, Source};

mod check;
pub use check::check;
use check::describe_earlier;

/// What became, or would become, of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    New,
    /// This person's signature already counts: `signature` is its id, which staff never
    /// see; `Summary::earlier` says how it came in.
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
    /// The signatures that rows duplicate, as staff recognise them.
    pub earlier: HashMap<i64, EarlierSignature>,
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

impl<'a> Batch<'a> {
    /// The batch of `event`, or a preview's before the event exists. Rows take `source`
    /// when given, else the event's; a row without its own date takes the event's day, else
    /// today's.
    pub fn new(
        campaign: &'a Campaign,
        event: Option<&Event>,
        source: Option<Source>,
        staff_lang: Lang,
        now: NaiveDateTime,
    ) -> Self {
        Self {
            campaign,
            event_id: event.map_or(0, |event| event.id),
            source: source.or_else(|| {
                event
                    .and_then(|event| event.source.as_deref())
                    .and_then(Source::parse_lenient)
            }),
            default_day: event.and_then(|event| event.held_on).unwrap_or(now.date()),
            staff_lang,
        }
    }
}

/// Who stored the rows and how, as the audit log names them: `action` is
/// `paper_rows_entered` for typed rows and `paper_imported` for a file.
#[derive(Debug, Clone, Copy)]
pub struct Audited<'a> {
    pub actor: &'a str,
    pub action: &'a str,
}

/// New rows stored per transaction. A transaction holds SQLite's one writer for its whole
/// length, and signers wait behind it: 20,000 rows in one turned signers away with "database
/// is locked"; 500 take milliseconds.
const ROWS_PER_TRANSACTION: usize = 500;

/// Checks the rows and stores the new ones, a few hundred per transaction so that signing
/// goes on meanwhile, then writes one audit line saying what the batch received. Should
/// storing fail part-way, the rows stored so far stay in the batch, which staff can undo as
/// a whole. The audit line is written after the rows: should it fail, the rows stay and the
/// failure is logged. The summary says what happened to each row.
pub fn import_audited(
    conn: &mut Connection,
    batch: &Batch<'_>,
    rows: &[SheetRow],
    by: Audited<'_>,
    now: NaiveDateTime,
) -> QueryResult<Summary> {
    let (summary, accepted) = check(conn, batch, rows, now)?;
    store_audited(conn, batch, summary, accepted, by, now)
}

/// `store`, then the audit line, for a caller that checked first (and made the batch only
/// once there was something new).
pub fn store_audited(
    conn: &mut Connection,
    batch: &Batch<'_>,
    summary: Summary,
    accepted: Vec<InPersonSignature>,
    by: Audited<'_>,
    now: NaiveDateTime,
) -> QueryResult<Summary> {
    let summary = store(conn, batch.event_id, summary, accepted, now)?;
    let detail = format!(
        "campaign={} event={} new={} duplicates={} invalid={}",
        batch.campaign.slug, batch.event_id, summary.new, summary.duplicates, summary.invalid
    );
    if let Err(error) = audit::record(conn, by.actor, by.action, &detail, now) {
        tracing::error!(error = ?error, "could not write to the audit log");
    }
    Ok(summary)
}

/// Stores the rows `check` accepted into the batch `event_id`.
fn store(
    conn: &mut Connection,
    event_id: i64,
    mut summary: Summary,
    mut accepted: Vec<InPersonSignature>,
    now: NaiveDateTime,
) -> QueryResult<Summary> {
    for signature in &mut accepted {
        signature.event_id = event_id;
    }
    let mut new_rows: Vec<&mut RowReport> = summary
        .rows
        .iter_mut()
        .filter(|report| report.outcome == Outcome::New)
        .collect();
    let mut later_duplicates = 0;
    for (reports, signatures) in new_rows
        .chunks_mut(ROWS_PER_TRANSACTION)
        .zip(accepted.chunks(ROWS_PER_TRANSACTION))
    {
        later_duplicates += write_transaction(conn, |conn| {
            let mut duplicates = 0;
            // Another writer may have stored the same person since the check.
            let recorded = in_person::record_all(conn, signatures, now)?;
            for (report, recorded) in reports.iter_mut().zip(recorded) {
                if let InPersonRecorded::AlreadyCounted { signature_id } = recorded {
                    report.outcome = Outcome::AlreadySigned {
                        signature: signature_id,
                    };
                    duplicates += 1;
                }
            }
            Ok(duplicates)
        })?;
    }
    summary.new -= later_duplicates;
    summary.duplicates += later_duplicates;
    if later_duplicates > 0 {
        describe_earlier(conn, &mut summary)?;
    }
    if accepted.len() >= ROWS_PER_TRANSACTION {
        // A large batch changes what the planner should expect; refresh its statistics now
        // rather than at the next hourly pass.
        crate::db::Database::analyze(conn)?;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};

    use super::*;
    use crate::db::testing::{Recorder, ScratchPostgres};
    use crate::db::{Database, DatabaseUrl, campaigns};
    use crate::domain::SignatureInput;

    /// A name of letters only for row `n`, since names with digits are refused.
    fn name(mut n: usize) -> String {
        let mut name = String::from("Ana");
        loop {
            name.push(char::from(b'a' + (n % 26) as u8));
            n /= 26;
            if n == 0 {
                return name;
            }
        }
    }

    /// A fresh SQLite database with a campaign and an event, both of id 1.
    fn campaign_with_event() -> (tempfile::TempDir, Connection, Campaign) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (conn, campaign) =
            campaign_with_event_at(&DatabaseUrl::Sqlite(dir.path().join("paper.db")));
        (dir, conn, campaign)
    }

    /// The database at `url`, migrated, with a campaign and an event, both of id 1.
    fn campaign_with_event_at(url: &DatabaseUrl) -> (Connection, Campaign) {
        let db = Database::open(url, 2).expect("the database opens");
        db.migrate().expect("migrations apply");
        let mut conn = db.dedicated_connection().expect("a connection");
        conn.batch_execute(
            "INSERT INTO campaigns (id, slug, default_lang, goal, default_country, created_at, updated_at)
                 VALUES (1, 'paper', 'es', 100, 'MX', '2026-11-01 00:00:00', '2026-11-01 00:00:00');
             INSERT INTO events (id, campaign_id, name, created_at)
                 VALUES (1, 1, 'Feria', '2026-11-01 00:00:00');",
        )
        .expect("a campaign and an event");
        let campaign = campaigns::find_by_id(&mut conn, 1)
            .expect("the campaign reads")
            .expect("the campaign exists")
            .campaign;
        (conn, campaign)
    }

    fn batch(campaign: &Campaign, now: NaiveDateTime) -> Batch<'_> {
        Batch {
            campaign,
            event_id: 1,
            source: None,
            default_day: now.date(),
            staff_lang: Lang::Es,
        }
    }

    fn row(line: u64, first_name: &str, email: &str) -> SheetRow {
        SheetRow {
            line,
            input: SignatureInput {
                first_name: first_name.into(),
                last_name: "Papel".into(),
                email: email.into(),
                country: "MX".into(),
                postal_code: "39090".into(),
                email_opt_in: false,
                partner_opt_in: false,
                comment: String::new(),
                source: String::new(),
            },
            signed_on: Ok(None),
            opt_in: Ok(false),
        }
    }

    #[test]
    fn a_preview_counts_a_person_written_with_and_without_an_email_once() {
        let (_dir, mut conn, campaign) = campaign_with_event();
        let now = chrono::Utc::now().naive_utc();
        let rows = [
            row(2, "Rosa", "rosa@example.org"),
            row(3, "Rosa", ""),
            row(4, "Rosa", "otra.rosa@example.org"),
        ];

        let (summary, accepted) =
            check(&mut conn, &batch(&campaign, now), &rows, now).expect("the check");

        // The row without an email is the person of line 2; a second email is someone else.
        assert_eq!(summary.headline(), "2 new, 1 duplicate, 0 invalid");
        assert_eq!(summary.rows[1].outcome, Outcome::SameAsLine { line: 2 });
        assert_eq!(accepted.len(), 2);
    }

    #[test]
    fn a_large_import_looks_its_rows_up_a_batch_at_a_time() {
        let (_dir, mut conn, campaign) = campaign_with_event();
        let now = chrono::Utc::now().naive_utc();
        let rows: Vec<SheetRow> = (0..1200).map(|n| row(n as u64 + 2, &name(n), "")).collect();
        let recorder = Recorder::default();
        diesel::Connection::set_instrumentation(&mut conn, recorder.clone());
        let by = Audited {
            actor: "staff@example.org",
            action: "paper.import",
        };

        let summary =
            import_audited(&mut conn, &batch(&campaign, now), &rows, by, now).expect("the import");

        assert_eq!(summary.headline(), "1200 new, 0 duplicates, 0 invalid");
        let statements = recorder.0.lock().expect("the recorder");
        let lookups = statements
            .iter()
            .filter(|sql| sql.starts_with("SELECT") && sql.contains("`signatures`"))
            .count();
        assert!(
            lookups <= 20,
            "{lookups} lookups in signatures for 1200 rows: each row looked up alone"
        );
    }

    #[test]
    fn a_large_import_stores_every_row_without_holding_the_writer_for_all_of_them() {
        let (_dir, mut conn, campaign) = campaign_with_event();
        let now = chrono::Utc::now().naive_utc();
        let batch = batch(&campaign, now);
        let rows: Vec<SheetRow> = (0..1200).map(|n| row(n as u64 + 2, &name(n), "")).collect();
        let recorder = Recorder::default();
        diesel::Connection::set_instrumentation(&mut conn, recorder.clone());

        let by = Audited {
            actor: "staff@example.org",
            action: "paper.import",
        };
        let summary = import_audited(&mut conn, &batch, &rows, by, now).expect("the import");

        assert_eq!(summary.headline(), "1200 new, 0 duplicates, 0 invalid");
        let statements = recorder.0.lock().expect("the recorder");
        let (mut largest, mut current) = (0, 0);
        for sql in statements.iter() {
            if sql.starts_with("BEGIN") {
                current = 0;
            } else if sql.starts_with("INSERT INTO `signatures`") {
                current += 1;
                largest = largest.max(current);
            }
        }
        assert!(
            largest <= 500,
            "one transaction stored {largest} rows, keeping signers waiting"
        );
    }

    #[test]
    fn a_large_import_on_postgres_stores_a_transactions_rows_in_one_statement() {
        let Some(database) = ScratchPostgres::create("paper_import") else {
            eprintln!("an import on PostgreSQL needs MARIPOSA_TEST_POSTGRES");
            return;
        };
        let (mut conn, campaign) = campaign_with_event_at(&database.url());
        let now = chrono::Utc::now().naive_utc();
        let rows: Vec<SheetRow> = (0..1200)
            .map(|n| {
                let email = if n % 2 == 0 {
                    format!("{}@example.org", name(n))
                } else {
                    String::new()
                };
                row(n as u64 + 2, &name(n), &email)
            })
            .collect();
        let recorder = Recorder::default();
        diesel::Connection::set_instrumentation(&mut conn, recorder.clone());
        let by = Audited {
            actor: "staff@example.org",
            action: "paper.import",
        };

        let summary =
            import_audited(&mut conn, &batch(&campaign, now), &rows, by, now).expect("the import");

        assert_eq!(summary.headline(), "1200 new, 0 duplicates, 0 invalid");
        let inserts = recorder
            .0
            .lock()
            .expect("the recorder")
            .iter()
            .filter(|sql| sql.starts_with("INSERT INTO \"signatures\""))
            .count();
        assert!(
            inserts <= 3,
            "{inserts} inserts for 1200 rows in 3 transactions: a round trip per row"
        );
        let stored: i64 = crate::db::schema::signatures::table
            .filter(crate::db::schema::signatures::event_id.eq(1))
            .count()
            .get_result(&mut conn)
            .expect("the count");
        assert_eq!(stored, 1200);
    }
}
