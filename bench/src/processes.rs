//! The processes the benchmark drives: Postfix's `smtp-sink`, `mariposa serve`, and the
//! `sqlite3` or `psql` shell that counts what reached the database.

use std::fs::File;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

/// A loopback port that was free a moment ago.
pub fn free_port() -> anyhow::Result<SocketAddr> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

/// Waits until something listens on `addr`.
fn wait_for_listener(addr: SocketAddr, child: &mut Child, what: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(addr).is_err() {
        if let Some(status) = child.try_wait()? {
            anyhow::bail!("{what} exited before listening: {status}");
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "{what} did not listen on {addr} in time"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// A child that is stopped when dropped, so that a failed run leaves nothing behind.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Postfix's `smtp-sink`: a real SMTP server that accepts every message and counts it.
pub struct SmtpSink {
    pub addr: SocketAddr,
    counter: PathBuf,
    child: Guard,
}

impl SmtpSink {
    pub fn start(dir: &Path) -> anyhow::Result<Self> {
        let addr = free_port()?;
        std::fs::create_dir_all(dir)?;
        let counter = dir.join("smtp-sink.out");
        let mut command = Command::new("smtp-sink");
        // -c keeps a running count of delivered messages on standard output.
        command.arg("-c");
        if running_as_root()? {
            // smtp-sink refuses to keep root privileges.
            command.args(["-u", "nobody"]);
        }
        let mut child = command
            .arg(addr.to_string())
            .arg("1024")
            .stdout(File::create(&counter)?)
            .stderr(Stdio::inherit())
            .spawn()
            .context("could not start smtp-sink (Debian package postfix)")?;
        wait_for_listener(addr, &mut child, "smtp-sink")?;
        Ok(Self {
            addr,
            counter,
            child: Guard(child),
        })
    }

    /// Stops the sink and returns how many messages it accepted. Its counter reaches the
    /// file when it exits.
    pub fn stop(self) -> anyhow::Result<u64> {
        terminate(&self.child.0)?;
        let mut child = self.child;
        wait_for_exit(&mut child.0, "smtp-sink")?;
        let output = std::fs::read_to_string(&self.counter)?;
        Ok(output
            .rsplit("mesg=")
            .next()
            .and_then(|last| {
                last.split(|c: char| !c.is_ascii_digit())
                    .next()
                    .and_then(|n| n.parse().ok())
            })
            .unwrap_or(0))
    }
}

/// Sends SIGTERM, as an operator stopping a service would.
fn terminate(child: &Child) -> anyhow::Result<()> {
    Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()?;
    Ok(())
}

fn wait_for_exit(child: &mut Child, what: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(40);
    while child.try_wait()?.is_none() {
        anyhow::ensure!(Instant::now() < deadline, "{what} did not stop in time");
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

fn running_as_root() -> anyhow::Result<bool> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    Ok(status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))
        .and_then(|uids| uids.split_whitespace().nth(1))
        .is_some_and(|euid| euid == "0"))
}

/// Where a server keeps its data: a SQLite file, or a PostgreSQL database (its URL).
#[derive(Debug, Clone)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Database {
    pub fn url(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
            Self::Postgres(url) => url.clone(),
        }
    }

    /// Runs SQL statements with the database's own shell, for the bulk fill.
    pub fn execute(&self, sql: &str) -> anyhow::Result<()> {
        self.lines(sql).map(drop)
    }

    /// The lines a query prints, one value a line, read with the database's own shell. The
    /// SQL goes in on standard input, which takes more than a command line.
    pub fn lines(&self, sql: &str) -> anyhow::Result<Vec<String>> {
        use std::io::Write;
        let mut command = match self {
            Self::Sqlite(path) => {
                let mut command = Command::new("sqlite3");
                command
                    .args(["-batch", "-bail", "-cmd", ".timeout 30000"])
                    .arg(path);
                command
            }
            Self::Postgres(url) => {
                let mut command = Command::new("psql");
                command
                    .args(["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d"])
                    .arg(url);
                command
            }
        };
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context(
                "could not run the database shell (Debian packages sqlite3, postgresql-client)",
            )?;
        let mut stdin = child.stdin.take().context("the shell's input")?;
        let sql = sql.to_owned();
        let writer = std::thread::spawn(move || stdin.write_all(sql.as_bytes()));
        let output = child.wait_with_output()?;
        writer
            .join()
            .map_err(|_| anyhow::anyhow!("the shell's writer panicked"))??;
        anyhow::ensure!(
            output.status.success(),
            "the database shell failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        Ok(String::from_utf8(output.stdout)?
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect())
    }

    /// One number from the database, read with its own shell.
    pub fn count(&self, sql: &str) -> anyhow::Result<u64> {
        match self {
            Self::Sqlite(path) => sqlite_count(path, sql),
            Self::Postgres(url) => postgres_count(url, sql),
        }
    }
}

/// `mariposa serve` on a fresh database.
pub struct Server {
    pub addr: SocketAddr,
    pub db: Database,
    child: Guard,
}

/// The secret the servers share on PostgreSQL, where each must be given the same one.
pub const BENCH_SECRET: &str = "a benchmark secret that is long enough to use";

impl Server {
    pub fn start(
        binary: &Path,
        dir: &Path,
        db: &Database,
        smtp: SocketAddr,
        group_commit: bool,
    ) -> anyhow::Result<Self> {
        let addr = free_port()?;
        std::fs::create_dir_all(dir)?;
        let mut child = Command::new(binary)
            .arg("serve")
            .env("MARIPOSA_DATABASE_URL", db.url())
            .env("MARIPOSA_SECRET_KEY", BENCH_SECRET)
            .env("MARIPOSA_BIND", addr.to_string())
            .env("MARIPOSA_SMTP_URL", format!("smtp://{smtp}"))
            .env(
                "MARIPOSA_MAIL_FROM",
                "Mariposa <no-reply@bench.example.org>",
            )
            .env("MARIPOSA_RATE_LIMITS", "off")
            // smtp-sink takes any number of connections; a real relay is spared by the
            // default of 16.
            .env("MARIPOSA_SMTP_CONNECTIONS", "128")
            .env(
                "MARIPOSA_GROUP_COMMIT",
                if group_commit { "on" } else { "off" },
            )
            .stdout(Stdio::null())
            .stderr(File::create(dir.join("server.log"))?)
            .spawn()
            .with_context(|| format!("could not start {}", binary.display()))?;
        wait_for_listener(addr, &mut child, "mariposa serve")?;
        Ok(Self {
            addr,
            db: db.clone(),
            child: Guard(child),
        })
    }

    /// The most memory the server has held at once (VmHWM), in bytes.
    pub fn peak_memory(&self) -> anyhow::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.0.id()))?;
        let kib: u64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| value.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .context("no VmHWM in /proc/PID/status")?;
        Ok(kib * 1024)
    }

    /// Asks the server to stop as an operator would (SIGTERM) and waits for it.
    pub fn stop(mut self) -> anyhow::Result<()> {
        terminate(&self.child.0)?;
        wait_for_exit(&mut self.child.0, "mariposa serve")
    }

    /// One number from the database.
    pub fn count(&self, sql: &str) -> anyhow::Result<u64> {
        self.db.count(sql)
    }
}

pub fn sqlite_count(db: &Path, sql: &str) -> anyhow::Result<u64> {
    let output = Command::new("sqlite3")
        .args(["-batch", "-cmd", ".timeout 10000"])
        .arg(db)
        .arg(sql)
        .output()
        .context("could not run sqlite3 (Debian package sqlite3)")?;
    anyhow::ensure!(
        output.status.success(),
        "sqlite3 failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout)?;
    text.trim()
        .parse()
        .with_context(|| format!("sqlite3 printed {text:?} for {sql}"))
}

/// A new, empty database on the PostgreSQL server at `server` (a URL without a database).
pub fn create_postgres_database(server: &str, name: &str) -> anyhow::Result<Database> {
    let output = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d"])
        .arg(format!("{server}/postgres"))
        .arg("-c")
        .arg(format!("CREATE DATABASE {name}"))
        .output()
        .context("could not run psql (Debian package postgresql-client)")?;
    anyhow::ensure!(
        output.status.success(),
        "could not create the database {name}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(Database::Postgres(format!("{server}/{name}")))
}

pub fn postgres_count(url: &str, sql: &str) -> anyhow::Result<u64> {
    let output = Command::new("psql")
        .args(["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d"])
        .arg(url)
        .arg("-c")
        .arg(sql)
        .output()
        .context("could not run psql (Debian package postgresql-client)")?;
    anyhow::ensure!(
        output.status.success(),
        "psql failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout)?;
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    last.trim()
        .parse()
        .with_context(|| format!("psql printed {text:?} for {sql}"))
}
