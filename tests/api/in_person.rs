//! Signatures given in person (paper sheets, kiosks): counted at once, and each person once,
//! whether they signed online, on paper, or both.

use chrono::Utc;
use mariposa::db::in_person::{self, InPersonRecorded, NewEvent};
use mariposa::db::write_transaction;
use mariposa::domain::{
    Channel, FormRules, InPersonPlace, InPersonSignature, Lang, SignatureInput, SignedAt, Source,
};

use crate::helpers::{DEMO, TestApp, signer, spawn_app, with};

fn demo_campaign_id(app: &TestApp) -> i64 {
    app.query_count(&format!(
        "SELECT id AS n FROM campaigns WHERE slug = '{DEMO}'"
    ))
}

/// A paper sheet's row as staff would type it in at the event of `event_id`.
fn sheet_row(
    app: &TestApp,
    event_id: i64,
    first: &str,
    last: &str,
    email: &str,
    opt_in: bool,
) -> InPersonSignature {
    let input = SignatureInput {
        first_name: first.into(),
        last_name: last.into(),
        email: email.into(),
        country: "MX".into(),
        postal_code: "39090".into(),
        email_opt_in: opt_in,
        ..SignatureInput::default()
    };
    let rules = FormRules {
        campaign_id: demo_campaign_id(app),
        postal_code_required: false,
    };
    let place = InPersonPlace {
        event_id,
        channel: Channel::Paper,
        source: Source::parse_lenient("paper-zocalo"),
    };
    let now = SignedAt::received(Utc::now().naive_utc());
    InPersonSignature::parse(&input, rules, place, Lang::Es, now).expect("a valid row")
}

fn festival(app: &TestApp) -> i64 {
    let event = NewEvent {
        campaign_id: demo_campaign_id(app),
        name: "Día de Muertos, Zócalo",
        place: "Ciudad de México",
        held_on: None,
        source: Some("paper-zocalo"),
    };
    in_person::create_event(&mut app.connect(), &event, Utc::now().naive_utc())
        .expect("event")
        .id
}

fn record(app: &TestApp, row: &InPersonSignature) -> InPersonRecorded {
    write_transaction(&mut app.connect(), |conn| {
        in_person::record(conn, row, Utc::now().naive_utc())
    })
    .expect("recorded")
}

#[tokio::test]
async fn a_paper_signature_counts_without_a_confirmation_email() {
    let app = spawn_app().await;
    let event = festival(&app);

    let recorded = record(&app, &sheet_row(&app, event, "Ana", "López", "", false));

    assert!(matches!(recorded, InPersonRecorded::Counted { .. }));
    assert_eq!(app.counted(), 1);
    assert_eq!(
        app.query_count(&format!(
            "SELECT COUNT(*) AS n FROM signatures WHERE channel = 'paper' AND event_id = {event} \
             AND source = 'paper-zocalo'"
        )),
        1
    );
}

#[tokio::test]
async fn a_paper_signer_who_asked_for_news_gets_one_welcome_with_an_unsubscribe_link() {
    let app = spawn_app().await;
    let event = festival(&app);

    record(
        &app,
        &sheet_row(&app, event, "Ana", "López", "ana@example.org", true),
    );
    record(
        &app,
        &sheet_row(&app, event, "Eva", "Ruiz", "eva@example.org", false),
    );

    let emails = app.mail.wait_for("ana@example.org", 1).await;
    assert!(
        emails[0].subject().starts_with("Gracias por firmar"),
        "{}",
        emails[0].subject()
    );
    assert!(emails[0].text().contains("en persona"));
    let unsubscribe = emails[0]
        .header("List-Unsubscribe")
        .expect("a one-click unsubscribe header");
    assert!(unsubscribe.contains("/unsubscribe/"), "{unsubscribe}");
    // A later email proves the sink has seen everything queued before it.
    record(
        &app,
        &sheet_row(&app, event, "Luz", "Mora", "luz@example.org", true),
    );
    app.mail.wait_for("luz@example.org", 1).await;
    assert!(
        app.mail.emails_to("eva@example.org").is_empty(),
        "no box ticked, no mail"
    );
}

#[tokio::test]
async fn the_same_person_typed_twice_counts_once() {
    let app = spawn_app().await;
    let event = festival(&app);

    let first = record(
        &app,
        &sheet_row(&app, event, "José", "Pérez-Luna", "", false),
    );
    let again = record(
        &app,
        &sheet_row(&app, event, "jose", "PEREZ LUNA", "", false),
    );

    let InPersonRecorded::Counted { signature_id } = first else {
        panic!("the first one counts: {first:?}");
    };
    assert_eq!(again, InPersonRecorded::AlreadyCounted { signature_id });
    assert_eq!(app.counted(), 1);
}

#[tokio::test]
async fn a_paper_signature_by_someone_who_confirmed_online_counts_once() {
    let app = spawn_app().await;
    app.sign_and_confirm("ana@example.org").await;
    let event = festival(&app);

    // Their email on the sheet, then the same name without one.
    let by_email = record(
        &app,
        &sheet_row(&app, event, "Ana", "López", "ana@example.org", false),
    );
    let by_name = record(
        &app,
        &sheet_row(&app, event, "José Ñúñez", "O'Connor", "", false),
    );

    assert!(matches!(by_email, InPersonRecorded::AlreadyCounted { .. }));
    assert!(matches!(by_name, InPersonRecorded::AlreadyCounted { .. }));
    assert_eq!(app.counted(), 1);
    assert_eq!(app.stored_signatures(), 1);
}

#[tokio::test]
async fn signing_on_paper_counts_an_online_signature_that_was_never_confirmed() {
    let app = spawn_app().await;
    app.sign(&signer("ana@example.org")).await;
    app.mail.wait_for("ana@example.org", 1).await;
    let event = festival(&app);

    let recorded = record(
        &app,
        &sheet_row(&app, event, "Ana", "López", "ana@example.org", false),
    );

    assert!(matches!(recorded, InPersonRecorded::Counted { .. }));
    assert_eq!(app.counted(), 1);
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE channel = 'paper'"),
        1,
        "one signature, now counted as signed in person"
    );
}

#[tokio::test]
async fn confirming_online_after_signing_on_paper_counts_once_as_the_online_signature() {
    let app = spawn_app().await;
    let event = festival(&app);
    record(
        &app,
        &sheet_row(&app, event, "José Ñúñez", "O'Connor", "", false),
    );
    assert_eq!(app.counted(), 1);

    app.sign_and_confirm("jose@example.org").await;

    assert_eq!(app.stored_signatures(), 1);
    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM signatures WHERE channel = 'online' \
             AND email = 'jose@example.org' AND confirmed_at IS NOT NULL"
        ),
        1
    );
    // Counts are refreshed from the database; wait for a refresh, then check it stayed 1.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(app.public_count().await, 1);
}

#[tokio::test]
async fn two_people_of_one_name_with_their_own_emails_both_count() {
    let app = spawn_app().await;
    let event = festival(&app);
    let form = with(signer("maria@example.org"), "first_name", "María");
    let form = with(form, "last_name", "García");
    app.sign(&form).await;
    let link = app.mail.wait_for("maria@example.org", 1).await[0].confirmation_link();
    app.post_form(&link.replace(&app.address, ""), &[]).await;

    let namesake = record(
        &app,
        &sheet_row(
            &app,
            event,
            "María",
            "García",
            "otra.maria@example.org",
            false,
        ),
    );

    assert!(matches!(namesake, InPersonRecorded::Counted { .. }));
    assert_eq!(app.counted(), 2);
}
