//! Servers whose clocks are wrong. Servers sharing a database agree on time by the
//! database's clock, so a slow or fast one takes the others' forms and sends no email
//! twice, and its health check fails until its clock is set right.
//!
//! Tests cannot set the machine's clock, so a server is started with its clock skewed. On
//! SQLite the two servers share one file, which is not how Mariposa runs on SQLite (one
//! server), but it runs the same code as two PostgreSQL servers do.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::TimeDelta;

use crate::helpers::{DEMO, Options, TestApp, signer, spawn_app_with, with};

/// A server on time and one whose clock is `skew` off, sharing the database and the relay.
async fn on_time_and_skewed(skew: TimeDelta, min_fill_time: Duration) -> (TestApp, TestApp) {
    let on_time = spawn_app_with(Options {
        min_fill_time,
        ..Options::default()
    })
    .await;
    let skewed = spawn_app_with(Options {
        database_url: Some(on_time.database_url.clone()),
        smtp: Some(on_time.smtp),
        min_fill_time,
        clock_skew: skew,
        ..Options::default()
    })
    .await;
    (on_time, skewed)
}

async fn post_sign(app: &TestApp, email: &str, token: &str) -> u16 {
    app.post_form(
        &format!("/campaigns/{DEMO}/sign"),
        &with(signer(email), "csrf_token", token),
    )
    .await
    .status()
    .as_u16()
}

#[tokio::test]
async fn a_server_ten_minutes_slow_takes_the_others_forms_and_neither_takes_one_at_once() {
    let (on_time, slow) = on_time_and_skewed(TimeDelta::minutes(-10), Duration::from_secs(2)).await;
    let from_on_time = on_time.form_token(DEMO).await;
    let from_slow = slow.form_token(DEMO).await;

    // Sent back at once, as a bot's would be, whichever server served the form: 422 and
    // the form again, not 403 for a forged or expired form.
    assert_eq!(
        post_sign(&slow, "ana@example.org", &from_on_time).await,
        422
    );
    assert_eq!(
        post_sign(&on_time, "luis@example.org", &from_slow).await,
        422
    );

    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(
        post_sign(&slow, "ana@example.org", &from_on_time).await,
        303
    );
    assert_eq!(
        post_sign(&on_time, "luis@example.org", &from_slow).await,
        303
    );
    assert_eq!(on_time.stored_signatures(), 2);
}

#[tokio::test]
async fn sixty_confirmations_with_a_server_ten_minutes_fast_among_the_senders_arrive_once_each() {
    let (on_time, fast) = on_time_and_skewed(TimeDelta::minutes(10), Duration::ZERO).await;
    // A relay that takes its time keeps emails claimed for a while, as in real life.
    on_time.mail.slow_down(Duration::from_secs(1));
    let servers = [&on_time, &fast];
    let tokens = [on_time.form_token(DEMO).await, fast.form_token(DEMO).await];
    for n in 0..60 {
        let status = post_sign(servers[n % 2], &format!("s{n}@example.org"), &tokens[n % 2]).await;
        assert_eq!(status, 303);
    }

    let message_ids = || -> Vec<String> {
        on_time
            .mail
            .emails()
            .iter()
            .map(|email| email.header("Message-ID").expect("a Message-ID"))
            .collect()
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while message_ids().iter().collect::<HashSet<_>>().len() < 60 {
        assert!(
            Instant::now() < deadline,
            "{} of 60 emails arrived",
            message_ids().len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Both servers' workers look for due emails every second: a second copy would come now.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let ids = message_ids();
    assert_eq!(
        ids.len(),
        60,
        "each Message-ID once; {} copies",
        ids.len() - 60
    );
}

#[tokio::test]
async fn a_server_whose_clock_is_ten_minutes_off_fails_its_health_check_and_says_why() {
    let (on_time, fast) = on_time_and_skewed(TimeDelta::minutes(10), Duration::ZERO).await;

    assert_eq!(on_time.get("/healthz").await.status().as_u16(), 200);
    let (status, body) = fast.get_text("/healthz").await;
    assert_eq!(status, 503);
    assert!(
        body.contains("clock off: this server's clock is 600 s ahead of the database's"),
        "{body}"
    );
    let (_, metrics) = fast.get_text("/metrics").await;
    let offset: f64 = metrics
        .lines()
        .find_map(|line| line.strip_prefix("mariposa_clock_offset_seconds "))
        .and_then(|value| value.parse().ok())
        .expect("/metrics shows the clock's offset");
    assert!((offset + 600.0).abs() < 1.0, "{offset}");
}
