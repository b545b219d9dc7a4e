//! Every query on `signatures` that a request runs, checked on a filled database: each
//! must find its rows through an index. A scan costs nothing on an empty database and
//! seconds on a campaign of a million signers, so it shows only here. A new query a request
//! runs is added to `REQUEST_QUERIES`, beside the others.

use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::connection::{Instrumentation, InstrumentationEvent, SimpleConnection};
use diesel::prelude::*;
use diesel::sql_types::Text;

use super::delivery::{self, Section, Split};
use super::reports::{self, SignatureFilter};
use super::{Connection, Database, DatabaseUrl, in_person, privacy, review, signatures, updates};
use crate::domain::{
    Channel, Conditions, ConfirmationKey, FormRules, InPersonPlace, InPersonSignature, Lang,
    NewSignature, SignatureInput, SignedAt, UpdateDraft,
};

/// Signatures per campaign in the filled database: enough that scanning one campaign
/// costs more than any index to both planners, once they have statistics.
const FILL: u32 = 20_000;

/// What the queries below are run with: a campaign among others, filled.
struct Fixture {
    campaign_id: i64,
    now: NaiveDateTime,
}

type Query = fn(&mut Connection, &Fixture) -> QueryResult<()>;

/// Each query a request runs on `signatures`, named by what a person does.
const REQUEST_QUERIES: &[(&str, Query)] = &[
    ("signing online, then confirming", sign_and_confirm),
    ("signing again with the same email", sign_twice),
    (
        "a paper row or kiosk entry with an email",
        in_person_with_email,
    ),
    (
        "a paper row or kiosk entry without an email",
        in_person_without_email,
    ),
    (
        "a paper import checking and storing its rows a batch at a time",
        paper_import,
    ),
    ("staff resending a confirmation email", resend),
    ("erasing a signer on request", erase),
    ("a signer opting out of emails", opt_out),
    ("staff paging through the signatures", signature_page),
    ("a delivery pack reading its signers", delivery_page),
    ("an update queueing its next recipients", update_recipients),
    (
        "the review page counting the last week by hour",
        review_hours,
    ),
    ("an invalidation taking its next batch", invalidation_batch),
    ("the review page previewing a search", review_preview),
    (
        "the review page counting flagged signatures",
        review_flagged,
    ),
    (
        "a delivery manifest listing standing invalidations",
        review_standing,
    ),
];

fn input(first: &str, email: &str) -> SignatureInput {
    SignatureInput {
        first_name: first.into(),
        last_name: "Plan".into(),
        email: email.into(),
        country: "MX".into(),
        postal_code: "39090".into(),
        email_opt_in: true,
        partner_opt_in: false,
        comment: String::new(),
        source: String::new(),
    }
}

fn rules(fixture: &Fixture) -> FormRules {
    FormRules {
        campaign_id: fixture.campaign_id,
        postal_code_required: false,
    }
}

fn online(fixture: &Fixture, email: &str) -> NewSignature {
    NewSignature::parse(&input("Ana", email), rules(fixture), Lang::Es).expect("a valid signature")
}

fn in_person_signature(fixture: &Fixture, first: &str, email: &str) -> InPersonSignature {
    let place = InPersonPlace {
        event_id: 1,
        channel: Channel::Paper,
        source: None,
    };
    InPersonSignature::parse(
        &input(first, email),
        rules(fixture),
        place,
        Lang::Es,
        SignedAt::received(fixture.now),
    )
    .expect("a valid signature")
}

fn sign_and_confirm(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let token = ConfirmationKey::derive(b"plans")
        .issue()
        .expect("randomness");
    signatures::record(
        conn,
        &online(fixture, "new@plan.example.org"),
        &token,
        fixture.now,
    )?;
    signatures::token_state(conn, &token.hash, fixture.now)?;
    signatures::confirm(conn, &token.hash, fixture.now)?;
    Ok(())
}

fn sign_twice(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let token = ConfirmationKey::derive(b"plans")
        .issue()
        .expect("randomness");
    signatures::record(
        conn,
        &online(fixture, "f7@fill.example.org"),
        &token,
        fixture.now,
    )?;
    Ok(())
}

fn in_person_with_email(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let signature = in_person_signature(fixture, "Beatriz", "beatriz@plan.example.org");
    in_person::record(conn, &signature, fixture.now)?;
    Ok(())
}

fn in_person_without_email(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let signature = in_person_signature(fixture, "Carmen", "");
    in_person::record(conn, &signature, fixture.now)?;
    Ok(())
}

/// A batch as an import checks it: hundreds of keys in one query change the planner's sums
/// (with 500 emails, SQLite preferred reading the whole campaign to 500 lookups).
fn paper_import(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let rows: Vec<InPersonSignature> = (0..500)
        .map(|n| {
            let first = format!("Dolores{}", letters(n));
            let email = if n % 2 == 0 {
                format!("{first}@plan.example.org")
            } else {
                String::new()
            };
            in_person_signature(fixture, &first, &email)
        })
        .collect();
    in_person::duplicates_of(conn, &rows)?;
    in_person::record_all(conn, &rows, fixture.now)?;
    Ok(())
}

/// Letters for `n`, since names with digits are refused.
fn letters(mut n: usize) -> String {
    let mut letters = String::new();
    loop {
        letters.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            return letters;
        }
    }
}

fn resend(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let token = ConfirmationKey::derive(b"plans")
        .issue()
        .expect("randomness");
    signatures::resend_confirmation(
        conn,
        fixture.campaign_id,
        "f8@fill.example.org",
        &token,
        fixture.now,
    )?;
    Ok(())
}

fn erase(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    privacy::erase_email(
        conn,
        "f9@fill.example.org",
        Some(fixture.campaign_id),
        fixture.now,
    )?;
    Ok(())
}

fn opt_out(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    privacy::opt_out(conn, 10, fixture.now)?;
    Ok(())
}

fn signature_page(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let filter = SignatureFilter {
        campaign_id: fixture.campaign_id,
        status: reports::Status::All,
        from: None,
        to: None,
        source: None,
        consented_to: None,
    };
    reports::signature_page(conn, &filter, 100, 50)?;
    Ok(())
}

fn delivery_page(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let section = Section {
        key: None,
        signers: 0,
    };
    delivery::signers(conn, fixture.campaign_id, Split::None, &section, 100, 500)?;
    Ok(())
}

fn update_recipients(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let draft = UpdateDraft::parse(&[(Lang::Es, "Entregamos", "Gracias")], Lang::Es)
        .expect("a valid update");
    let id = updates::create(conn, fixture.campaign_id, &draft, "plans", fixture.now)?;
    updates::request_send(
        conn,
        fixture.campaign_id,
        id,
        "plans",
        true,
        fixture.now,
        fixture.now,
    )?;
    updates::queue_recipients(conn, 500, fixture.now)?;
    Ok(())
}

fn review_hours(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    review::hourly_counts(conn, fixture.campaign_id, fixture.now - TimeDelta::days(8))?;
    Ok(())
}

fn invalidation_batch(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let conditions = wave_search();
    let id = review::create_invalidation(
        conn,
        fixture.campaign_id,
        "{}",
        "plans",
        "plans",
        fixture.now,
    )?;
    let invalidation = review::invalidation(conn, fixture.campaign_id, id)?.expect("just made");
    review::run_batch(conn, &invalidation, &conditions, fixture.now)?;
    Ok(())
}

fn wave_search() -> Conditions {
    Conditions {
        domain: Some("fill.example.org".into()),
        from: NaiveDate::from_ymd_opt(2026, 10, 1).and_then(|d| d.and_hms_opt(0, 0, 0)),
        until: NaiveDate::from_ymd_opt(2026, 10, 2).and_then(|d| d.and_hms_opt(0, 0, 0)),
        ..Conditions::default()
    }
}

fn review_preview(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    review::matching_count(conn, fixture.campaign_id, &wave_search())?;
    review::sample(conn, fixture.campaign_id, &wave_search(), 10)?;
    Ok(())
}

fn review_flagged(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    review::flagged(conn, fixture.campaign_id)?;
    Ok(())
}

fn review_standing(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let id = review::create_invalidation(
        conn,
        fixture.campaign_id,
        "{}",
        "plans",
        "plans",
        fixture.now,
    )?;
    let invalidation = review::invalidation(conn, fixture.campaign_id, id)?.expect("just made");
    review::run_batch(conn, &invalidation, &wave_search(), fixture.now)?;
    review::standing(conn, fixture.campaign_id)?;
    Ok(())
}

/// Records the SQL of every statement a connection runs, without its bound values.
#[derive(Clone, Default)]
pub(crate) struct Recorder(pub(crate) Arc<Mutex<Vec<String>>>);

impl Instrumentation for Recorder {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            let text = query.to_string();
            let sql = text
                .rsplit_once(" -- binds: ")
                .map_or(text.as_str(), |(sql, _)| sql);
            if let Ok(mut statements) = self.0.lock() {
                statements.push(sql.to_owned());
            }
        }
    }
}

#[derive(QueryableByName)]
struct SqlitePlanLine {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PostgresPlanLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

/// The plan each backend would run `sql` with, one line per step, as the statement is
/// prepared without its values. PostgreSQL is asked for the generic plan, the one it
/// keeps for prepared statements such as Diesel's.
fn explain(conn: &mut Connection, sql: &str) -> QueryResult<Vec<String>> {
    match conn {
        Connection::Sqlite(conn) => Ok(diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<SqlitePlanLine>(conn)?
            .into_iter()
            .map(|line| line.detail)
            .collect()),
        Connection::Postgres(conn) => {
            // The highest `$n`: a hand-written union reads the same parameter in each part.
            let count = sql
                .split('$')
                .skip(1)
                .filter_map(|rest| {
                    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    digits.parse::<usize>().ok()
                })
                .max()
                .unwrap_or(0);
            let parameters = (1..=count).map(|_| "NULL").collect::<Vec<_>>().join(", ");
            conn.batch_execute(&format!(
                "SET plan_cache_mode = force_generic_plan; PREPARE plan_probe AS {sql}"
            ))?;
            let execute = if parameters.is_empty() {
                "EXPLAIN EXECUTE plan_probe".to_owned()
            } else {
                format!("EXPLAIN EXECUTE plan_probe({parameters})")
            };
            let lines = diesel::sql_query(execute).load::<PostgresPlanLine>(conn);
            conn.batch_execute("DEALLOCATE plan_probe; RESET plan_cache_mode")?;
            Ok(lines?.into_iter().map(|line| line.line).collect())
        }
    }
}

/// Partial indexes whose predicate holds for few rows of a campaign (flagged signatures):
/// a search on the campaign alone through one reads those rows, not the campaign. Not
/// every partial index: `signatures_network_kept` holds a month of signing.
const FEW_ROW_INDEXES: &[&str] = &["signatures_flagged"];

/// Whether a plan reads every row of `signatures`, or every (confirmed) row of a campaign:
/// an index on the campaign alone narrows nothing on a campaign that fills the database.
/// SQLite writes `SCAN signatures` or `SEARCH signatures USING INDEX i (conditions)`;
/// PostgreSQL `Seq Scan on signatures`, or a scan of an index followed by `Index Cond:`.
fn reads_too_much(plan: &[String]) -> bool {
    let through_partial = |step: &str| {
        FEW_ROW_INDEXES.iter().any(|name| {
            step.contains(&format!("INDEX {name} ")) || step.contains(&format!(" {name} "))
        })
    };
    let broad = |conditions: &str| {
        conditions
            .split(" AND ")
            .all(|part| part.contains("campaign_id") || part.contains("confirmed_at"))
    };
    let mut on_signatures = false;
    for line in plan {
        let step = line.trim_start_matches(|c: char| !c.is_ascii_alphabetic());
        if step.starts_with("SCAN signatures") || step.contains("Seq Scan on signatures") {
            return true;
        }
        if through_partial(step) {
            on_signatures = false;
            continue;
        }
        if let Some(rest) = step.strip_prefix("SEARCH signatures USING ") {
            let conditions = rest.split_once('(').map_or("", |(_, c)| c);
            if broad(conditions.trim_end_matches(')')) {
                return true;
            }
        }
        if step.contains(" Scan") {
            on_signatures = step.contains(" on signatures");
        } else if let Some(conditions) = step.strip_prefix("Index Cond: ")
            && on_signatures
            && broad(conditions)
        {
            return true;
        }
    }
    false
}

/// Two campaigns of `FILL` confirmed signatures each, signed over two months, a tenth of
/// them on paper without an email, as a campaign fills in real life.
fn fill(conn: &mut Connection) -> QueryResult<()> {
    let rows = 2 * FILL;
    let (sqlite, rows) = match conn {
        Connection::Sqlite(_) => (
            true,
            format!(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})"
            ),
        ),
        Connection::Postgres(_) => (
            false,
            format!("WITH n(i) AS (SELECT generate_series(1, {rows}))"),
        ),
    };
    let (yes, at, confirmed) = if sqlite {
        (
            "1",
            "datetime('2026-10-01', '+' || (i % 86400) || ' minutes')",
            "datetime('2026-10-01', '+' || (i % 86400 + 5) || ' minutes')",
        )
    } else {
        (
            "TRUE",
            "TIMESTAMP '2026-10-01' + (i % 86400) * INTERVAL '1 minute'",
            "TIMESTAMP '2026-10-01' + (i % 86400 + 5) * INTERVAL '1 minute'",
        )
    };
    let now = if sqlite { "datetime('now')" } else { "now()" };
    conn.batch_execute(&format!(
        "INSERT INTO campaigns (id, slug, default_lang, goal, default_country, created_at, updated_at)
             VALUES (1, 'plan-one', 'es', 100, 'MX', {now}, {now}), (2, 'plan-two', 'es', 100, 'MX', {now}, {now});
         INSERT INTO events (id, campaign_id, name, created_at) VALUES (1, 1, 'Feria', {now});
         {rows}
         INSERT INTO signatures (campaign_id, first_name, last_name, email, email_canonical,
             country, postal_code, email_opt_in, lang, consent_version, created_at, confirmed_at,
             channel, person_key)
         SELECT 1 + i % 2, 'Ana', 'Fill' || i,
             CASE WHEN i % 10 = 0 THEN '' ELSE 'f' || (i / 2) || '@fill.example.org' END,
             CASE WHEN i % 10 = 0 THEN 'person:ana fill' || i || '|39090|MX'
                  ELSE 'f' || (i / 2) || '@fill.example.org' END,
             'MX', '39090', {yes}, 'es', '1', {at}, {confirmed},
             CASE WHEN i % 10 = 0 THEN 'paper' ELSE 'online' END,
             'ana fill' || i || '|39090|MX'
         FROM n;"
    ))
}

/// Runs every request query on a filled database at `url`, analysed as the server
/// analyses at start, and lists each statement that scans `signatures`.
fn scans_on(url: &DatabaseUrl) -> Vec<String> {
    let db = Database::open(url, 2).expect("the database opens");
    db.migrate().expect("migrations apply");
    let mut conn = db.dedicated_connection().expect("a connection");
    fill(&mut conn).expect("the database fills");
    Database::analyze(&mut conn).expect("statistics");
    let fixture = Fixture {
        campaign_id: 1,
        now: chrono::Utc::now().naive_utc(),
    };
    let recorder = Recorder::default();
    diesel::Connection::set_instrumentation(&mut conn, recorder.clone());
    let mut scans = Vec::new();
    for (name, query) in REQUEST_QUERIES {
        recorder.0.lock().expect("the recorder").clear();
        query(&mut conn, &fixture).unwrap_or_else(|e| panic!("{name}: {e}"));
        let statements = std::mem::take(&mut *recorder.0.lock().expect("the recorder"));
        // Diesel quotes names with backticks on SQLite, double quotes on PostgreSQL; the
        // review's hand-written counts name the table bare.
        let on_signatures: Vec<&String> = statements
            .iter()
            .filter(|sql| {
                sql.contains("\"signatures\"")
                    || sql.contains("`signatures`")
                    || sql.contains("FROM signatures")
            })
            .collect();
        assert!(
            !on_signatures.is_empty(),
            "{name} ran no query on signatures"
        );
        for sql in on_signatures {
            let plan = explain(&mut conn, sql).unwrap_or_else(|e| panic!("{name}: {e}: {sql}"));
            if reads_too_much(&plan) {
                scans.push(format!("{name}: {sql}\n    {}", plan.join("\n    ")));
            }
        }
    }
    scans
}

#[test]
fn request_queries_use_an_index_on_sqlite() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = DatabaseUrl::Sqlite(dir.path().join("plans.db"));
    let scans = scans_on(&url);
    assert!(
        scans.is_empty(),
        "queries that read all of a campaign's signatures or more:\n{}",
        scans.join("\n")
    );
}

#[test]
fn request_queries_use_an_index_on_postgres() {
    let Ok(server) = std::env::var("MARIPOSA_TEST_POSTGRES") else {
        eprintln!("the PostgreSQL query plans need MARIPOSA_TEST_POSTGRES");
        return;
    };
    let name = format!("mariposa_plans_{}", std::process::id());
    let admin = DatabaseUrl::Postgres(format!("{}/postgres", server.trim_end_matches('/')));
    let mut admin = admin.connect().expect("the PostgreSQL server answers");
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .and_then(|()| admin.batch_execute(&format!("CREATE DATABASE {name}")))
        .expect("a database of the test's own");
    let url = DatabaseUrl::Postgres(format!("{}/{name}", server.trim_end_matches('/')));
    let scans = scans_on(&url);
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .expect("the database goes");
    assert!(
        scans.is_empty(),
        "queries that read all of a campaign's signatures or more:\n{}",
        scans.join("\n")
    );
}
