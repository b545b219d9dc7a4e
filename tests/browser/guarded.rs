//! Browser test of the two actions that cannot be undone: closing a campaign and sending an
//! update each stop at a step that says what will happen, with the number, and a sent
//! update can be cancelled until its emails go out; cancelled, nothing reaches anyone.

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::helpers::{DEMO, Options, TestApp, hidden_value, signer, spawn_app_with, with};
use crate::{ChromeDriver, text_of, type_into, wait_for_path_ending, wait_for_text};

const STAFF_EMAIL: &str = "ana@example.org";
const STAFF_PASSWORD: &str = "a long staff password";
const SIGNER: &str = "luisa@example.org";

/// Clicks `selector` once it is on the page: after a click the next page arrives in its own
/// time, and looking for its button at once can find the page before it.
async fn click(browser: &Client, selector: &str) {
    browser
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(selector))
        .await
        .unwrap_or_else(|error| panic!("the page has {selector} ({error})"))
        .click()
        .await
        .unwrap_or_else(|error| panic!("clicking {selector} ({error})"));
}

/// A signer who confirmed and asked for news, so that an update goes to one person.
async fn signer_who_wants_news(app: &TestApp) {
    let form = with(signer(SIGNER), "email_opt_in", "yes");
    assert_eq!(app.sign(&form).await.status().as_u16(), 303);
    let emails = app.mail.wait_for(SIGNER, 1).await;
    let path = emails[0].confirmation_link().replace(&app.address, "");
    assert_eq!(app.post_form(&path, &[]).await.status().as_u16(), 303);
}

/// Writes an update through the staff pages; returns its page's path.
async fn write_update(app: &TestApp) -> String {
    let (client, _) = app.signed_in_staff().await;
    let csrf = hidden_value(
        &app.page_as(&client, &format!("/admin/campaigns/{DEMO}/updates"))
            .await,
        "csrf_token",
    );
    let response = client
        .post(app.url(&format!("/admin/campaigns/{DEMO}/updates")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("subject_es", "Entregamos las firmas"),
            ("body_es", "El 26 de septiembre entregamos las firmas."),
        ])
        .send()
        .await
        .expect("the update form");
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a redirect to the update")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_and_sending_say_what_they_will_do_and_a_cancelled_send_sends_nothing() {
    let window = Duration::from_secs(3);
    let app = spawn_app_with(Options {
        update_cancel_window: Some(window),
        ..Options::default()
    })
    .await;
    signer_who_wants_news(&app).await;
    let update = write_update(&app).await;
    let driver = ChromeDriver::start().await;
    let profile = tempfile::tempdir().expect("a fresh Chromium profile directory");
    let browser = driver.open_browser(profile.path()).await;
    browser
        .goto(&app.url("/admin/login"))
        .await
        .expect("the login page");
    type_into(&browser, "#email", STAFF_EMAIL).await;
    type_into(&browser, "#password", STAFF_PASSWORD).await;
    click(&browser, "form button[type=submit]").await;
    wait_for_path_ending(&browser, "/admin/campaigns").await;

    // Sending first says to how many people, in the page's language.
    browser.goto(&app.url(&update)).await.expect("the update");
    click(&browser, "form[action$='/send'] button").await;
    assert_eq!(
        text_of(&browser, "#confirm-consequence").await,
        "Se enviará a 1 persona."
    );
    assert_eq!(
        text_of(&browser, "#confirm-button").await,
        "Enviar a 1 persona"
    );
    click(&browser, "#confirm-button").await;
    wait_for_text(&browser, "#cancel-until", "UTC").await;
    click(&browser, "#cancel-send").await;
    wait_for_text(&browser, "main", "Envío cancelado").await;

    // Well past the window, the signer has had the confirmation and nothing else.
    tokio::time::sleep(window * 2).await;
    assert_eq!(
        app.mail.emails_to(SIGNER).len(),
        1,
        "a cancelled update reaches nobody"
    );
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM outbox WHERE update_id IS NOT NULL"),
        0
    );

    // Sent again and left alone, it goes out once the window has passed.
    click(&browser, "form[action$='/send'] button").await;
    click(&browser, "#confirm-button").await;
    wait_for_text(&browser, "#cancel-until", "UTC").await;
    let emails = app.mail.wait_for(SIGNER, 2).await;
    assert_eq!(emails[1].subject(), "Entregamos las firmas");

    // Closing says what it does and what stays; the way back leaves the campaign open.
    browser
        .goto(&app.url(&format!("/admin/campaigns/{DEMO}")))
        .await
        .expect("the dashboard");
    click(&browser, "#close-campaign").await;
    assert!(
        text_of(&browser, "#confirm-consequence")
            .await
            .starts_with("Ya nadie podrá firmarla")
    );
    assert!(
        text_of(&browser, "main")
            .await
            .contains("La firma reunida sigue contando.")
    );
    click(&browser, "#confirm-back").await;
    wait_for_path_ending(&browser, &format!("/admin/campaigns/{DEMO}")).await;
    let open = format!("SELECT COUNT(*) AS n FROM campaigns WHERE slug = '{DEMO}' AND is_open");
    assert_eq!(app.query_count(&open), 1, "going back closes nothing");
    click(&browser, "#close-campaign").await;
    click(&browser, "#confirm-button").await;
    wait_for_path_ending(&browser, &format!("/admin/campaigns/{DEMO}")).await;
    assert_eq!(app.query_count(&open), 0, "confirmed, it is closed");
    browser.close().await.expect("the browser session closes");
}
