//! A confirmation link opened by a mail scanner that runs scripts (as some security gateways
//! do, in a headless browser) must not confirm: only a person pressing the button does.

use std::time::Duration;

use fantoccini::Locator;

use crate::helpers::{signer, spawn_app};
use crate::{ChromeDriver, text_of, wait_for_path_ending};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scanner_that_runs_scripts_does_not_confirm() {
    const EMAIL: &str = "escaneado@example.org";
    let app = spawn_app().await;
    assert_eq!(app.sign(&signer(EMAIL)).await.status().as_u16(), 303);
    let link = app.mail.wait_for(EMAIL, 1).await[0].confirmation_link();
    let driver = ChromeDriver::start().await;
    let profile = tempfile::tempdir().expect("a fresh Chromium profile directory");
    let browser = driver.open_browser(profile.path()).await;

    // The scanner loads the link in a visible headless tab, runs its scripts and waits.
    browser
        .goto(&link)
        .await
        .expect("the confirmation link opens");
    tokio::time::sleep(Duration::from_secs(4)).await;

    assert!(
        browser
            .current_url()
            .await
            .expect("the browser's URL")
            .path()
            .starts_with("/confirm/"),
        "the page stays where it was"
    );
    assert_eq!(app.public_count().await, 0, "nothing was confirmed");
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE confirmed_at IS NOT NULL"),
        0
    );

    // The supporter presses the button herself.
    browser
        .find(Locator::Css("form button[type=submit]"))
        .await
        .expect("the page has a confirm button")
        .click()
        .await
        .expect("clicking the confirm button");
    wait_for_path_ending(&browser, "/thanks").await;
    assert_eq!(text_of(&browser, "h1").await, "¡Gracias!");
    assert_eq!(app.count_becomes(1).await, 1, "now she counts");

    browser.close().await.expect("the browser session closes");
}
