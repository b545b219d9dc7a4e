//! The outbox under a failing relay: mail is delayed, never lost, never doubled.

use std::time::Duration;

use crate::helpers::{MailSink, Options, free_port, signer, spawn_app, spawn_app_with};

#[tokio::test]
async fn an_smtp_server_that_is_down_at_first_delivers_each_email_exactly_once_when_it_returns() {
    let reserved = free_port();
    let relay = reserved.local_addr().expect("address");
    drop(reserved);
    let app = spawn_app_with(Options {
        smtp: Some(relay),
        ..Options::default()
    })
    .await;
    let signers = ["ana@example.org", "luis@example.org", "rosa@example.org"];
    for email in signers {
        assert_eq!(app.sign(&signer(email)).await.status().as_u16(), 303);
    }

    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL AND attempts > 0"),
        3,
        "every email was tried, failed, and is still waiting"
    );

    let listener = std::net::TcpListener::bind(relay).expect("the relay's port is free again");
    let sink = MailSink::start_on(listener);
    for email in signers {
        sink.wait_for(email, 1).await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;

    for email in signers {
        assert_eq!(
            sink.emails_to(email).len(),
            1,
            "{email} got exactly one email"
        );
    }
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL"),
        0
    );
}

#[tokio::test]
async fn emails_have_a_text_and_an_html_part_and_a_readable_recipient() {
    let app = spawn_app().await;
    app.sign(&signer("ana@example.org")).await;

    let email = &app.mail.wait_for("ana@example.org", 1).await[0];

    assert!(!email.text().is_empty());
    assert!(email.html().contains("<a href=\""));
    let to = email.header("To").expect("a To header");
    assert!(to.contains("ana@example.org"), "{to}");
    assert!(
        email
            .header("Message-ID")
            .is_some_and(|id| id.contains("@mariposa.test"))
    );
    assert_eq!(email.header("Bcc"), None);
}

#[tokio::test]
async fn a_name_cannot_smuggle_headers_into_an_email() {
    let app = spawn_app().await;
    let mut form = signer("ana@example.org");
    form[0].1 = "Ana\r\nBcc: victim@example.org".into();

    let response = app.sign(&form).await;

    assert_eq!(response.status().as_u16(), 422);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(app.mail.emails().is_empty());
}
