//! A crowd of failed staff sign-ins at once: the real binary's memory stays bounded while
//! they are checked, and is no larger than a few password checkers' afterwards.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{TestDatabase, free_port, fresh_database, hidden_value};

struct Server {
    child: Child,
    _database: Option<TestDatabase>,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// A figure from /proc/PID/status, in megabytes.
    fn memory_mb(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server's status");
        let kilobytes: u64 = status
            .lines()
            .find_map(|line| line.strip_prefix(field))
            .and_then(|rest| rest.trim_start_matches(':').trim().strip_suffix("kB"))
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or_else(|| panic!("{field} in {status}"));
        kilobytes / 1024
    }
}

async fn start_behind_a_proxy(dir: &std::path::Path) -> Server {
    let port = free_port().local_addr().expect("a free port").port();
    let (database_url, database) = fresh_database(dir);
    let child = Command::new(env!("CARGO_BIN_EXE_mariposa"))
        .arg("serve")
        .env("MARIPOSA_DATABASE_URL", &database_url)
        .env("MARIPOSA_BIND", format!("127.0.0.1:{port}"))
        .env(
            "MARIPOSA_SECRET_KEY",
            "a memory-test secret that is long enough",
        )
        .env("MARIPOSA_TRUSTED_PROXIES", "127.0.0.1")
        .env("MARIPOSA_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .expect("the mariposa binary starts");
    let server = Server {
        child,
        _database: database,
        address: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while client
        .get(format!("{}/healthz", server.address))
        .send()
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "the server did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_crowd_of_failed_sign_ins_keeps_memory_bounded_and_gives_it_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = start_behind_a_proxy(dir.path()).await;
    let client = reqwest::Client::new();
    let page = client
        .get(format!("{}/admin/login", server.address))
        .send()
        .await
        .expect("the sign-in page")
        .text()
        .await
        .expect("body");
    let token = hidden_value(&page, "csrf_token");
    let before = server.memory_mb("VmRSS");

    let attempts = (0..96).map(|i| {
        let (client, token) = (client.clone(), token.clone());
        let url = format!("{}/admin/login", server.address);
        tokio::spawn(async move {
            // Each from an address and for an account of its own, so no throttle stops it
            // before its password is checked.
            let email = format!("guess{i}@example.org");
            let response = client
                .post(url)
                .header("x-forwarded-for", format!("203.0.113.{i}"))
                .form(&[
                    ("email", email.as_str()),
                    ("password", "not the password"),
                    ("csrf_token", token.as_str()),
                ])
                .send()
                .await
                .expect("a sign-in");
            let status = response.status().as_u16();
            if status == 503 {
                assert!(response.headers().contains_key("retry-after"));
                let page = response.text().await.expect("body");
                assert!(page.contains("try again in a few seconds"), "{page}");
            }
            status
        })
    });
    let mut statuses = Vec::new();
    for attempt in attempts.collect::<Vec<_>>() {
        statuses.push(attempt.await.expect("the attempt finished"));
    }

    assert!(
        statuses.iter().all(|status| [401, 503].contains(status)),
        "refused, or asked to come back: {statuses:?}"
    );
    assert!(statuses.contains(&401), "passwords were checked");
    let peak = server.memory_mb("VmHWM");
    assert!(peak < 200, "peak resident memory was {peak} MB");
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = server.memory_mb("VmRSS");
    assert!(after < 120, "resident memory stayed at {after} MB");
    eprintln!(
        "96 failed sign-ins: {} answered 401, {} answered 503; \
         resident before {before} MB, peak {peak} MB, after {after} MB",
        statuses.iter().filter(|s| **s == 401).count(),
        statuses.iter().filter(|s| **s == 503).count(),
    );
}
