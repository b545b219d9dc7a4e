//! Every query on `signatures` that a request runs, checked on a filled database: each
//! must find its rows through an index. A scan costs nothing on an empty database and
//! seconds on a campaign of a million signers, so it shows only here. A new query a request
//! runs is added to `REQUEST_QUERIES`, beside the others.

mod queries;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

use super::testing::{Recorder, ScratchPostgres};
use super::{Connection, Database, DatabaseUrl};
use queries::{Fixture, REQUEST_QUERIES};

/// Signatures per campaign in the filled database: enough that scanning one campaign
/// costs more than any index to both planners, once they have statistics.
const FILL: u32 = 20_000;

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
    let Some(database) = ScratchPostgres::create("plans") else {
        eprintln!("the PostgreSQL query plans need MARIPOSA_TEST_POSTGRES");
        return;
    };
    let scans = scans_on(&database.url());
    assert!(
        scans.is_empty(),
        "queries that read all of a campaign's signatures or more:\n{}",
        scans.join("\n")
    );
}
