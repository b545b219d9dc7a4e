//! The one reminder to signers who have not confirmed: time is moved by ageing signatures
//! in the database, never by waiting.

use chrono::{TimeDelta, Utc};

use crate::helpers::{
    DEMO, Options, REMINDER_AFTER, TestApp, hidden_value, signer, spawn_app_with,
};

async fn app_with_reminders() -> TestApp {
    spawn_app_with(Options {
        reminders: true,
        ..Options::default()
    })
    .await
}

/// Makes `email`'s signatures older than the reminder delay, as if signed hours ago.
fn age(app: &TestApp, email: &str) {
    let signed = Utc::now().naive_utc()
        - TimeDelta::from_std(REMINDER_AFTER).expect("a delay")
        - TimeDelta::minutes(5);
    app.execute_sql(&format!(
        "UPDATE signatures SET created_at = '{}' WHERE email = '{email}'",
        signed.format("%Y-%m-%d %H:%M:%S")
    ));
}

fn reminded(app: &TestApp, email: &str) -> i64 {
    app.query_count(&format!(
        "SELECT COUNT(*) AS n FROM signatures WHERE email = '{email}' AND reminded_at IS NOT NULL"
    ))
}

#[tokio::test]
async fn a_signer_who_never_confirmed_gets_one_reminder_in_their_language() {
    let app = app_with_reminders().await;
    let mut form = signer("ana@example.org");
    form.push(("lang", "en".into()));
    app.sign(&form).await;
    app.mail.wait_for("ana@example.org", 1).await;
    assert_eq!(reminded(&app, "ana@example.org"), 0, "not before the delay");

    age(&app, "ana@example.org");
    let emails = app.mail.wait_for("ana@example.org", 2).await;

    let reminder = &emails[1];
    assert!(
        reminder
            .subject()
            .starts_with("Your signature is not counted yet"),
        "{}",
        reminder.subject()
    );
    assert!(
        reminder
            .text()
            .contains("This is the only reminder we send.")
    );
    assert!(
        reminder
            .html()
            .contains("This is the only reminder we send.")
    );
    let link = reminder.confirmation_link();
    assert_ne!(link, emails[0].confirmation_link(), "a fresh link");

    // A later signer's reminder shows that the reminder task has run again since.
    app.sign(&signer("bruno@example.org")).await;
    app.mail.wait_for("bruno@example.org", 1).await;
    age(&app, "bruno@example.org");
    app.mail.wait_for("bruno@example.org", 2).await;
    assert_eq!(
        app.mail.emails_to("ana@example.org").len(),
        2,
        "one reminder only"
    );
    assert_eq!(reminded(&app, "ana@example.org"), 1);
    let (_, metrics) = app.get_text("/metrics").await;
    assert!(
        metrics.contains("\nmariposa_reminders_queued_total 2\n"),
        "{metrics}"
    );

    let confirmed = app.post_form(&link.replace(&app.address, ""), &[]).await;
    assert_eq!(
        confirmed.status().as_u16(),
        303,
        "the reminder's link confirms"
    );
    assert_eq!(app.count_becomes(1).await, 1);
}

#[tokio::test]
async fn a_signer_who_confirmed_is_never_reminded() {
    let app = app_with_reminders().await;
    app.sign_and_confirm("ana@example.org").await;
    app.sign(&signer("bruno@example.org")).await;
    app.mail.wait_for("bruno@example.org", 1).await;

    age(&app, "ana@example.org");
    age(&app, "bruno@example.org");
    app.mail.wait_for("bruno@example.org", 2).await;

    assert_eq!(app.mail.emails_to("ana@example.org").len(), 1);
    assert_eq!(reminded(&app, "ana@example.org"), 0);
}

#[tokio::test]
async fn signers_of_a_closed_campaign_are_not_reminded() {
    let app = app_with_reminders().await;
    let created = app.cli(
        &["campaign", "create", "otra-causa", "--title", "Otra causa"],
        "",
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    app.sign(&signer("ana@example.org")).await;
    let (_, page) = app.get_text("/campaigns/otra-causa").await;
    let mut form = signer("bruno@example.org");
    form.push(("csrf_token", hidden_value(&page, "csrf_token")));
    let signed = app.post_form("/campaigns/otra-causa/sign", &form).await;
    assert_eq!(signed.status().as_u16(), 303);
    app.mail.wait_for("ana@example.org", 1).await;
    app.mail.wait_for("bruno@example.org", 1).await;
    app.change_campaigns(&format!(
        "UPDATE campaigns SET is_open = FALSE WHERE slug = '{DEMO}'"
    ))
    .await;

    age(&app, "ana@example.org");
    age(&app, "bruno@example.org");
    app.mail.wait_for("bruno@example.org", 2).await;

    assert_eq!(app.mail.emails_to("ana@example.org").len(), 1);
    assert_eq!(reminded(&app, "ana@example.org"), 0);
}
