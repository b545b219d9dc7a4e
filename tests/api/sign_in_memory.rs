//! A crowd of failed staff sign-ins at once: the real binary's memory stays bounded while
//! they are checked, and is no larger than a few password checkers' afterwards.

use std::time::Duration;

use crate::child_server::ChildServer;
use crate::helpers::{fresh_database, hidden_value};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_crowd_of_failed_sign_ins_keeps_memory_bounded_and_gives_it_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (database_url, _database) = fresh_database(dir.path());
    let server = ChildServer::start(
        &database_url,
        &[
            ("MARIPOSA_TRUSTED_PROXIES", "127.0.0.1"),
            ("MARIPOSA_LOG", "error"),
        ],
    )
    .await;
    // A browser set to English, so the sign-in pages are in English (see helpers::staff_client).
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::ACCEPT_LANGUAGE,
        reqwest::header::HeaderValue::from_static("en"),
    );
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("http client");
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
