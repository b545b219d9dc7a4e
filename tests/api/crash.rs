//! `kill -9` in the middle of a surge: every signature answered with 303 survives, whole,
//! and its email goes out after the restart.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::child_server::ChildServer;
use crate::helpers::{
    DEMO, MailSink, connect, free_port, fresh_database, hidden_value, signer, with,
};

/// A server that can be killed: rate limits off for the surge, and a short mail lease so
/// that on PostgreSQL the emails the killed server had claimed are due again soon.
pub async fn start(database_url: &str, smtp: std::net::SocketAddr) -> ChildServer {
    let smtp_url = format!("smtp://{smtp}");
    ChildServer::start(
        database_url,
        &[
            ("MARIPOSA_SMTP_URL", smtp_url.as_str()),
            ("MARIPOSA_RATE_LIMITS", "off"),
            ("MARIPOSA_MAIL_LEASE_SECONDS", "3"),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_under_load_loses_no_acknowledged_signature_and_sends_every_email() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (database, _guard) = fresh_database(dir.path());
    let listener = free_port();
    let smtp = listener.local_addr().expect("sink address");
    let sink = MailSink::start_on(listener);
    let mut server = start(&database, smtp).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let page = client
        .get(format!("{}/campaigns/{DEMO}", server.address))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    let token = hidden_value(&page, "csrf_token");
    // The server takes forms sent within two seconds of being served for bots.
    tokio::time::sleep(Duration::from_millis(2100)).await;

    let url = format!("{}/campaigns/{DEMO}/sign", server.address);
    let mut writers = Vec::new();
    for worker in 0..8 {
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        writers.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for i in 0.. {
                let email = format!("w{worker}-{i}@example.org");
                let form = with(signer(&email), "csrf_token", &token);
                match client.post(&url).form(&form).send().await {
                    Ok(response) if response.status().as_u16() == 303 => acknowledged.push(email),
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
            acknowledged
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("the server is gone");
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(writer.await.expect("writer task"));
    }
    assert!(
        acknowledged.len() > 20,
        "the surge was under way ({} signatures)",
        acknowledged.len()
    );

    let restarted = start(&database, smtp).await;
    let output = Command::new(env!("CARGO_BIN_EXE_mariposa"))
        .args(["export", "signatures", DEMO, "--status", "all"])
        .env("MARIPOSA_DATABASE_URL", &database)
        .env("MARIPOSA_LOG", "warn")
        .output()
        .expect("export");
    let stored = String::from_utf8_lossy(&output.stdout).into_owned();
    for email in &acknowledged {
        assert!(
            stored.contains(email.as_str()),
            "{email} was acknowledged but is not stored"
        );
    }
    {
        use diesel::{QueryableByName, RunQueryDsl, sql_types::BigInt};
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let mut conn = connect(&database);
        let half_written = diesel::sql_query(
            "SELECT COUNT(*) AS n FROM signatures s \
             WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.signature_id = s.id) \
                OR NOT EXISTS (SELECT 1 FROM confirmation_tokens t WHERE t.signature_id = s.id)",
        )
        .get_result::<Count>(&mut conn)
        .expect("count")
        .n;
        assert_eq!(
            half_written, 0,
            "every stored signature has its token and its email"
        );
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    for email in &acknowledged {
        while sink.emails_to(email).is_empty() {
            assert!(
                Instant::now() < deadline,
                "{email} never got its confirmation email"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    drop(restarted);
}
