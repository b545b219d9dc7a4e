//! Several servers on one PostgreSQL database, with nothing shared between them but the
//! database and the secret key: what one does, the others see. Only PostgreSQL is for
//! several servers; on SQLite these tests have nothing to run.

use std::time::{Duration, Instant};

use crate::crash;
use crate::helpers::{
    DEMO, Options, TestApp, admin_sql, hidden_value, postgres_server, signer, spawn_app,
    spawn_app_with, with,
};

/// Two servers on one new database, sending mail to the first one's SMTP sink.
async fn two_servers() -> Option<(TestApp, TestApp)> {
    if postgres_server().is_none() {
        eprintln!(
            "several servers need PostgreSQL: set MARIPOSA_TEST_POSTGRES (scripts/test does)"
        );
        return None;
    }
    let first = spawn_app().await;
    let second = spawn_app_with(Options {
        database_url: Some(first.database_url.clone()),
        smtp: Some(first.smtp),
        ..Options::default()
    })
    .await;
    Some((first, second))
}

#[tokio::test]
async fn signed_on_one_server_confirmed_on_the_other_and_counted_by_both() {
    let Some((one, other)) = two_servers().await else {
        return;
    };
    // The form comes from one server and is posted to the other: the token is signed with
    // the key they share.
    let token = one.form_token(DEMO).await;
    let response = other
        .post_form(
            &format!("/campaigns/{DEMO}/sign"),
            &with(signer("ana@example.org"), "csrf_token", &token),
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);

    // Either server's mail worker may have sent it, with its own address in the link.
    let link = one.mail.wait_for("ana@example.org", 1).await[0].confirmation_link();
    let path = &link[link.find("/confirm/").expect("a confirmation path")..];
    assert_eq!(one.post_form(path, &[]).await.status().as_u16(), 303);

    assert_eq!(one.count_becomes(1).await, 1);
    assert_eq!(other.count_becomes(1).await, 1);
}

#[tokio::test]
async fn twenty_signatures_of_one_address_split_across_two_servers_count_once_alike() {
    let Some((one, other)) = two_servers().await else {
        return;
    };
    let tokens = [one.form_token(DEMO).await, other.form_token(DEMO).await];
    let mut attempts = Vec::new();
    for i in 0..20 {
        let (client, url) = match i % 2 {
            0 => (
                one.client.clone(),
                one.url(&format!("/campaigns/{DEMO}/sign")),
            ),
            _ => (
                other.client.clone(),
                other.url(&format!("/campaigns/{DEMO}/sign")),
            ),
        };
        let form = with(
            signer("same.person@example.org"),
            "csrf_token",
            &tokens[i % 2],
        );
        attempts.push(tokio::spawn(async move {
            let response = client.post(url).form(&form).send().await.expect("POST");
            let status = response.status().as_u16();
            let location = response.headers().get("location").cloned();
            (status, location)
        }));
    }
    let mut answers = Vec::new();
    for attempt in attempts {
        answers.push(attempt.await.expect("attempt"));
    }
    assert!(
        answers.iter().all(|answer| *answer == answers[0]),
        "every attempt gets the same answer: {answers:?}"
    );
    assert_eq!(answers[0].0, 303);
    assert_eq!(one.stored_signatures(), 1);

    one.sign_and_confirm_existing("same.person@example.org")
        .await;
    assert_eq!(one.count_becomes(1).await, 1);
    assert_eq!(other.count_becomes(1).await, 1);
}

#[tokio::test]
async fn two_hundred_signatures_across_two_servers_get_exactly_two_hundred_emails() {
    let Some((one, other)) = two_servers().await else {
        return;
    };
    let tokens = [one.form_token(DEMO).await, other.form_token(DEMO).await];
    let urls = [
        one.url(&format!("/campaigns/{DEMO}/sign")),
        other.url(&format!("/campaigns/{DEMO}/sign")),
    ];
    let mut senders = Vec::new();
    for sender in 0..10 {
        let (client, tokens, urls) = (one.client.clone(), tokens.clone(), urls.clone());
        senders.push(tokio::spawn(async move {
            for i in 0..20 {
                let n = sender * 20 + i;
                let form = with(
                    signer(&format!("s{n}@example.org")),
                    "csrf_token",
                    &tokens[n % 2],
                );
                let response = client
                    .post(&urls[n % 2])
                    .form(&form)
                    .send()
                    .await
                    .expect("POST");
                assert_eq!(response.status().as_u16(), 303);
            }
        }));
    }
    for sender in senders {
        sender.await.expect("sender");
    }

    let deadline = Instant::now() + Duration::from_secs(30);
    while one.mail.emails().len() < 200 {
        assert!(
            Instant::now() < deadline,
            "{} emails arrived",
            one.mail.emails().len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Both servers' workers keep polling; any duplicate would arrive in this time.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(one.mail.emails().len(), 200);
    for n in 0..200 {
        assert_eq!(
            one.mail.emails_to(&format!("s{n}@example.org")).len(),
            1,
            "s{n} got exactly one email"
        );
    }
}

#[tokio::test]
async fn a_staff_session_and_a_new_campaign_work_on_every_server() {
    let Some((one, other)) = two_servers().await else {
        return;
    };
    let (staff, _) = one.signed_in_staff().await;
    // Cookies are per host, not per port: the session made on one server goes to the other.
    let page = other.page_as(&staff, "/admin/tokens").await;
    assert!(page.contains("csrf_token"), "signed in on the other server");

    let output = one.cli(
        &[
            "campaign",
            "create",
            "agua-para-todos",
            "--title",
            "Agua para todos",
        ],
        "",
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let created = Instant::now();
    for app in [&one, &other] {
        loop {
            let (status, _) = app.get_text("/campaigns/agua-para-todos").await;
            if status == 200 {
                break;
            }
            assert!(
                created.elapsed() < Duration::from_secs(2),
                "the new campaign shows on every server within two seconds"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killing_one_server_under_load_loses_nothing_and_the_other_keeps_serving() {
    if postgres_server().is_none() {
        eprintln!(
            "several servers need PostgreSQL: set MARIPOSA_TEST_POSTGRES (scripts/test does)"
        );
        return;
    }
    let survivor = spawn_app().await;
    let mut doomed = crash::start(&survivor.database_url, survivor.smtp).await;
    let page = survivor
        .client
        .get(format!("{}/campaigns/{DEMO}", doomed.address))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    // The killed server's default minimum fill time is two seconds.
    let doomed_token = hidden_value(&page, "csrf_token");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let survivor_token = survivor.form_token(DEMO).await;

    let mut writers = Vec::new();
    for worker in 0..8 {
        let client = survivor.client.clone();
        let (url, token) = match worker % 2 {
            0 => (
                format!("{}/campaigns/{DEMO}/sign", doomed.address),
                doomed_token.clone(),
            ),
            _ => (
                survivor.url(&format!("/campaigns/{DEMO}/sign")),
                survivor_token.clone(),
            ),
        };
        let stop_at = Instant::now() + Duration::from_secs(3);
        writers.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            let mut i = 0;
            while Instant::now() < stop_at {
                i += 1;
                let email = format!("w{worker}-{i}@example.org");
                let form = with(signer(&email), "csrf_token", &token);
                match client.post(&url).form(&form).send().await {
                    Ok(response) if response.status().as_u16() == 303 => acknowledged.push(email),
                    Ok(response) if worker % 2 == 1 => {
                        panic!("the surviving server answered {}", response.status())
                    }
                    Ok(_) => {}
                    Err(_) if worker % 2 == 0 => break,
                    Err(error) => panic!("the surviving server failed: {error}"),
                }
            }
            acknowledged
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    doomed.child.kill().expect("SIGKILL");
    doomed.child.wait().expect("the server is gone");
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(writer.await.expect("writer task"));
    }
    assert!(
        acknowledged.iter().any(|e| e.starts_with("w0-")),
        "the killed server was taking signatures"
    );

    let export = survivor.cli(&["export", "signatures", DEMO, "--status", "all"], "");
    let stored = String::from_utf8_lossy(&export.stdout).into_owned();
    for email in &acknowledged {
        assert!(
            stored.contains(email.as_str()),
            "{email} was acknowledged but is not stored"
        );
    }
    let after = survivor.sign(&signer("after.the.crash@example.org")).await;
    assert_eq!(
        after.status().as_u16(),
        303,
        "the other server keeps serving"
    );
}

#[tokio::test]
async fn a_server_that_lost_its_database_says_so_at_once_and_recovers_with_it() {
    let Some(server) = postgres_server() else {
        eprintln!("losing the database server needs PostgreSQL: SQLite is a file in the process");
        return;
    };
    let app = spawn_app().await;
    let name = app
        .database_url
        .rsplit('/')
        .next()
        .expect("a database name")
        .to_owned();
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);

    // As if the database server went away: its connections end and no new one is let in.
    admin_sql(
        &server,
        &format!("ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false"),
    );
    admin_sql(
        &server,
        &format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"),
    );
    // A load balancer waits a few seconds for a health check; the pool alone would wait ten.
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_secs(8))
        .build()
        .expect("a client");
    let down = impatient
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("an answer before the load balancer gives up");
    assert_eq!(down.status().as_u16(), 503);

    admin_sql(
        &server,
        &format!("ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true"),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.get("/healthz").await.status().as_u16() != 200 {
        assert!(
            Instant::now() < deadline,
            "healthy again once the database is back"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
