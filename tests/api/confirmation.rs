//! Confirmation links that are unknown, malformed, expired, or carry secrets in headers.

use crate::helpers::{DEMO, signer, spawn_app};

#[tokio::test]
async fn unknown_and_malformed_links_get_a_helpful_404() {
    let app = spawn_app().await;
    for path in [
        "/confirm/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "/confirm/not-a-token",
        "/confirm/%00%ff",
    ] {
        let (status, page) = app.get_text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(page.contains("Este enlace no funciona"), "{path}: {page}");
        let response = app.post_form(path, &[]).await;
        assert_eq!(response.status().as_u16(), 404, "POST {path}");
    }
}

#[tokio::test]
async fn an_expired_link_explains_and_leads_back_to_the_form() {
    let app = spawn_app().await;
    app.sign(&signer("ana@example.org")).await;
    let link = app.mail.wait_for("ana@example.org", 1).await[0].confirmation_link();
    app.execute_sql("UPDATE confirmation_tokens SET expires_at = '2020-01-01 00:00:00'");
    let path = link.replace(&app.address, "");

    let (status, page) = app.get_text(&path).await;
    assert_eq!(status, 410);
    assert!(
        page.contains(&format!("/campaigns/{DEMO}")),
        "links back to the form"
    );
    assert_eq!(app.post_form(&path, &[]).await.status().as_u16(), 410);
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE confirmed_at IS NOT NULL"),
        0
    );
}

#[tokio::test]
async fn confirmation_pages_never_leak_their_token() {
    let app = spawn_app().await;
    app.sign(&signer("ana@example.org")).await;
    let link = app.mail.wait_for("ana@example.org", 1).await[0].confirmation_link();
    let token = link.rsplit('/').next().expect("token").to_owned();

    let response = app.get(&link.replace(&app.address, "")).await;

    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let stored = app.query_count(&format!(
        "SELECT COUNT(*) AS n FROM confirmation_tokens WHERE token_hash = '{token}'"
    ));
    assert_eq!(stored, 0, "only a hash of the token is stored");
    // The relay has the email before the worker records it as sent, which on a busy machine
    // can be a moment later.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.query_count("SELECT COUNT(*) AS n FROM outbox WHERE link_nonce IS NOT NULL") != 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "a sent email's link nonce is wiped from the outbox"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_confirmation_page_speaks_the_signers_language() {
    let app = spawn_app().await;
    let mut form = signer("ana@example.org");
    form.push(("lang", "en".into()));
    app.sign(&form).await;
    let email = &app.mail.wait_for("ana@example.org", 1).await[0];
    assert!(
        email.subject().contains("Butterflies for Mexico"),
        "{}",
        email.subject()
    );

    let (_, page) = app
        .get_text(&email.confirmation_link().replace(&app.address, ""))
        .await;

    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("Confirm my signature"));
}

#[tokio::test]
async fn a_signature_confirmed_after_its_campaign_closed_does_not_count() {
    let app = spawn_app().await;
    app.sign_and_confirm("a-tiempo@example.org").await;
    app.sign(&signer("tarde@example.org")).await;
    let link = app.mail.wait_for("tarde@example.org", 1).await[0].confirmation_link();
    let path = link.replace(&app.address, "");
    assert_eq!(app.count_becomes(1).await, 1);
    app.change_campaigns(&format!(
        "UPDATE campaigns SET closes_at = '2026-01-31 23:59:59' WHERE slug = '{DEMO}'"
    ))
    .await;

    let (status, page) = app.get_text(&path).await;
    assert_eq!(status, 409);
    assert!(page.contains("Esta campaña ya cerró"), "{page}");
    assert!(page.contains("2026-01-31"), "the day it closed: {page}");
    assert!(!page.contains("<form"), "no button to press");
    let pressed = app.post_form(&path, &[]).await;
    assert_eq!(pressed.status().as_u16(), 409);
    assert!(
        pressed
            .text()
            .await
            .expect("body")
            .contains("Tu firma no se pudo sumar")
    );

    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE confirmed_at IS NOT NULL"),
        1,
        "the delivered count does not move"
    );
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(app.public_count().await, 1);
}
