//! The log is for operators: an `ERROR` line means something on our side failed, so a
//! client's malformed request must never write one.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{DEMO, MailSink, free_port, fresh_database};

/// Sends raw bytes and waits for the status line of the answer.
fn send_raw(port: u16, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("a read timeout");
    stream.write_all(request).expect("send");
    let mut answer = [0u8; 64];
    let n = stream.read(&mut answer).unwrap_or(0);
    String::from_utf8_lossy(&answer[..n])
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn malformed_requests_are_not_errors_in_the_log() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log_path = dir.path().join("stderr.log");
    let smtp_listener = free_port();
    let smtp = smtp_listener.local_addr().expect("sink address");
    let _sink = MailSink::start_on(smtp_listener);
    let port = free_port().local_addr().expect("a free port").port();
    let (database_url, _database) = fresh_database(dir.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_mariposa"))
        .arg("serve")
        .env("MARIPOSA_DATABASE_URL", &database_url)
        .env("MARIPOSA_BIND", format!("127.0.0.1:{port}"))
        .env("MARIPOSA_SMTP_URL", format!("smtp://{smtp}"))
        .env(
            "MARIPOSA_SECRET_KEY",
            "a logging-test secret that is long enough",
        )
        .env("MARIPOSA_LOG", "info")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log_path).expect("a log file"))
        .spawn()
        .expect("the mariposa binary starts");
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "the server did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let sign = format!("/campaigns/{DEMO}/sign");
    let malformed: Vec<Vec<u8>> = vec![
        b"GARBAGE\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n".to_vec(),
        b"GET /\xff HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        format!(
            "POST {sign} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\
             Content-Type: application/x-www-form-urlencoded\r\n\r\nzz\r\n"
        )
        .into_bytes(),
        format!(
            "POST {sign} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 15\r\n\
             Content-Type: application/x-www-form-urlencoded\r\n\r\nemail=a&email=b"
        )
        .into_bytes(),
        format!(
            "POST /api/v1/campaigns/{DEMO}/signatures HTTP/1.1\r\nHost: x\r\n\
             Connection: close\r\nContent-Length: 4\r\nContent-Type: application/json\r\n\r\n{{bad"
        )
        .into_bytes(),
        b"GET /campaigns/%C3%28 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(),
    ];
    for request in &malformed {
        let status = tokio::task::spawn_blocking({
            let request = request.clone();
            move || send_raw(port, &request)
        })
        .await
        .expect("the request thread");
        assert!(
            status.starts_with("HTTP/1.1 4"),
            "{status:?} for {:?}",
            String::from_utf8_lossy(request)
        );
    }
    // Lines are written by a thread of their own: give it a moment before stopping.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let _ = child.kill();
    let _ = child.wait();

    let log = std::fs::read_to_string(&log_path).expect("the log");
    assert!(
        log.contains("status=400"),
        "the requests the app saw are logged: {log}"
    );
    let errors: Vec<&str> = log
        .lines()
        .filter(|line| line.contains(" ERROR "))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
