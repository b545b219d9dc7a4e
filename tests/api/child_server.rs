//! `mariposa serve` in a child process of its own, for what only a whole process shows: a
//! `kill -9`, a `SIGTERM`, its resident memory.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::free_port;

/// A running server process, killed when dropped.
pub struct ChildServer {
    pub child: Child,
    pub address: String,
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ChildServer {
    /// Starts the real binary on `database_url` and a free loopback port, with `env` on top
    /// of a test secret and warn-level logs, and waits until `/healthz` answers.
    pub async fn start(database_url: &str, env: &[(&str, &str)]) -> Self {
        let port = free_port().local_addr().expect("a free port").port();
        Self::start_on(database_url, port, env).await
    }

    /// As `start`, on a given loopback port: a server brought back where it was.
    pub async fn start_on(database_url: &str, port: u16, env: &[(&str, &str)]) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_mariposa"))
            .arg("serve")
            .env("MARIPOSA_DATABASE_URL", database_url)
            .env("MARIPOSA_BIND", format!("127.0.0.1:{port}"))
            .env(
                "MARIPOSA_SECRET_KEY",
                "a child-server test secret that is long enough",
            )
            .env("MARIPOSA_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .spawn()
            .expect("the mariposa binary starts");
        let server = Self {
            child,
            address: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
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

    /// A figure from /proc/PID/status (`VmRSS`, `VmHWM`), in megabytes.
    pub fn memory_mb(&self, field: &str) -> u64 {
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
