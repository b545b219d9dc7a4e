//! The supporter's story: sign, get an email, confirm, be counted once.

use std::collections::HashSet;

use crate::helpers::{DEMO, signer, spawn_app, with};

#[tokio::test]
async fn signing_answers_303_to_check_your_email_and_sends_a_confirmation() {
    let app = spawn_app().await;

    let response = app.sign(&signer("ana@example.org")).await;

    assert_eq!(response.status().as_u16(), 303);
    let location = response.headers()["location"].to_str().expect("ascii");
    assert!(
        location.starts_with(&format!("/campaigns/{DEMO}/check-email")),
        "{location}"
    );
    let (status, page) = app.get_text(location).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Revisa tu correo"),
        "the check-email page is in Spanish"
    );

    let emails = app.mail.wait_for("ana@example.org", 1).await;
    let email = &emails[0];
    assert!(
        email.subject().contains("Mariposas por México"),
        "{}",
        email.subject()
    );
    assert!(email.text().contains("José Ñúñez"));
    assert!(email.html().contains(&email.confirmation_link()));
    assert!(
        email
            .confirmation_link()
            .starts_with(&format!("{}/confirm/", app.address))
    );
    assert_eq!(
        app.public_count().await,
        0,
        "unconfirmed signatures do not count"
    );
}

#[tokio::test]
async fn confirmation_link_opened_by_a_scanner_does_not_confirm() {
    let app = spawn_app().await;
    app.sign(&signer("ana@example.org")).await;
    let link = app.mail.wait_for("ana@example.org", 1).await[0].confirmation_link();
    let path = link.replace(&app.address, "");

    let (status, page) = app.get_text(&path).await;
    assert_eq!(status, 200);
    assert!(page.contains("<button"), "the page offers a button");
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(app.public_count().await, 0, "a GET alone must not confirm");

    let response = app.post_form(&path, &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    let thanks = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(thanks.starts_with(&format!("/campaigns/{DEMO}/thanks")));
    assert_eq!(app.count_becomes(1).await, 1);
    let (status, page) = app.get_text(&thanks).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("wa.me"),
        "the thank-you page offers share links"
    );
}

#[tokio::test]
async fn confirming_twice_is_harmless() {
    let app = spawn_app().await;
    let email = app.sign_and_confirm("ana@example.org").await;
    let path = email.confirmation_link().replace(&app.address, "");

    let again = app.post_form(&path, &[]).await;

    assert_eq!(again.status().as_u16(), 303);
    assert_eq!(app.count_becomes(1).await, 1);
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(app.public_count().await, 1);
}

#[tokio::test]
async fn signing_again_in_other_spellings_answers_the_same_and_counts_once() {
    let app = spawn_app().await;
    let first = app.sign(&signer("maria.jose@gmail.com")).await;
    let first_location = first.headers()["location"].clone();
    app.sign_and_confirm_existing("maria.jose@gmail.com").await;
    assert_eq!(app.count_becomes(1).await, 1);

    for spelling in [
        "MariaJose@gmail.com",
        " maria.jose+ayotzinapa@googlemail.com ",
        "m.a.r.i.a.jose@GMAIL.com",
    ] {
        let response = app.sign(&signer(spelling)).await;
        assert_eq!(response.status().as_u16(), 303, "{spelling}");
        assert_eq!(response.headers()["location"], first_location, "{spelling}");
    }

    assert_eq!(app.stored_signatures(), 1);
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(app.public_count().await, 1);
    let emails = app.mail.wait_for("maria.jose@gmail.com", 4).await;
    for repeat in &emails[1..] {
        assert!(
            repeat.subject().contains("Ya habías firmado"),
            "a repeat after confirming gets an already-signed email, sent to the address \
             that signed, not a second confirmation: {}",
            repeat.subject()
        );
    }
}

#[tokio::test]
async fn repeated_attempts_send_at_most_three_extra_emails() {
    let app = spawn_app().await;
    for _ in 0..6 {
        assert_eq!(
            app.sign(&signer("ana@example.org")).await.status().as_u16(),
            303
        );
    }

    let emails = app.mail.wait_for("ana@example.org", 4).await;
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;

    assert_eq!(
        app.mail.emails_to("ana@example.org").len(),
        4,
        "1 confirmation + 3 repeats"
    );
    let links: HashSet<_> = emails.iter().map(|e| e.confirmation_link()).collect();
    assert_eq!(
        links.len(),
        4,
        "a pending signature gets a fresh link each time"
    );
    let last = emails[3].confirmation_link().replace(&app.address, "");
    assert_eq!(app.post_form(&last, &[]).await.status().as_u16(), 303);
    assert_eq!(app.count_becomes(1).await, 1);
}

#[tokio::test]
async fn fifty_concurrent_signatures_with_one_email_count_once() {
    let app = spawn_app().await;
    let token = app.form_token(DEMO).await;
    let requests = (0..50).map(|i| {
        let spelling = if i % 2 == 0 {
            "ana@example.org"
        } else {
            "ANA+tag@example.org"
        };
        let form = with(signer(spelling), "csrf_token", &token);
        let app = &app;
        async move {
            app.post_form(&format!("/campaigns/{DEMO}/sign"), &form)
                .await
                .status()
                .as_u16()
        }
    });

    let statuses = futures_util::future::join_all(requests).await;

    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    assert_eq!(app.stored_signatures(), 1);
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM outbox"),
        4,
        "1 confirmation + 3 repeats"
    );
}

#[tokio::test]
async fn concurrent_signers_are_all_stored() {
    let app = spawn_app().await;
    let token = app.form_token(DEMO).await;
    let requests = (0..120).map(|i| {
        let form = with(
            signer(&format!("signer{i}@example.org")),
            "csrf_token",
            &token,
        );
        let app = &app;
        async move {
            app.post_form(&format!("/campaigns/{DEMO}/sign"), &form)
                .await
                .status()
                .as_u16()
        }
    });

    let statuses = futures_util::future::join_all(requests).await;

    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    assert_eq!(app.stored_signatures(), 120);
    app.mail.wait_for("signer119@example.org", 1).await;
}
