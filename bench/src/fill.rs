//! `--fill N`: the same measurements on an empty campaign and on one filled with N
//! confirmed signatures, as a successful campaign fills it, side by side in one sitting.
//!
//! The fill is a bulk path that writes the rows real signing leaves: confirmed online
//! signatures with canonical emails, person keys, confirmation tokens and sent emails,
//! spread over eight weeks, with a twentieth on paper without an email and a fiftieth at a
//! kiosk, each of those in its event. It runs with the database's own shell while the
//! server is stopped, in one transaction; the server then starts on it as after an upgrade.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::invalidation::{self, Invalidated};
use crate::load::{self, Outcome, Workload};
use crate::processes::{self, Database, Server, SmtpSink};
use crate::{Args, Backend, MB, Machine, Signed, median_of, sign_phase, thousands, warm_up};

/// Pending signatures made ready to confirm, each with a link of its own.
const PENDING: usize = 4000;
/// Kiosks that sign at once, and signatures each sends (a kiosk's burst allows 30).
const KIOSKS: usize = 8;
const PER_KIOSK: u64 = 25;
/// Rows of the paper sheet file imported while people sign.
const PAPER_ROWS: usize = 20_000;

/// What one database gave.
struct Figures {
    fill: Duration,
    signing: Signed,
    confirmations: Outcome,
    kiosks: Outcome,
    history: Outcome,
    import: Timed,
    signing_during_import: Signed,
    invalidation: Invalidated,
    signing_during_invalidation: Signed,
    pack: Timed,
    server_peak: u64,
}

/// A command-line run: how long it took and the most memory it held.
struct Timed {
    elapsed: Duration,
    peak_kib: u64,
    output: String,
}

pub fn compare(
    args: &Args,
    dir: &Path,
    postgres: Option<&str>,
    machine: &Machine,
) -> anyhow::Result<()> {
    let n = args.fill.unwrap_or(0);
    let empty = measure(args, dir, postgres, "empty", 0)?;
    let full = measure(args, dir, postgres, "full", n)?;
    let rows = table(&empty, &full, n);
    println!();
    println!(
        "Empty and full ({} confirmed signatures, filled in {:.0} s) campaign, {}, group commit on.",
        thousands(n as f64),
        full.fill.as_secs_f64(),
        if postgres.is_some() {
            "PostgreSQL (default settings)"
        } else {
            "SQLite"
        }
    );
    println!();
    println!(
        "Machine: {} CPUs ({}); load average {} before, {} after; disk flush median {:.1} ms",
        machine.cpus,
        machine.cpu_model,
        machine.load_before,
        crate::load_average(),
        machine.flush_median_ms
    );
    println!();
    println!("| figure | empty | full | full / empty | target (full) |");
    println!("| --- | ---: | ---: | ---: | --- |");
    for row in rows {
        println!(
            "| {} | {} | {} | {} | {} |",
            row.0, row.1, row.2, row.3, row.4
        );
    }
    Ok(())
}

fn measure(
    args: &Args,
    dir: &Path,
    postgres: Option<&str>,
    label: &str,
    n: u64,
) -> anyhow::Result<Figures> {
    eprintln!("== {label} campaign ({n} signatures)");
    let run_dir = dir.join(label);
    std::fs::create_dir_all(&run_dir)?;
    let db = match postgres {
        Some(server) => processes::create_postgres_database(server, &crate::database_name(label))?,
        None => Database::Sqlite(run_dir.join("mariposa.db")),
    };
    let sink = SmtpSink::start(&run_dir)?;
    // The first start migrates and seeds the campaign; the fill goes in while it is stopped.
    let first = Server::start(&args.server, &run_dir, &db, sink.addr, true)?;
    warm_up(&first, &format!("/campaigns/{}", args.slug))?;
    first.stop()?;
    let campaign = db.count(&format!(
        "SELECT id FROM campaigns WHERE slug = '{}'",
        args.slug.replace('\'', "''")
    ))?;
    let started = Instant::now();
    if n > 0 {
        db.execute(&fill_sql(&db, campaign, n))?;
    }
    let fill = started.elapsed();
    let tokens = pending(&db, campaign, label)?;
    eprintln!(
        "   filled in {:.1} s; {} signatures",
        fill.as_secs_f64(),
        db.count("SELECT COUNT(*) FROM signatures")?
    );

    let server = Server::start(&args.server, &run_dir, &db, sink.addr, true)?;
    warm_up(&server, &format!("/campaigns/{}", args.slug))?;
    let signing = sign_phase(args, std::slice::from_ref(&server), &format!("{label}1"))?;

    let confirmations = load::run(
        &[server.addr],
        &Workload::PostEach {
            paths: Arc::new(tokens.iter().map(|t| format!("/confirm/{t}")).collect()),
        },
        args.connections,
        Duration::from_secs(args.read_seconds * 4),
        args.threads,
    )?;
    report("confirmations", &confirmations);

    let secrets = kiosks(args, &db, &run_dir)?;
    let kiosks = load::run(
        &[server.addr],
        &Workload::Kiosk {
            secrets: Arc::new(secrets),
            per_kiosk: PER_KIOSK,
            run: label.into(),
        },
        KIOSKS,
        Duration::from_secs(args.read_seconds * 4),
        args.threads,
    )?;
    report("kiosk signatures", &kiosks);

    let (history, _) = median_of(
        args,
        &server,
        &format!("/api/v1/campaigns/{}/history?interval=hour", args.slug),
    )?;

    let sheet = run_dir.join("sheet.csv");
    std::fs::write(&sheet, paper_sheet(label))?;
    let mut import = cli(args, &db, &run_dir);
    import
        .args(["paper", "import", &args.slug])
        .arg(&sheet)
        .args(["--event", "Bench paper"]);
    let importing = std::thread::spawn(move || timed(import));
    let signing_during_import =
        sign_phase(args, std::slice::from_ref(&server), &format!("{label}p"))?;
    let import = importing
        .join()
        .map_err(|_| anyhow::anyhow!("the import thread panicked"))??;
    eprintln!(
        "   paper import: {:.1} s, {}",
        import.elapsed.as_secs_f64(),
        import.output.trim()
    );
    let wave = invalidation::start(&db, campaign)?;
    let signing_during_invalidation =
        sign_phase(args, std::slice::from_ref(&server), &format!("{label}i"))?;
    let invalidation = wave.stop()?;
    eprintln!(
        "   invalidation: {} rows in {:.1} s{}",
        invalidation.rows,
        invalidation.elapsed.as_secs_f64(),
        if invalidation.finished {
            ", finished"
        } else {
            ", cancelled unfinished"
        }
    );
    let server_peak = server.peak_memory()?;
    server.stop()?;
    sink.stop()?;

    let mut delivery = cli(args, &db, &run_dir);
    delivery
        .args(["delivery", &args.slug, "--output"])
        .arg(run_dir.join("pack.pdf"));
    let pack = timed(delivery)?;
    eprintln!(
        "   delivery pack: {:.1} s, peak {:.0} MB",
        pack.elapsed.as_secs_f64(),
        pack.peak_kib as f64 / 1024.0
    );
    Ok(Figures {
        fill,
        signing,
        confirmations,
        kiosks,
        history,
        import,
        signing_during_import,
        invalidation,
        signing_during_invalidation,
        pack,
        server_peak,
    })
}

fn report(what: &str, outcome: &Outcome) {
    eprintln!(
        "   {what}: {} in {:.1} s, p99 {:.1} ms, {} busy, {} errors",
        outcome.ok,
        outcome.elapsed.as_secs_f64(),
        outcome.percentile_ms(99.0),
        outcome.busy,
        outcome.errors
    );
}

/// The bulk fill: `n` confirmed signatures of the campaign, with what signing leaves
/// beside them, in one transaction.
fn fill_sql(db: &Database, campaign: u64, n: u64) -> String {
    let postgres = matches!(db, Database::Postgres(_));
    let numbers = if postgres {
        format!("SELECT i::bigint AS i FROM generate_series(1, {n}) AS g(i)")
    } else {
        format!(
            "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < {n}) SELECT i FROM g"
        )
    };
    // Eight weeks up to now, evenly.
    let signed = if postgres {
        format!(
            "(now() AT TIME ZONE 'UTC') - INTERVAL '56 days' + (i * 4838400 / {n}) * INTERVAL '1 second'"
        )
    } else {
        format!("datetime('now', '-56 days', '+' || (i * 4838400 / {n}) || ' seconds')")
    };
    let confirmed = if postgres {
        format!("{signed} + INTERVAL '10 minutes'")
    } else {
        format!("datetime('now', '-56 days', '+' || (i * 4838400 / {n} + 600) || ' seconds')")
    };
    let expires = if postgres {
        "created_at + INTERVAL '30 days'"
    } else {
        "datetime(created_at, '+30 days')"
    };
    let now = if postgres {
        "(now() AT TIME ZONE 'UTC')"
    } else {
        "datetime('now')"
    };
    let (yes, no) = if postgres {
        ("TRUE", "FALSE")
    } else {
        ("1", "0")
    };
    format!(
        "BEGIN;
         INSERT INTO events (campaign_id, name, created_at, created_by)
             VALUES ({campaign}, 'Fill: paper', {now}, 'bench'), ({campaign}, 'Fill: kiosk', {now}, '');
         INSERT INTO signatures (campaign_id, first_name, last_name, email, email_canonical,
             country, postal_code, email_opt_in, source, lang, consent_version, created_at,
             confirmed_at, channel, event_id, person_key)
         SELECT {campaign}, 'Ana', 'Fill ' || i,
             CASE WHEN i % 20 = 0 THEN '' ELSE 'Fill.' || i || '@fill.example.org' END,
             CASE WHEN i % 20 = 0 THEN 'person:ana fill ' || i || '|39090|MX'
                  ELSE 'fill.' || i || '@fill.example.org' END,
             CASE WHEN i % 9 = 0 THEN 'BR' ELSE 'MX' END, '39090',
             CASE WHEN i % 3 = 0 THEN {yes} ELSE {no} END,
             CASE WHEN i % 7 = 0 THEN 'amnistia' END, 'es', '1', {signed}, {confirmed},
             CASE WHEN i % 20 = 0 THEN 'paper' WHEN i % 50 = 1 THEN 'kiosk' ELSE 'online' END,
             CASE WHEN i % 20 = 0 THEN (SELECT MIN(id) FROM events WHERE name = 'Fill: paper')
                  WHEN i % 50 = 1 THEN (SELECT MIN(id) FROM events WHERE name = 'Fill: kiosk') END,
             'ana fill ' || i || CASE WHEN i % 9 = 0 THEN '|39090|BR' ELSE '|39090|MX' END
         FROM ({numbers}) AS numbers;
         INSERT INTO confirmation_tokens (signature_id, token_hash, created_at, expires_at)
         SELECT id, 'fill-' || id, created_at, {expires} FROM signatures
         WHERE campaign_id = {campaign} AND channel = 'online' AND email LIKE '%@fill.example.org';
         INSERT INTO outbox (signature_id, kind, attempts, next_attempt_at, created_at, sent_at)
         SELECT id, 'confirm', 1, created_at, created_at, created_at FROM signatures
         WHERE campaign_id = {campaign} AND channel = 'online' AND email LIKE '%@fill.example.org';
         COMMIT;"
    )
}

/// `PENDING` signatures waiting for confirmation, as signing leaves them, and the link of
/// each: a token of the shape Mariposa issues, of which only the hash is stored.
fn pending(db: &Database, campaign: u64, label: &str) -> anyhow::Result<Vec<String>> {
    let postgres = matches!(db, Database::Postgres(_));
    let (now, expires, no) = if postgres {
        (
            "(now() AT TIME ZONE 'UTC')",
            "(now() AT TIME ZONE 'UTC') + INTERVAL '30 days'",
            "FALSE",
        )
    } else {
        ("datetime('now')", "datetime('now', '+30 days')", "0")
    };
    let tokens: Vec<String> = (0..PENDING)
        .map(|i| URL_SAFE_NO_PAD.encode(Sha256::digest(format!("bench {label} {i}"))))
        .collect();
    let mut sql = String::from("BEGIN;");
    for (i, token) in tokens.iter().enumerate() {
        let email = format!("pending.{label}.{i}@bench.example.org");
        let hash: String = Sha256::digest(token.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        sql.push_str(&format!(
            "INSERT INTO signatures (campaign_id, first_name, last_name, email, email_canonical,
                 country, postal_code, email_opt_in, lang, consent_version, created_at, person_key)
             VALUES ({campaign}, 'Carmen', 'Pendiente {i}', '{email}', '{email}', 'MX', '39090',
                 {no}, 'es', '1', {now}, 'carmen pendiente {i}|39090|MX');
             INSERT INTO confirmation_tokens (signature_id, token_hash, created_at, expires_at)
             VALUES ((SELECT id FROM signatures WHERE campaign_id = {campaign} AND email_canonical = '{email}'),
                 '{hash}', {now}, {expires});"
        ));
    }
    sql.push_str("COMMIT;");
    db.execute(&sql)?;
    Ok(tokens)
}

/// `mariposa` on the command line against `db`, in `dir` (where PostgreSQL runs keep files).
fn cli(args: &Args, db: &Database, dir: &Path) -> Command {
    // Absolute, since the command runs in `dir`.
    let server = std::fs::canonicalize(&args.server).unwrap_or_else(|_| args.server.clone());
    let mut command = Command::new(server);
    command
        .current_dir(dir)
        .env("MARIPOSA_DATABASE_URL", db.url())
        .env("MARIPOSA_SECRET_KEY", processes::BENCH_SECRET)
        .env("MARIPOSA_BASE_URL", "http://127.0.0.1");
    command
}

/// Creates `KIOSKS` kiosks with `mariposa kiosk create` and returns their secrets.
fn kiosks(args: &Args, db: &Database, dir: &Path) -> anyhow::Result<Vec<String>> {
    (0..KIOSKS)
        .map(|n| {
            let output = cli(args, db, dir)
                .args([
                    "kiosk",
                    "create",
                    &args.slug,
                    "--event",
                    &format!("Feria {n}"),
                ])
                .output()?;
            anyhow::ensure!(
                output.status.success(),
                "mariposa kiosk create failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let text = String::from_utf8(output.stdout)?;
            let start = text.find("/kiosk/").context("no kiosk link printed")? + "/kiosk/".len();
            Ok(text[start..]
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or_default()
                .to_owned())
        })
        .collect()
}

/// A paper sheet file of `PAPER_ROWS` people who have not signed yet, half without email.
fn paper_sheet(label: &str) -> String {
    let mut csv = String::from("first_name,last_name,email,country,postal_code\n");
    for i in 0..PAPER_ROWS {
        let email = if i % 2 == 0 {
            format!("papel.{label}.{i}@bench.example.org")
        } else {
            String::new()
        };
        csv.push_str(&format!("Lucía,{},{email},MX,39090\n", letters(i)));
    }
    csv
}

/// A surname of letters for row `n`: names with digits are refused, as on the form.
fn letters(mut n: usize) -> String {
    let mut name = String::from("Papel ");
    loop {
        name.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            return name;
        }
    }
}

/// Runs a command to its end, noting its peak memory as `export_of` does.
fn timed(mut command: Command) -> anyhow::Result<Timed> {
    let started = Instant::now();
    let child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    let mut peak_kib = 0u64;
    let pid = child.id();
    let reader = std::thread::spawn(move || child.wait_with_output());
    while !reader.is_finished() {
        if let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            let kib = text
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
                .unwrap_or(0);
            peak_kib = peak_kib.max(kib);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = reader
        .join()
        .map_err(|_| anyhow::anyhow!("the command's reader panicked"))??;
    let elapsed = started.elapsed();
    anyhow::ensure!(
        output.status.success(),
        "{:?} failed: {}",
        command.get_args().collect::<Vec<_>>(),
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(Timed {
        elapsed,
        peak_kib,
        output: String::from_utf8_lossy(&output.stdout).into_owned(),
    })
}

type TableRow = (String, String, String, String, String);

fn invalidated(invalidation: &Invalidated) -> String {
    format!(
        "{} rows in {:.1} s ({}/s){}",
        thousands(invalidation.rows as f64),
        invalidation.elapsed.as_secs_f64(),
        thousands(invalidation.per_second()),
        if invalidation.finished {
            ""
        } else {
            ", unfinished"
        }
    )
}

fn ms(outcome: &Outcome) -> String {
    format!(
        "p50 {:.1} ms, p99 {:.1} ms{}",
        outcome.percentile_ms(50.0),
        outcome.percentile_ms(99.0),
        if outcome.busy + outcome.errors > 0 {
            format!(", {} busy, {} errors", outcome.busy, outcome.errors)
        } else {
            String::new()
        }
    )
}

fn ratio(empty: f64, full: f64) -> String {
    if empty > 0.0 && empty.is_finite() && full.is_finite() {
        format!("{:.2}", full / empty)
    } else {
        "n/a".into()
    }
}

fn table(empty: &Figures, full: &Figures, n: u64) -> Vec<TableRow> {
    let signed = |s: &Signed| {
        format!(
            "{}/s (p99 {:.0} ms, {} busy)",
            thousands(s.per_second()),
            s.outcome.percentile_ms(99.0),
            s.outcome.busy
        )
    };
    let import_rate = |t: &Timed| PAPER_ROWS as f64 / t.elapsed.as_secs_f64();
    let p99 = |o: &Outcome| o.percentile_ms(99.0);
    vec![
        (
            format!(
                "durable signatures/s, {} connections",
                empty.signing.connections
            ),
            signed(&empty.signing),
            signed(&full.signing),
            ratio(empty.signing.per_second(), full.signing.per_second()),
            "≥ 0.8 of empty".into(),
        ),
        (
            format!(
                "confirmations ({} links, {} at once)",
                PENDING, empty.signing.connections
            ),
            ms(&empty.confirmations),
            ms(&full.confirmations),
            format!(
                "p99 {}",
                ratio(p99(&empty.confirmations), p99(&full.confirmations))
            ),
            "p99 ≤ 20 ms, no 503".into(),
        ),
        (
            format!("kiosk signatures ({KIOSKS} kiosks × {PER_KIOSK}, the kiosk's form)"),
            ms(&empty.kiosks),
            ms(&full.kiosks),
            format!("p99 {}", ratio(p99(&empty.kiosks), p99(&full.kiosks))),
            "p99 ≤ 20 ms".into(),
        ),
        (
            "count history, hourly (GET …/history?interval=hour)".into(),
            format!(
                "{}/s, {}",
                thousands(empty.history.per_second(empty.history.ok)),
                ms(&empty.history)
            ),
            format!(
                "{}/s, {}",
                thousands(full.history.per_second(full.history.ok)),
                ms(&full.history)
            ),
            format!(
                "p50 {}",
                ratio(
                    empty.history.percentile_ms(50.0),
                    full.history.percentile_ms(50.0)
                )
            ),
            "≤ 5 ms".into(),
        ),
        (
            format!(
                "paper import of {} rows while signing (mariposa paper import)",
                thousands(PAPER_ROWS as f64)
            ),
            format!("{:.0} rows/s", import_rate(&empty.import)),
            format!("{:.0} rows/s", import_rate(&full.import)),
            ratio(import_rate(&empty.import), import_rate(&full.import)),
            "≥ 5,000 rows/s".into(),
        ),
        (
            "signing during that import".into(),
            signed(&empty.signing_during_import),
            signed(&full.signing_during_import),
            ratio(
                empty.signing_during_import.per_second(),
                full.signing_during_import.per_second(),
            ),
            "no 503".into(),
        ),
        (
            "invalidation of a wave (every 7th signature, by its source) while signing".into(),
            invalidated(&empty.invalidation),
            invalidated(&full.invalidation),
            "n/a".into(),
            "in batches, signing unharmed".into(),
        ),
        (
            "signing during that invalidation".into(),
            signed(&empty.signing_during_invalidation),
            signed(&full.signing_during_invalidation),
            format!(
                "{} of signing alone, full",
                ratio(
                    full.signing.per_second(),
                    full.signing_during_invalidation.per_second()
                )
            ),
            "≥ 0.9 of signing alone, no 503".into(),
        ),
        (
            format!(
                "delivery pack of every signer (mariposa delivery), {} signers when full",
                thousands(n as f64)
            ),
            format!(
                "{:.1} s, peak {:.0} MB",
                empty.pack.elapsed.as_secs_f64(),
                empty.pack.peak_kib as f64 / 1024.0
            ),
            format!(
                "{:.1} s, peak {:.0} MB",
                full.pack.elapsed.as_secs_f64(),
                full.pack.peak_kib as f64 / 1024.0
            ),
            format!(
                "memory {}",
                ratio(empty.pack.peak_kib as f64, full.pack.peak_kib as f64)
            ),
            "memory ≤ 100 MB; at most 2 at once over HTTP".into(),
        ),
        (
            "server peak memory (VmHWM), whole run".into(),
            format!("{:.0} MB", empty.server_peak as f64 / MB),
            format!("{:.0} MB", full.server_peak as f64 / MB),
            ratio(empty.server_peak as f64, full.server_peak as f64),
            "≤ 100 MB".into(),
        ),
    ]
}

/// Which backend a `--fill` run measures, for the caller in `main`.
pub fn backend_server(args: &Args) -> anyhow::Result<Option<String>> {
    match args.database {
        Backend::Sqlite => Ok(None),
        Backend::Postgres => args
            .postgres
            .clone()
            .map(Some)
            .context("--database postgres needs --postgres URL (scripts/bench passes it)"),
    }
}
