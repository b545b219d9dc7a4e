//! `mariposa-bench`: starts `mariposa serve` on a fresh SQLite file (or, with `--database
//! postgres`, one and then two servers on a fresh PostgreSQL database) with mail going to
//! Postfix's `smtp-sink`, drives it over loopback from this process, and prints one table.
//! `scripts/bench` builds everything and runs it; BENCHMARKS.md explains the figures.

mod fill;
mod invalidation;
mod load;
mod processes;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;

use load::{Outcome, Workload};
use processes::{Database, Server, SmtpSink};

#[derive(Debug, Parser)]
#[command(name = "mariposa-bench", about = "Measures mariposa serve under load")]
struct Args {
    /// The server binary, built in release mode.
    #[arg(long, default_value = "target/release/mariposa")]
    server: PathBuf,
    /// The campaign every phase uses (the demo campaign of a new database).
    #[arg(long, default_value = "butterflies-for-mexico")]
    slug: String,
    /// Concurrent connections in every phase.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Threads of the load generator.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Length of each signing round, in seconds.
    #[arg(long, default_value_t = 10)]
    sign_seconds: u64,
    /// Signing rounds in each mode (group commit on, off), alternating; the table shows
    /// the medians and the median of the ratios of adjacent rounds.
    #[arg(long, default_value_t = 3)]
    sign_rounds: usize,
    /// Length of each read phase, in seconds.
    #[arg(long, default_value_t = 5)]
    read_seconds: u64,
    /// How often each read phase is repeated; the table shows the median.
    #[arg(long, default_value_t = 3)]
    repeats: usize,
    /// The longest the outbox may take to drain after signing, in seconds.
    #[arg(long, default_value_t = 90)]
    mail_seconds: u64,
    /// Signatures in the database the CSV export is timed on.
    #[arg(long, default_value_t = 1_000_000)]
    export_rows: u64,
    /// Keep the temporary directory (databases, server logs) and print where it is.
    #[arg(long)]
    keep: bool,
    /// Measure an empty campaign, then one filled with this many confirmed signatures
    /// (confirmations, kiosks, a paper import while signing, the count history, a delivery
    /// pack), and print the two side by side with their ratios.
    #[arg(long)]
    fill: Option<u64>,
    /// The backend to measure.
    #[arg(long, value_enum, default_value_t = Backend::Sqlite)]
    database: Backend,
    /// For `--database postgres`: the server, as a URL without a database name
    /// (`scripts/bench` starts a private one and passes it).
    #[arg(long)]
    postgres: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Backend {
    Sqlite,
    Postgres,
}

const MB: f64 = 1024.0 * 1024.0;
/// Page views ask for the page as browsers do (`gzip, deflate, br`), so it comes as Brotli.
const PAGE_VIEWS: &str = "campaign page views/s (Brotli)";

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile::Builder::new()
        .prefix("mariposa-bench")
        .tempdir()?;
    let machine = Machine::read(dir.path())?;
    if args.fill.is_some() {
        let postgres = fill::backend_server(&args)?;
        fill::compare(&args, dir.path(), postgres.as_deref(), &machine)?;
        if args.keep {
            eprintln!("kept {}", dir.keep().display());
        }
        return Ok(());
    }
    if args.database == Backend::Postgres {
        let server = args
            .postgres
            .clone()
            .context("--database postgres needs --postgres URL (scripts/bench passes it)")?;
        postgres_main(&args, dir.path(), &server, &machine)?;
        if args.keep {
            eprintln!("kept {}", dir.keep().display());
        }
        return Ok(());
    }
    let mut rows = Vec::new();

    eprintln!("== server with group commit (the default)");
    let sink = SmtpSink::start(&dir.path().join("on"))?;
    let db = Database::Sqlite(dir.path().join("on").join("mariposa.db"));
    let server = Server::start(&args.server, &dir.path().join("on"), &db, sink.addr, true)?;
    let page = format!("/campaigns/{}", args.slug);
    let api = format!("/api/v1/campaigns/{}", args.slug);
    warm_up(&server, &page)?;
    let (views, views_runs) = median_of(&args, &server, &page)?;
    rows.push(read_row(PAGE_VIEWS, &views, views_runs, "≥ 30,000"));
    let (reads, reads_runs) = median_of(&args, &server, &api)?;
    rows.push(read_row(
        "public JSON count reads/s",
        &reads,
        reads_runs,
        "",
    ));

    // The first signing round runs on the server that served the reads; then its outbox
    // is drained and its memory read.
    let mut on_runs = vec![sign_phase(&args, std::slice::from_ref(&server), "on1")?];
    let mut mail = drain_outbox(&args, &server)?;
    let peak = server.peak_memory()?;
    let db = server.db.clone();
    server.stop()?;
    // Counted once nothing is sending any more, so that both counts cover the same emails.
    mail.sink_received = sink.stop()?;
    mail.outbox_sent = db.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL")?;

    // Then fresh servers alternate between group commit off and on, so that both modes
    // see the same stretches of a shared machine.
    let mut off_runs = Vec::new();
    for round in 1..=args.sign_rounds.max(1) {
        off_runs.push(fresh_sign_phase(&args, dir.path(), false, round)?);
        if round < args.sign_rounds {
            on_runs.push(fresh_sign_phase(&args, dir.path(), true, round + 1)?);
        }
    }
    let ratios: Vec<f64> = on_runs
        .iter()
        .zip(&off_runs)
        .map(|(on, off)| on.per_second() / off.per_second())
        .collect();
    rows.push(Signed::median_row(
        on_runs,
        "durable signatures/s, group commit on",
        "≥ 10,000, p99 ≤ 50 ms",
    ));
    rows.push(mail.row());
    rows.push(Row {
        figure: "server peak memory (VmHWM), reads + first signing round + mail".into(),
        result: format!("{:.1} MB", peak as f64 / MB),
        detail: String::new(),
        target: "≤ 100 MB".into(),
    });
    rows.push(Signed::median_row(
        off_runs,
        "durable signatures/s, group commit off",
        "",
    ));
    rows.push(Row {
        figure: format!(
            "group commit ratio (on / off), median of {} adjacent pairs",
            ratios.len()
        ),
        result: format!("{:.1}×", median(&ratios)),
        detail: format!(
            "pairs: {}",
            ratios
                .iter()
                .map(|r| format!("{r:.1}×"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        target: String::new(),
    });

    rows.push(csv_export(&args, &dir.path().join("on"))?);
    print_table(&args, &machine, &rows);
    if args.keep {
        eprintln!("kept {}", dir.keep().display());
    }
    Ok(())
}

/// Lets the server settle its caches and connections before anything is measured.
fn warm_up(server: &Server, path: &str) -> anyhow::Result<()> {
    let workload = Workload::Get { path: path.into() };
    load::run(&[server.addr], &workload, 8, Duration::from_secs(2), 1)?;
    Ok(())
}

/// Runs a read phase `repeats` times and keeps the run with the median rate.
fn median_of(args: &Args, server: &Server, path: &str) -> anyhow::Result<(Outcome, usize)> {
    let workload = Workload::Get { path: path.into() };
    let mut runs = Vec::new();
    for n in 1..=args.repeats.max(1) {
        let outcome = load::run(
            &[server.addr],
            &workload,
            args.connections,
            Duration::from_secs(args.read_seconds),
            args.threads,
        )?;
        eprintln!(
            "   GET {path} #{n}: {:.0}/s, p99 {:.2} ms, {} errors",
            outcome.per_second(outcome.ok),
            outcome.percentile_ms(99.0),
            outcome.errors + outcome.busy
        );
        runs.push(outcome);
    }
    let count = runs.len();
    runs.sort_by(|a, b| a.per_second(a.ok).total_cmp(&b.per_second(b.ok)));
    Ok((runs.swap_remove(count / 2), count))
}

fn read_row(figure: &str, outcome: &Outcome, runs: usize, target: &str) -> Row {
    Row {
        figure: format!("{figure}, median of {runs}"),
        result: thousands(outcome.per_second(outcome.ok)),
        detail: format!(
            "p50 {:.2} ms, p99 {:.2} ms, {} errors",
            outcome.percentile_ms(50.0),
            outcome.percentile_ms(99.0),
            outcome.errors + outcome.busy
        ),
        target: target.into(),
    }
}

struct Signed {
    outcome: Outcome,
    stored: u64,
    connections: usize,
}

impl Signed {
    /// Signatures the database holds, per second of the phase.
    fn per_second(&self) -> f64 {
        self.outcome.per_second(self.stored)
    }

    /// The round with the median rate, with every round's rate beside it.
    fn median_row(mut runs: Vec<Signed>, figure: &str, target: &str) -> Row {
        let rates: Vec<String> = runs.iter().map(|r| thousands(r.per_second())).collect();
        let count = runs.len();
        runs.sort_by(|a, b| a.per_second().total_cmp(&b.per_second()));
        let median = runs.swap_remove(count / 2);
        let mut row = median.row(&format!("{figure}, median of {count}"), target);
        row.detail = format!("rounds: {}; median round: {}", rates.join(", "), row.detail);
        row
    }

    fn row(&self, figure: &str, target: &str) -> Row {
        let lost = self.outcome.ok.saturating_sub(self.stored);
        Row {
            figure: format!("{figure}, {} connections", self.connections),
            result: thousands(self.per_second()),
            detail: format!(
                "{} stored in {:.1} s, p50 {:.1} ms, p99 {:.1} ms, {} busy (503), {} errors{}",
                self.stored,
                self.outcome.elapsed.as_secs_f64(),
                self.outcome.percentile_ms(50.0),
                self.outcome.percentile_ms(99.0),
                self.outcome.busy,
                self.outcome.errors,
                if lost > 0 {
                    format!("; {lost} ACKNOWLEDGED BUT NOT STORED")
                } else {
                    String::new()
                }
            ),
            target: target.into(),
        }
    }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN)
}

/// One signing round on a server of its own, with a fresh database and sink.
fn fresh_sign_phase(
    args: &Args,
    dir: &Path,
    group_commit: bool,
    round: usize,
) -> anyhow::Result<Signed> {
    let mode = if group_commit { "on" } else { "off" };
    let dir = dir.join(format!("{mode}{round}"));
    eprintln!("== fresh server, group commit {mode}, round {round}");
    let sink = SmtpSink::start(&dir)?;
    let db = Database::Sqlite(dir.join("mariposa.db"));
    let server = Server::start(&args.server, &dir, &db, sink.addr, group_commit)?;
    warm_up(&server, &format!("/campaigns/{}", args.slug))?;
    let signed = sign_phase(
        args,
        std::slice::from_ref(&server),
        &format!("{mode}{round}"),
    )?;
    server.stop()?;
    sink.stop()?;
    Ok(signed)
}

/// Signs for a fixed time with unique emails, spreading the connections over `servers`
/// (which share one database); the rate is what the database holds afterwards.
fn sign_phase(args: &Args, servers: &[Server], run: &str) -> anyhow::Result<Signed> {
    let server = servers.first().context("no server to sign on")?;
    let addrs: Vec<_> = servers.iter().map(|s| s.addr).collect();
    let before = server.count("SELECT COUNT(*) FROM signatures")?;
    let workload = Workload::Sign {
        slug: args.slug.clone(),
        run: run.into(),
    };
    let outcome = load::run(
        &addrs,
        &workload,
        args.connections,
        Duration::from_secs(args.sign_seconds),
        args.threads,
    )?;
    let stored = server.count("SELECT COUNT(*) FROM signatures")? - before;
    let signed = Signed {
        outcome,
        stored,
        connections: args.connections,
    };
    eprintln!(
        "   signing ({run}): {:.0}/s stored, {} acknowledged, p99 {:.1} ms",
        signed.per_second(),
        signed.outcome.ok,
        signed.outcome.percentile_ms(99.0)
    );
    Ok(signed)
}

struct Mail {
    sent: u64,
    elapsed: Duration,
    drained: bool,
    outbox_sent: u64,
    outbox_total: u64,
    sink_received: u64,
}

impl Mail {
    fn row(&self) -> Row {
        let rate = self.sent as f64 / self.elapsed.as_secs_f64();
        Row {
            figure: "emails/s from the outbox to smtp-sink, after signing".into(),
            result: thousands(rate),
            detail: format!(
                "{} sent in {:.1} s{}; after the server stopped: outbox {} of {} marked sent, sink received {}",
                self.sent,
                self.elapsed.as_secs_f64(),
                if self.drained { "" } else { " (NOT DRAINED)" },
                self.outbox_sent,
                self.outbox_total,
                self.sink_received
            ),
            target: "≥ 2,000".into(),
        }
    }
}

/// The PostgreSQL run: reads, a signing round and the outbox on one server, then signing
/// rounds alternating between two servers and one, each on a fresh database, so that both
/// see the same stretches of a shared machine.
fn postgres_main(args: &Args, dir: &Path, postgres: &str, machine: &Machine) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    eprintln!("== PostgreSQL, one server");
    let run_dir = dir.join("pg-one1");
    let db = processes::create_postgres_database(postgres, &database_name("one1"))?;
    let sink = SmtpSink::start(&run_dir)?;
    let server = Server::start(&args.server, &run_dir, &db, sink.addr, true)?;
    let page = format!("/campaigns/{}", args.slug);
    let api = format!("/api/v1/campaigns/{}", args.slug);
    warm_up(&server, &page)?;
    let (views, views_runs) = median_of(args, &server, &page)?;
    rows.push(read_row(PAGE_VIEWS, &views, views_runs, "≥ 30,000"));
    let (reads, reads_runs) = median_of(args, &server, &api)?;
    rows.push(read_row(
        "public JSON count reads/s",
        &reads,
        reads_runs,
        "",
    ));
    let mut one_runs = vec![sign_phase(args, std::slice::from_ref(&server), "one1")?];
    let mut mail = drain_outbox(args, &server)?;
    let peak = server.peak_memory()?;
    server.stop()?;
    mail.sink_received = sink.stop()?;
    mail.outbox_sent = db.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL")?;

    let mut two_runs = Vec::new();
    for round in 1..=args.sign_rounds.max(1) {
        two_runs.push(fresh_postgres_phase(args, dir, postgres, 2, round)?);
        if round < args.sign_rounds {
            one_runs.push(fresh_postgres_phase(args, dir, postgres, 1, round + 1)?);
        }
    }
    rows.push(Signed::median_row(
        one_runs,
        "durable signatures/s, one server",
        "≥ 5,000, p99 ≤ 50 ms",
    ));
    rows.push(mail.row());
    rows.push(Row {
        figure: "server peak memory (VmHWM), reads + first signing round + mail".into(),
        result: format!("{:.1} MB", peak as f64 / MB),
        detail: String::new(),
        target: "≤ 100 MB".into(),
    });
    rows.push(Signed::median_row(
        two_runs,
        "durable signatures/s, two servers on one database",
        "≥ 5,000, p99 ≤ 50 ms",
    ));
    println!();
    println!("PostgreSQL (default settings: fsync and synchronous_commit on), group commit on.");
    print_table(args, machine, &rows);
    Ok(())
}

/// A database name of this run's own.
fn database_name(run: &str) -> String {
    format!("bench_{}_{run}", std::process::id())
}

/// One signing round on `servers` new servers sharing a fresh PostgreSQL database.
fn fresh_postgres_phase(
    args: &Args,
    dir: &Path,
    postgres: &str,
    servers: usize,
    round: usize,
) -> anyhow::Result<Signed> {
    let run = format!("s{servers}r{round}");
    eprintln!("== PostgreSQL, {servers} server(s), round {round}");
    let db = processes::create_postgres_database(postgres, &database_name(&run))?;
    let run_dir = dir.join(format!("pg-{run}"));
    let sink = SmtpSink::start(&run_dir)?;
    let started: Vec<Server> = (0..servers)
        .map(|n| {
            Server::start(
                &args.server,
                &run_dir.join(n.to_string()),
                &db,
                sink.addr,
                true,
            )
        })
        .collect::<anyhow::Result<_>>()?;
    for server in &started {
        warm_up(server, &format!("/campaigns/{}", args.slug))?;
    }
    let signed = sign_phase(args, &started, &run)?;
    for server in started {
        server.stop()?;
    }
    sink.stop()?;
    Ok(signed)
}

/// Times the mail worker emptying the outbox once signing has stopped.
fn drain_outbox(args: &Args, server: &Server) -> anyhow::Result<Mail> {
    let pending_sql = "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL";
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.mail_seconds);
    let at_start = server.count(pending_sql)?;
    let mut pending = at_start;
    while pending > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        pending = server.count(pending_sql)?;
    }
    let elapsed = started.elapsed();
    let mail = Mail {
        sent: at_start - pending,
        elapsed,
        drained: pending == 0,
        outbox_sent: 0,
        outbox_total: server.count("SELECT COUNT(*) FROM outbox")?,
        sink_received: 0,
    };
    eprintln!(
        "   mail: {} sent in {:.1} s after signing",
        mail.sent,
        elapsed.as_secs_f64()
    );
    Ok(mail)
}

/// The 1,000,000-row CSV export through `mariposa export signatures SLUG --output FILE`, on
/// the group-commit run's database topped up to `export_rows` confirmed signatures. It runs
/// first at a tenth of that size: memory is flat if the two peaks are about the same.
fn csv_export(args: &Args, dir: &Path) -> anyhow::Result<Row> {
    let figure = format!("{}-row CSV export", thousands(args.export_rows as f64));
    let exists = Command::new(&args.server)
        .args(["export", "signatures", "--help"])
        .output()?
        .status
        .success();
    if !exists {
        return Ok(Row {
            figure,
            result: "not measured yet".into(),
            detail: "`mariposa export signatures` does not exist yet".into(),
            target: String::new(),
        });
    }
    let db = dir.join("mariposa.db");
    let small = export_of(args, &db, args.export_rows / 10)?;
    let full = export_of(args, &db, args.export_rows)?;
    Ok(Row {
        figure,
        result: format!("{:.1} s", full.elapsed.as_secs_f64()),
        detail: format!(
            "{} lines written, {:.0} rows/s; peak memory {:.1} MB, and {:.1} MB for {} rows",
            full.lines,
            full.lines as f64 / full.elapsed.as_secs_f64(),
            full.peak_kib as f64 * 1024.0 / MB,
            small.peak_kib as f64 * 1024.0 / MB,
            thousands(small.lines as f64 - 1.0),
        ),
        target: "≤ 10 s, memory flat".into(),
    })
}

struct Export {
    elapsed: Duration,
    lines: usize,
    peak_kib: u64,
}

/// Tops the database up to `rows` signatures and times exporting all of them.
fn export_of(args: &Args, db: &Path, rows: u64) -> anyhow::Result<Export> {
    eprintln!("== CSV export of {rows} signatures");
    let have = processes::sqlite_count(db, "SELECT COUNT(*) FROM signatures")?;
    let campaign = processes::sqlite_count(
        db,
        &format!(
            "SELECT id FROM campaigns WHERE slug = '{}'",
            args.slug.replace('\'', "''")
        ),
    )?;
    processes::sqlite_count(
        db,
        &format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {missing})
             INSERT INTO signatures (campaign_id, first_name, last_name, email, email_canonical,
                 country, postal_code, email_opt_in, comment, source, lang, consent_version,
                 created_at, confirmed_at)
             SELECT {campaign}, 'Ana María', 'Export', 'x' || ({have} + i) || '@export.example.org',
                 'x' || ({have} + i) || '@export.example.org', 'MX', '39090', 1, NULL, 'bench', 'es', '1',
                 datetime('now'), datetime('now') FROM n;
             SELECT COUNT(*) FROM signatures;",
            missing = rows.saturating_sub(have).max(1),
        ),
    )?;
    let output = db.with_file_name("export.csv");
    let started = Instant::now();
    let mut child = Command::new(&args.server)
        .args([
            "export",
            "signatures",
            &args.slug,
            "--status",
            "all",
            "--output",
        ])
        .arg(&output)
        .env(
            "MARIPOSA_DATABASE_URL",
            format!("sqlite://{}", db.display()),
        )
        .spawn()?;
    let mut peak_kib = 0u64;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if let Ok(text) = std::fs::read_to_string(format!("/proc/{}/status", child.id())) {
            let kib = text
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
                .unwrap_or(0);
            peak_kib = peak_kib.max(kib);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = started.elapsed();
    anyhow::ensure!(status.success(), "the export failed: {status}");
    let lines = std::fs::read(&output)
        .context("the export wrote no file")?
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    Ok(Export {
        elapsed,
        lines,
        peak_kib,
    })
}

struct Row {
    figure: String,
    result: String,
    detail: String,
    target: String,
}

/// What the figures depend on besides the code: the processor, how busy the machine
/// already was, and how long the disk takes to make a write durable.
struct Machine {
    cpus: usize,
    cpu_model: String,
    load_before: String,
    flush_median_ms: f64,
    flush_p90_ms: f64,
}

impl Machine {
    fn read(dir: &Path) -> anyhow::Result<Self> {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|line| line.strip_prefix("model name"))
            .and_then(|rest| rest.split_once(':'))
            .map_or_else(
                || "unknown".to_owned(),
                |(_, model)| model.trim().to_owned(),
            );
        let (flush_median_ms, flush_p90_ms) = disk_flush_ms(dir)?;
        Ok(Self {
            cpus: std::thread::available_parallelism().map_or(1, usize::from),
            cpu_model,
            load_before: load_average(),
            flush_median_ms,
            flush_p90_ms,
        })
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// Median and 90th percentile of 100 flushes (64 KiB written, then `fdatasync`) in the
/// directory the databases live in: the floor under a durable signature's latency.
fn disk_flush_ms(dir: &Path) -> anyhow::Result<(f64, f64)> {
    use std::io::Write;
    let path = dir.join("flush-probe");
    let mut file = std::fs::File::create(&path)?;
    let block = vec![0x55u8; 64 * 1024];
    let mut times: Vec<f64> = (0..100)
        .map(|_| {
            file.write_all(&block)?;
            let started = Instant::now();
            file.sync_data()?;
            Ok(started.elapsed().as_secs_f64() * 1000.0)
        })
        .collect::<std::io::Result<_>>()?;
    std::fs::remove_file(&path)?;
    times.sort_by(f64::total_cmp);
    Ok((times[50], times[90]))
}

fn print_table(args: &Args, machine: &Machine, rows: &[Row]) {
    println!();
    println!(
        "Mariposa benchmark: {} connections from a separate process over 127.0.0.1; \
         signing {} × {} s per mode, reads {} × {} s",
        args.connections, args.sign_rounds, args.sign_seconds, args.repeats, args.read_seconds
    );
    println!(
        "Machine: {} CPUs ({}); load average {} before, {} after; disk flush (64 KiB + \
         fdatasync) median {:.1} ms, p90 {:.1} ms",
        machine.cpus,
        machine.cpu_model,
        machine.load_before,
        load_average(),
        machine.flush_median_ms,
        machine.flush_p90_ms
    );
    println!();
    println!("| figure | result | detail | target |");
    println!("| --- | ---: | --- | --- |");
    for row in rows {
        println!(
            "| {} | {} | {} | {} |",
            row.figure, row.result, row.detail, row.target
        );
    }
}

/// 12345.6 as "12,346".
fn thousands(value: f64) -> String {
    if !value.is_finite() {
        return "n/a".into();
    }
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
